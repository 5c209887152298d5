"""The ``api`` request type: Odoo's transaction handling, with API error rendering.

Odoo runs each request in a transaction that it commits when the endpoint returns and
rolls back when it raises; it then asks the request's dispatcher to turn the exception
into a response. This dispatcher does so in the API's protocol format, never creates a
session and never sets a cookie.
"""

import logging

from odoo.http import Dispatcher, Response

from ..tools.errors import to_api_error
from ..tools.serialization import json_dumps

_logger = logging.getLogger(__name__)


class ApiDispatcher(Dispatcher):
    routing_type = "api"

    @classmethod
    def is_compatible_with(cls, request):
        return True

    def pre_dispatch(self, rule, args):
        self.request.session.can_save = False
        self.request.params = {}

    def dispatch(self, endpoint, args):
        self.request.params = dict(args)
        return self.request.registry["ir.http"]._dispatch(endpoint)

    def post_dispatch(self, response):
        self.request._inject_future_response(response)

    def handle_error(self, exc):
        api_request = getattr(self.request, "api_request", None)
        if api_request is not None and self.request.env is not None:
            return self.request.env["api.api"]._api_handle_exception(api_request, exc)
        error = to_api_error(exc)
        body = {"error": {"status": error.status, "code": error.error_code,
                          "title": error.title, "message": error.detail}}
        return Response(json_dumps(body), status=error.status,
                        content_type="application/json")
