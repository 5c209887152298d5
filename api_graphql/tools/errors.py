"""GraphQL-shaped errors: ``message``, ``locations``, ``path`` and ``extensions.code``.

Errors raised by resolvers keep the message Odoo writes for users and the code of the
suite's one exception mapping (:func:`to_api_error`); server errors hide their message
and are logged. :class:`GraphQLResultError` carries a whole, already formatted response
out of a failed mutation so that the transaction is rolled back while the client still
gets a GraphQL answer.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

import psycopg2
from graphql import GraphQLError

from odoo.addons.api_framework_base.tools import ApiError
from odoo.addons.api_framework_base.tools.errors import format_traceback, to_api_error

__all__ = ["GraphQLResultError", "ResolverError", "guard", "format_error", "is_fatal"]

_logger = logging.getLogger(__name__)


class GraphQLResultError(ApiError):
    """Abort the request (rolling the transaction back) with a GraphQL response."""

    def __init__(self, payload: dict[str, Any], status: int = 200):
        super().__init__(status, "The operation failed; nothing was written.",
                         code="graphql_operation_failed")
        self.payload = payload


class ResolverError(Exception):
    """Carry an :class:`ApiError` raised by a resolver through graphql-core, which reads
    ``source`` and ``positions`` attributes of the errors it locates."""

    def __init__(self, api_error: ApiError):
        super().__init__(api_error.detail)
        self.api_error = api_error


def guard(resolver: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap ``resolver`` so that the :class:`ApiError` it raises reach the response."""

    @functools.wraps(resolver)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            return resolver(*args, **kwargs)
        except ApiError as error:
            raise ResolverError(error) from error

    return guarded


def format_error(error: GraphQLError, debug: bool = False, api_name: str = "") -> dict:
    """Return ``error`` as the GraphQL spec lays out an error."""
    formatted: dict[str, Any] = {"message": error.message}
    if error.locations:
        formatted["locations"] = [{"line": loc.line, "column": loc.column}
                                  for loc in error.locations]
    if error.path is not None:
        formatted["path"] = list(error.path)
    extensions = dict(error.extensions or {})
    original = error.original_error
    if isinstance(original, ResolverError):
        original = original.api_error
    if original is not None and not isinstance(original, GraphQLError):
        api_error = to_api_error(original)
        formatted["message"] = api_error.detail
        extensions.setdefault("code", api_error.error_code)
        extensions["status"] = api_error.status
        if api_error.source:
            extensions["source"] = api_error.source
        if api_error.status >= 500:
            _logger.error("API %s: GraphQL field %s failed", api_name, error.path,
                          exc_info=original)
        if debug:
            extensions["traceback"] = format_traceback(original)
    extensions.setdefault("code", "bad_request" if original else "graphql_error")
    formatted["extensions"] = extensions
    return formatted


def is_fatal(error: GraphQLError) -> bool:
    """Whether ``error`` leaves the transaction unusable, so that it must roll back."""
    return isinstance(error.original_error, psycopg2.Error)
