"""One mapping from exceptions to HTTP statuses, shared by every protocol.

Protocols never build an error status themselves: they raise :class:`ApiError` (or let
Odoo's own exceptions propagate) and render the :class:`ApiError` that
:func:`to_api_error` gives back, in their own error format.
"""

import logging
import traceback

import psycopg2
from werkzeug.exceptions import HTTPException

from odoo.exceptions import (
    AccessDenied,
    AccessError,
    MissingError,
    UserError,
    ValidationError,
)

_logger = logging.getLogger(__name__)

STATUS_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    409: "Conflict",
    413: "Payload Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    429: "Too Many Requests",
    500: "Internal Server Error",
    501: "Not Implemented",
}


class ApiError(HTTPException):
    """An error with an HTTP status, a stable code and a readable detail.

    :param status: the HTTP status code
    :param detail: a sentence for the caller, never holding a secret
    :param code: a stable machine-readable code, such as ``invalid_field``
    :param title: a short summary; defaults to the status phrase
    :param source: where the error lies, e.g. ``{"pointer": "/data/type"}`` or
        ``{"parameter": "sort"}``
    :param headers: extra response headers, e.g. ``WWW-Authenticate`` or ``Retry-After``
    """

    def __init__(self, status, detail=None, code=None, title=None, source=None, headers=None):
        self.code = status
        self.status = status
        self.title = title or STATUS_TITLES.get(status, "Error")
        self.detail = str(detail or self.title)  # lazy translations become text here
        self.error_code = code or self.title.lower().replace(" ", "_")
        self.source = source or {}
        self.extra_headers = dict(headers or {})
        self.debug_traceback = None
        super().__init__(description=self.detail)

    def __str__(self):
        return f"{self.status} {self.title}: {self.detail}"


def to_api_error(exc):
    """Return the :class:`ApiError` that describes ``exc`` to an API caller.

    Client errors keep Odoo's own message, which is written for users; server errors hide
    theirs behind a generic detail.
    """
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, HTTPException):
        headers = {}
        if exc.code == 401 and getattr(exc, "www_authenticate", None):
            headers["WWW-Authenticate"] = str(exc.www_authenticate)
        return ApiError(exc.code or 500, exc.description, code=None, headers=headers)
    if isinstance(exc, MissingError):
        return ApiError(404, _message(exc), code="record_not_found")
    if isinstance(exc, (AccessError, AccessDenied)):
        return ApiError(403, _message(exc) or "Access denied", code="access_denied")
    if isinstance(exc, ValidationError):
        return ApiError(422, _message(exc), code="validation_error")
    if isinstance(exc, UserError):
        return ApiError(422, _message(exc), code="user_error")
    if isinstance(exc, psycopg2.DataError) or (
            # raised by psycopg2 itself, before PostgreSQL: a value it cannot send
            type(exc) is psycopg2.ProgrammingError):
        return ApiError(400, "A value has the wrong type or is out of range.",
                        code="invalid_value")
    if isinstance(exc, psycopg2.errors.ProgramLimitExceeded):
        return ApiError(413, "A value is too large to be stored.", code="value_too_large")
    if isinstance(exc, RecursionError):
        return ApiError(400, "The request is nested too deeply.", code="too_deep")
    if isinstance(exc, psycopg2.errors.SerializationFailure):
        return ApiError(409, "The record was modified concurrently, retry the request.",
                        code="concurrent_update")
    return ApiError(500, "The server could not complete the request.", code="server_error")


def format_traceback(exc):
    """Return the formatted traceback of ``exc``, for APIs whose debug flag is on."""
    return "".join(traceback.format_exception(exc))


def _message(exc):
    # Odoo raises some errors with a lazy translation: make it text for the JSON body
    return str(exc.args[0]) if exc.args else str(exc)
