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

# Methods whose ``domain`` argument the access domain of the "custom" mode is added to.
DOMAIN_METHODS = {"search", "search_read", "search_count", "read_group", "web_search_read",
                  "web_read_group", "search_fetch"}
# Methods that read fields given by name, checked against the fields the caller may read.
FIELD_METHODS = {"read", "search_read", "web_search_read", "read_group", "export_data"}


class ApiApi(models.Model):
    _inherit = "api.api"

    def _api_call_method(self, api_request, model, method_name, args, kwargs, records=None):
        """Call the public method ``method_name`` of ``model`` as Odoo's RPC ``call_kw``
        does, within the access mode, and return its result.

        Record methods run on ``records`` when given, else on the ids in ``args[0]`` as in
        Odoo's RPC. Domains are restricted to the access domain, fields, orders and values
        are checked against what the API serves; ``create`` answers ids, and
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
            _logger.info("API %s: %s.%s refused its arguments", self.endpoint, model._name,
                         method_name, exc_info=True)
            raise ApiError(400, f"Invalid arguments for {method_name}: {exc}",
                           code="invalid_arguments") from exc
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
        """Check the domains, fields, groupings and orders of the bound arguments against
        what the API serves, and restrict domains to its access domain."""
        arguments = bound.arguments
        if method_name in DOMAIN_METHODS:
            domain = arguments.get("domain")
            domain = [] if domain is None else domain
            api_request.check_domain(records, domain)
            arguments["domain"] = domain
            access_domain = api_request.access_domain(records)
            if access_domain:
                arguments["domain"] = expression.AND([domain, access_domain])
        for name in ("limit", "offset"):
            value = arguments.get(name)
            if value not in (None, False) and (
                    not isinstance(value, int) or isinstance(value, bool) or value < 0):
                raise ApiError(400, f"{name} must be a positive integer.",
                               code="invalid_arguments", source={"parameter": name})
        if isinstance(arguments.get("order") or arguments.get("orderby"), str):
            api_request.check_order(records, arguments.get("order") or arguments["orderby"])
        if method_name in FIELD_METHODS:
            names = self._api_call_names(arguments.get("fields"), "fields")
            if names:
                api_request.check_fields(records, self._api_call_field_specs(names), "read")
            elif method_name != "read_group":
                arguments["fields"] = api_request.readable_fields(records)
        if method_name == "read_group":
            names = self._api_call_names(arguments.get("groupby"), "groupby")
            api_request.check_fields(records, [name.split(":")[0] for name in names], "read")
        if method_name in ("create", "write"):
            values = arguments.get("vals_list") if method_name == "create" \
                else arguments.get("vals")
            for vals in values if isinstance(values, list) else [values]:
                if not isinstance(vals, dict):
                    raise ApiError(400, f"{method_name} expects field values as objects.",
                                   code="invalid_values")
                api_request.check_fields(records, list(vals), method_name)

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

    @api.model
    def _api_call_result(self, method, result, args):
        api_kind = getattr(method, "_api", None)
        if method.__name__ == "check_access_rights" and result is None:
            # Odoo 18 answers None once the right is checked; clients expect a boolean.
            return True
        if api_kind == "model_create":
            return result.id if args and isinstance(args[0], dict) else result.ids
        return result
