from . import api_key_generate
