"""Documentation of each published API, served below its endpoint.

Routes (see :func:`~odoo.addons.api_framework_base.tools.api_route`):

- ``GET /<endpoint>/openapi.json``: the OpenAPI 3.1 document, for protocols that have a
  builder ``_api_doc_openapi_<protocol>(self, api_request)`` (REST-JSON and JSON:API here);
- ``GET /<endpoint>/schema.graphql``: the GraphQL schema in SDL, for APIs whose protocol
  module provides ``_api_graphql_schema(user)`` (a graphql-core ``GraphQLSchema``);
- ``GET /<endpoint>/postman.json``: a Postman collection v2.1;
- ``GET /<endpoint>/docs`` (Swagger UI), ``/<endpoint>/docs/redoc`` (Redoc) and
  ``/<endpoint>/graphiql`` (GraphiQL): static pages, served without authentication, that
  load the documents above with credentials the reader enters in the page.

The documents need the API's credentials like any call, and describe what the
authenticated caller may reach: a model the API does not allow never appears. Backend
users of the Documentation Viewer group get the same documents through the session
routes of ``controllers/main.py``.
"""

import logging
import time

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError
from odoo.http import Response

from odoo.addons.api_framework_base.models.api_api import CHECKED_METHODS, method_operation
from odoo.addons.api_framework_base.models.api_method_call import SPECIFICATION_ARGUMENTS
from odoo.addons.api_framework_base.tools import ApiError, api_route
from odoo.addons.api_framework_base.tools.api_request import ApiRequest

from ..tools.assets import assets_status, install_command
from ..tools.openapi import OPENAPI_VERSION, error_schema

_logger = logging.getLogger(__name__)

CRUD_OPERATIONS = ("read", "create", "write", "unlink", "call")
GRAPHQL_PROTOCOL = "graphql"
PAGE_TITLES = {"swagger": "Swagger UI", "redoc": "Redoc", "graphiql": "GraphiQL"}


class ApiApi(models.Model):
    _inherit = "api.api"

    doc_kind = fields.Selection(
        [("openapi", "OpenAPI"), ("graphql", "GraphQL")], compute="_compute_doc_kind",
        string="Documentation",
        help="The kind of documentation the API's protocol offers, if any.",
    )

    @api.depends("protocol")
    def _compute_doc_kind(self):
        for record in self:
            record.doc_kind = record._api_doc_kind() or False

    def _api_doc_kind(self):
        """Return ``"openapi"``, ``"graphql"`` or ``None`` for this API's protocol."""
        if not self.protocol:
            return None
        if hasattr(self, f"_api_doc_openapi_{self.protocol}"):
            return "openapi"
        if self.protocol == GRAPHQL_PROTOCOL and hasattr(self, "_api_graphql_schema"):
            return "graphql"
        return None

    # ------------------------------------------------------------------
    # Routes below the API's endpoint
    # ------------------------------------------------------------------

    @api_route("/openapi.json", methods=["GET"])
    def _api_route_doc_openapi(self, api_request):
        """Answer the OpenAPI document of the API, as the caller may use it."""
        return self._api_json_response(self._api_doc_openapi(api_request))

    @api_route("/postman.json", methods=["GET"])
    def _api_route_doc_postman(self, api_request):
        """Answer a Postman collection v2.1 of the API."""
        return self._api_doc_download_response(
            self._api_doc_postman(api_request), f"{self.endpoint}.postman_collection.json")

    @api_route("/schema.graphql", methods=["GET"])
    def _api_route_doc_graphql_schema(self, api_request):
        """Answer the GraphQL schema of the API in SDL."""
        response = Response(self._api_doc_graphql_sdl(api_request), status=200)
        response.headers["Content-Type"] = "application/graphql; charset=utf-8"
        return response

    @api_route("/docs", methods=["GET"], auth=False)
    def _api_route_doc_swagger(self, api_request):
        """Answer the Swagger UI page, which asks the reader for credentials."""
        return self._api_doc_page(api_request, "swagger")

    @api_route("/docs/redoc", methods=["GET"], auth=False)
    def _api_route_doc_redoc(self, api_request):
        """Answer the Redoc page, which asks the reader for credentials."""
        return self._api_doc_page(api_request, "redoc")

    @api_route("/graphiql", methods=["GET"], auth=False)
    def _api_route_doc_graphiql(self, api_request):
        """Answer the GraphiQL page, which asks the reader for credentials."""
        return self._api_doc_page(api_request, "graphiql")

    # ------------------------------------------------------------------
    # Documents
    # ------------------------------------------------------------------

    def _api_doc_openapi(self, api_request):
        """Return the OpenAPI document for ``api_request``'s caller, as a dict.

        The document is cached in the registry cache, per API and per
        :meth:`_api_doc_cache_key`: it is shared, never modify it. Every change of an API,
        of its allow-list, of users' groups or access rights and every module installation
        clears that cache."""
        if not hasattr(self, f"_api_doc_openapi_{self.protocol}"):
            raise ApiError(404, "This API's protocol is not described by OpenAPI.",
                           code="no_openapi_document")
        return self._api_doc_openapi_cached(self._api_doc_cache_key(api_request), api_request)

    def _api_doc_cache_key(self, api_request):
        """Hook: return what the OpenAPI document depends on besides the API's
        configuration: the caller (its groups decide which models and fields it may
        read, whatever the access mode), the URL it was reached at, the language and the
        credential's own restrictions (e.g. OAuth2 scopes)."""
        user = api_request.user
        scopes = getattr(api_request, "oauth2_scopes", None)
        return (
            user.id if user else None,
            api_request.base_url,
            api_request.env.lang,
            frozenset(scopes) if scopes is not None else None,
        )

    @tools.ormcache("self.id", "cache_key")
    def _api_doc_openapi_cached(self, cache_key, api_request):
        started = time.perf_counter()
        document = getattr(self, f"_api_doc_openapi_{self.protocol}")(api_request)
        _logger.debug("API %s: OpenAPI document of %d paths built in %.0f ms",
                      self.endpoint, len(document.get("paths", {})),
                      (time.perf_counter() - started) * 1000)
        return document

    def _api_doc_graphql_schema(self, api_request):
        """Return the GraphQL schema as ``api_request``'s caller sees it: api_graphql's
        ``_api_graphql_schema(user)``, cached per API and set of the user's groups, leaves
        out the fields (and in User mode the models) the caller may not read."""
        if self.protocol != GRAPHQL_PROTOCOL or not hasattr(self, "_api_graphql_schema"):
            raise ApiError(404, "This API does not serve GraphQL.", code="no_graphql_schema")
        return self._api_graphql_schema(api_request.user)

    def _api_doc_graphql_sdl(self, api_request):
        """Return the GraphQL schema of the API in SDL."""
        from graphql import print_schema

        return print_schema(self._api_doc_graphql_schema(api_request))

    @api.model
    def _api_doc_download_response(self, payload, filename):
        response = self._api_json_response(payload)
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    # ------------------------------------------------------------------
    # What the caller may reach
    # ------------------------------------------------------------------

    def _api_doc_models(self, api_request):
        """Return ``{model name: {operation: allowed}}`` of the models the caller may use
        through this API, sorted by name; models allowing nothing are left out."""
        rules = self._api_access_rules()
        if self.access_mode == "custom" or (self.access_mode == "sudo" and rules):
            candidates = list(rules)
        else:
            candidates = list(self.env.registry.models)
        result = {}
        for name in sorted(candidates):
            operations = {}
            for operation in CRUD_OPERATIONS:
                try:
                    api_request.get_model(name, operation)
                except (ApiError, AccessError):
                    operations[operation] = False
                else:
                    operations[operation] = True
            if operations["read"] or any(operations.values()):
                result[name] = operations
        return result

    def _api_doc_fields(self, api_request, model):
        """Return the fields of ``model`` the caller may read, by name, ``id`` first."""
        names = api_request.readable_fields(model)
        ordered = sorted(names, key=lambda name: (name != "id", name))
        return {name: model._fields[name] for name in ordered}

    def _api_doc_methods(self, api_request, model, operations):
        """Return the sorted names of the methods of ``model`` the caller may call, or
        None in the User access mode, where any public method runs with the caller's
        rights. Where an allow-list applies, and as superuser, only the methods whose
        arguments the framework checks run (``CHECKED_METHODS``, less those reading a
        field specification, which need the User mode), and those the model's line
        names; each needs its operation (``operations``) and passes ``check_method``."""
        if self.access_mode == "user":
            return None
        rule = self._api_rule(model._name) or {}
        candidates = (set(CHECKED_METHODS) | set(rule.get("methods") or ())) \
            - set(SPECIFICATION_ARGUMENTS)
        return sorted(name for name in candidates
                      if operations.get(method_operation(name))
                      and self._api_doc_method_served(api_request, model, name))

    def _api_doc_method_served(self, api_request, model, method_name):
        try:
            api_request.check_method(model, method_name)
        except (ApiError, AccessError):
            return False
        return True

    def _api_doc_relation_writable(self, api_request, field):
        """Whether values given to ``field`` may name records: a relation only when its
        model is served (where an allow-list applies, when it is listed), since the
        framework refuses values that name records of other models (``ValuesCheck``)."""
        if not field.relational:
            return True
        if field.comodel_name in self._api_denied_models():
            return False
        return not self._api_uses_allow_list() \
            or field.comodel_name in self._api_access_rules()

    # ------------------------------------------------------------------
    # Parts shared by the OpenAPI documents
    # ------------------------------------------------------------------

    def _api_doc_info(self):
        """Return the OpenAPI ``info`` object from the API's meta information."""
        info = {
            "title": self.name,
            "version": self.meta_version or "1.0",
            "description": self.description or self.env._(
                "%(name)s, served by Odoo.", name=self.name),
        }
        if self.meta_author_name or self.meta_author_email:
            contact = {}
            if self.meta_author_name:
                contact["name"] = self.meta_author_name
            if self.meta_author_email:
                contact["email"] = self.meta_author_email
            info["contact"] = contact
        return info

    def _api_doc_security(self, api_request):
        """Return ``(security schemes, security requirements)`` of the API's
        authentication; ``_api_doc_security_<auth_type>`` may describe other types."""
        describe = getattr(self, f"_api_doc_security_{self.auth_type}", None)
        if describe:
            return describe(api_request)
        return {"bearerAuth": {"type": "http", "scheme": "bearer"}}, [{"bearerAuth": []}]

    def _api_doc_security_apikey(self, api_request):
        return ({"apiKey": {"type": "apiKey", "in": "header", "name": "x-api-key",
                            "description": "A key of this API, created in Odoo."}},
                [{"apiKey": []}])

    def _api_doc_security_basic(self, api_request):
        return ({"basicAuth": {"type": "http", "scheme": "basic",
                               "description": "Odoo login and password or API key."}},
                [{"basicAuth": []}])

    def _api_doc_security_user(self, api_request):
        return ({
            "userLogin": {"type": "apiKey", "in": "header", "name": "username"},
            "userPassword": {"type": "apiKey", "in": "header", "name": "password"},
        }, [{"userLogin": [], "userPassword": []}])

    def _api_doc_security_oauth2(self, api_request):
        base_url = api_request.base_url
        flows = {
            "authorizationCode": {
                "authorizationUrl": f"{base_url}/oauth2/authorize",
                "tokenUrl": f"{base_url}/oauth2/token",
                "refreshUrl": f"{base_url}/oauth2/token",
                "scopes": {},
            },
            "clientCredentials": {"tokenUrl": f"{base_url}/oauth2/token", "scopes": {}},
        }
        return {"oauth2": {"type": "oauth2", "flows": flows}}, [{"oauth2": []}]

    def _api_doc_document(self, api_request, error_media_type="application/json",
                          error_schema_value=None):
        """Return the frame of an OpenAPI document: info, server, security, errors."""
        schemes, requirements = self._api_doc_security(api_request)
        error_ref = {"$ref": "#/components/schemas/Error"}
        responses = {}
        for status, text in (
            ("400", "The request is malformed."),
            ("401", "Credentials are missing or wrong."),
            ("403", "The caller may not do this."),
            ("404", "The model, record or path does not exist for this API."),
            ("415", "The request body has another media type."),
            ("422", "Odoo refused the values."),
            ("429", "Too many failed authentications: retry later."),
        ):
            responses[status] = {
                "description": text,
                "content": {error_media_type: {"schema": error_ref}},
            }
        document = {
            "openapi": OPENAPI_VERSION,
            "info": self._api_doc_info(),
            "servers": [{"url": api_request.base_url}],
            "security": requirements,
            "tags": [],
            "paths": {},
            "components": {
                "securitySchemes": schemes,
                "schemas": {"Error": error_schema_value or error_schema()},
                "responses": responses,
            },
        }
        if self.meta_doc_url:
            document["externalDocs"] = {"url": self.meta_doc_url}
        return document

    @api.model
    def _api_doc_error_responses(self, *statuses):
        return {str(status): {"$ref": f"#/components/responses/{status}"}
                for status in statuses}

    # ------------------------------------------------------------------
    # Pages
    # ------------------------------------------------------------------

    def _api_doc_page(self, api_request, page, backend=False):
        """Return the HTML page ``page`` (swagger, redoc or graphiql) of the API."""
        kind = self._api_doc_kind()
        wanted = "graphql" if page == "graphiql" else "openapi"
        if kind != wanted:
            raise ApiError(404, "This API offers no such documentation page.",
                           code="no_documentation")
        assets = assets_status(self.env)
        values = {
            "api": self,
            "page": page,
            "api_url": f"/{self.endpoint}",
            "document_url": self._api_doc_document_url(page, backend),
            "backend": backend,
            "auth_type": self.auth_type,
            "missing_assets": assets["missing"],
            "assets_path": assets["path"],
            "install_command": install_command(assets["path"]),
            "page_title": PAGE_TITLES[page],
            "swagger_url": f"/api_doc/api/{self.id}/docs" if backend
            else f"/{self.endpoint}/docs",
            "redoc_url": f"/api_doc/api/{self.id}/redoc" if backend
            else f"/{self.endpoint}/docs/redoc",
        }
        html = self.env["ir.qweb"]._render("api_doc.api_doc_page", values)
        response = Response(html, status=503 if assets["missing"] else 200)
        response.headers["Content-Type"] = "text/html; charset=utf-8"
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    def _api_doc_document_url(self, page, backend):
        name = "schema.graphql" if page == "graphiql" else "openapi.json"
        if backend:
            return f"/api_doc/api/{self.id}/{name}"
        return f"/{self.endpoint}/{name}"

    # ------------------------------------------------------------------
    # Backend: documents for logged-in Documentation Viewers
    # ------------------------------------------------------------------

    def _api_doc_backend_request(self, httprequest, user):
        """Return an :class:`ApiRequest` that describes the API as ``user`` sees it."""
        self.ensure_one()
        api_request = ApiRequest(self, httprequest, "")
        api_request.user = user
        api_request.identity = user.login
        env = self.env(user=user.id, su=False)
        context = dict(user.with_user(user).context_get())
        context["allowed_company_ids"] = [
            self.company_id.id if self.company_id in user.company_ids else user.company_id.id]
        env = env(context=context)
        api_request.env = env(su=True) if self.access_mode == "sudo" else env
        return api_request

    def _api_doc_action_url(self, name):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/api_doc/api/{self.id}/{name}",
            "target": "new",
        }

    def action_api_doc_swagger(self):
        """Open Swagger UI on the API's document."""
        return self._api_doc_action_url("docs")

    def action_api_doc_redoc(self):
        """Open Redoc on the API's document."""
        return self._api_doc_action_url("redoc")

    def action_api_doc_graphiql(self):
        """Open GraphiQL on the API."""
        return self._api_doc_action_url("graphiql")

    def action_api_doc_openapi(self):
        """Download the API's OpenAPI document."""
        return self._api_doc_action_url("openapi.json")

    def action_api_doc_postman(self):
        """Download the API's Postman collection."""
        return self._api_doc_action_url("postman.json")
