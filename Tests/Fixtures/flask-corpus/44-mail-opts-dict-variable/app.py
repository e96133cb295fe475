from flask import Flask
from flask_mail import Mail
from settings import _mail_opts

app = Flask(__name__)
app.config.update(_mail_opts)
mail = Mail(app)
