""" Base configuration. """
from os import getenv


class BaseConfig:  # pylint: disable=R0903
    """Base configuration."""

    MAIL_SERVER = getenv("MAIL_SERVER", "smtp.gmail.com")
    MAIL_PORT = int(getenv("MAIL_PORT", "465"))
    MAIL_USE_SSL = True
    MAIL_USE_TLS = False
    MAIL_USERNAME = "noreply@example.com"
    MAIL_PASSWORD = getenv("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = getenv("MAIL_USERNAME", "noreply@example.com")
