#!/usr/bin/env python3
"""What a real Flask app with Flask-Mail makes of a config file, as JSON, so that mailtui's import
can be compared with it.

  flask_mail_settings.py dotenv PATH   app.config.update(dotenv_values(PATH)), as apps that read a
                                       .env file into their config do
  flask_mail_settings.py python PATH   app.config.from_pyfile(PATH) (the module runs with this
                                       process's environment)
  flask_mail_settings.py case DIR      a corpus case (Tests/Fixtures/flask-corpus/NN-name): its
                                       `case` file says how the app loads its config; the app is
                                       loaded that way from a copy of DIR, with only the case's
                                       `env:` lines (and FLASK_*/MAIL_* cleared) in the environment

For a case, "port" is a string (as the app gives it to smtplib) and "password" is the value itself
(the corpus holds no real passwords).

Prints {"server", "port", "use_tls", "use_ssl", "username", "password_set", "default_sender",
"error"}: use_tls and use_ssl as Python's truthiness, which is what smtplib acts on; "error" is the
exception init_app raised, if any.
"""
import json
import sys

from flask import Flask
from flask_mail import Mail

kind, path = sys.argv[1], sys.argv[2]


def load_case(directory):
    """The app of a corpus case, loaded the way its `case` file says; and Mail's state if the app
    made one itself (Mail(app) or init_app, maybe before its config lines)."""
    import importlib
    import os
    import shutil
    import tempfile
    import warnings

    warnings.simplefilter("ignore")
    sys.dont_write_bytecode = True
    meta = {"env": []}
    for line in open(os.path.join(directory, "case"), encoding="utf-8"):
        key, _, value = line.strip().partition(": ")
        if key == "env":
            meta["env"].append(value)
        elif key:
            meta[key] = value
    work = tempfile.mkdtemp(prefix="flask-case-")
    root = os.path.join(work, "app")
    shutil.copytree(directory, root)
    os.chdir(root)
    for name in list(os.environ):
        if name.startswith(("MAIL_", "FLASK_", "APP_MAIL_", "RHOAI_")):
            del os.environ[name]
    for item in meta["env"]:
        name, _, value = item.partition("=")
        os.environ[name] = value
    if meta.get("run") == "flask":
        from flask.cli import load_dotenv
        load_dotenv()
    sys.path.insert(0, root)
    how, _, target = meta["oracle"].partition(" ")
    if how == "import":
        module = target[:-3].replace("/__init__", "").replace("/", ".")
        loaded = importlib.import_module(module)
        app = next((v for v in vars(loaded).values() if isinstance(v, Flask)), None)
        if app is None:
            factory = getattr(loaded, "create_app")
            app = factory(meta["factory-arg"]) if "factory-arg" in meta else factory()
        return app
    app = Flask("app", root_path=root)
    if how == "from_object":
        app.config.from_object(target)
    elif how == "from_pyfile":
        app.config.from_pyfile(os.path.join(root, target))
    elif how == "dotenv":
        from dotenv import dotenv_values
        app.config.update({k: v for k, v in dotenv_values(target).items() if v is not None})
    return app


if kind == "case":
    try:
        app = load_case(path)
    except Exception as exc:  # the app itself fails at start-up
        print(json.dumps({"error": type(exc).__name__, "detail": str(exc)}))
        sys.exit(0)
    try:
        state = app.extensions["mail"] if "mail" in getattr(app, "extensions", {}) else Mail(app).state
    except Exception as exc:
        print(json.dumps({"error": type(exc).__name__, "detail": str(exc)}))
        sys.exit(0)
    sender = state.default_sender
    if isinstance(sender, tuple):
        sender = "%s <%s>" % sender
    print(json.dumps({
        "server": state.server,
        "port": str(state.port),
        "use_tls": bool(state.use_tls),
        "use_ssl": bool(state.use_ssl),
        "username": state.username,
        "password": state.password,
        "default_sender": sender,
        "error": None,
    }))
    sys.exit(0)

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
