from . import test_auth_user
