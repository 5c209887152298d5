"""The ``jsonapi`` protocol of ``api.api``: the work is done by tools/handler.py."""

import logging

from odoo import api, fields, models

from ..tools.handler import JSONAPI_VERSION, JsonApiHandler
from ..tools.negotiation import MEDIA_TYPE

_logger = logging.getLogger(__name__)


class ApiApi(models.Model):
    _inherit = "api.api"

    protocol = fields.Selection(
        selection_add=[("jsonapi", "JSON:API")], ondelete={"jsonapi": "cascade"})
    jsonapi_upload_max_size = fields.Integer(
        string="Upload Size Limit (MB)", default=25,
        help="Largest file accepted by a JSON:API upload or base64 attribute, in megabytes; "
             "0 for no limit.",
    )

    def _api_serve_jsonapi(self, api_request):
        """Serve a JSON:API 1.1 request, see tools/handler.py for the paths."""
        return JsonApiHandler(self, api_request).serve()

    @api.model
    def _api_error_response_jsonapi(self, api_request, error):
        """Render ``error`` as a JSON:API error document (no database access)."""
        error_object = {
            "id": api_request.request_id,
            "status": str(error.status),
            "code": error.error_code,
            "title": error.title,
            "detail": error.detail,
        }
        source = {key: value for key, value in (error.source or {}).items()
                  if key in ("pointer", "parameter", "header") and isinstance(value, str)}
        if "pointer" in source and source["pointer"] and not source["pointer"].startswith("/"):
            source["pointer"] = "/" + source["pointer"]
        if source:
            error_object["source"] = source
        if error.debug_traceback:
            error_object["meta"] = {"traceback": error.debug_traceback}
        document = {"errors": [error_object], "jsonapi": JSONAPI_VERSION}
        return self._api_json_response(document, status=error.status, content_type=MEDIA_TYPE)
