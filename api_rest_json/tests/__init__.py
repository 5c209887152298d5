from . import test_rest_json_cases
from . import test_access_modes
from . import test_context_errors
from . import test_auth_lifecycle
from . import test_found_by_review
from . import test_review_escapes
