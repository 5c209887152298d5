from . import test_api_doc
