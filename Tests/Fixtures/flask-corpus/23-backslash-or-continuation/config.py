# config.py
import os
basedir = os.path.abspath(os.path.dirname(__file__))

class Config:   # 基类：Config(Base Class)
    SECRET_KEY = os.environ.get('SECRET_KEY') or 'hard to guess string'
    MAIL_SERVER = 'smtp.163.com'
    MAIL_PORT = 25
    MAIL_USE_TLS = True
    # MAIL_USE_SSL = True
    MAIL_USERNAME = os.environ.get('MAIL_USERNAME') or \
        'someone@163.com'
    MAIL_PASSWORD = os.environ.get('MAIL_PASSWORD')   # 输入邮箱授权码
    FLASKY_MAIL_SENDER = 'Flasky Admin <someone@163.com>'
