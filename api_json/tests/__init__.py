from . import test_reading
