import json

from odoo import http
from odoo.http import request


class OAuth2MetadataController(http.Controller):

    @http.route("/.well-known/oauth-authorization-server/<string:endpoint>", type="http",
                auth="none", methods=["GET"], csrf=False, save_session=False)
    def oauth2_metadata(self, endpoint):
        """The metadata of an API's authorization server at the path RFC 8414 section 3
        derives from its issuer ``https://host/<endpoint>``."""
        api_record = request.env["api.api"].sudo()._oauth2_api_for_endpoint(endpoint)
        if not api_record:
            return request.make_json_response(
                {"error": "not_found", "error_description": "No such OAuth2 API."},
                status=404)
        issuer = request.httprequest.host_url.rstrip("/") + "/" + api_record.endpoint
        return request.make_response(
            json.dumps(api_record._oauth2_metadata(issuer)),
            headers=[("Content-Type", "application/json"), ("Cache-Control", "max-age=300")])
