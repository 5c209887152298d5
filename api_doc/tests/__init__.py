from . import test_api_doc
from . import test_browser
