"""REST-JSON: ORM method calls over plain JSON.

``POST /<endpoint>/<model>/<method>`` with ``{"args": [...], "kwargs": {...}}`` calls the
method as Odoo's own JSON-RPC ``call_kw`` would, within the API's access mode, and answers
the result as JSON. ``GET /<endpoint>`` describes the API.
"""

import logging

from odoo import api, fields, models

from odoo.addons.api_framework_base.models.api_api import method_operation
from odoo.addons.api_framework_base.tools import ApiError

_logger = logging.getLogger(__name__)

MEDIA_TYPES = ("application/json",)


class ApiApi(models.Model):
    _inherit = "api.api"

    protocol = fields.Selection(
        selection_add=[("rest_json", "REST-JSON")], ondelete={"rest_json": "cascade"})

    def _api_serve_rest_json(self, api_request):
        """Answer ``GET /`` with the API description, ``POST /<model>/<method>`` with the
        method's result."""
        parts = [part for part in api_request.subpath.split("/") if part]
        if not parts:
            if api_request.method not in ("GET", "HEAD"):
                raise ApiError(405, "Use GET on the API root.", headers={"Allow": "GET"})
            return self._api_json_response(self._rest_json_describe(api_request))
        if len(parts) != 2:
            raise ApiError(404, "Call a method at /<model>/<method>.", code="unknown_path")
        if api_request.method != "POST":
            raise ApiError(405, "Methods are called with POST.", headers={"Allow": "POST"})

        model_name, method_name = parts
        # Refuse what can never run before reading anything the caller sent.
        api_request.check_method_name(method_name)
        operation = method_operation(method_name)
        model = api_request.get_model(model_name, operation)
        api_request.check_method(model, method_name)
        payload = api_request.get_json_body(media_types=MEDIA_TYPES, required=False) or {}
        args, kwargs = self._rest_json_parse_payload(payload)
        result = api_request.call_method(model, method_name, args, kwargs)
        return self._api_json_response({"result": self._rest_json_result(result)})

    def _rest_json_describe(self, api_request):
        return {
            "name": self.name,
            "protocol": "rest_json",
            "meta": self._api_meta(),
            "user": {"id": api_request.user.id, "login": api_request.user.login},
        }

    @api.model
    def _rest_json_parse_payload(self, payload):
        if not isinstance(payload, dict):
            raise ApiError(400, 'The body must be a JSON object {"args": [...], '
                                '"kwargs": {...}}.', code="invalid_body")
        unknown = set(payload) - {"args", "kwargs"}
        if unknown:
            raise ApiError(400, f"Unknown members in the body: {', '.join(sorted(unknown))}.",
                           code="invalid_body", source={"pointer": f"/{sorted(unknown)[0]}"})
        args = payload.get("args", [])
        kwargs = payload.get("kwargs", {})
        if not isinstance(args, list):
            raise ApiError(400, "args must be a list.", code="invalid_body",
                           source={"pointer": "/args"})
        if not isinstance(kwargs, dict):
            raise ApiError(400, "kwargs must be an object.", code="invalid_body",
                           source={"pointer": "/kwargs"})
        return args, kwargs

    @api.model
    def _rest_json_result(self, result):
        """Answer recordsets as lists of ids, as Odoo's RPC does."""
        if isinstance(result, models.BaseModel):
            return result.ids
        return result
