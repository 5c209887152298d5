from . import test_oauth2_flows
from . import test_oauth2_delegated
from . import test_oauth2_client_secret
from . import test_oauth2_credential_models
from . import test_oauth2_scope_paths
