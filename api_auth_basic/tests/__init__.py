from . import test_auth_basic
