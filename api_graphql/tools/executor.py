"""Run one GraphQL request: parse, rewrite, validate (with the API's limits), coerce the
variables, then execute; answer a GraphQL response and its HTTP status.

Request errors (syntax, validation, variables) answer 400 when the client accepts
``application/graphql-response+json`` and 200 with ``application/json``, as the
GraphQL-over-HTTP specification says. Execution errors answer 200 with partial data,
except in a mutation: there any error raises :class:`GraphQLResultError`, so that the
whole request is rolled back and answered ``{"data": null, "errors": [...]}``.
"""

from __future__ import annotations

import dataclasses
import re
import threading
import weakref
from collections import OrderedDict
from typing import Any

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    NoSchemaIntrospectionCustomRule,
    OperationType,
    execute,
    get_operation_ast,
    parse,
    specified_rules,
    validate,
)
from graphql.execution.values import get_variable_values

from odoo.addons.api_framework_base.tools import ApiError
from odoo.addons.api_framework_base.tools.api_request import check_nesting

from .document import rewrite_scalar_twins
from .errors import GraphQLResultError, format_error, is_consequence, is_fatal
from .limits import check_limits

__all__ = ["GraphQLParams", "ExecutionOptions", "run_graphql"]

MAX_ERRORS = 50
SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")
MAX_QUERY_LENGTH = 100_000
DOCUMENT_CACHE_SIZE = 256
# Validated documents per schema: a schema dropped from the registry cache (after any change
# of models, fields or access) is freed with its documents, not kept alive by them.
_DOCUMENT_CACHES: weakref.WeakKeyDictionary[
    GraphQLSchema, OrderedDict[tuple, tuple[DocumentNode, list[GraphQLError]]]
] = weakref.WeakKeyDictionary()
_CACHE_LOCK = threading.Lock()


@dataclasses.dataclass
class GraphQLParams:
    """The parameters of a GraphQL-over-HTTP request."""

    query: str
    variables: dict[str, Any] | None = None
    operation_name: str | None = None

    @classmethod
    def from_mapping(cls, data: Any) -> GraphQLParams:
        """Return the parameters of a request body or query string, or raise 400."""
        if not isinstance(data, dict):
            raise ApiError(400, 'The body is a JSON object {"query": ..., "variables": ...}.',
                           code="invalid_body")
        query = data.get("query")
        variables = data.get("variables")
        operation_name = data.get("operationName")
        if not isinstance(query, str) or not query.strip():
            raise ApiError(400, "The request has no query.", code="missing_query")
        if len(query) > MAX_QUERY_LENGTH:
            raise ApiError(413, "The query is too long.", code="query_too_long")
        if variables is not None and not isinstance(variables, dict):
            raise ApiError(400, "variables is a JSON object.", code="invalid_variables")
        check_nesting(variables, "variables")
        if operation_name is not None and not isinstance(operation_name, str):
            raise ApiError(400, "operationName is a string.", code="invalid_operation_name")
        return cls(query, variables, operation_name or None)


@dataclasses.dataclass
class ExecutionOptions:
    """The API's settings that shape the execution of a request."""

    max_depth: int = 0
    max_complexity: int = 0
    introspection: bool = True
    debug: bool = False
    api_name: str = ""
    http_method: str = "POST"
    request_error_status: int = 200


def run_graphql(schema: GraphQLSchema, params: GraphQLParams, context: Any,
                options: ExecutionOptions) -> tuple[dict[str, Any], int]:
    """Return the GraphQL response of ``params`` and its HTTP status."""
    try:
        document, errors = _prepare_document(schema, params.query, options)
    except GraphQLError as error:
        return _request_errors([error], "graphql_parse_failed", options)
    except RecursionError:
        error = GraphQLError("The query nests selections or values too deeply.")
        return _request_errors([error], "graphql_parse_failed", options)
    if errors:
        return _request_errors(errors, "graphql_validation_failed", options)

    operation = get_operation_ast(document, params.operation_name)
    if operation is None:
        message = (f"Unknown operation named {params.operation_name!r}."
                   if params.operation_name else
                   "Several operations are given: choose one with operationName.")
        return _request_errors([GraphQLError(message)], "operation_not_found", options)
    if options.http_method in ("GET", "HEAD") and operation.operation != OperationType.QUERY:
        raise ApiError(405, "Only queries can be sent with GET; send mutations with POST.",
                       code="mutation_with_get", headers={"Allow": "POST"})

    coerced = get_variable_values(schema, operation.variable_definitions or (),
                                  params.variables or {}, max_errors=MAX_ERRORS)
    if isinstance(coerced, list):
        return _request_errors(coerced, "bad_user_input", options)

    result = execute(schema, document, context_value=context,
                     variable_values=params.variables, operation_name=params.operation_name)
    payload: dict[str, Any] = {"data": result.data}
    if result.errors:
        errors = result.errors
        fatal = any(map(is_fatal, errors))
        if fatal:
            # the fields that ran after an SQL error only failed because of it
            errors = [error for error in errors if not is_consequence(error)] or errors
        formatted = [format_error(error, options.debug, options.api_name) for error in errors]
        if operation.operation == OperationType.MUTATION or fatal:
            raise GraphQLResultError({"data": None, "errors": formatted})
        payload["errors"] = formatted
    return payload, 200


def _prepare_document(schema: GraphQLSchema, query: str, options: ExecutionOptions
                      ) -> tuple[DocumentNode, list[GraphQLError]]:
    """Return the parsed, rewritten document of ``query`` and its validation errors.

    Documents are immutable once validated, so the last ones are kept per schema and
    limits: clients send the same few queries over and over.
    """
    key = (query, options.max_depth, options.max_complexity, options.introspection)
    with _CACHE_LOCK:
        cache = _DOCUMENT_CACHES.get(schema)
        if cache is None:
            cache = _DOCUMENT_CACHES[schema] = OrderedDict()
        cached = cache.get(key)
        if cached is not None:
            cache.move_to_end(key)
            return cached
    document = parse(query)
    rewrite_scalar_twins(schema, document)
    # the limits first: graphql-core's rules cost more than the limits let a query cost
    errors = check_limits(schema, document, options.max_depth, options.max_complexity)
    if not options.introspection:
        errors += validate(schema, document, [NoSchemaIntrospectionCustomRule])
    if not errors:
        errors = validate(schema, document, specified_rules, max_errors=MAX_ERRORS)
    with _CACHE_LOCK:
        cache[key] = (document, errors)
        while len(cache) > DOCUMENT_CACHE_SIZE:
            cache.popitem(last=False)
    return document, errors


def _request_errors(errors: list[GraphQLError], code: str,
                    options: ExecutionOptions) -> tuple[dict[str, Any], int]:
    formatted = []
    for error in errors:
        message = error.message
        if not options.introspection:
            # the suggestions would reveal the schema that introspection hides
            message = SUGGESTION.sub("", message)
        item: dict[str, Any] = {"message": message}
        if error.locations:
            item["locations"] = [{"line": location.line, "column": location.column}
                                 for location in error.locations]
        item["extensions"] = {"code": (error.extensions or {}).get("code") or code}
        formatted.append(item)
    return {"errors": formatted}, options.request_error_status
