import os
from flask import Flask
from flask_mail import Mail
from config import config

app = Flask(__name__)
app.config.from_object(config[os.getenv('FLASK_CONFIG') or 'development'])
mail = Mail(app)
