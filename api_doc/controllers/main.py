"""Routes outside the APIs' endpoints: the third-party UI assets, and the documents of
each API for logged-in backend users of the Documentation Viewer group."""

import logging

from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.http import request

from ..tools.assets import asset_file

_logger = logging.getLogger(__name__)

DOC_VIEWER_GROUP = "api_framework_base.group_api_doc_viewer"
BACKEND_PAGES = {"docs": "swagger", "redoc": "redoc", "graphiql": "graphiql"}


class ApiDocController(http.Controller):

    @http.route("/api_doc/assets/<string:name>", type="http", auth="none", methods=["GET"],
                save_session=False)
    def api_doc_asset(self, name):
        """Serve one file of the installed Swagger UI, Redoc or GraphiQL packages."""
        found = asset_file(request.env, name)
        if not found:
            raise NotFound()
        path, content_type = found
        with open(path, "rb") as asset:
            content = asset.read()
        return request.make_response(content, headers=[
            ("Content-Type", f"{content_type}; charset=utf-8"),
            ("Cache-Control", "public, max-age=86400"),
            ("X-Content-Type-Options", "nosniff"),
        ])

    def _api_doc_backend_api(self, api_id):
        if not request.env.user.has_group(DOC_VIEWER_GROUP):
            raise Forbidden()
        api = request.env["api.api"].browse(api_id).exists()
        if not api:
            raise NotFound()
        api.check_access("read")
        return api.sudo()

    @http.route("/api_doc/api/<int:api_id>/<any(docs,redoc,graphiql):page>", type="http",
                auth="user", methods=["GET"])
    def api_doc_backend_page(self, api_id, page):
        """Swagger UI, Redoc or GraphiQL on an API's document, for a backend user."""
        api = self._api_doc_backend_api(api_id)
        try:
            return api._api_doc_page(None, BACKEND_PAGES[page], backend=True)
        except Exception as exc:
            if getattr(exc, "status", None) == 404:
                raise NotFound() from None
            raise

    @http.route("/api_doc/api/<int:api_id>/<any('openapi.json','postman.json',"
                "'schema.graphql'):name>", type="http", auth="user", methods=["GET"])
    def api_doc_backend_document(self, api_id, name):
        """An API's OpenAPI document, Postman collection or GraphQL schema, describing
        what the logged-in user would reach through the API."""
        api = self._api_doc_backend_api(api_id)
        api_request = api._api_doc_backend_request(request.httprequest, request.env.user)
        try:
            if name == "openapi.json":
                return api._api_json_response(api._api_doc_openapi(api_request))
            if name == "postman.json":
                return api._api_doc_download_response(
                    api._api_doc_postman(api_request),
                    f"{api.endpoint}.postman_collection.json")
            response = request.make_response(
                api._api_doc_graphql_sdl(api_request),
                headers=[("Content-Type", "application/graphql; charset=utf-8")])
            return response
        except Exception as exc:
            if getattr(exc, "status", None) == 404:
                raise NotFound() from None
            raise
