from . import api_oauth2_client
from . import api_oauth2_code
from . import api_oauth2_token
from . import api_oauth2_key
from . import api_oauth2_provider
from . import api_oauth2_delegation
from . import api_api
