from flask import Flask
from flask_mail import Mail
from mail_config import init_mail_config

app = Flask(__name__)
init_mail_config(app)
mail = Mail(app)
