from flask import Flask
from flask_mail import Mail

app = Flask(__name__)
## www.google.com/settings/security/lesssecureapps
app.config.update(
	DEBUG=True,
	# MAIL_SERVER='smtp.googlemail.com',
	MAIL_SERVER = 'smtp.gmail.com',
	# MAIL_PORT=587,
	# MAIL_USE_SSL=False,
	# MAIL_USE_TSL=True,
	MAIL_PORT=465,
	MAIL_USE_SSL=True,
	MAIL_USE_TLS=False,
	MAIL_USERNAME = 'someone@gmail.com',
	MAIL_PASSWORD = 'xxxxxxxxxxxxxxxx'
	# MAIL_PASSWORD = 'thisisthepassword'
	)
mail=Mail(app)
