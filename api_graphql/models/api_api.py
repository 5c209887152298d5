"""GraphQL protocol: ``POST /<endpoint>`` (and ``GET`` for queries) runs a GraphQL
request against a schema generated from the models the API's access mode allows.

The schema is built once per API, set of the caller's groups and worker by
:meth:`ApiApi._api_graphql_schema`, an ormcache cleared with the registry caches (writes
on ``api.api`` and ``api.access``, module installs, access-right and group changes), and
is the contract other addons use (e.g. to print the SDL or serve GraphiQL).
"""

import json
import logging

from graphql import GraphQLSchema

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.http import request

from odoo.addons.api_framework_base.tools import ApiError

from ..tools.context import GraphQLRequestContext
from ..tools.errors import GraphQLResultError
from ..tools.executor import ExecutionOptions, GraphQLParams, run_graphql
from ..tools.schema_builder import SchemaBuilder

_logger = logging.getLogger(__name__)

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"


class ApiApi(models.Model):
    _inherit = "api.api"

    protocol = fields.Selection(
        selection_add=[("graphql", "GraphQL")], ondelete={"graphql": "cascade"})
    graphql_introspection = fields.Boolean(
        string="GraphQL Introspection", default=True,
        help="Answer introspection queries (GraphiQL and code generators need them). "
             "Turn it off in production to hide the schema.",
    )
    graphql_max_depth = fields.Integer(
        string="GraphQL Maximum Depth", default=10,
        help="Deepest nesting of selections an operation may have; 0 for no limit.",
    )
    graphql_max_complexity = fields.Integer(
        string="GraphQL Maximum Complexity", default=1000,
        help="Most fields an operation may select once fragments are expanded; 0 for no "
             "limit.",
    )

    @api.constrains("graphql_max_depth", "graphql_max_complexity")
    def _check_graphql_limits(self):
        for record in self:
            if record.graphql_max_depth < 0 or record.graphql_max_complexity < 0:
                raise ValidationError(self.env._(
                    "The GraphQL limits of %(api)s cannot be negative.", api=record.name))

    # ------------------------------------------------------------------
    # Schema
    # ------------------------------------------------------------------

    @tools.ormcache("self.id", "self._api_graphql_audience(user)")
    def _api_graphql_schema(self, user=None) -> GraphQLSchema:
        """Return the GraphQL schema of this API as ``user`` sees it, cached per API,
        set of groups and worker.

        As Odoo's ``fields_get`` does, the schema leaves out the fields whose groups the
        user lacks; in the *User* access mode, also the models the user may not read.
        Without a user (e.g. for documentation), what one of the API's users may read.
        """
        self.ensure_one()
        api = self.sudo()
        users = user if user else api.user_ids
        model_fields = api._api_graphql_model_fields(users)
        denied_fields = api._api_graphql_denied_fields(model_fields, users)
        return SchemaBuilder(api.env, model_fields, denied_fields).build()

    def _api_graphql_audience(self, user):
        """Return what the schema of ``user`` depends on: its groups, and whether the
        request is in debug mode (which ``base.group_no_one`` needs); None for the API's
        users as a whole."""
        if not user:
            return None
        return tuple(sorted(user._get_group_ids())), bool(request and request.session.debug)

    def _api_graphql_introspection_enabled(self) -> bool:
        """Whether the API answers introspection queries."""
        return bool(self.graphql_introspection)

    def _api_graphql_model_fields(self, users=None):
        """Return ``{model name: allowed field names, or None for every field}`` of the
        models the schema holds: the allow-list in custom mode (and sudo with rules);
        otherwise every stored model, in user mode those one of ``users`` (by default the
        API's users) may read."""
        rules = self._api_access_rules()
        if self.access_mode == "custom" or (self.access_mode == "sudo" and rules):
            candidates = {name: rule["fields"] or None for name, rule in rules.items()}
        else:
            candidates = dict.fromkeys(self.env.registry, None)
        if users is None:
            users = self.user_ids
        if self.access_mode == "sudo":
            users = self.env["res.users"]
        denied = self._api_denied_models()
        result = {}
        for name, allowed in candidates.items():
            model = self.env.registry.get(name)
            if model is None or model._abstract or model._transient or name in denied:
                continue
            if users and not any(self.env[name].with_user(user).has_access("read")
                                 for user in users):
                continue
            result[name] = allowed
        return result

    def _api_graphql_denied_fields(self, model_names, users):
        """Return ``{model name: field names}`` the schema leaves out: those no access
        mode serves, and those whose groups none of ``users`` belongs to (reading them
        is refused in every access mode)."""
        denied = {name: set(names) for name, names in self._api_denied_fields().items()}
        envs = [self.env(user=user.id, su=False) for user in users]
        if not envs:
            return denied
        for model_name in model_names:
            for name, field in self.env[model_name]._fields.items():
                if field.groups and not any(field.is_accessible(env) for env in envs):
                    denied.setdefault(model_name, set()).add(name)
        return denied

    # ------------------------------------------------------------------
    # Serving
    # ------------------------------------------------------------------

    def _api_serve_graphql(self, api_request):
        """Answer a GraphQL-over-HTTP request: POST with a JSON body, GET for queries."""
        if api_request.subpath.strip("/"):
            raise ApiError(404, "GraphQL answers at the API's root URL.", code="unknown_path")
        media_type = self._graphql_media_type(api_request, strict=True)
        params = self._graphql_params(api_request)
        options = ExecutionOptions(
            max_depth=self.graphql_max_depth,
            max_complexity=self.graphql_max_complexity,
            introspection=self._api_graphql_introspection_enabled(),
            debug=api_request.debug,
            api_name=api_request.api_name,
            http_method=api_request.method,
            request_error_status=400 if media_type == GRAPHQL_RESPONSE else 200,
        )
        context = GraphQLRequestContext(api_request)
        schema = self._api_graphql_schema(api_request.user)
        payload, status = run_graphql(schema, params, context, options)
        # errors answered with 200 still count as errors (api_log's Errors Only mode)
        api_request.has_errors = bool(payload.get("errors"))
        return self._api_json_response(payload, status=status, content_type=media_type)

    def _graphql_params(self, api_request):
        method = api_request.method
        if method in ("GET", "HEAD"):
            args = api_request.httprequest.args
            data = {"query": args.get("query"), "operationName": args.get("operationName")}
            raw_variables = args.get("variables")
            if raw_variables:
                try:
                    data["variables"] = json.loads(raw_variables)
                except (ValueError, RecursionError):
                    raise ApiError(400, "variables is not valid JSON.",
                                   code="invalid_variables") from None
            return GraphQLParams.from_mapping(data)
        if method != "POST":
            raise ApiError(405, "Send GraphQL requests with POST, or queries with GET.",
                           headers={"Allow": "GET, POST"})
        if api_request.httprequest.mimetype == "application/graphql":
            query = api_request.httprequest.get_data(as_text=True)
            return GraphQLParams.from_mapping({"query": query})
        body = api_request.get_json_body(media_types=(JSON,), required=True)
        return GraphQLParams.from_mapping(body)

    @api.model
    def _graphql_media_type(self, api_request, strict=False):
        """Return the response media type the client accepts; 406 when ``strict`` and it
        accepts neither GraphQL's nor plain JSON."""
        headers = api_request.httprequest.headers
        if not headers.get("Accept"):
            return JSON
        accept = api_request.httprequest.accept_mimetypes
        exact = dict(accept)
        if exact.get(GRAPHQL_RESPONSE, 0) and exact[GRAPHQL_RESPONSE] >= exact.get(JSON, 0):
            return GRAPHQL_RESPONSE
        best = accept.best_match([JSON, GRAPHQL_RESPONSE])
        if best is None and strict:
            raise ApiError(406, f"This API answers {GRAPHQL_RESPONSE} or {JSON}.",
                           code="not_acceptable")
        return best or JSON

    @api.model
    def _api_error_response_graphql(self, api_request, error):
        """Render an error as a GraphQL response; never queries the database."""
        media_type = self._graphql_media_type(api_request)
        if isinstance(error, GraphQLResultError):
            return self._api_json_response(error.payload, status=error.status,
                                           content_type=media_type)
        extensions = {"code": error.error_code, "status": error.status}
        if error.source:
            extensions["source"] = error.source
        if error.debug_traceback:
            extensions["traceback"] = error.debug_traceback
        body = {"errors": [{"message": error.detail, "extensions": extensions}]}
        return self._api_json_response(body, status=error.status, content_type=media_type)
