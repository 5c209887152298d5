from . import errors
from . import serialization
from .errors import ApiError
from .api_request import ApiRequest
from .routes import api_route
