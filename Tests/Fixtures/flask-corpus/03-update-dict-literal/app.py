import os
from flask import Flask
from flask_mail import Mail

app = Flask(__name__)
app.secret_key = os.urandom(24)
app.config['MYSQL_HOST'] = 'localhost'


mail_settings = {
    "MAIL_SERVER": 'smtp.gmail.com',
    "MAIL_PORT": 465,
    "MAIL_USE_TLS": False,
    "MAIL_USE_SSL": True,
    "MAIL_USERNAME": 'someone@gmail.com',
    "MAIL_PASSWORD": 'xxxxxxxxxxxxxxxx'
}

app.config.update(mail_settings)
mail = Mail(app)
