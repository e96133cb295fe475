from flask import Flask
from .mail_config import configure_mail


def create_app():
    app = Flask(__name__)
    configure_mail(app)
    return app
