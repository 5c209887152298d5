from . import assets
from . import openapi
