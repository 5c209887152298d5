from . import test_reading
from . import test_writing
from . import test_actions
from . import test_types
from . import test_performance
from . import test_client
from . import test_security
