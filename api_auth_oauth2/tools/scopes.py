"""The scopes an OAuth2 token of this suite may carry, and the operations they allow.

- ``read``: read every model the API serves;
- ``write``: read, create, write, unlink and call methods on every model the API serves;
- ``<model>:read`` and ``<model>:write``, e.g. ``res.partner:read``: the same, on one model.

A scope only narrows what the API's access mode and the user's own rights allow.
"""

import re

GLOBAL_SCOPES = ("read", "write")
SCOPE_PATTERN = re.compile(r"^(read|write|[a-z0-9_.]+:(read|write))$")


def parse_scope(scope: str | None) -> list[str]:
    """Return the scope tokens of a space-separated scope string, in order, once each."""
    seen = []
    for token in (scope or "").split():
        if token not in seen:
            seen.append(token)
    return seen


def is_valid_scope_token(token: str) -> bool:
    """Tell whether ``token`` is part of the scope vocabulary."""
    return bool(SCOPE_PATTERN.match(token))


def operation_allowed(scopes, model_name: str, operation: str) -> bool:
    """Tell whether a token with ``scopes`` may run ``operation`` (read, create, write,
    unlink or call) on ``model_name``."""
    needed = "read" if operation == "read" else "write"
    granted = set(scopes)
    if "write" in granted or f"{model_name}:write" in granted:
        return True
    return needed == "read" and ("read" in granted or f"{model_name}:read" in granted)
