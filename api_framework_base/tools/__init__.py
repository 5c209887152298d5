from . import errors
from . import serialization
from .errors import ApiError
from .api_request import ApiRequest
from .routes import api_route
from .redaction import install_redaction_filter

install_redaction_filter()
