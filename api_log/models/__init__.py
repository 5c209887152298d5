from . import api_log
from . import api_api
