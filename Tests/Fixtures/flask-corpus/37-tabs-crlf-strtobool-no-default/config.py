import os
from distutils.util import strtobool

class Config(object):
	SECRET_KEY = os.environ.get('SECRET_KEY') or 'hard to guess string'
	SQLALCHEMY_COMMIT_ON_TEARDOWN = True
	MAIL_SERVER = os.environ.get('MAIL_SERVER')
	MAIL_PORT = os.environ.get('MAIL_PORT', 465)
	MAIL_USE_SSL = bool(strtobool(os.environ.get('MAIL_USE_SSL')))
	MAIL_USE_TLS = bool(strtobool(os.environ.get('MAIL_USE_TLS')))
	MAIL_USERNAME = os.environ.get('MAIL_USERNAME')
	MAIL_PASSWORD = os.environ.get('MAIL_PASSWORD')
	MAIL_SUBJECT_PREFIX = '[Michigan Hackers]'
	MAIL_SENDER = 'Michigan Hackers <hackers@example.com>'
