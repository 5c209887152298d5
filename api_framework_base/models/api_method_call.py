"""Calling ORM methods for the protocols, as Odoo's own RPC does, within the access mode.

Every protocol that lets callers run a method (REST-JSON calls, JSON:API ``execute``,
GraphQL ``method_name``) goes through :meth:`ApiApi._api_call_method`, so that the same
checks apply everywhere.
"""

import inspect
import logging

import psycopg2

from odoo import api, models
from odoo.osv import expression

from ..tools.errors import ApiError
from .api_api import method_operation

_logger = logging.getLogger(__name__)

# Where the checked arguments sit among a method's positional parameters (self excluded):
# they are read and replaced by position, whatever an override calls them (res.users
# names the values of ``write`` ``values``, res.partner ``vals``).
# The domain of the methods that search: the access domain is added to it, and its fields
# are checked.
DOMAIN_ARGUMENTS = {
    "search": 0, "search_read": 0, "search_count": 0, "search_fetch": 0, "read_group": 0,
    "web_search_read": 0, "web_read_group": 0, "name_search": 1,
}
DOMAIN_METHODS = set(DOMAIN_ARGUMENTS)
# The fields that these methods read.
FIELDS_ARGUMENTS = {"read": 0, "search_read": 1, "read_group": 1, "web_read_group": 1}
FIELD_METHODS = set(FIELDS_ARGUMENTS)
GROUPBY_ARGUMENTS = {"read_group": 2, "web_read_group": 2}
# Methods that read nested records through a specification: they are checked field by field
# in "user" mode, and refused where an allow-list or superuser rights apply, since the
# records they reach would escape the API's domains and the user's own rights.
SPECIFICATION_ARGUMENTS = {"web_read": 0, "web_search_read": 1, "web_save": 1, "onchange": 2}
# Methods that create or write the values of their first argument, with the operation
# (web_save creates without records, writes with them); their values are checked through
# tools/values_check.py, and the records written verified against the access domain.
VALUES_METHODS = {
    "create": "create", "write": "write", "update": "write", "copy": "create",
    "web_save": None,
}
# Methods whose first argument lists field paths (``country_id/name``) they read or write.
PATH_METHODS = {"export_data", "load"}
# Methods whose ``limit`` the API's maximum page size bounds (and sets when it is missing).
PAGED_METHODS = {"search", "search_read", "search_fetch", "web_search_read"}
GROUP_METHODS = set(GROUPBY_ARGUMENTS)


def _locate(bound, position):
    """Return ``(parameter name, index)`` of the positional argument at ``position``: the
    index is None for a parameter of its own, else the index in the ``*args`` tuple."""
    parameters = list(bound.signature.parameters.values())[1:]
    for index, parameter in enumerate(parameters):
        if parameter.kind == parameter.VAR_POSITIONAL:
            return parameter.name, position - index
        if parameter.kind not in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD):
            break
        if index == position:
            return parameter.name, None
    return None, None


def get_argument(bound, position, default=None):
    """Return the argument bound at ``position`` (self excluded), or ``default``."""
    name, index = _locate(bound, position)
    if name is None:
        return default
    if index is None:
        return bound.arguments.get(name, default)
    values = bound.arguments.get(name, ())
    return values[index] if index < len(values) else default


def set_argument(bound, position, value):
    """Bind ``value`` at ``position`` (self excluded); fail rather than lose it."""
    name, index = _locate(bound, position)
    if name is not None and index is None:
        bound.arguments[name] = value
        return
    values = list(bound.arguments.get(name, ())) if name else []
    if name is None or index > len(values):
        raise ApiError(400, "This method does not take the arguments the API must restrict.",
                       code="invalid_arguments")
    values[index:index + 1] = [value]
    bound.arguments[name] = tuple(values)


class ApiApi(models.Model):
    _inherit = "api.api"

    def _api_call_method(self, api_request, model, method_name, args, kwargs, records=None):
        """Call the public method ``method_name`` of ``model`` as Odoo's RPC ``call_kw``
        does, within the access mode, and return its result.

        Record methods run on ``records`` when given, else on the ids in ``args[0]`` as in
        Odoo's RPC. Domains are restricted to the access domain, fields, orders and values
        (nested ones too) are checked against what the API serves, and records created or
        written must still lie within the access domain; ``create`` answers ids, and
        ``check_access_rights`` a boolean. Other recordsets are returned as they are.
        """
        method = api_request.check_method(model, method_name)
        operation = method_operation(method_name)
        kwargs = dict(kwargs)
        context = kwargs.pop("context", None)
        if context is not None:
            if not isinstance(context, dict):
                raise ApiError(400, "kwargs.context must be an object.", code="invalid_body",
                               source={"pointer": "/kwargs/context"})
            model = model.with_context(**self._api_validate_context(context, api_request.user))
        api_request.check_context_defaults(model)

        is_model_method = bool(getattr(method, "_api", None))
        if is_model_method:
            records, call_args = model, list(args)
        elif records is not None:
            records, call_args = records.with_env(model.env), list(args)
            api_request.check_records(records, operation)
        else:
            if not args:
                raise ApiError(400, f"{method_name} is called on records: pass their ids as "
                                    "the first argument.", code="missing_ids")
            records = model.browse(self._api_call_ids(args[0]))
            call_args = list(args[1:])
            api_request.check_records(records, operation)

        bound = self._api_call_bind(records, method, method_name, call_args, kwargs)
        self._api_call_restrict(api_request, records, method_name, bound)
        values_check = self._api_call_check_values(api_request, records, method_name, bound)
        _logger.debug("API %s: %s.%s by user #%s", self.endpoint, model._name, method_name,
                      api_request.user.id)
        if method_name == "check_access_rights" and "raise_exception" not in bound.arguments:
            # As Odoo's RPC answered before 18.0: true or false, not an access error.
            bound.arguments["raise_exception"] = False
        try:
            result = method(*bound.args, **bound.kwargs)
        except (ValueError, TypeError, KeyError, AssertionError, psycopg2.DataError) as exc:
            # The ORM raises these for arguments it cannot use (unknown field in a domain,
            # bad operator, wrong value type): the caller's mistake, not the server's.
            detail = str(exc).split("\n", 1)[0]  # never the SQL text psycopg2 adds
            raise ApiError(400, f"Invalid arguments for {method_name}: {detail}",
                           code="invalid_arguments") from exc
        if values_check is not None:
            written = result if isinstance(result, models.BaseModel) \
                and VALUES_METHODS[method_name] == "create" else records
            values_check.verify(written)
        result = self._api_call_shape(api_request, records, method_name, result)
        return self._api_call_result(method, result, call_args)

    @api.model
    def _api_call_ids(self, ids):
        if isinstance(ids, int) and not isinstance(ids, bool):
            return [ids]
        if isinstance(ids, list) and all(
                isinstance(id_, int) and not isinstance(id_, bool) for id_ in ids):
            return ids
        raise ApiError(400, "Record ids must be an integer or a list of integers.",
                       code="invalid_ids", source={"pointer": "/args/0"})

    @api.model
    def _api_call_bind(self, records, method, method_name, args, kwargs):
        try:
            return inspect.signature(method).bind(records, *args, **kwargs)
        except TypeError as exc:
            raise ApiError(400, f"Wrong arguments for {method_name}: {exc}",
                           code="invalid_arguments") from None

    def _api_call_restrict(self, api_request, records, method_name, bound):
        """Check the domains, paging, fields, groupings and orders of the bound arguments
        against what the API serves, and restrict domains to its access domain."""
        arguments = bound.arguments
        if method_name in DOMAIN_ARGUMENTS:
            self._api_call_restrict_domain(
                api_request, records, bound, DOMAIN_ARGUMENTS[method_name])
        self._api_call_restrict_paging(records, method_name, arguments)
        if isinstance(arguments.get("order") or arguments.get("orderby"), str):
            api_request.check_order(records, arguments.get("order") or arguments["orderby"])
        if method_name in SPECIFICATION_ARGUMENTS:
            self._api_call_check_specification(
                api_request, records,
                get_argument(bound, SPECIFICATION_ARGUMENTS[method_name]))
        self._api_call_restrict_fields(api_request, records, method_name, bound)

    def _api_call_check_values(self, api_request, records, method_name, bound):
        """Check the values of the methods that create or write (see
        ``tools/values_check.py``); return the check to verify once they ran."""
        if method_name not in VALUES_METHODS:
            return None
        operation = VALUES_METHODS[method_name] or ("write" if records else "create")
        values = get_argument(bound, 0)
        if method_name == "copy":
            values = {} if values in (None, False) else values
        if method_name == "create" and isinstance(values, list) and not values:
            return None
        written = records if operation == "write" else None
        return api_request.check_values(records, values, operation, written)

    def _api_call_restrict_domain(self, api_request, records, bound, position):
        domain = get_argument(bound, position)
        domain = [] if domain is None else domain
        api_request.check_domain(records, domain)
        access_domain = api_request.access_domain(records)
        if access_domain:
            domain = expression.AND([domain, access_domain])
        set_argument(bound, position, domain)

    def _api_call_restrict_paging(self, records, method_name, arguments):
        for name in ("limit", "offset"):
            value = arguments.get(name)
            if value not in (None, False) and (
                    not isinstance(value, int) or isinstance(value, bool) or value < 0):
                raise ApiError(400, f"{name} must be a positive integer.",
                               code="invalid_arguments", source={"parameter": name})
        if method_name in PAGED_METHODS:
            arguments["limit"] = self._api_call_limit(arguments.get("limit"))
        if method_name in ("read", "web_read") and len(records) > self.page_size_max:
            raise ApiError(400, f"Read at most {self.page_size_max} records per call.",
                           code="page_too_large")

    def _api_call_restrict_fields(self, api_request, records, method_name, bound):
        if method_name in PATH_METHODS:
            paths = self._api_call_names(get_argument(bound, 0), "fields")
            for path in paths:
                if method_name == "export_data":
                    api_request.check_export_path(records, path)
                    continue
                segments = [name for name in path.split("/") if name not in ("id", ".id")]
                if segments:
                    api_request.check_path(records, ".".join(segments))
        if method_name == "default_get":
            names = self._api_call_names(get_argument(bound, 0), "fields_list")
            api_request.check_fields(records, names, "create")
        if method_name in FIELDS_ARGUMENTS:
            position = FIELDS_ARGUMENTS[method_name]
            names = self._api_call_names(get_argument(bound, position), "fields")
            if names:
                api_request.check_fields(records, self._api_call_field_specs(names), "read")
            elif method_name not in GROUP_METHODS:
                set_argument(bound, position, api_request.readable_fields(records))
        if method_name in GROUP_METHODS:
            names = self._api_call_names(
                get_argument(bound, GROUPBY_ARGUMENTS[method_name]), "groupby")
            api_request.check_fields(records, [name.split(":")[0] for name in names], "read")

    def _api_call_check_export_path(self, api_request, model, path):
        """Refuse an export path that reads the records of a relation (their display names
        or fields, not only their ids) whose model the API does not serve whole: records
        outside its domain would be exported."""
        parts = path.split("/")
        for index, name in enumerate(parts):
            field = model._fields.get(name)
            if field is None or not field.relational:
                return
            rest = parts[index + 1:]
            if (not rest or rest[0] not in ("id", ".id")) \
                    and not self._api_display_name_served(api_request, field):
                raise ApiError(403, f"The export path {path!r} reads {field.comodel_name} "
                                    "records outside what this API serves.",
                               code="field_not_allowed", source={"parameter": path})
            model = api_request.env[field.comodel_name]

    def _api_call_limit(self, limit):
        """Return ``limit`` bounded by the API's maximum page size; without one, the API's
        default page size."""
        if limit in (None, False):
            return self.page_size_default
        if limit > self.page_size_max:
            raise ApiError(400, f"limit is at most {self.page_size_max} on this API.",
                           code="page_too_large", source={"parameter": "limit"})
        return limit

    def _api_call_check_specification(self, api_request, records, specification):
        """Check every field a web_read-style specification reaches, recursively."""
        if self.access_mode != "user":
            raise ApiError(403, "Methods reading a field specification are only available "
                                "in the User access mode; use read or search_read.",
                           code="method_not_allowed")
        if specification is None:
            return
        if not isinstance(specification, dict):
            raise ApiError(400, "The specification must be an object.",
                           code="invalid_arguments", source={"parameter": "specification"})
        api_request.check_fields(records, list(specification), "read")
        for name, spec in specification.items():
            field = records._fields[name]
            if isinstance(spec, dict) and spec.get("fields") and field.relational:
                self._api_call_check_specification(
                    api_request, api_request.env[field.comodel_name], spec["fields"])

    @api.model
    def _api_call_names(self, names, argument):
        """Return ``names`` (a name or a list of names) as a list of strings."""
        if not names:
            return []
        if isinstance(names, str):
            names = [names]
        if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
            raise ApiError(400, f"{argument} must be a field name or a list of field names.",
                           code="invalid_fields", source={"parameter": argument})
        return names

    @api.model
    def _api_call_field_specs(self, specs):
        """Return the field names that ``fields`` specs such as ``amount:sum`` or
        ``total:sum(amount)`` read."""
        names = []
        for spec in specs:
            name, _colon, aggregate = spec.partition(":")
            if "(" in aggregate:
                name = aggregate.partition("(")[2].rstrip(")")
            if name and name != "__count":
                names.append(name.split("/")[0].split(".")[0])
        return names

    # ------------------------------------------------------------------
    # Results
    # ------------------------------------------------------------------

    def _api_call_shape(self, api_request, records, method_name, result):
        """Answer only what the API serves: ``fields_get`` describes the fields it serves;
        where an allow-list applies, a many2one whose display name the API does not serve
        (see ``_api_display_name_served``) answers its id alone, and an x2many leaves out
        the records outside its model's access domain."""
        if method_name == "fields_get" and isinstance(result, dict):
            return {name: description for name, description in result.items()
                    if self._api_field_allowed(api_request, records, name, "read")}
        if not self._api_uses_allow_list():
            return result
        if method_name in ("read", "search_read") and isinstance(result, list):
            rows = self._api_call_hide_lines(api_request, records, result)
            return self._api_call_shape_rows(api_request, records, rows)
        if method_name == "read_group" and isinstance(result, list):
            return self._api_call_shape_rows(api_request, records, result, groups=True)
        if method_name == "web_read_group" and isinstance(result, dict) \
                and isinstance(result.get("groups"), list):
            groups = self._api_call_shape_rows(api_request, records, result["groups"],
                                               groups=True)
            return dict(result, groups=groups)
        return result

    def _api_call_hide_lines(self, api_request, model, rows):
        """Leave out of x2many values the records outside their model's access domain:
        the API serves them nowhere else either (one query per such field)."""
        names = {name for row in rows[:1] if isinstance(row, dict) for name in row}
        for name in names:
            field = model._fields.get(name)
            if field is None or field.type not in ("one2many", "many2many"):
                continue
            comodel = api_request.env[field.comodel_name]
            if not self._api_access_domain(api_request, comodel):
                continue
            ids = {id_ for row in rows for id_ in (row.get(name) or ())}
            hidden = self._api_records_outside(api_request, comodel.browse(ids))
            if hidden:
                for row in rows:
                    if isinstance(row.get(name), list):
                        row[name] = [id_ for id_ in row[name] if id_ not in hidden]
        return rows

    def _api_call_shape_rows(self, api_request, model, rows, groups=False):
        # a group's value is [id, name] for a many2many too (records read it as ids)
        types = ("many2one", "many2many") if groups else ("many2one",)
        names = {name for row in rows[:1] if isinstance(row, dict) for name in row}
        hidden = [name for name in names
                  if name in model._fields and model._fields[name].type in types
                  and not self._api_display_name_served(api_request, model._fields[name])]
        if not hidden:
            return rows
        for row in rows:
            for name in hidden:
                value = row.get(name)
                if isinstance(value, (list, tuple)) and len(value) == 2:
                    row[name] = value[0]
        return rows

    @api.model
    def _api_call_result(self, method, result, args):
        api_kind = getattr(method, "_api", None)
        if method.__name__ == "check_access_rights" and result is None:
            # Odoo 18 answers None once the right is checked; clients expect a boolean.
            return True
        if api_kind == "model_create":
            return result.id if args and isinstance(args[0], dict) else result.ids
        return result
