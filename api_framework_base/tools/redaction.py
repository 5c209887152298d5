"""Keep credentials sent in a URL out of the server log.

APIs refuse credentials in the query string, but the HTTP server has already written the
request line to its access log by then; this filter masks their values in that line.
"""

import logging
import re

# Query parameters that carry credentials; APIs refuse them and the log masks them.
CREDENTIAL_PARAMETERS = frozenset({
    "api_key", "apikey", "x-api-key", "key", "password", "passwd", "access_token", "token",
    "refresh_token", "client_secret", "authorization", "username", "login",
})

_CREDENTIAL_RE = re.compile(
    r"([?&;](?:%s)=)[^&;#\s\"\x1b]*" % "|".join(
        re.escape(name) for name in sorted(CREDENTIAL_PARAMETERS, key=len, reverse=True)),
    re.IGNORECASE,
)


def redact_credentials(text):
    """Return ``text`` with the values of credential query parameters masked."""
    return _CREDENTIAL_RE.sub(r"\1***", text)


class CredentialRedactionFilter(logging.Filter):
    """Mask credential query parameters in the access log lines of the HTTP server."""

    def filter(self, record):
        if isinstance(record.msg, str):
            record.msg = redact_credentials(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact_credentials(arg) if isinstance(arg, str) else arg
                                for arg in record.args)
        return True


def install_redaction_filter(logger_name="werkzeug"):
    """Add the filter to ``logger_name`` once."""
    logger = logging.getLogger(logger_name)
    if not any(isinstance(item, CredentialRedactionFilter) for item in logger.filters):
        logger.addFilter(CredentialRedactionFilter())
