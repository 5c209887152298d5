from . import api_api
from . import api_key
