from .scopes import operation_allowed, parse_scope
