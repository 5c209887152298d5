"""Serve one JSON:API request: routing, reading and writing resources.

Paths below the API's endpoint:

- ``/<type>``: GET a collection, POST a resource;
- ``/<type>/<id>``: GET, PATCH, DELETE a resource;
- ``/<type>/<id>/<field>``: GET the related resource(s), or a binary field's content
  (PUT uploads it);
- ``/<type>/<id>/relationships/<field>``: GET, PATCH, POST, DELETE the linkage;
- ``/<type>/execute`` and ``/<type>/<id>/execute``: POST a method call;
- ``/operations`` (Atomic Operations), ``/export``, ``/report``: POST.

``<type>`` is the model name or its type (dots replaced by hyphens).
"""

import hashlib
import logging
import math
from contextlib import contextmanager

from werkzeug.datastructures import MultiDict
from werkzeug.urls import url_encode

from odoo.fields import Command, Field
from odoo.http import Response
from odoo.models import READ_GROUP_ALL_TIME_GRANULARITY, BaseModel
from odoo.osv import expression

from odoo.addons.api_framework_base.tools import ApiError

from . import filter_values, filters
from .actions import ActionsMixin
from .atomic import AtomicMixin
from .filter_values import MAX_INT
from .naming import field_of, member_of, model_of, type_of
from .negotiation import (
    JSON_BODY_TYPES,
    check_accept,
    check_content_type,
    response_content_type,
)
from .params import Page, parse_page, parse_query
from .serializer import RELATIONAL_TYPES, TO_MANY_TYPES, Serializer, include_tree
from .writer import ResourceWriter, bad, nul_pointer

_logger = logging.getLogger(__name__)

JSONAPI_VERSION = {"version": "1.1"}
NUMERIC_TYPES = ("integer", "float", "monetary")
FILTER_SOURCE = {"parameter": "filter"}
# read_group's functions that hold for any number (not bool_and, array_agg, recordset)
AGGREGATE_FUNCTIONS = ("sum", "avg", "min", "max", "count", "count_distinct")
UNGROUPABLE_TYPES = ("binary", "properties", "properties_definition")


def bad_parameter(detail: str, parameter: str, code: str = "invalid_parameter") -> ApiError:
    """Return the 400 error of a query ``parameter``."""
    return ApiError(400, detail, code=code, source={"parameter": parameter})


class JsonApiHandler(ActionsMixin, AtomicMixin):
    """One JSON:API request of a published API.

    :param api: the ``api.api`` record (superuser, configuration only)
    :param api_request: the call, see :class:`~odoo.addons.api_framework_base.tools.ApiRequest`
    """

    def __init__(self, api, api_request):
        self.api = api
        self.api_request = api_request
        self.env = api_request.env
        self.httprequest = api_request.httprequest
        self.method = api_request.method
        self.base_url = api_request.base_url
        self.params = parse_query(self.httprequest.args)
        self.extensions: set[str] = set()
        self.lids: dict = {}

    # ------------------------------------------------------------------
    # Routing
    # ------------------------------------------------------------------

    def serve(self) -> Response:
        """Answer the request."""
        check_accept(self.httprequest.headers.get("Accept"))
        parts = [part for part in self.api_request.subpath.split("/") if part]
        response = self._route(parts)
        if self.method in ("GET", "HEAD") and response.status_code == 200:
            response = self._with_etag(response)
        response.headers["Vary"] = "Accept"
        return response

    def _route(self, parts: list[str]) -> Response:
        if not parts:
            self._allow("GET", "HEAD")
            return self.respond({"meta": {"api": self.api._api_meta()},
                                 "links": {"self": self.base_url}})
        if len(parts) == 1 and parts[0] in ("operations", "export", "report"):
            self._allow("POST")
            return getattr(self, f"post_{parts[0]}")()
        model_name = model_of(parts[0], self.env)
        rest = parts[1:]
        if not rest:
            handlers = {"GET": self.get_collection, "HEAD": self.get_collection,
                        "POST": self.post_resource}
            return self._dispatch(handlers, model_name)
        if rest == ["execute"]:
            self._allow("POST")
            return self.post_execute(model_name, None)
        record_id = self._record_id(rest[0])
        if len(rest) == 1:
            handlers = {"GET": self.get_resource, "HEAD": self.get_resource,
                        "PATCH": self.patch_resource, "DELETE": self.delete_resource}
            return self._dispatch(handlers, model_name, record_id)
        if len(rest) == 2 and rest[1] == "execute":
            self._allow("POST")
            return self.post_execute(model_name, record_id)
        if len(rest) == 2:
            handlers = {"GET": self.get_related, "HEAD": self.get_related,
                        "PUT": self.put_file, "POST": self.put_file}
            return self._dispatch(handlers, model_name, record_id, rest[1])
        if len(rest) == 3 and rest[1] == "relationships":
            handlers = {"GET": self.get_relationship, "HEAD": self.get_relationship,
                        "PATCH": self.change_relationship, "POST": self.change_relationship,
                        "DELETE": self.change_relationship}
            return self._dispatch(handlers, model_name, record_id, rest[2])
        raise ApiError(404, "No JSON:API resource lies at this path.", code="unknown_path")

    def _dispatch(self, handlers: dict, *args) -> Response:
        self._allow(*handlers)
        return handlers[self.method](*args)

    def _allow(self, *methods: str) -> None:
        if self.method not in methods:
            raise ApiError(405, f"{self.method} is not allowed here.", code="method_not_allowed",
                           headers={"Allow": ", ".join(methods)})

    @staticmethod
    def _record_id(raw: str) -> int:
        # ASCII digits only: str.isdigit() also accepts '²', which int() refuses
        if not (raw.isascii() and raw.isdigit()) or not 0 < int(raw) <= MAX_INT:
            raise ApiError(404, f"{raw!r} is not a resource id.", code="record_not_found")
        return int(raw)

    # ------------------------------------------------------------------
    # Responses
    # ------------------------------------------------------------------

    def respond(self, document: dict | None, status: int = 200, headers=None) -> Response:
        """Return ``document`` as a JSON:API response."""
        if document is None:
            response = Response(status=status, headers=headers or {})
            response.headers.pop("Content-Type", None)  # no body, hence no media type
            return response
        document = dict(document, jsonapi=JSONAPI_VERSION)
        return self.api._api_json_response(
            document, status=status, headers=headers,
            content_type=response_content_type(self.extensions))

    def _with_etag(self, response: Response) -> Response:
        tag = hashlib.sha256(response.get_data()).hexdigest()[:40]
        # weak comparison (RFC 9110, 13.1.2): W/"tag" matches too
        if self.httprequest.if_none_match.contains_weak(tag):
            response = Response(status=304)
            response.headers.pop("Content-Type", None)
        response.headers["ETag"] = f'"{tag}"'
        return response

    def current_url(self, args: MultiDict | None = None) -> str:
        args = self.httprequest.args if args is None else args
        url = self.base_url + self.api_request.subpath
        return f"{url}?{url_encode(args)}" if args else url

    def serializer(self) -> Serializer:
        return Serializer(self.api_request, self.base_url, self.sparse_fieldsets())

    def document(self, primary: BaseModel, many: bool, model: BaseModel | None = None,
                 links: dict | None = None, meta: dict | None = None,
                 serializer: Serializer | None = None, readable: bool = False) -> dict:
        """Return a document whose primary data are ``primary``, with its includes.

        :param readable: whether ``primary`` comes from a search in the caller's environment
            (see :meth:`Serializer.resources`)
        """
        model = model if model is not None else primary
        tree = self.include_for(model)
        serializer = serializer or self.serializer()
        data = serializer.resources(primary, readable=readable)
        document = {"data": data if many else (data[0] if data else None),
                    "links": links or {"self": self.current_url()}}
        if tree:
            document["included"] = serializer.included(primary, tree)
        if meta:
            document["meta"] = meta
        return document

    def read_body(self) -> dict:
        """Return the JSON request document, after content negotiation."""
        self.extensions = check_content_type(self.httprequest.headers.get("Content-Type"))
        body = self.api_request.get_json_body(media_types=JSON_BODY_TYPES)
        if not isinstance(body, dict):
            raise bad(400, "The request document must be a JSON object.", "")
        pointer = nul_pointer(body)
        if pointer is not None:
            raise bad(400, "Strings cannot hold NUL characters.", pointer)
        return body

    def primary_data(self) -> dict:
        body = self.read_body()
        if self.extensions:
            raise ApiError(415, "The atomic extension is only served at /operations.",
                           code="unsupported_extension", source={"header": "Content-Type"})
        if "data" not in body:
            raise bad(400, "The request document has no data member.", "/data")
        return body["data"]

    def writer(self) -> ResourceWriter:
        max_size = self.api.jsonapi_upload_max_size * 1024 * 1024
        return ResourceWriter(self.api_request, self.lids, max_size)

    # ------------------------------------------------------------------
    # Query parameters checked against the models
    # ------------------------------------------------------------------

    def _checked_fields(self, model: BaseModel, names: list[str], parameter: str | None = None,
                        source: dict | None = None) -> None:
        """Raise 400 (403 for a hidden field) unless ``names`` may be read, the error naming
        the query ``parameter`` (or the ``source`` in a request document)."""
        source = source or {"parameter": parameter}
        try:
            self.api_request.check_fields(model, names, "read")
        except ApiError as error:
            error.source = source
            if error.status == 403:
                raise
            raise ApiError(400, error.detail, code=error.error_code, source=source) from None

    def sparse_fieldsets(self) -> dict[str, list[str]]:
        """Return ``{model name: field names}`` of the ``fields[...]`` parameters."""
        if getattr(self, "_sparse", None) is not None:
            return self._sparse
        sparse = {}
        for key, members in self.params.fields.items():
            parameter = f"fields[{key}]"
            model_name = model_of(key, self.env)
            if model_name not in self.env:
                raise ApiError(400, f"Unknown type {key!r}.", code="unknown_type",
                               source={"parameter": parameter})
            model = self.env[model_name]
            names = [field_of(member, model._fields) for member in members]
            for name in names:
                if name == "id" or (name in model._fields and not member_of(name)):
                    raise ApiError(400, f"{name!r} cannot be asked for in a fieldset.",
                                   code="unknown_field", source={"parameter": parameter})
            self._checked_fields(model, names, parameter)
            sparse[model_name] = names
        self._sparse = sparse
        return sparse

    def include_for(self, model: BaseModel) -> dict:
        """Return the checked include tree for primary data of ``model``."""
        paths = []
        for path in self.params.include:
            current, names = model, []
            for member in path:
                name = field_of(member, current._fields)
                field = current._fields.get(name)
                if field is None or field.type not in RELATIONAL_TYPES:
                    raise ApiError(400, f"{'.'.join(path)!r} is not a relationship path of "
                                        f"{type_of(model._name)}.", code="invalid_include",
                                   source={"parameter": "include"})
                self._checked_fields(current, [name], "include")
                try:
                    current = self.api_request.get_model(field.comodel_name, "read")
                except ApiError as error:
                    raise ApiError(400, error.detail, code="invalid_include",
                                   source={"parameter": "include"}) from None
                names.append(name)
            paths.append(names)
        return include_tree(paths)

    def _field_path(self, model: BaseModel, path: str,
                    source: dict = FILTER_SOURCE) -> tuple[str, Field, BaseModel | None]:
        """Check a dotted field path of a filter; return it in field names, its last field,
        and the model that field leads to (None when it is not a relation)."""
        names, current, field = [], model, None
        for member in path.split("."):
            if current is None:
                raise ApiError(400, f"The filter path {path!r} goes through a field that is "
                                    "not a relation.", code="invalid_filter", source=source)
            name = field_of(member, current._fields)
            if name != "id":
                self._checked_fields(current, [name], source=source)
            names.append(name)
            field = current._fields[name]
            if not self._searchable(field):
                raise ApiError(400, f"Cannot filter on {path!r}: Odoo cannot search "
                                    f"{member!r}.", code="invalid_filter", source=source)
            current = self.env[field.comodel_name] if field.relational else None
        dotted = ".".join(names)
        try:  # the whole path, so that it never leads to a model outside the API
            self.api_request.check_path(model, dotted)
        except ApiError as error:
            error.source = source
            raise
        return dotted, field, current

    def _searchable(self, field: Field, depth: int = 0) -> bool:
        """Whether Odoo can search ``field``: stored, or with a search method; a related
        field only when every field of its path is (Odoo checks the last one only, and
        logs an error for a computed field along the way)."""
        if field.store:
            return True
        if not field.search or depth > 8:
            return False
        if not field.related:
            return True
        current = self.env[field.model_name]
        for name in field.related.split("."):
            related = current._fields.get(name) if current is not None else None
            if related is None or not self._searchable(related, depth + 1):
                return False
            current = self.env[related.comodel_name] if related.relational else None
        return True

    def _checked_domain(self, model: BaseModel, domain: list,
                        source: dict = FILTER_SOURCE) -> list:
        """Return ``domain`` once every path may be read and every value compared with its
        field (see :mod:`.filter_values`)."""
        checked = []
        for item in domain:
            if isinstance(item, tuple):
                path, operator, value = item
                path, field, comodel = self._field_path(model, path, source)
                if operator in filters.SUBDOMAIN_OPERATORS:
                    if comodel is None:
                        raise ApiError(400, f"{operator!r} needs a relational field, not "
                                            f"{path!r}.", code="invalid_filter", source=source)
                    self._check_relation_filter(comodel, path, operator, value, source)
                    value = self._checked_domain(comodel, value, source)
                else:
                    value = self._checked_value(field, path, operator, value, source)
                    if comodel is not None:
                        self._check_relation_filter(comodel, path, operator, value, source)
                item = (path, operator, value)
            checked.append(item)
        return checked

    def _check_relation_filter(self, comodel: BaseModel, path: str, operator: str, value,
                               source: dict) -> None:
        """Refuse names or subdomains on a relation whose model the API serves in part."""
        try:
            self.api_request.check_relation_filter(comodel, path, operator, value)
        except ApiError as error:
            error.source = source
            raise

    def _check_hierarchy(self, field: Field, path: str, operator: str, source: dict) -> None:
        """Refuse ``child_of``/``parent_of`` unless the records compared have a parent
        field of their own model (which Odoo needs, and fails without)."""
        target = self.env[field.comodel_name if field.relational else field.model_name]
        parent = target._fields.get(target._parent_name)
        if parent is None or parent.type != "many2one" or parent.comodel_name != target._name:
            raise ApiError(400, f"Invalid filter on {path!r}: {operator!r} needs a hierarchy, "
                                f"and {type_of(target._name)} has no parent.",
                           code="invalid_filter", source=source)

    def _checked_value(self, field: Field, path: str, operator: str, value, source: dict):
        """Return ``value`` as Odoo can compare it with ``field``, or raise 400."""
        try:
            value = filter_values.check_value(field, operator, value)
        except filter_values.FilterValueError as error:
            raise ApiError(400, f"Invalid filter on {path!r}: {error}.", code="invalid_filter",
                           source=source) from None
        if operator in filter_values.HIERARCHY_OPERATORS:
            self._check_hierarchy(field, path, operator, source)
        return value

    def search_domain(self, model: BaseModel) -> list:
        """Return the domain of the ``filter`` parameters, within the access domain."""
        domains = [self.api_request.access_domain(model)]
        if self.params.filter is not None:
            try:
                domain = filters.parse_domain(self.params.filter)
            except filters.FilterSyntaxError as error:
                raise ApiError(400, f"Malformed filter: {error}", code="invalid_filter",
                               source={"parameter": "filter"}) from None
            domains.append(self._checked_domain(model, domain))
        for member, operator_name, raw in self.params.filter_terms:
            parameter = f"filter[{member}][{operator_name}]" if operator_name is not None \
                else f"filter[{member}]"
            source = {"parameter": parameter}
            try:
                operator = filters.shorthand_operator(operator_name)
            except filters.FilterSyntaxError as error:
                raise ApiError(400, str(error), code="invalid_filter", source=source) from None
            path, field, _comodel = self._field_path(model, member, source)
            value = self._shorthand_value(field, operator, raw, parameter)
            value = self._checked_value(field, path, operator, value, source)
            domains.append([(path, operator, value)])
        return expression.AND([domain for domain in domains if domain])

    @staticmethod
    def _shorthand_value(field, operator: str, raw: str, parameter: str):
        values = raw.split(",") if operator in filters.LIST_OPERATORS else [raw]
        converted = []
        for value in values:
            kind = field.type if field is not None else "char"
            if value in ("null", "") and kind not in ("char", "text", "html"):
                converted.append(False)
            elif kind == "boolean":
                if value not in ("true", "false", "1", "0"):
                    raise ApiError(400, f"{value!r} is not a boolean.", code="invalid_filter",
                                   source={"parameter": parameter})
                converted.append(value in ("true", "1"))
            elif kind in ("integer", "many2one", "one2many", "many2many") or (
                    field is not None and field.name == "id"):
                try:
                    converted.append(int(value))
                except ValueError:
                    raise ApiError(400, f"{value!r} is not an integer.", code="invalid_filter",
                                   source={"parameter": parameter}) from None
            elif kind in ("float", "monetary"):
                try:
                    converted.append(float(value))
                except ValueError:
                    raise ApiError(400, f"{value!r} is not a number.", code="invalid_filter",
                                   source={"parameter": parameter}) from None
            else:
                converted.append(value)
        return converted if operator in filters.LIST_OPERATORS else converted[0]

    def search_order(self, model: BaseModel) -> str | None:
        """Return the ORM order of the ``sort`` parameter, or None for the model's own."""
        terms = []
        for member, descending in self.params.sort:
            name = field_of(member, model._fields)
            field = model._fields.get(name)
            if field is None or (name != "id" and not member_of(name)):
                raise ApiError(400, f"Cannot sort on {member!r}: {type_of(model._name)} has "
                                    "no such field.", code="invalid_sort",
                               source={"parameter": "sort"})
            self._checked_fields(model, [name], "sort")
            self.api._api_check_order_field(self.api_request, field, "sort")
            if not field._description_sortable(self.env):
                raise ApiError(400, f"Cannot sort on {member!r}: the field is not stored.",
                               code="invalid_sort", source={"parameter": "sort"})
            terms.append(f"{name} {'desc' if descending else 'asc'}")
        return ", ".join(terms) or None

    # ------------------------------------------------------------------
    # Reading
    # ------------------------------------------------------------------

    def get_collection(self, model_name: str) -> Response:
        model = self.api_request.get_model(model_name, "read")
        domain = self.search_domain(model)
        if self.params.group_by:
            return self.get_groups(model, domain)
        order = self.search_order(model)
        page = parse_page(self.params.page, self.api.page_size_default,
                          self.api.page_size_max)
        # the served fields are read by the search query itself
        serializer = self.serializer()
        names = serializer.stored_names(model)
        if page.style == "cursor":
            if order:
                raise ApiError(400, "page[after] walks the collection by id: it cannot be "
                                    "combined with sort.", code="invalid_parameter",
                               source={"parameter": "sort"})
            page_domain = expression.AND([domain, [("id", ">", page.after or 0)]])
            order = "id"
        else:
            page_domain = domain
        with self._refused_query():
            records = model.search_fetch(page_domain, names, offset=page.offset,
                                         limit=page.limit, order=order)
            total = model.search_count(domain)
        links = self.pagination_links(page, total, records)
        meta = {"api": self.api._api_meta(), "total": total}
        document = self.document(records, True, model, links=links, meta=meta,
                                 serializer=serializer, readable=True)
        return self.respond(document)

    def _page_url(self, **page) -> str:
        args = MultiDict(self.httprequest.args)
        for key in ("number", "size", "offset", "limit", "after"):
            args.poplist(f"page[{key}]")
        for key, value in page.items():
            args[f"page[{key}]"] = str(value)
        return self.current_url(args)

    def pagination_links(self, page: Page, total: int, records: BaseModel) -> dict:
        """Return the self, first, prev, next and last links of a collection page."""
        links = {"self": self.current_url()}
        size = page.limit
        if page.style == "cursor":
            links["first"] = self._page_url(size=size, after=0)
            if len(records) == size:
                links["next"] = self._page_url(size=size, after=records[-1].id)
            return links
        pages = max(1, math.ceil(total / size))
        if page.style == "number":
            links["first"] = self._page_url(number=1, size=size)
            if page.number > 1:
                links["prev"] = self._page_url(number=min(page.number - 1, pages), size=size)
            if page.number < pages:
                links["next"] = self._page_url(number=page.number + 1, size=size)
            links["last"] = self._page_url(number=pages, size=size)
            return links
        links["first"] = self._page_url(offset=0, limit=size)
        if page.offset > 0:
            links["prev"] = self._page_url(offset=max(0, page.offset - size), limit=size)
        if page.offset + size < total:
            links["next"] = self._page_url(offset=page.offset + size, limit=size)
        links["last"] = self._page_url(offset=(pages - 1) * size, limit=size)
        return links

    def get_groups(self, model: BaseModel, domain: list) -> Response:
        """Answer ``group_by`` with each group's value, count and aggregates."""
        groupby = self._groupby(model)
        aggregates = self._aggregates(model, groupby)
        orderby = self._group_order(model, groupby)
        with self._refused_query():
            rows = model.read_group(domain, [spec for spec, _name in aggregates], groupby,
                                    lazy=False, orderby=orderby)
        groups = [{
            "value": {member_of(spec.split(":")[0]) or spec: self._group_value(model, spec, row)
                      for spec in groupby},
            "count": row["__count"],
            "aggregates": {name: row.get(spec.split(":")[0]) for spec, name in aggregates},
        } for row in rows]
        meta = {"api": self.api._api_meta(), "groups": groups,
                "total": sum(group["count"] for group in groups)}
        return self.respond({"meta": meta, "links": {"self": self.current_url()}})

    def _groupby(self, model: BaseModel) -> list[str]:
        """Return the read_group specs of ``group_by``: fields, dates with a granularity."""
        groupby, names = [], set()
        for spec in self.params.group_by:
            member, _sep, granularity = spec.partition(":")
            name = field_of(member, model._fields)
            self._checked_fields(model, [name], "group_by")
            field = model._fields[name]
            if field.type in UNGROUPABLE_TYPES or not field._description_groupable(self.env):
                raise bad_parameter(f"Cannot group by {member!r}.", "group_by",
                                    "invalid_group_by")
            if granularity and (field.type not in ("date", "datetime")
                                or granularity not in READ_GROUP_ALL_TIME_GRANULARITY):
                raise bad_parameter(
                    f"{granularity!r} is not a granularity of {member!r}: dates and datetimes "
                    f"are grouped by {', '.join(READ_GROUP_ALL_TIME_GRANULARITY)}.",
                    "group_by", "invalid_group_by")
            if name in names:
                raise bad_parameter(f"{member!r} is grouped by twice.", "group_by",
                                    "invalid_group_by")
            names.add(name)
            groupby.append(f"{name}:{granularity}" if granularity else name)
        return groupby

    def _group_order(self, model: BaseModel, groupby: list[str]) -> str | bool:
        """Return the order of the groups: ``sort`` may name grouped members only."""
        order = self.search_order(model)
        grouped = {spec.split(":")[0] for spec in groupby}
        for member, _descending in self.params.sort:
            if field_of(member, model._fields) not in grouped:
                raise bad_parameter(f"Cannot sort groups on {member!r}: with group_by, sort "
                                    "names grouped members only.", "sort", "invalid_sort")
        return order or False

    def _aggregates(self, model: BaseModel, groupby: list[str]) -> list[tuple[str, str]]:
        """Return ``(read_group spec, member)`` of each aggregate; each spec names its
        result ``agg__<field>``, apart from the grouped fields' own values."""
        if self.params.aggregates is None:
            readable = set(self.api_request.readable_fields(model))
            grouped = {spec.split(":")[0] for spec in groupby}
            return [(f"agg__{name}:{field.aggregator}({name})", member_of(name) or name)
                    for name, field in model._fields.items()
                    if name in readable and name != "id" and name not in grouped
                    and field.type in NUMERIC_TYPES and field.store and field.column_type
                    and field.aggregator in AGGREGATE_FUNCTIONS]
        result, names = [], set()
        for spec in self.params.aggregates:
            member, _sep, function = spec.partition(":")
            name = field_of(member, model._fields)
            self._checked_fields(model, [name], "aggregates")
            field = model._fields[name]
            function = function or field.aggregator
            if field.type not in NUMERIC_TYPES or not field.store or not field.column_type:
                raise bad_parameter(f"Cannot aggregate {member!r}: it is not a stored number.",
                                    "aggregates", "invalid_aggregate")
            if function not in AGGREGATE_FUNCTIONS:
                raise bad_parameter(f"{function!r} is not an aggregate function; use one of "
                                    f"{', '.join(AGGREGATE_FUNCTIONS)}.", "aggregates",
                                    "invalid_aggregate")
            if name in names:
                raise bad_parameter(f"{member!r} is aggregated twice.", "aggregates",
                                    "invalid_aggregate")
            names.add(name)
            result.append((f"agg__{name}:{function}({name})", member_of(name) or name))
        return result

    def _group_value(self, model: BaseModel, spec: str, row: dict):
        name = spec.split(":")[0]
        value = row.get(spec, row.get(name))
        field = model._fields[name]
        if (field.relational or name == "id") and isinstance(value, (list, tuple)):
            model_name = field.comodel_name if field.relational else model._name
            group = {"type": type_of(model_name), "id": str(value[0])}
            # names only of records of a model served whole, as REST-JSON answers them
            if not field.relational or self.api._api_display_name_served(
                    self.api_request, field):
                group["display_name"] = value[1]
            return group
        return None if value is False and field.type != "boolean" else value

    def _query_parameters(self) -> list[str]:
        """Return the parameters the request gives that shape a collection's query."""
        params = self.params
        names = ["group_by"] if params.group_by else []
        if params.group_by and params.aggregates is not None:
            names.append("aggregates")
        if params.filter is not None:
            names.append("filter")
        names += [f"filter[{member}][{op}]" if op is not None else f"filter[{member}]"
                  for member, op, _raw in params.filter_terms]
        return names + (["sort"] if params.sort else [])

    @contextmanager
    def _refused_query(self):
        """Answer 400 when the ORM refuses the query the parameters make.

        Every parameter is checked before it reaches the ORM; this catches what a check
        misses (the search method of a computed field, say) and names the first parameter
        the request gives, as a client error rather than a crash."""
        try:
            yield
        except (ValueError, TypeError, KeyError, NotImplementedError, OverflowError) as error:
            sent = self._query_parameters()
            if not sent:
                raise
            _logger.info("API %s: the ORM refused the query of %s: %s", self.api.endpoint,
                         ", ".join(sent), error)
            raise bad_parameter(f"Odoo cannot run this query: {str(error)[:300]}", sent[0],
                                "invalid_parameter") from None

    def fetch_record(self, model: BaseModel, record_id: int,
                     operation: str = "read") -> BaseModel:
        """Return the record, or raise 404 when the caller cannot see it (or may not make
        ``operation`` on it)."""
        record = model.browse(record_id)
        self.api_request.check_records(record, operation)
        return record

    def get_resource(self, model_name: str, record_id: int) -> Response:
        model = self.api_request.get_model(model_name, "read")
        record = self.fetch_record(model, record_id)
        return self.respond(self.document(record, False))

    def relation_field(self, model: BaseModel, member: str, operation: str = "read"):
        name = field_of(member, model._fields)
        field = model._fields.get(name)
        if field is None or not member_of(name):
            raise ApiError(404, f"{type_of(model._name)} has no field {member!r}.",
                           code="unknown_field")
        try:
            self.api_request.check_fields(model, [name], operation)
        except ApiError as error:
            raise ApiError(404 if error.status == 400 else error.status, error.detail,
                           code=error.error_code) from None
        return field

    def _related_records(self, record: BaseModel, field) -> BaseModel:
        comodel = self.api_request.get_model(field.comodel_name, "read")
        targets = record[field.name].with_env(comodel.env)
        return Serializer(self.api_request, self.base_url)._visible(targets)

    def get_related(self, model_name: str, record_id: int, member: str) -> Response:
        model = self.api_request.get_model(model_name, "read")
        record = self.fetch_record(model, record_id)
        field = self.relation_field(model, member)
        if field.type == "binary":
            return self.download(record, field)
        if field.type not in RELATIONAL_TYPES:
            raise ApiError(404, f"{member!r} is an attribute, not a relationship.",
                           code="not_a_relationship")
        targets = self._related_records(record, field)
        comodel = self.env[field.comodel_name]
        return self.respond(self.document(targets, field.type in TO_MANY_TYPES, comodel))

    def get_relationship(self, model_name: str, record_id: int, member: str) -> Response:
        model = self.api_request.get_model(model_name, "read")
        record = self.fetch_record(model, record_id)
        return self.respond(self.relationship_document(record, member))

    def relationship_document(self, record: BaseModel, member: str) -> dict:
        field = self.relation_field(record, member)
        if field.type not in RELATIONAL_TYPES:
            raise ApiError(404, f"{member!r} is not a relationship.", code="not_a_relationship")
        # linkage of a model the API does not serve is only shown within its resource: its
        # relationship endpoint answers as its related endpoint does
        self.api_request.get_model(field.comodel_name, "read")
        serializer = self.serializer()
        value = serializer.linked(field, [record[field.name]])[0]
        links = serializer.relationship_links(record, member_of(field.name))
        document = {"data": serializer.linkage(field, value), "links": links}
        tree = self.include_for(self.env[field.comodel_name])
        if tree:
            targets = self._related_records(record, field)
            document["included"] = serializer.included(targets, tree)
        return document

    # ------------------------------------------------------------------
    # Writing
    # ------------------------------------------------------------------

    def create_record(self, model_name: str, data, pointer: str = "/data") -> BaseModel:
        model = self.api_request.get_model(model_name, "create")
        writer = self.writer()
        writer.check_type(data, model, pointer)
        if "id" in data:
            raise bad(403, "Client-generated ids are not supported.", f"{pointer}/id",
                      "client_generated_id")
        values = writer.values(model, data, pointer)
        record = self.write_values(model, values, writer.member_pointers(model, data, pointer),
                                   pointer)
        if data.get("lid") is not None:
            self.lids[writer.local_id(data, pointer)] = record.id
        return record

    def post_resource(self, model_name: str) -> Response:
        record = self.create_record(model_name, self.primary_data())
        url = f"{self.base_url}/{record._name}/{record.id}"
        document = self.document(record, False, links={"self": url})
        return self.respond(document, status=201, headers={"Location": url})

    def update_record(self, model_name: str, record_id: int | None, data,
                      pointer: str = "/data") -> BaseModel:
        model = self.api_request.get_model(model_name, "write")
        writer = self.writer()
        writer.check_type(data, model, pointer)
        if "id" not in data and "lid" not in data:
            raise bad(400, "The resource object must have the id of the resource.",
                      f"{pointer}/id", "missing_id")
        data_id = writer.record_id(data, pointer)
        if record_id is not None and data_id != record_id:
            raise bad(409, f"The id {data.get('id')!r} does not match the resource addressed.",
                      f"{pointer}/id", "id_mismatch")
        record = self.fetch_record(model, data_id, "write")
        values = writer.values(model, data, pointer, record)
        if values:
            self.write_values(model, values, writer.member_pointers(model, data, pointer),
                              pointer, record)
        return record

    def write_values(self, model: BaseModel, values: dict, pointers: dict, pointer: str,
                     record: BaseModel | None = None) -> BaseModel:
        """Create ``values`` on ``model`` (or write them on ``record``) through the
        framework's values check, verified once the ORM wrote: what it refuses is a 403
        or 404 error whose pointer names the member at fault (``pointers``, by field name),
        and the request then writes nothing."""
        operation = "write" if record else "create"
        with self._pointed(pointers, pointer):
            check = self.api_request.check_values(model, values, operation, record)
        if record:
            record.write(values)
        else:
            record = model.create(values)
        with self._pointed(pointers, pointer):
            check.verify(record)
        return record

    @staticmethod
    @contextmanager
    def _pointed(pointers: dict, pointer: str):
        """Give the errors of the framework's checks the pointer of the member they name."""
        try:
            yield
        except ApiError as error:
            name = (error.source or {}).get("parameter")
            if name not in pointers and len(pointers) == 1:
                name = next(iter(pointers))  # the one member written is at fault
            error.source = {"pointer": pointers.get(name, pointer)}
            raise

    def patch_resource(self, model_name: str, record_id: int) -> Response:
        record = self.update_record(model_name, record_id, self.primary_data())
        return self.respond(self.document(record, False))

    def delete_record(self, model_name: str, record_id: int) -> None:
        model = self.api_request.get_model(model_name, "unlink")
        self.fetch_record(model, record_id, "unlink").unlink()

    def delete_resource(self, model_name: str, record_id: int) -> Response:
        self.delete_record(model_name, record_id)
        return self.respond(None, status=204)

    def change_relationship(self, model_name: str, record_id: int, member: str) -> Response:
        model = self.api_request.get_model(model_name, "write")
        record = self.fetch_record(model, record_id, "write")
        self.write_relationship(record, member, self.primary_data(), self.method)
        return self.respond(self.relationship_document(record, member))

    def write_relationship(self, record: BaseModel, member: str, data, method: str,
                           pointer: str = "/data") -> None:
        """Replace (PATCH), add to (POST) or remove from (DELETE) a relationship."""
        field = self.relation_field(record, member, "write")
        if field.type not in RELATIONAL_TYPES:
            raise ApiError(404, f"{member!r} is not a relationship.", code="not_a_relationship")
        writer = self.writer()
        if method == "PATCH":
            value = writer.relationship(field, data, pointer, record)
        elif field.type == "many2one":
            raise ApiError(403, "A to-one relationship is replaced with PATCH.",
                           code="to_one_relationship", headers={"Allow": "GET, PATCH"})
        else:
            if not isinstance(data, list):
                raise bad(400, "A list of resource identifiers is expected.", pointer)
            ids = writer.identifiers(self.env[field.comodel_name], data, pointer)
            command = Command.link if method == "POST" else Command.unlink
            value = [command(id_) for id_ in ids]
        self.write_values(record, {field.name: value}, {field.name: pointer}, pointer, record)
