from . import api_api
from . import api_method_call
from . import api_access
from . import api_auth_failure
from . import ir_http
from . import api_whoami
