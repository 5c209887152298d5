"""authlib's OAuth 2.0 authorization server, adapted to Odoo requests.

As authlib's own Flask and Django integrations do, this module turns the current
werkzeug request into an :class:`OAuth2Request` (``create_oauth2_request``) and authlib's
``(status, body, headers)`` answers into Odoo responses (``handle_response``). The
grants, PKCE, revocation and introspection endpoints are authlib's, bound to the
``api.oauth2.*`` models through small adapters. A server is built per request for one
API: ``OdooAuthorizationServer(api, httprequest)``.
"""

import json
import logging
import secrets
import time
import uuid
from collections import defaultdict
from datetime import timedelta

import jwt
from authlib.oauth2 import rfc7009, rfc7636, rfc7662
from authlib.oauth2.rfc6749 import (
    AuthorizationServer,
    ClientMixin,
    InvalidRequestError,
    InvalidScopeError,
    JsonPayload,
    JsonRequest,
    OAuth2Payload,
    OAuth2Request,
    TokenMixin,
    grants,
)

from odoo import fields
from odoo.http import Response

from .hashing import digest
from .scopes import parse_scope

_logger = logging.getLogger(__name__)

# authlib logs issued tokens at DEBUG level ("Issue token %r to %r"); whatever the
# server's log level, those records must never be written.
logging.getLogger("authlib.oauth2").setLevel(logging.INFO)

CLIENT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]
CONFIDENTIAL_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]


# ----------------------------------------------------------------------
# Requests and responses
# ----------------------------------------------------------------------

class OdooOAuth2Payload(OAuth2Payload):
    """The parameters of an OAuth2 request: query string and form body together."""

    def __init__(self, httprequest):
        self._httprequest = httprequest

    @property
    def data(self):
        return self._httprequest.values

    @property
    def datalist(self):
        values = defaultdict(list)
        for key in self.data:
            values[key].extend(self.data.getlist(key))
        return values


class OdooOAuth2Request(OAuth2Request):
    """An :class:`OAuth2Request` read from a werkzeug request."""

    def __init__(self, httprequest):
        super().__init__(method=httprequest.method, uri=httprequest.url,
                         headers=httprequest.headers)
        self._httprequest = httprequest
        self.payload = OdooOAuth2Payload(httprequest)

    @property
    def args(self):
        return self._httprequest.args

    @property
    def form(self):
        return self._httprequest.form


class OdooJsonPayload(JsonPayload):
    def __init__(self, httprequest):
        self._httprequest = httprequest

    @property
    def data(self):
        return json.loads(self._httprequest.get_data(cache=True) or b"{}")


class OdooJsonRequest(JsonRequest):
    def __init__(self, httprequest):
        super().__init__(httprequest.method, httprequest.url, httprequest.headers)
        self.payload = OdooJsonPayload(httprequest)


# ----------------------------------------------------------------------
# Adapters from records to authlib's model interfaces
# ----------------------------------------------------------------------

class ClientAdapter(ClientMixin):
    """An ``api.oauth2.client`` record seen as authlib's client."""

    def __init__(self, record):
        self.record = record
        self.client_id = record.client_id
        self.is_public = record.client_type == "public"

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        uris = self.record._redirect_uri_list()
        return uris[0] if len(uris) == 1 else None

    def get_allowed_scope(self, scope):
        allowed = parse_scope(self.record.scope)
        if not scope:
            return " ".join(allowed)
        return " ".join(token for token in parse_scope(scope) if token in allowed)

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri in self.record._redirect_uri_list()

    def check_client_secret(self, client_secret):
        return not self.is_public and self.record._check_secret(client_secret)

    def check_endpoint_auth_method(self, method, endpoint):
        if self.is_public:
            return method == "none"
        return method in CONFIDENTIAL_AUTH_METHODS

    def check_response_type(self, response_type):
        return response_type == "code" and self.record.grant_authorization_code

    def check_grant_type(self, grant_type):
        return grant_type in self.record._grant_types()


class CodeAdapter:
    """An ``api.oauth2.code`` record seen as authlib's authorization code."""

    def __init__(self, record):
        self.record = record
        self.code_challenge = record.code_challenge
        self.code_challenge_method = record.code_challenge_method

    def get_redirect_uri(self):
        return self.record.redirect_uri

    def get_scope(self):
        return self.record.scope

    def get_nonce(self):
        return self.record.nonce


class TokenAdapter(TokenMixin):
    """An ``api.oauth2.token`` record seen as authlib's token; ``kind`` tells whether it
    was found by its access or its refresh token."""

    def __init__(self, record, kind="access_token"):
        self.record = record
        self.kind = kind

    def check_client(self, client):
        return self.record.client_id == client.record

    def get_scope(self):
        return self.record.scope

    def get_expires_in(self):
        return max(0, int((self.record.expires_at - fields.Datetime.now()).total_seconds()))

    def is_expired(self):
        if self.kind == "refresh_token":
            expiry = self.record.refresh_expires_at
            return not expiry or expiry < fields.Datetime.now() or self.record.rotated
        return self.record.expires_at < fields.Datetime.now()

    def is_revoked(self):
        return self.record.revoked

    def get_user(self):
        return self.record.user_id

    def get_client(self):
        return ClientAdapter(self.record.client_id)


# ----------------------------------------------------------------------
# Grants and endpoints
# ----------------------------------------------------------------------

class ClientScopeMixin:
    """Refuse scopes outside the vocabulary or beyond what the client is allowed."""

    def validate_requested_scope(self):
        scope = self.request.payload.scope
        if not scope:
            return
        allowed = set(parse_scope(self.request.client.record.scope))
        if not set(parse_scope(scope)) <= allowed:
            raise InvalidScopeError()


class AuthorizationCodeGrant(ClientScopeMixin, grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = CLIENT_AUTH_METHODS

    def save_authorization_code(self, code, request):
        data = request.payload.data
        client = request.client
        self.server.env["api.oauth2.code"]._create_code(code, client.record, request.user, {
            "redirect_uri": request.payload.redirect_uri,
            "scope": client.get_allowed_scope(request.payload.scope),
            "nonce": data.get("nonce"),
            "code_challenge": data.get("code_challenge"),
            "code_challenge_method": data.get("code_challenge_method"),
        })

    def query_authorization_code(self, code, client):
        record = self.server.env["api.oauth2.code"]._find_code(code, client.record)
        return CodeAdapter(record) if record else None

    def delete_authorization_code(self, authorization_code):
        authorization_code.record.used = True

    def authenticate_user(self, authorization_code):
        user = authorization_code.record.user_id
        return user if user.active else None


class S256CodeChallenge(rfc7636.CodeChallenge):
    """PKCE (RFC 7636) with S256 only; public clients must use it."""

    DEFAULT_CODE_CHALLENGE_METHOD = "S256"
    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def validate_code_challenge(self, grant, redirect_uri):
        super().validate_code_challenge(grant, redirect_uri)
        data = grant.request.payload.data
        if data.get("code_challenge") and data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("Send code_challenge_method=S256 with the challenge.")
        if grant.request.client.is_public and not data.get("code_challenge"):
            raise InvalidRequestError("Public clients must send a S256 code_challenge.")


class RefreshTokenGrant(ClientScopeMixin, grants.RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = CLIENT_AUTH_METHODS
    INCLUDE_NEW_REFRESH_TOKEN = True

    def authenticate_refresh_token(self, refresh_token):
        record = self.server.env["api.oauth2.token"]._find_refresh_token(
            self.server.api, refresh_token)
        return TokenAdapter(record, "refresh_token") if record else None

    def authenticate_user(self, refresh_token):
        user = refresh_token.record.user_id
        return user if user.active else None

    def revoke_old_credential(self, refresh_token):
        refresh_token.record.rotated = True


class ClientCredentialsGrant(ClientScopeMixin, grants.ClientCredentialsGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = CONFIDENTIAL_AUTH_METHODS


class PasswordGrant(ClientScopeMixin, grants.ResourceOwnerPasswordCredentialsGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = CONFIDENTIAL_AUTH_METHODS

    def authenticate_user(self, username, password):
        return self.server.api._oauth2_check_password(username, password)


class RevocationEndpoint(rfc7009.RevocationEndpoint):
    CLIENT_AUTH_METHODS = CLIENT_AUTH_METHODS

    def query_token(self, token_string, token_type_hint):
        record, kind = self.server.env["api.oauth2.token"]._find_any_token(
            self.server.api, token_string, token_type_hint)
        return TokenAdapter(record, kind) if record else None

    def revoke_token(self, token, request):
        # Revoking a refresh token ends the grant: every token of its family goes too.
        if token.kind == "refresh_token":
            token.record._revoke_families()
        else:
            token.record._revoke()
        _logger.info("OAuth2 client %s revoked its %s %s", token.record.client_id.client_id,
                     token.kind, token.record.jti)


class IntrospectionEndpoint(rfc7662.IntrospectionEndpoint):
    CLIENT_AUTH_METHODS = CONFIDENTIAL_AUTH_METHODS

    def query_token(self, token_string, token_type_hint):
        record, kind = self.server.env["api.oauth2.token"]._find_any_token(
            self.server.api, token_string, token_type_hint)
        return TokenAdapter(record, kind) if record else None

    def check_permission(self, token, client, request):
        return token.check_client(client) or client.record.allow_introspection

    def introspect_token(self, token):
        record = token.record
        expires_at = record.refresh_expires_at if token.kind == "refresh_token" \
            else record.expires_at
        return {
            "active": True,
            "scope": record.scope or "",
            "client_id": record.client_id.client_id,
            "username": record.user_id.login,
            "token_type": "Bearer" if token.kind == "access_token" else "refresh_token",
            "exp": int(expires_at.timestamp()) if expires_at else None,
            "iat": int(record.create_date.timestamp()),
            "sub": str(record.user_id.id),
            "aud": self.server.issuer,
            "iss": self.server.issuer,
            "jti": record.jti,
        }


# ----------------------------------------------------------------------
# The server
# ----------------------------------------------------------------------

class OdooAuthorizationServer(AuthorizationServer):
    """authlib's authorization server for one API, serving the current request."""

    def __init__(self, api_record, httprequest):
        super().__init__()
        self.api = api_record
        self.env = api_record.env
        self.httprequest = httprequest
        self.issuer = httprequest.host_url.rstrip("/") + "/" + api_record.endpoint
        self.register_token_generator("default", self.generate_bearer_token)
        self.register_grant(AuthorizationCodeGrant, [S256CodeChallenge(required=True)])
        self.register_grant(RefreshTokenGrant)
        self.register_grant(ClientCredentialsGrant)
        self.register_grant(PasswordGrant)
        self.register_endpoint(RevocationEndpoint)
        self.register_endpoint(IntrospectionEndpoint)

    def query_client(self, client_id):
        record = self.env["api.oauth2.client"].search(
            [("client_id", "=", client_id or ""), ("api_id", "=", self.api.id)], limit=1)
        return ClientAdapter(record) if record else None

    def create_oauth2_request(self, request):
        if isinstance(request, OAuth2Request):
            return request
        return OdooOAuth2Request(self.httprequest)

    def create_json_request(self, request):
        return OdooJsonRequest(self.httprequest)

    def handle_response(self, status, body, headers):
        if isinstance(body, dict):
            body = json.dumps(body)
        response = Response(body, status=status, headers=headers)
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    def send_signal(self, name, *args, **kwargs):
        """authlib's signals; nothing listens to them here."""

    # ------------------------------------------------------------------
    # Tokens
    # ------------------------------------------------------------------

    def generate_bearer_token(self, grant_type, client, user=None, scope=None,
                              expires_in=None, include_refresh_token=True):
        """Issue the token dict (RFC 6749 section 5.1); the caller saves it."""
        record = client.record
        if grant_type == "client_credentials":
            user = record.user_id
        scope = client.get_allowed_scope(scope)
        expires_in = expires_in or record.access_token_lifetime
        jti = uuid.uuid4().hex
        if self.api.oauth2_token_format == "jwt":
            access_token = self._encode_jwt(record, user, scope, expires_in, jti)
        else:
            access_token = secrets.token_urlsafe(32)
        token = {
            "token_type": "Bearer",
            "access_token": access_token,
            "expires_in": expires_in,
            "scope": scope,
        }
        if include_refresh_token:
            token["refresh_token"] = secrets.token_urlsafe(36)
        self._pending = {"jti": jti, "user": user, "grant_type": grant_type}
        return token

    def _encode_jwt(self, client, user, scope, expires_in, jti):
        """Return a JWT access token as RFC 9068 profiles it."""
        kid, algorithm, secret = self.env["api.oauth2.key"]._signing_key(self.api)
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.issuer,
            "sub": str(user.id),
            "client_id": client.client_id,
            "iat": now,
            "exp": now + expires_in,
            "jti": jti,
            "scope": scope,
        }
        return jwt.encode(claims, secret, algorithm=algorithm,
                          headers={"kid": kid, "typ": "at+jwt"})

    def save_token(self, token, request):
        """Store the hashes of the token dict just issued for ``request``."""
        pending = self._pending
        client = request.client.record
        now = fields.Datetime.now()
        family = uuid.uuid4().hex
        code = self.env["api.oauth2.code"]
        if request.refresh_token is not None:
            family = request.refresh_token.record.family
        if request.authorization_code is not None:
            code = request.authorization_code.record
        refresh = token.get("refresh_token")
        self.env["api.oauth2.token"].create({
            "jti": pending["jti"],
            "client_id": client.id,
            "api_id": self.api.id,
            "user_id": (pending["user"] or request.user).id,
            "grant_type": pending["grant_type"],
            "scope": token.get("scope") or "",
            "token_format": self.api.oauth2_token_format,
            "access_token_hash": digest(token["access_token"]),
            "refresh_token_hash": digest(refresh) if refresh else False,
            "expires_at": now + timedelta(seconds=token["expires_in"]),
            "refresh_expires_at": now + timedelta(seconds=client.refresh_token_lifetime)
            if refresh else False,
            "family": family,
            "code_id": code.id,
        })
