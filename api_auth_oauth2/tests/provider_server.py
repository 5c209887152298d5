"""A small OAuth 2.0 authorization server for the delegated-mode tests, outside Odoo.

Odoo's HTTP tests share one cursor between the test and the test server, so an Odoo
API cannot be the provider of another during a request (the call back would wait on
that cursor). This provider runs in the test process instead, on a werkzeug server in
a background thread, and keeps its clients, codes and tokens in memory. It is built on
authlib's server classes: the authorization code grant with PKCE, the refresh token
grant with rotation, revocation (RFC 7009) and introspection (RFC 7662); it signs its
access tokens as RS256 JWTs (RFC 9068) and publishes its keys and metadata (RFC 8414).
The authorization endpoint consents at once for its single test user, or declines when
``consent`` is ``False``.
"""

import hmac
import json
import secrets
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import jwt
from authlib.oauth2 import OAuth2Error, rfc7009, rfc7636, rfc7662
from authlib.oauth2.rfc6749 import AuthorizationServer, ClientMixin, TokenMixin, grants
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from cryptography.hazmat.backends import default_backend
from cryptography.hazmat.primitives.asymmetric import rsa
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from ..tools.server import OdooJsonRequest, OdooOAuth2Request

AUTH_METHODS = ["client_secret_basic", "client_secret_post"]
KID = "test-provider-key"


class QuietRequestHandler(WSGIRequestHandler):
    """Write no access log: its lines would carry codes and states."""

    def log_request(self, *args, **kwargs):
        pass


@dataclass
class ProviderUser:
    user_id: str
    login: str

    def get_user_id(self):
        return self.user_id


@dataclass
class ProviderClient(ClientMixin):
    client_id: str
    secret: str
    redirect_uris: list
    scope: str

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope):
        allowed = self.scope.split()
        return " ".join(item for item in (scope or self.scope).split() if item in allowed)

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret):
        return hmac.compare_digest(client_secret.encode(), self.secret.encode())

    def check_endpoint_auth_method(self, method, endpoint):
        return method in AUTH_METHODS

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type in ("authorization_code", "refresh_token")


@dataclass
class ProviderCode:
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: ProviderUser
    code_challenge: str
    code_challenge_method: str
    expires_at: float

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return None

    def get_auth_time(self):
        return None


@dataclass
class ProviderToken(TokenMixin):
    access_token: str
    refresh_token: str
    client_id: str
    scope: str
    user: ProviderUser
    expires_at: float
    revoked: bool = False
    refresh_used: bool = False
    kind: str = field(default="access_token")

    def check_client(self, client):
        return client.get_client_id() == self.client_id

    def get_scope(self):
        return self.scope

    def get_expires_in(self):
        return max(0, int(self.expires_at - time.time()))

    def is_expired(self):
        return self.kind == "access_token" and self.expires_at < time.time()

    def is_revoked(self):
        return self.revoked

    def get_user(self):
        return self.user

    def get_client(self):
        return None


class CodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS

    def save_authorization_code(self, code, request):
        data = request.payload.data
        self.server.codes[code] = ProviderCode(
            code, request.client.get_client_id(), request.payload.redirect_uri,
            request.client.get_allowed_scope(request.payload.scope), request.user,
            data.get("code_challenge"), data.get("code_challenge_method"), time.time() + 60)

    def query_authorization_code(self, code, client):
        record = self.server.codes.get(code)
        if record and record.client_id == client.get_client_id() \
                and record.expires_at > time.time():
            return record
        return None

    def delete_authorization_code(self, authorization_code):
        self.server.codes.pop(authorization_code.code, None)

    def authenticate_user(self, authorization_code):
        return authorization_code.user


class RefreshGrant(grants.RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS
    INCLUDE_NEW_REFRESH_TOKEN = True

    def authenticate_refresh_token(self, refresh_token):
        token = self.server.find_token(refresh_token, "refresh_token")
        if token and not token.revoked and not token.refresh_used:
            return token
        return None

    def authenticate_user(self, refresh_token):
        return refresh_token.user

    def revoke_old_credential(self, refresh_token):
        refresh_token.refresh_used = True


class Revocation(rfc7009.RevocationEndpoint):
    CLIENT_AUTH_METHODS = AUTH_METHODS

    def query_token(self, token_string, token_type_hint):
        return self.server.find_token(token_string, token_type_hint)

    def revoke_token(self, token, request):
        token.revoked = True


class Introspection(rfc7662.IntrospectionEndpoint):
    CLIENT_AUTH_METHODS = AUTH_METHODS

    def query_token(self, token_string, token_type_hint):
        return self.server.find_token(token_string, token_type_hint)

    def check_permission(self, token, client, request):
        return token.check_client(client)

    def introspect_token(self, token):
        return {
            "active": True,
            "iss": self.server.issuer,
            "client_id": token.client_id,
            "scope": token.scope,
            "sub": token.user.user_id,
            "username": token.user.login,
            "token_type": "Bearer" if token.kind == "access_token" else "refresh_token",
            "exp": int(token.expires_at),
        }


class ProviderServer(AuthorizationServer):
    """authlib's authorization server over in-memory storage."""

    def __init__(self, issuer, user):
        super().__init__()
        self.issuer = issuer
        self.user = user
        self.consent = True
        self.clients = {}
        self.codes = {}
        self.tokens = []
        self.lock = threading.Lock()
        self.key = rsa.generate_private_key(65537, 2048, default_backend())
        self.register_token_generator("default", BearerTokenGenerator(
            self.generate_access_token, self.generate_refresh_token))
        self.register_grant(CodeGrant, [rfc7636.CodeChallenge(required=True)])
        self.register_grant(RefreshGrant)
        self.register_endpoint(Revocation)
        self.register_endpoint(Introspection)

    def generate_access_token(self, client, grant_type, user, scope):
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": client.get_client_id(), "sub": user.user_id,
                  "username": user.login, "client_id": client.get_client_id(),
                  "scope": scope, "iat": now, "exp": now + 3600,
                  "jti": secrets.token_hex(8)}
        return jwt.encode(claims, self.key, algorithm="RS256",
                          headers={"kid": KID, "typ": "at+jwt"})

    def generate_refresh_token(self, **kwargs):
        return secrets.token_urlsafe(32)

    def jwks(self):
        key = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        key.update({"kid": KID, "alg": "RS256", "use": "sig"})
        return {"keys": [key]}

    def metadata(self):
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "revocation_endpoint": f"{self.issuer}/revoke",
            "introspection_endpoint": f"{self.issuer}/introspect",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code", "refresh_token"],
            "code_challenge_methods_supported": ["S256"],
        }

    def find_token(self, value, hint=None):
        """Return the token whose access or refresh token is ``value``, or ``None``."""
        kinds = ["refresh_token", "access_token"] if hint == "refresh_token" \
            else ["access_token", "refresh_token"]
        for kind in kinds:
            for token in self.tokens:
                if getattr(token, kind) == value:
                    token.kind = kind
                    return token
        return None

    def query_client(self, client_id):
        return self.clients.get(client_id)

    def save_token(self, token, request):
        self.tokens.append(ProviderToken(
            token["access_token"], token.get("refresh_token"),
            request.client.get_client_id(), token.get("scope", ""), request.user,
            time.time() + token.get("expires_in", 3600)))

    def create_oauth2_request(self, request):
        if isinstance(request, OdooOAuth2Request):
            return request
        return OdooOAuth2Request(request)

    def create_json_request(self, request):
        return OdooJsonRequest(request)

    def handle_response(self, status, body, headers):
        if isinstance(body, dict):
            body = json.dumps(body)
        return Response(body, status=status, headers=headers)

    def send_signal(self, name, *args, **kwargs):
        """Nothing listens to authlib's signals here."""


class LocalProvider:
    """The provider's WSGI application, served on 127.0.0.1 by a background thread.

    ``start()`` binds a free port; ``stop()`` shuts the server down and waits for the
    thread, at most ``join_timeout`` seconds."""

    join_timeout = 10

    def __init__(self, login):
        self.httpd = make_server("127.0.0.1", 0, self.wsgi_app,
                                 request_handler=QuietRequestHandler)
        self.issuer = f"http://127.0.0.1:{self.httpd.server_port}"
        self.server = ProviderServer(self.issuer, ProviderUser("user-1", login))
        self.hits = Counter()
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.1},
            name="oauth2-test-provider", daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(self.join_timeout)

    def add_client(self, client_id, secret, redirect_uri, scope="read write"):
        self.server.clients[client_id] = ProviderClient(client_id, secret, [redirect_uri],
                                                        scope)

    def token_for(self, access_token):
        return self.server.find_token(access_token, "access_token")

    @Request.application
    def wsgi_app(self, request):
        server = self.server
        with server.lock:
            self.hits[request.path] += 1
            if request.path == "/.well-known/oauth-authorization-server":
                return Response(json.dumps(server.metadata()), mimetype="application/json")
            if request.path == "/jwks":
                return Response(json.dumps(server.jwks()), mimetype="application/json")
            if request.path == "/authorize":
                try:
                    grant = server.get_consent_grant(request, end_user=server.user)
                except OAuth2Error as error:
                    return server.handle_error_response(request, error)
                user = server.user if server.consent else None
                return server.create_authorization_response(request, grant_user=user,
                                                            grant=grant)
            if request.method == "POST" and request.path == "/token":
                return server.create_token_response(request)
            if request.method == "POST" and request.path == "/revoke":
                return server.create_endpoint_response("revocation", request)
            if request.method == "POST" and request.path == "/introspect":
                return server.create_endpoint_response("introspection", request)
            return Response("not found", status=404)
