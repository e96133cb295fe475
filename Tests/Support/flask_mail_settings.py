#!/usr/bin/env python3
"""What a real Flask app with Flask-Mail makes of a config file, as JSON, so that mailtui's import
can be compared with it.

  flask_mail_settings.py dotenv PATH   app.config.update(dotenv_values(PATH)), as apps that read a
                                       .env file into their config do
  flask_mail_settings.py python PATH   app.config.from_pyfile(PATH) (the module runs with this
                                       process's environment)

Prints {"server", "port", "use_tls", "use_ssl", "username", "password_set", "default_sender",
"error"}: use_tls and use_ssl as Python's truthiness, which is what smtplib acts on; "error" is the
exception init_app raised, if any.
"""
import json
import sys

from flask import Flask
from flask_mail import Mail

kind, path = sys.argv[1], sys.argv[2]
app = Flask(__name__)
if kind == "dotenv":
    from dotenv import dotenv_values
    app.config.update({k: v for k, v in dotenv_values(path).items() if v is not None})
else:
    app.config.from_pyfile(path)
try:
    state = Mail(app).state
except Exception as exc:  # what the app would crash with at start-up
    print(json.dumps({"error": type(exc).__name__}))
    sys.exit(0)
sender = state.default_sender
if isinstance(sender, tuple):
    sender = "%s <%s>" % sender
print(json.dumps({
    "server": state.server,
    "port": int(state.port),
    "use_tls": bool(state.use_tls),
    "use_ssl": bool(state.use_ssl),
    "username": state.username,
    "password_set": bool(state.password),
    "default_sender": sender,
    "error": None,
}))
