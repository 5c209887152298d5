from . import test_api_config
