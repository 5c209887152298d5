"""Resolvers of the mutation side: create, update, delete and method calls.

Both forms share these helpers: the explicit ``createResPartner(values: ...)`` family and
the compact ``ResPartner(ResPartnerValues: ..., id: ..., method_name: ...)``. Writes go
through the framework's values check (``api_request.check_values``), as method calls do:
operation, fields, nested commands and ``default_*`` context keys before the ORM runs,
the access domains of the records written after; any failure makes the protocol roll the
whole request back.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from odoo.models import BaseModel

from odoo.addons.api_framework_base.models.api_api import method_operation
from odoo.addons.api_framework_base.tools import ApiError

from .errors import orm_writing
from .scalars import to_json_value
from .values import prepare_values

if TYPE_CHECKING:
    from graphql import GraphQLResolveInfo

    from .context import GraphQLRequestContext

_logger = logging.getLogger(__name__)

# Methods whose ``domain`` argument gets the API's access domain.
DOMAIN_METHODS = {"search", "search_read", "search_count", "read_group", "web_search_read",
                  "web_read_group", "search_fetch", "name_search"}


def create_records(ctx: GraphQLRequestContext, model_name: str, values: Any,
                   context: Any = None) -> BaseModel:
    model = ctx.with_context(ctx.model(model_name, "create"), context)
    values = prepare_values(ctx, model, values, "create")
    # nested commands, default_* context keys, then the records once written
    check = ctx.api_request.check_values(model, values, "create")
    with orm_writing(model.env, f"{model_name} records"):
        records = model.create(values)
        check.verify(records)
    return records


def update_records(ctx: GraphQLRequestContext, model_name: str, ids: list[int], values: Any,
                   context: Any = None) -> BaseModel:
    model = ctx.with_context(ctx.model(model_name, "write"), context)
    ctx.api_request.check_context_defaults(model)
    records = ctx.api_request.check_records(model.browse(ids), "write")
    values = prepare_values(ctx, model, values, "write")
    check = ctx.api_request.check_values(model, values, "write", records)
    with orm_writing(model.env, f"{model_name} records"):
        records.write(values)
        check.verify(records)
    return records


def delete_records(ctx: GraphQLRequestContext, model_name: str, ids: list[int],
                   context: Any = None) -> bool:
    model = ctx.with_context(ctx.model(model_name, "unlink"), context)
    ctx.api_request.check_context_defaults(model)
    records = ctx.api_request.check_records(model.browse(ids), "unlink")
    with orm_writing(model.env, f"{model_name} records"):
        records.unlink()
    return True


def call_method(ctx: GraphQLRequestContext, model_name: str, ids: list[int] | None,
                method_name: str, args: Any, kwargs: Any, context: Any = None) -> Any:
    """Call a public method as Odoo's RPC would, within the API's access mode.

    The GraphQL shapes of domains and values are normalised first; the call itself and its
    checks are the foundation's, shared with the other protocols.
    """
    if not isinstance(method_name, str) or not method_name:
        raise ApiError(400, "Name the method to call.", code="invalid_method")
    ctx.api_request.check_method_name(method_name)
    model = ctx.with_context(ctx.model(model_name, method_operation(method_name)), context)
    method = ctx.api_request.check_method(model, method_name)
    is_model_method = getattr(method, "_api", None) in ("model", "model_create")
    if not is_model_method and ids is None:
        raise ApiError(400, f"{method_name} is called on records: give their id or ids.",
                       code="missing_ids")
    args = list(args or [])
    kwargs = dict(kwargs or {})
    _normalise_arguments(ctx, model, method_name, args, kwargs)
    records = None if is_model_method else model.browse(ids)
    _logger.debug("API %s: %s.%s by %s", ctx.api_request.api_name, model_name, method_name,
                  ctx.api_request.identity)
    with orm_writing(model.env, f"{model_name}.{method_name}", "invalid_arguments"):
        return ctx.api_request.call_method(model, method_name, args, kwargs, records)


def _normalise_arguments(ctx: GraphQLRequestContext, model: BaseModel, method_name: str,
                         args: list, kwargs: dict[str, Any]) -> None:
    """Turn GraphQL-coerced domains and values into what the ORM takes, in place."""
    if method_name in DOMAIN_METHODS:
        if "domain" in kwargs:
            kwargs["domain"] = ctx.parse_domain(model, kwargs["domain"])
        elif args and isinstance(args[0], list):
            args[0] = ctx.parse_domain(model, args[0])
    if method_name in ("create", "write"):
        key = "vals_list" if method_name == "create" else "vals"
        if key in kwargs:
            kwargs[key] = _prepare_values_list(ctx, model, kwargs[key], method_name)
        elif args:
            args[0] = _prepare_values_list(ctx, model, args[0], method_name)


def _prepare_values_list(ctx: GraphQLRequestContext, model: BaseModel, values: Any,
                         operation: str) -> Any:
    if isinstance(values, list):
        return [prepare_values(ctx, model, vals, operation) for vals in values]
    return prepare_values(ctx, model, values, operation)


# ----------------------------------------------------------------------
# Resolvers
# ----------------------------------------------------------------------

def resolve_create(_root: Any, info: GraphQLResolveInfo, model_name: str, values: Any,
                   context: Any = None) -> BaseModel:
    return create_records(info.context, model_name, values, context)


def resolve_update(_root: Any, info: GraphQLResolveInfo, model_name: str, id: Any,
                   values: Any, context: Any = None) -> BaseModel:
    ctx = info.context
    return update_records(ctx, model_name, ctx.parse_ids(id), values, context)


def resolve_delete(_root: Any, info: GraphQLResolveInfo, model_name: str, id: Any,
                   context: Any = None) -> bool:
    ctx = info.context
    return delete_records(ctx, model_name, ctx.parse_ids(id), context)


def resolve_call(_root: Any, info: GraphQLResolveInfo, model_name: str, method: str,
                 id: Any = None, ids: Any = None, args: Any = None, kwargs: Any = None,
                 context: Any = None) -> Any:
    ctx = info.context
    if kwargs is not None and not isinstance(kwargs, dict):
        raise ApiError(400, "kwargs is an object.", code="invalid_arguments")
    result = call_method(ctx, model_name, ctx.parse_ids(id, ids), method, args, kwargs,
                         context)
    return to_json_value(result)


def resolve_compact(_root: Any, info: GraphQLResolveInfo, model_name: str, values_arg: str,
                    raw: bool, id: Any = None, ids: Any = None, method_name: Any = None,
                    method_parameters: Any = None, context: Any = None,
                    **kwargs: Any) -> Any:
    """Create with values; update with id and values; delete with id alone; call
    ``method_name`` with ``method_parameters`` (an object of keyword arguments or a list
    of positional ones). Answers the records, or with ``raw`` the plain result."""
    ctx = info.context
    record_ids = ctx.parse_ids(id, ids)
    if method_name is not None:
        args, kw = (method_parameters, None) if isinstance(method_parameters, list) \
            else (None, method_parameters)
        if kw is not None and not isinstance(kw, dict):
            raise ApiError(400, "method_parameters is an object or a list.",
                           code="invalid_arguments")
        result = call_method(ctx, model_name, record_ids, method_name, args, kw, context)
        if raw:
            return to_json_value(result)
        if isinstance(result, BaseModel) and result._name == model_name:
            return result
        if record_ids is None:
            raise ApiError(400, f"{method_name} does not answer {model_name} records: "
                                "select no sub-fields to get its result.",
                           code="not_records")
        return ctx.model(model_name).browse(record_ids).exists()
    if values_arg in kwargs:
        if record_ids is None:
            records = create_records(ctx, model_name, kwargs[values_arg], context)
        else:
            records = update_records(ctx, model_name, record_ids, kwargs[values_arg], context)
        return records.ids if raw else records
    if record_ids is not None:
        delete_records(ctx, model_name, record_ids, context)
        return True if raw else []
    raise ApiError(400, f"Give {values_arg}, an id or a method_name.",
                   code="invalid_arguments")
