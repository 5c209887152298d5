from . import test_api_config
from . import test_foundation
