from flask import Flask
from flask_mail import Mail

mail = Mail()


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        DATABASE="assinaturas.sqlite3",
        SECRET_KEY="dev-change-me",
    )
    app.config.from_prefixed_env()
    if test_config:
        app.config.update(test_config)

    mail.init_app(app)
    return app
