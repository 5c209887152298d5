"""Resolvers of the query side: searches, pages, counts, fields, relations and export.

Records travel through the execution as Odoo records that share their recordset's
prefetch set, so reading a field of one record reads it for the whole level at once:
a query asks each relation level with a bounded number of SQL queries. Relations with
arguments (or an access domain) are filtered in one search per level and argument set,
memoized in :attr:`GraphQLRequestContext.batches`.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from odoo.addons.api_framework_base.tools import ApiError

from .errors import orm_reading

if TYPE_CHECKING:
    from graphql import GraphQLResolveInfo

    from odoo.models import BaseModel

    from .context import GraphQLRequestContext

_logger = logging.getLogger(__name__)

# Beyond this many parent records, a relation level is loaded in several batches.
BATCH_MAX = 1000


def _ctx(info: GraphQLResolveInfo) -> GraphQLRequestContext:
    return info.context


# ----------------------------------------------------------------------
# Root fields
# ----------------------------------------------------------------------

def search_records(info: GraphQLResolveInfo, model_name: str, id: Any = None,
                   ids: Any = None, domain: Any = None, offset: Any = None,
                   limit: Any = None, order: Any = None, context: Any = None) -> BaseModel:
    """Return the records a root query field answers."""
    ctx = _ctx(info)
    model = ctx.with_context(ctx.model(model_name, "read"), context)
    search_domain = ctx.search_domain(model, domain, ctx.parse_ids(id, ids))
    limit, offset = ctx.parse_paging(limit, offset)
    return ctx.search(model, search_domain, offset=offset, limit=limit,
                      order=ctx.parse_order(model, order))


def resolve_search(_root: Any, info: GraphQLResolveInfo, model_name: str,
                   **kwargs: Any) -> BaseModel:
    return search_records(info, model_name, **kwargs)


def resolve_search_ids(_root: Any, info: GraphQLResolveInfo, model_name: str,
                       **kwargs: Any) -> list[int]:
    return search_records(info, model_name, **kwargs).ids


def resolve_page(_root: Any, info: GraphQLResolveInfo, model_name: str, domain: Any = None,
                 offset: Any = None, limit: Any = None, order: Any = None,
                 context: Any = None) -> dict[str, Any]:
    """Answer a page of records with the total count of the search."""
    ctx = _ctx(info)
    model = ctx.with_context(ctx.model(model_name, "read"), context)
    search_domain = ctx.search_domain(model, domain, None)
    limit, offset = ctx.parse_paging(limit, offset)
    records = ctx.search(model, search_domain, offset=offset, limit=limit,
                         order=ctx.parse_order(model, order))
    if len(records) < limit and (records or not offset):
        total = offset + len(records)
    else:
        total = ctx.search_count(model, search_domain)
    return {"total": total, "offset": offset, "limit": limit,
            "hasNextPage": offset + len(records) < total, "records": records}


def resolve_count(_root: Any, info: GraphQLResolveInfo, model_name: str, domain: Any = None,
                  context: Any = None) -> int:
    ctx = _ctx(info)
    model = ctx.with_context(ctx.model(model_name, "read"), context)
    return ctx.search_count(model, ctx.search_domain(model, domain, None))


def resolve_export(_root: Any, info: GraphQLResolveInfo, values: Any) -> str:
    """Answer Odoo's XLSX export of the records, in base64."""
    from odoo.addons.web.controllers.export import ExcelExport

    ctx = _ctx(info)
    if not isinstance(values, dict) or not isinstance(values.get("model"), str) \
            or not isinstance(values.get("fields"), list) or not values["fields"]:
        raise ApiError(400, "ExportData expects {model, fields: [{name, label}], ids or "
                            "domain, import_compat, context}.", code="invalid_export")
    model = ctx.with_context(ctx.model(values["model"], "read"), values.get("context"))
    import_compat = bool(values.get("import_compat"))
    model = model.with_context(import_compat=import_compat)
    fields = values["fields"]
    if not all(isinstance(field, dict) and isinstance(field.get("name"), str)
               for field in fields):
        raise ApiError(400, "Each exported field is an object {name, label}.",
                       code="invalid_export")
    names = [field["name"] for field in fields]
    for name in names:
        # every field on the way, as the framework checks Odoo's export_data
        ctx.api_request.check_export_path(model, name)
    ids = ctx.parse_ids(None, values.get("ids") or None)
    records = ctx.search(model, ctx.search_domain(model, values.get("domain"), ids))
    if ids:
        records = model.browse([id_ for id_ in ids if id_ in set(records.ids)])
    headers = names if import_compat else [
        str(field.get("label") or field["name"]).strip() for field in fields]
    with orm_reading("ExportData"):
        rows = records.export_data(names).get("datas", [])
    content = ExcelExport().from_data(fields, headers, rows)
    _logger.info("API %s: %s exported %s %s records", ctx.api_request.api_name,
                 ctx.api_request.identity, len(records), model._name)
    return base64.b64encode(content).decode()


# ----------------------------------------------------------------------
# Fields of records
# ----------------------------------------------------------------------

def resolve_id(record: BaseModel, _info: GraphQLResolveInfo) -> int:
    return record.id


def scalar_resolver(field_name: str, field_type: str) -> Callable[..., Any]:
    """Return the resolver of a non-relational field: Odoo's False becomes null."""
    if field_type == "boolean":
        def resolve(record: BaseModel, info: GraphQLResolveInfo) -> Any:
            _ctx(info).check_field(record, field_name)
            return bool(record[field_name])
    elif field_type in ("integer", "float", "monetary"):
        def resolve(record: BaseModel, info: GraphQLResolveInfo) -> Any:
            _ctx(info).check_field(record, field_name)
            return record[field_name]
    elif field_type in ("binary", "image"):
        def resolve(record: BaseModel, info: GraphQLResolveInfo) -> Any:
            _ctx(info).check_field(record, field_name)
            value = record[field_name]
            return value.decode() if isinstance(value, bytes) else (value or None)
    elif field_type in ("json", "properties", "properties_definition"):
        def resolve(record: BaseModel, info: GraphQLResolveInfo) -> Any:
            _ctx(info).check_field(record, field_name)
            return record[field_name]
    else:
        def resolve(record: BaseModel, info: GraphQLResolveInfo) -> Any:
            _ctx(info).check_field(record, field_name)
            value = record[field_name]
            return None if value is False else value
    return resolve


def resolve_many2one(record: BaseModel, info: GraphQLResolveInfo,
                     field_name: str) -> BaseModel | None:
    value = _related(record, info, field_name, {})
    return value or None


def resolve_many2one_id(record: BaseModel, info: GraphQLResolveInfo,
                        field_name: str) -> int | None:
    value = _related(record, info, field_name, {})
    return value.id or None


def resolve_x2many(record: BaseModel, info: GraphQLResolveInfo, field_name: str,
                   **args: Any) -> BaseModel:
    return _related(record, info, field_name, args)


def resolve_x2many_ids(record: BaseModel, info: GraphQLResolveInfo, field_name: str,
                       **args: Any) -> list[int]:
    return _related(record, info, field_name, args).ids


def _related(record: BaseModel, info: GraphQLResolveInfo, field_name: str,
             args: dict[str, Any]) -> BaseModel:
    """Return the records ``record.field_name`` holds that the caller may see."""
    ctx = _ctx(info)
    ctx.check_field(record, field_name)
    field = record._fields[field_name]
    comodel = ctx.model(field.comodel_name, "read")
    args = {key: value for key, value in args.items() if value is not None}
    if not args and not ctx.access_domain(comodel):
        return record[field_name]
    path = tuple(key for key in info.path.as_list() if isinstance(key, str))
    key = (path, record._name, field_name, json.dumps(args, sort_keys=True, default=str))
    batch, prefetch = ctx.batches.setdefault(key, ({}, []))
    if record.id not in batch:
        _load_batch(ctx, record, field_name, comodel, args, batch, prefetch)
    return comodel.browse(batch[record.id]).with_prefetch(prefetch)


def _load_batch(ctx: GraphQLRequestContext, record: BaseModel, field_name: str,
                comodel: BaseModel, args: dict[str, Any], batch: dict[int, list[int]],
                prefetch: list[int]) -> None:
    """Filter, order and slice the relation of every record of ``record``'s level with one
    search; store the ids per parent record in ``batch`` and all of them in ``prefetch``,
    the prefetch set of the next level."""
    limit, offset = ctx.parse_paging(args.get("limit"), args.get("offset"), default=False)
    order = ctx.parse_order(comodel, args.get("order"))
    siblings = [id_ for id_ in record._prefetch_ids if id_ not in batch][:BATCH_MAX]
    parents = record.browse(siblings) | record
    values = {parent.id: parent[field_name].ids for parent in parents}
    all_ids = {id_ for ids in values.values() for id_ in ids}
    comodel = comodel.with_context(active_test=False)
    domain = ctx.search_domain(comodel, args.get("domain"), sorted(all_ids))
    found = ctx.search(comodel, domain, order=order)
    rank = {id_: index for index, id_ in enumerate(found.ids)}
    for parent_id, ids in values.items():
        ordered = sorted((id_ for id_ in ids if id_ in rank), key=rank.__getitem__)
        batch[parent_id] = ordered[offset:offset + limit if limit is not None else None]
        prefetch.extend(batch[parent_id])
