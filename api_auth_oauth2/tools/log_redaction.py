"""Keep the code and state of the provider's redirection out of the access log.

The provider sends the user's browser to ``/<endpoint>/oauth2/provider/callback?code=...
&state=...``; the HTTP server writes that request line to its log before the API reads
it. This filter masks both values in the lines of that path.
"""

import logging
import re

CALLBACK_MARKER = "/oauth2/provider/callback"
_PARAMETER_RE = re.compile(r"([?&;](?:code|state)=)[^&;#\s\"]*", re.IGNORECASE)


def redact_callback(text: str) -> str:
    """Return ``text`` with the code and state of a provider callback masked."""
    if CALLBACK_MARKER not in text:
        return text
    return _PARAMETER_RE.sub(r"\1***", text)


class CallbackRedactionFilter(logging.Filter):
    """Mask the code and state of provider callbacks in the HTTP server's log."""

    def filter(self, record):
        if isinstance(record.msg, str):
            record.msg = redact_callback(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact_callback(arg) if isinstance(arg, str) else arg
                                for arg in record.args)
        return True


def install_callback_redaction(logger_name="werkzeug"):
    """Add the filter to ``logger_name`` once."""
    logger = logging.getLogger(logger_name)
    if not any(isinstance(item, CallbackRedactionFilter) for item in logger.filters):
        logger.addFilter(CallbackRedactionFilter())
