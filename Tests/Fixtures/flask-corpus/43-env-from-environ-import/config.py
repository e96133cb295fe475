import os
MONGO_DBNAME='hackRamapo'

TWILIO_SID=os.environ.get('TWILIO_SID')

MAIL_SERVER='smtp.googlemail.com'
MAIL_PORT=465
MAIL_USE_SSL=True
MAIL_USE_TSL=False
FLASK_ADMIN=os.environ.get('MAIL_USERNAME')
MAIL_USERNAME=os.environ.get('MAIL_USERNAME')
MAIL_PASSWORD=os.environ.get('MAIL_PASSWORD')
