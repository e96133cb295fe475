import os
from os import environ
from flask import Flask
from flask_mail import Mail

app = Flask(__name__)
app.config['SECRET_KEY'] = environ.get('SECRET_KEY')

mail_settings = {
    'MAIL_SERVER': 'smtp.gmail.com',
    'MAIL_PORT': 465,
    'MAIL_USERNAME': os.environ['MAIL_USERNAME'],
    'MAIL_PASSWORD': os.environ['MAIL_PASSWORD'],
    'MAIL_USE_TLS': False,
    'MAIL_USE_SSL': True
}
app.config.update(mail_settings)
mail = Mail(app)
