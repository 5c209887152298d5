from . import credentials
from . import log_redaction

log_redaction.install()
