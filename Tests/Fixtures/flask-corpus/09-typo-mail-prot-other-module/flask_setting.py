class _Setting:
    def __init__(self):
        self.send_email = {"server": "smtp.qq.com", "port": 465, "email": "someone@qq.com", "password": "xxxxxxxx"}


setting = _Setting()
