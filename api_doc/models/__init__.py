from . import api_api
from . import api_api_postman
from . import api_api_rest_json
from . import api_api_jsonapi
