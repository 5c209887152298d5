"""OAuth2 authentication for APIs: the API is its own authorization server.

Endpoints below ``/<endpoint>``, served before authentication:

- ``GET|POST /oauth2/authorize``: Odoo login, then the consent page (RFC 6749 4.1);
- ``POST /oauth2/token``: the token endpoint (authorization_code with PKCE,
  refresh_token, client_credentials, and password when a client allows it);
- ``POST /oauth2/revoke`` (RFC 7009) and ``POST /oauth2/introspect`` (RFC 7662);
- ``GET /oauth2/jwks``: the public keys of RS256 JWT access tokens;
- ``GET /.well-known/oauth-authorization-server``: the metadata (RFC 8414); the same
  document is also served at ``/.well-known/oauth-authorization-server/<endpoint>``,
  the path RFC 8414 section 3 builds from the issuer.

Calls then carry ``Authorization: Bearer <access token>`` (RFC 6750).

In delegated mode (``oauth2_mode`` "delegated") the API trusts an external provider
instead: its bearer tokens are validated against the provider's keys or its
introspection endpoint, and Odoo runs the authorization code flow with the provider on
behalf of a calling application's users (see api_oauth2_delegation.py):

- ``POST /oauth2/provider/authorize`` answers the provider's authorization URL;
- ``GET /oauth2/provider/callback`` is the redirect URI to register at the provider;
- ``POST /oauth2/token`` refreshes an identity's tokens, ``POST /oauth2/revoke`` revokes
  them; both authenticate the caller as the provider's client.
"""

import hmac
import json
import logging
from urllib.parse import quote

import jwt
from authlib.integrations.base_client import OAuthError
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import AccessDeniedError
from authlib.oauth2.rfc8414 import AuthorizationServerMetadata
from requests import RequestException

from odoo import api, fields, models
from odoo.exceptions import AccessDenied
from odoo.http import Response, request

from odoo.addons.api_framework_base.tools import ApiError, api_route

from ..tools.scopes import operation_allowed, parse_scope
from ..tools.server import OdooAuthorizationServer
from .api_oauth2_delegation import FLOW_LIFETIME

_logger = logging.getLogger(__name__)

AUTHORIZE_PARAMS = ("response_type", "client_id", "redirect_uri", "scope", "state", "nonce",
                    "code_challenge", "code_challenge_method")
METADATA_PATH = "/.well-known/oauth-authorization-server"
CALLBACK_PATH = "/oauth2/provider/callback"
IDENTITY_MAX_LENGTH = 256
# The grant types a client can be allowed, in the order the metadata lists them.
GRANT_TYPES = ("authorization_code", "refresh_token", "client_credentials", "password")
# The models that hold credentials, their hashes or their keys: never served by an API.
CREDENTIAL_MODELS = frozenset({
    "api.oauth2.client", "api.oauth2.client.secret", "api.oauth2.code", "api.oauth2.token",
    "api.oauth2.key", "api.oauth2.provider", "api.oauth2.delegation",
})


class ApiApi(models.Model):
    _inherit = "api.api"

    auth_type = fields.Selection(
        selection_add=[("oauth2", "OAuth2")], ondelete={"oauth2": "cascade"})
    oauth2_token_format = fields.Selection(
        [("jwt", "JWT (RFC 9068)"), ("opaque", "Opaque")], string="Access Tokens",
        default="jwt", required=True,
        help="JWT: signed tokens other services can validate with the JWKS; every call "
             "here still checks revocation. Opaque: random strings, checked here only.",
    )
    oauth2_jwt_algorithm = fields.Selection(
        [("RS256", "RS256 (RSA)"), ("HS256", "HS256 (HMAC)")], string="JWT Signature",
        default="RS256", required=True,
    )
    oauth2_code_lifetime = fields.Integer(
        string="Authorization Code Lifetime (s)", default=60,
        help="At most 600 seconds, as RFC 6749 recommends.")
    oauth2_mode = fields.Selection(
        [("server", "Authorization Server"), ("delegated", "External Provider")],
        string="OAuth2 Mode", default="server", required=True,
        help="Authorization Server: this API issues its own tokens.\n"
             "External Provider: this API accepts the JWT access tokens of a trusted "
             "OAuth2 or OpenID Connect provider.")
    oauth2_provider_id = fields.Many2one(
        "api.oauth2.provider", string="OAuth2 Provider", ondelete="restrict")
    oauth2_provider_redirect_uri = fields.Char(
        string="Provider Redirect URI", compute="_compute_oauth2_provider_redirect_uri",
        help="Register this redirect URI at the provider for the flows Odoo runs.")
    oauth2_client_ids = fields.One2many("api.oauth2.client", "api_id", string="OAuth2 Clients")
    oauth2_key_ids = fields.One2many("api.oauth2.key", "api_id", string="Signing Keys")

    _sql_constraints = [
        ("oauth2_code_lifetime_range",
         "check(oauth2_code_lifetime is null or oauth2_code_lifetime between 1 and 600)",
         "The authorization code lifetime lies between 1 and 600 seconds."),
    ]

    @api.depends("endpoint")
    def _compute_oauth2_provider_redirect_uri(self):
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for record in self:
            record.oauth2_provider_redirect_uri = (
                f"{base_url.rstrip('/')}/{record.endpoint}{CALLBACK_PATH}"
                if record.endpoint else False)

    # ------------------------------------------------------------------
    # Bearer authentication (RFC 6750) and scopes
    # ------------------------------------------------------------------

    def _api_auth_oauth2(self, api_request):
        """Authenticate with ``Authorization: Bearer <access token>``."""
        scheme, _sep, token = api_request.httprequest.headers.get(
            "Authorization", "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise ApiError(401, "Send an OAuth2 access token in the Authorization header.",
                           code="missing_credentials")
        if self.oauth2_mode == "delegated":
            return self._oauth2_auth_delegated(api_request, token)
        record = self._oauth2_validate_access_token(token)
        if not record:
            raise ApiError(
                401, "The access token is invalid, expired or revoked.", code="invalid_token",
                headers={"WWW-Authenticate": self._api_auth_challenge_oauth2(
                    error="invalid_token")})
        api_request.oauth2_scopes = frozenset(parse_scope(record.scope))
        api_request.oauth2_client_id = record.client_id.client_id
        return record.user_id.sudo()

    def _oauth2_auth_delegated(self, api_request, token):
        """Authenticate with an access token of the API's external provider."""
        provider = self.oauth2_provider_id
        try:
            user, claims = provider._validate_bearer(token) if provider else (None, None)
        except RequestException:
            _logger.warning("API %s: OAuth2 provider %s cannot be reached to validate a token",
                            self.endpoint, provider.name)
            raise ApiError(503, "The OAuth2 provider cannot be reached to validate the "
                                "access token.", code="provider_unavailable") from None
        if not user:
            raise ApiError(
                401, "The access token is invalid or expired.", code="invalid_token",
                headers={"WWW-Authenticate": self._api_auth_challenge_oauth2(
                    error="invalid_token")})
        api_request.oauth2_scopes = frozenset(parse_scope(claims.get("scope")))
        api_request.oauth2_client_id = claims.get("client_id") or claims.get("azp")
        return user

    def _oauth2_validate_access_token(self, token):
        """Return the token record of a valid ``token``, or an empty recordset.

        A JWT must also carry a valid signature by a key of this API, and its claims
        must match the stored token."""
        records = self.env["api.oauth2.token"].sudo()
        record = records._find_access_token(self, token)
        if not record or record.token_format != "jwt":
            return record
        try:
            header = jwt.get_unverified_header(token)
            algorithm, key, _valid_until = self.env["api.oauth2.key"]._verification_keys(
                self.id)[header.get("kid")]
            if header.get("typ") != "at+jwt":
                return records
            claims = jwt.decode(token, key, algorithms=[algorithm],
                                options={"verify_aud": False,
                                         "require": ["exp", "iat", "jti", "sub"]})
        except (jwt.InvalidTokenError, KeyError):
            return records
        if claims["jti"] != record.jti or claims["sub"] != str(record.user_id.id):
            return records
        return record

    @api.model
    def _api_denied_models(self):
        return super()._api_denied_models() | CREDENTIAL_MODELS

    def _api_auth_challenge_oauth2(self, error=None):
        challenge = f'Bearer realm="{self.name}"'
        if error:
            challenge += f', error="{error}"'
        return challenge

    def _api_check_operation(self, api_request, model_name, operation):
        super()._api_check_operation(api_request, model_name, operation)
        scopes = getattr(api_request, "oauth2_scopes", None)
        if scopes is None or operation_allowed(scopes, model_name, operation):
            return
        needed = "read" if operation == "read" else "write"
        raise ApiError(
            403, f"The access token's scope does not allow {operation} on {model_name}.",
            code="insufficient_scope",
            headers={"WWW-Authenticate": self._api_auth_challenge_oauth2(
                error="insufficient_scope") + f', scope="{needed}"'})

    # ------------------------------------------------------------------
    # Endpoints served before authentication
    # ------------------------------------------------------------------

    def _oauth2_server(self, api_request):
        if self.auth_type != "oauth2" or self.oauth2_mode != "server":
            raise ApiError(404, "This API does not use OAuth2.", code="unknown_path")
        return OdooAuthorizationServer(self, api_request.httprequest)

    @api_route("/oauth2/token", methods=["POST"], auth=False)
    def _api_route_oauth2_token(self, api_request):
        """The token endpoint (RFC 6749 section 3.2); in delegated mode, the refresh of an
        identity's provider tokens."""
        if self._oauth2_is_delegated():
            return self._oauth2_delegated_token(api_request)
        server = self._oauth2_server(api_request)
        self._api_check_throttle(api_request)
        response = server.create_token_response()
        form = api_request.httprequest.form
        grant_type = form.get("grant_type")
        if grant_type == "authorization_code" and response.status_code != 200 \
                and form.get("code"):
            self.env["api.oauth2.code"]._invalidate_presented(
                self, form["code"], api_request.client_ip)
        if response.status_code == 401 or (grant_type == "password"
                                           and response.status_code == 400):
            # The token endpoint answers its errors itself and the transaction commits:
            # count the failure at once, in a transaction of its own.
            _logger.warning("API %s: OAuth2 client authentication failed from %s",
                            self.endpoint, api_request.client_ip)
            self.env["api.auth.failure"]._register_failure(
                self._api_client_key(api_request))
        return response

    @api_route("/oauth2/revoke", methods=["POST"], auth=False)
    def _api_route_oauth2_revoke(self, api_request):
        """The revocation endpoint (RFC 7009); in delegated mode, the revocation of an
        identity's provider tokens."""
        if self._oauth2_is_delegated():
            return self._oauth2_delegated_revoke(api_request)
        server = self._oauth2_server(api_request)
        return server.create_endpoint_response("revocation")

    @api_route("/oauth2/introspect", methods=["POST"], auth=False)
    def _api_route_oauth2_introspect(self, api_request):
        """The introspection endpoint (RFC 7662), for the API's own clients."""
        server = self._oauth2_server(api_request)
        return server.create_endpoint_response("introspection")

    @api_route("/oauth2/jwks", methods=["GET"], auth=False)
    def _api_route_oauth2_jwks(self, api_request):
        """The public keys that sign the API's JWT access tokens."""
        self._oauth2_server(api_request)
        return self.env["api.oauth2.key"]._jwks(self)

    @api_route(METADATA_PATH, methods=["GET"], auth=False)
    def _api_route_oauth2_metadata(self, api_request):
        """The authorization server metadata (RFC 8414)."""
        server = self._oauth2_server(api_request)
        return self._oauth2_metadata(server.issuer)

    def _oauth2_metadata(self, issuer):
        """Return the RFC 8414 metadata of the API's authorization server."""
        metadata = AuthorizationServerMetadata({
            "issuer": issuer,
            "authorization_endpoint": f"{issuer}/oauth2/authorize",
            "token_endpoint": f"{issuer}/oauth2/token",
            "revocation_endpoint": f"{issuer}/oauth2/revoke",
            "introspection_endpoint": f"{issuer}/oauth2/introspect",
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": self._oauth2_grant_types_supported(),
            "token_endpoint_auth_methods_supported": ["client_secret_basic",
                                                      "client_secret_post", "none"],
            "revocation_endpoint_auth_methods_supported": ["client_secret_basic",
                                                           "client_secret_post", "none"],
            "introspection_endpoint_auth_methods_supported": ["client_secret_basic",
                                                              "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": self._oauth2_scopes_supported(),
        })
        if self.oauth2_token_format == "jwt" and self.oauth2_jwt_algorithm == "RS256":
            metadata["jwks_uri"] = f"{issuer}/oauth2/jwks"
        if self.meta_doc_url:
            metadata["service_documentation"] = self.meta_doc_url
        return dict(metadata)

    def _oauth2_grant_types_supported(self):
        """Return the grant types some active client of the API allows.

        With no such client the list is empty, rather than left out: RFC 8414 section 2
        reads a missing ``grant_types_supported`` as authorization_code and implicit."""
        offered = set()
        for client in self.oauth2_client_ids.filtered("active"):
            offered.update(client._grant_types())
        return [name for name in GRANT_TYPES if name in offered]

    def _oauth2_scopes_supported(self):
        scopes = ["read", "write"]
        for client in self.oauth2_client_ids:
            scopes += [token for token in parse_scope(client.scope) if token not in scopes]
        return scopes

    # ------------------------------------------------------------------
    # Delegated mode: flows with the external provider
    # ------------------------------------------------------------------

    def _oauth2_is_delegated(self):
        return self.auth_type == "oauth2" and self.oauth2_mode == "delegated"

    def _oauth2_delegated_provider(self):
        if not self._oauth2_is_delegated() or not self.oauth2_provider_id:
            raise ApiError(404, "This API does not delegate OAuth2 to a provider.",
                           code="unknown_path")
        return self.oauth2_provider_id

    @api_route("/oauth2/provider/authorize", methods=["POST"], auth=False)
    def _api_route_oauth2_provider_authorize(self, api_request):
        """Start the authorization code flow at the provider for an identity; answer the
        URL to send the user's browser to."""
        provider = self._oauth2_delegated_provider()
        self._api_check_throttle(api_request)
        params = self._oauth2_delegated_params(api_request)
        failure = self._oauth2_delegated_check_client(api_request, provider, params)
        if failure is not None:
            return failure
        identity = params.get("client_user_identity")
        if not identity or len(identity) > IDENTITY_MAX_LENGTH:
            return self._oauth2_json_error(
                "invalid_request", "Send a client_user_identity of at most "
                f"{IDENTITY_MAX_LENGTH} characters.")
        if not provider.authorization_endpoint or not provider.token_endpoint:
            raise ApiError(503, "The OAuth2 provider has no authorization or token endpoint; "
                                "discover it first.", code="provider_not_configured")
        redirect_uri = api_request.base_url + CALLBACK_PATH
        url = self.env["api.oauth2.delegation"]._start_flow(self, identity, redirect_uri)
        return self._oauth2_json({"authorization_url": url, "redirect_uri": redirect_uri,
                                  "expires_in": FLOW_LIFETIME})

    @api_route(CALLBACK_PATH, methods=["GET"], auth=False)
    def _api_route_oauth2_provider_callback(self, api_request):
        """The redirect URI of the flows Odoo runs with the provider: exchange the code
        and keep the tokens."""
        self._oauth2_delegated_provider()
        args = api_request.httprequest.args
        record = self.env["api.oauth2.delegation"]._find_flow(self, args.get("state"))
        if not record:
            return self._oauth2_error_page(
                self.env._("This authorization is unknown or expired; start again."), 400)
        if args.get("error") or not args.get("code"):
            record._clear_flow()
            _logger.info("API %s: the provider declined identity %s: %s", self.endpoint,
                         record.id, args.get("error"))
            return self._oauth2_error_page(
                self.env._("The provider did not grant the access (%(error)s).",
                           error=args.get("error") or "no code"), 400)
        try:
            record._finish_flow(args["code"])
        except (OAuthError, RequestException) as exc:
            _logger.warning("API %s: code exchange at the provider failed for identity %s: "
                            "%s", self.endpoint, record.id, type(exc).__name__)
            return self._oauth2_error_page(
                self.env._("The provider refused the authorization; start again."), 502)
        return self._oauth2_render("api_auth_oauth2.oauth2_provider_done",
                                   {"api_record": self, "provider": record.provider_id}, 200)

    def _oauth2_delegated_token(self, api_request):
        """Refresh an identity's provider tokens; answer the new access token."""
        provider = self._oauth2_delegated_provider()
        self._api_check_throttle(api_request)
        params = self._oauth2_delegated_params(api_request)
        failure = self._oauth2_delegated_check_client(api_request, provider, params)
        if failure is not None:
            return failure
        if params.get("grant_type", "refresh_token") != "refresh_token":
            return self._oauth2_json_error(
                "unsupported_grant_type", "Only refresh_token is served in delegated mode.")
        record = self._oauth2_delegation(params)
        if not record or record.status != "authorized":
            return self._oauth2_json_error(
                "invalid_grant", "No tokens are kept for this client_user_identity.")
        try:
            token = record._refresh()
        except OAuthError as error:
            return self._oauth2_json_error(
                "invalid_grant" if error.error == "invalid_grant" else "server_error",
                "The provider refused the refresh token.",
                status=400 if error.error == "invalid_grant" else 502)
        except RequestException:
            return self._oauth2_json_error(
                "temporarily_unavailable", "The provider cannot be reached.", status=503)
        return self._oauth2_json(token)

    def _oauth2_delegated_revoke(self, api_request):
        """Revoke an identity's provider tokens at the provider (RFC 7009: an unknown
        identity is answered 200 too)."""
        provider = self._oauth2_delegated_provider()
        self._api_check_throttle(api_request)
        params = self._oauth2_delegated_params(api_request)
        failure = self._oauth2_delegated_check_client(api_request, provider, params)
        if failure is not None:
            return failure
        record = self._oauth2_delegation(params)
        if record and record.status == "authorized":
            try:
                record._revoke_at_provider()
            except (OAuthError, RequestException):
                return self._oauth2_json_error(
                    "temporarily_unavailable", "The provider did not revoke the tokens; "
                    "try again.", status=503)
        return self._oauth2_json({})

    def _oauth2_delegation(self, params):
        identity = params.get("client_user_identity")
        if not identity:
            return self.env["api.oauth2.delegation"]
        return self.env["api.oauth2.delegation"].search(
            [("api_id", "=", self.id), ("identity", "=", identity)], limit=1)

    def _oauth2_delegated_params(self, api_request):
        """Return the string parameters of a JSON or form body, with the client id and
        secret of HTTP Basic authentication."""
        httprequest = api_request.httprequest
        if httprequest.mimetype == "application/json":
            body = api_request.get_json_body()
            if not isinstance(body, dict):
                raise ApiError(400, "The request body must be a JSON object.",
                               code="invalid_request")
            params = {key: value for key, value in body.items() if isinstance(value, str)}
        else:
            params = httprequest.form.to_dict()
        auth = httprequest.authorization
        if auth and auth.type == "basic":
            params["client_id"] = auth.username or ""
            params["client_secret"] = auth.password or ""
        return params

    def _oauth2_delegated_check_client(self, api_request, provider, params):
        """Return ``None`` when the caller authenticated as the provider's client (with
        its secret, when it has one), or the 401 response."""
        secret = provider.sudo().client_secret or ""
        client_id = provider.client_id or ""
        given_id = params.get("client_id") or ""
        given_secret = params.get("client_secret") or ""
        if client_id and hmac.compare_digest(given_id.encode(), client_id.encode()) \
                and hmac.compare_digest(given_secret.encode(), secret.encode()):
            return None
        _logger.warning("API %s: OAuth2 delegated client authentication failed from %s",
                        self.endpoint, api_request.client_ip)
        self.env["api.auth.failure"]._register_failure(self._api_client_key(api_request))
        return self._oauth2_json_error(
            "invalid_client", "The client id or secret is wrong.", status=401,
            headers={"WWW-Authenticate": f'Basic realm="{self.name}"'})

    def _oauth2_json(self, payload, status=200, headers=None):
        response = Response(json.dumps(payload), status=status, headers=headers or {},
                            content_type="application/json")
        response.headers["Cache-Control"] = "no-store"
        return response

    def _oauth2_json_error(self, error, description, status=400, headers=None):
        """Return an error in the OAuth 2.0 format (RFC 6749 section 5.2)."""
        return self._oauth2_json({"error": error, "error_description": description},
                                 status=status, headers=headers)

    # ------------------------------------------------------------------
    # Authorization endpoint: login, consent, redirection
    # ------------------------------------------------------------------

    @api_route("/oauth2/authorize", methods=["GET", "POST"], auth=False)
    def _api_route_oauth2_authorize(self, api_request):
        """The authorization endpoint (RFC 6749 section 3.1) with its consent page."""
        server = self._oauth2_server(api_request)
        httprequest = api_request.httprequest
        uid = request.session.uid
        if not uid:
            if httprequest.method != "GET":
                return self._oauth2_error_page(self.env._("Your session has expired."), 401)
            target = httprequest.full_path if httprequest.query_string else httprequest.path
            return request.redirect(f"/web/login?redirect={quote(target, safe='')}", 303)
        user = self.env["res.users"].browse(uid)

        try:
            grant = server.get_consent_grant(end_user=user)
        except OAuth2Error as error:
            return self._oauth2_authorize_error(server, error)

        if httprequest.method == "GET":
            return self._oauth2_consent_page(api_request, grant, user)
        if not request.validate_csrf(httprequest.form.get("csrf_token")):
            return self._oauth2_error_page(
                self.env._("The form expired or did not come from this site; try again."), 400)
        granted = httprequest.form.get("decision") == "allow"
        if granted and user.id not in self._api_allowed_user_ids():
            error = AccessDeniedError(
                description="This user may not use this API.", redirect_uri=grant.redirect_uri)
            error.state = grant.request.payload.state
            return server.handle_error_response(grant.request, error)
        if granted:
            _logger.info("OAuth2: %s authorized client %s on API %s", user.login,
                         grant.client.client_id, self.endpoint)
        return server.create_authorization_response(
            grant_user=user if granted else None, grant=grant)

    def _oauth2_authorize_error(self, server, error):
        """Redirect an error to the client only once its redirect URI is verified
        (RFC 6749 section 4.1.2.1); otherwise tell the user."""
        if error.redirect_uri:
            return server.handle_error_response(None, error)
        return self._oauth2_error_page(error.description or error.error, 400)

    def _oauth2_consent_page(self, api_request, grant, user):
        client = grant.client.record
        data = grant.request.payload.data
        scope = grant.client.get_allowed_scope(data.get("scope"))
        values = {
            "api_record": self,
            "client": client,
            "user": user,
            "allowed": user.id in self._api_allowed_user_ids(),
            "scopes": [(token, self._oauth2_scope_label(token)) for token in parse_scope(scope)],
            "params": [(name, data[name]) for name in AUTHORIZE_PARAMS if data.get(name)],
            "action": api_request.httprequest.path,
            "csrf_token": request.csrf_token(),
            "redirect_host": grant.redirect_uri.split("/")[2],
        }
        return self._oauth2_render("api_auth_oauth2.oauth2_consent", values, 200)

    def _oauth2_scope_label(self, token):
        if token == "read":
            return self.env._("Read the data you can see in %(api)s", api=self.name)
        if token == "write":
            return self.env._("Read, create, change and delete the data you can change "
                              "in %(api)s", api=self.name)
        model_name, _sep, access = token.partition(":")
        model = self.env["ir.model"]._get(model_name)
        label = model.name if model else model_name
        if access == "read":
            return self.env._("Read your %(model)s", model=label)
        return self.env._("Read and change your %(model)s", model=label)

    def _oauth2_error_page(self, message, status):
        return self._oauth2_render("api_auth_oauth2.oauth2_error",
                                   {"api_record": self, "message": message}, status)

    def _oauth2_render(self, template, values, status):
        # The web layout reads the session's user: render as the logged-in user, or as
        # the public user for a visitor.
        request.update_env(user=request.session.uid or self.env.ref("base.public_user").id)
        html = request.env["ir.qweb"]._render(template, values)
        response = Response(html, status=status, content_type="text/html; charset=utf-8")
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Content-Security-Policy"] = "frame-ancestors 'none'"
        response.headers["Cache-Control"] = "no-store"
        return response

    # ------------------------------------------------------------------
    # Password grant, keys, backend actions
    # ------------------------------------------------------------------

    def _oauth2_check_password(self, login, password):
        """Return the active user with ``login`` and ``password``, or ``None``."""
        user = self.env["res.users"].sudo().search([("login", "=", login)], limit=1)
        if not user:
            return None
        try:
            user.with_user(user)._check_credentials(
                {"type": "password", "login": login, "password": password},
                {"interactive": False})
        except AccessDenied:
            return None
        return user

    def action_publish(self):
        """Create the signing key of JWT OAuth2 APIs when they are published, rather than
        while a token is being issued."""
        result = super().action_publish()
        keys = self.env["api.oauth2.key"]
        for record in self.filtered(lambda api: api.auth_type == "oauth2"
                                    and api.oauth2_mode == "server"
                                    and api.oauth2_token_format == "jwt"):
            keys._signing_key(record)
        return result

    def action_oauth2_rotate_keys(self):
        """Retire the signing keys and create new ones; old tokens stay valid."""
        for record in self:
            self.env["api.oauth2.key"]._rotate(record)
        return True

    @api.model
    def _oauth2_api_for_endpoint(self, endpoint):
        """Return the published OAuth2 API at ``endpoint``, or an empty recordset."""
        api_id = self._api_endpoint_map().get(endpoint)
        record = self.browse(api_id) if api_id else self.browse()
        if record.auth_type != "oauth2" or record.oauth2_mode != "server":
            return self.browse()
        return record
