from . import test_reading
from . import test_writing
