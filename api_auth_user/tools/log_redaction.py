"""Keep credentials sent in a URL's query string out of the HTTP access log.

The framework refuses credentials in the query string, but the HTTP server has already
written the request line, query string included, to the ``werkzeug`` logger by then. This
filter masks the values of credential-like query parameters in those records.
"""

import logging
import re

CREDENTIAL_PARAMETERS = (
    "password", "passwd", "api_key", "apikey", "x-api-key", "key", "access_token", "token",
    "refresh_token", "client_secret", "authorization", "username", "login",
)
_PATTERN = re.compile(
    r"([?&;](?:%s)=)[^&;#\s\"\x1b]*"
    % "|".join(re.escape(name) for name in CREDENTIAL_PARAMETERS),
    re.IGNORECASE,
)


def redact(text):
    """Return ``text`` with the values of credential query parameters masked."""
    return _PATTERN.sub(r"\1***", text)


class QueryCredentialFilter(logging.Filter):
    """Mask credential query parameters in the records of the HTTP server's logger."""

    marker = "api_framework_query_credential_filter"

    def filter(self, record):
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(arg) if isinstance(arg, str) else arg
                                for arg in record.args)
        return True


def install(logger_name="werkzeug"):
    """Add the filter to ``logger_name`` once per process, whichever addon asks first."""
    logger = logging.getLogger(logger_name)
    if not any(getattr(existing, "marker", None) == QueryCredentialFilter.marker
               for existing in logger.filters):
        logger.addFilter(QueryCredentialFilter())
