"""GraphQL-shaped errors: ``message``, ``locations``, ``path`` and ``extensions.code``.

Errors raised by resolvers keep the message Odoo writes for users and the code of the
suite's one exception mapping (:func:`to_api_error`); server errors hide their message
and are logged. :class:`GraphQLResultError` carries a whole, already formatted response
out of a failed mutation so that the transaction is rolled back while the client still
gets a GraphQL answer.

The ORM raises ``ValueError``, ``TypeError``, ``KeyError`` or ``AssertionError`` for
arguments it cannot use, and PostgreSQL refuses values of the wrong type or that break a
constraint: around the ORM calls that take the client's domains, orders and values,
:func:`orm_reading` and :func:`orm_writing` answer those as the client's mistakes (400,
or 422 for a constraint, as Odoo's RPC does) rather than as server errors.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import psycopg2
from graphql import GraphQLError

from odoo.service.model import _as_validation_error

from odoo.addons.api_framework_base.tools import ApiError
from odoo.addons.api_framework_base.tools.errors import format_traceback, to_api_error

if TYPE_CHECKING:
    from odoo.api import Environment

__all__ = ["GraphQLResultError", "ResolverError", "guard", "format_error", "is_fatal",
           "is_consequence", "orm_reading", "orm_writing"]

# What the ORM raises for arguments or values it cannot use
ORM_INPUT_ERRORS = (ValueError, TypeError, KeyError, AssertionError)
# What PostgreSQL raises for a domain value of the wrong type ("integer = text[]")
SQL_TYPE_ERRORS = (psycopg2.errors.UndefinedFunction, psycopg2.errors.DatatypeMismatch)

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
    original = _cause(error)
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
    """Whether ``error`` leaves the transaction unusable, so that it must roll back: an
    SQL error, or an error raised from one."""
    cause = _cause(error)
    while cause is not None:
        if isinstance(cause, psycopg2.Error):
            return True
        cause = cause.__cause__
    return False


def is_consequence(error: GraphQLError) -> bool:
    """Whether ``error`` only follows an earlier SQL error that aborted the transaction."""
    return isinstance(_cause(error), psycopg2.errors.InFailedSqlTransaction)


def _cause(error: GraphQLError) -> BaseException | None:
    original = error.original_error
    if isinstance(original, ResolverError):
        original = original.api_error
    return original


def _first_line(exc: BaseException) -> str:
    return str(exc).split("\n", 1)[0]  # never the SQL text psycopg2 adds


@contextlib.contextmanager
def orm_reading(what: str) -> Iterator[None]:
    """Answer 400 for a search whose domain or order the ORM or PostgreSQL refuses."""
    try:
        yield
    except (*SQL_TYPE_ERRORS, *ORM_INPUT_ERRORS) as exc:
        raise ApiError(400, f"Invalid arguments for {what}: {_first_line(exc)}",
                       code="invalid_arguments") from exc


@contextlib.contextmanager
def orm_writing(env: Environment, what: str, code: str = "invalid_values") -> Iterator[None]:
    """Run a create, write, unlink or method call in a flushed savepoint, so that the
    database checks its values within it: a constraint they break (a missing required
    value, an unknown record, a record another requires) answers Odoo's own
    ValidationError, as its RPC does, and values the ORM cannot use answer 400."""
    try:
        with env.cr.savepoint():
            yield
    except psycopg2.IntegrityError as exc:
        raise _as_validation_error(env, exc) from exc
    except ORM_INPUT_ERRORS as exc:
        raise ApiError(400, f"Invalid values for {what}: {_first_line(exc)}",
                       code=code) from exc
