from flask import Flask
from .mail import initialize_mail


def create_app():
    app = Flask(__name__)
    initialize_mail(app)
    return app
