import configparser
import os


def get_config():
    config = configparser.ConfigParser()
    config.read(os.path.join(os.path.dirname(__file__), 'app.ini'))
    return config
