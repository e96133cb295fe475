import os

from flask import Flask
from flask_mail import Mail

mail = Mail()


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SECRET_KEY="dev",
        DATABASE=os.path.join(app.instance_path, "flaskr.sqlite"),
        MAIL_SERVER="smtp.sendgrid.net",
        MAIL_PORT=587,
        MAIL_USE_TLS=True,
        MAIL_USERNAME="apikey",
        MAIL_DEFAULT_SENDER=("Flaskr", "noreply@example.com"),
    )

    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.update(test_config)

    mail.init_app(app)
    return app
