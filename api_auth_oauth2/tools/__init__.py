from .log_redaction import install_callback_redaction
from .scopes import operation_allowed, parse_scope

install_callback_redaction()
