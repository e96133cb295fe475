from typing import Any
from flask import Flask
from flask_mail import Mail


def create_app(**config: Any) -> Flask:
    app = Flask(__name__)
    app.config.from_prefixed_env('RHOAI_CLASS', loads=str)
    app.config.update(config)
    Mail(app)
    return app
