from . import api_api
