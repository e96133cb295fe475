from flask import Flask
from mailing import setup_mail

app = Flask(__name__)
setup_mail(app)
