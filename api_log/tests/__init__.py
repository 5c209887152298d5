from . import test_masking
from . import test_writer
from . import test_api_log
from . import test_api_log_protocols
