from flask import Flask
from flask_mail import Mail
from app.config.production import ProductionConfig

mail = Mail()


def create_app():
    app = Flask(__name__)
    app.config.from_object(ProductionConfig)
    mail.init_app(app)
    return app
