from flask import Flask
from extensions import init_mail

app = Flask(__name__)
init_mail(app)
