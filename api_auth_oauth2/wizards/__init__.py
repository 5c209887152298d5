from . import oauth2_client_secret
