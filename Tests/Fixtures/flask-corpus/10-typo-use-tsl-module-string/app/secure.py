# 用于 session 加密
SECRET_KEY = '123'

# Email 配置
MAIL_SERVER = 'smtp.qq.com'
MAIL_PORT = 465
MAIL_USE_SSL = True
MAIL_USE_TSL = False
MAIL_USERNAME = 'hello@example.com'
MAIL_PASSWORD = 'xxxxxxxx'
MAIL_SENDER = '鱼书 <hello@example.com>'
