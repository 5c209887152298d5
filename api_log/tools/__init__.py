from . import masking
from . import writer
