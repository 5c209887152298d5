from . import test_oauth2_flows
