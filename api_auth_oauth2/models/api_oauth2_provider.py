"""External OAuth2 / OpenID Connect providers that an API can trust (delegated mode).

The provider's metadata (RFC 8414 or OpenID Connect discovery) and its public keys
(JWKS) are fetched from the backend. Bearer tokens are then validated either locally,
as JWTs signed by one of those keys and issued by the provider, or by asking the
provider's introspection endpoint (RFC 7662) on every call, which honours a revocation
at the provider at once. The token's claims are mapped to an Odoo user through a claim.
Odoo is itself the provider's OAuth client (``client_id``, ``client_secret``) for the
flows it runs on behalf of an identity (see api_oauth2_delegation.py).
"""

import json
import logging
import time

import jwt
import requests
from authlib.integrations.base_client import OAuthError
from authlib.integrations.requests_client import OAuth2Session

from odoo import api, fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)

TIMEOUT = 10
METADATA_PATHS = ("/.well-known/oauth-authorization-server", "/.well-known/openid-configuration")


class ApiOauth2Provider(models.Model):
    _name = "api.oauth2.provider"
    _description = "OAuth2 External Provider"
    _order = "name, id"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    issuer = fields.Char(required=True, help="The provider's issuer identifier, an URL.")
    authorization_endpoint = fields.Char()
    token_endpoint = fields.Char()
    revocation_endpoint = fields.Char()
    introspection_endpoint = fields.Char()
    jwks_uri = fields.Char(string="JWKS URI")
    jwks = fields.Text(string="JWKS", help="The provider's public keys, as last fetched.")
    client_id = fields.Char(string="Client ID")
    client_secret = fields.Char(groups="base.group_system")
    scope = fields.Char(default="read")
    audience = fields.Char(help="When set, tokens must carry it in their aud claim.")
    user_claim = fields.Char(
        required=True, default="sub", help="The token claim that identifies the user.")
    user_field = fields.Selection(
        [("id", "User ID"), ("login", "Login"), ("email", "E-mail")], required=True,
        default="login", help="The user field the claim is compared with.")
    algorithms = fields.Char(default="RS256 ES256", required=True)
    validation = fields.Selection(
        [("jwt", "JWT signature"), ("introspection", "Introspection (RFC 7662)")],
        string="Token Validation", required=True, default="jwt",
        help="JWT signature: tokens are checked here against the provider's keys; a "
             "token revoked at the provider stays valid until it expires.\n"
             "Introspection: every call asks the provider, with the client id and "
             "secret; revoked tokens are refused at once.")

    def action_discover(self):
        """Read the provider's metadata, then its JWKS."""
        for provider in self:
            metadata = provider._fetch_metadata()
            provider.write({
                name: metadata.get(name) or provider[name]
                for name in ("authorization_endpoint", "token_endpoint",
                             "revocation_endpoint", "introspection_endpoint", "jwks_uri")
            })
            provider.action_fetch_jwks()
        return True

    def _fetch_metadata(self):
        self.ensure_one()
        issuer = self.issuer.rstrip("/")
        for path in METADATA_PATHS:
            try:
                response = requests.get(issuer + path, timeout=TIMEOUT)
            except requests.RequestException as exc:
                raise UserError(self.env._("The provider cannot be reached: %(error)s",
                                           error=exc)) from None
            if response.ok:
                metadata = response.json()
                if metadata.get("issuer", "").rstrip("/") != issuer:
                    raise UserError(self.env._(
                        "The provider's metadata names another issuer: %(issuer)s",
                        issuer=metadata.get("issuer")))
                return metadata
        raise UserError(self.env._("The provider publishes no metadata below %(issuer)s.",
                                   issuer=issuer))

    def action_fetch_jwks(self):
        """Fetch and keep the provider's public keys."""
        for provider in self.filtered("jwks_uri"):
            try:
                response = requests.get(provider.jwks_uri, timeout=TIMEOUT)
                response.raise_for_status()
                keys = jwt.PyJWKSet.from_dict(response.json())
            except (requests.RequestException, ValueError, jwt.PyJWKError) as exc:
                raise UserError(self.env._("The provider's keys cannot be read: %(error)s",
                                           error=exc)) from None
            provider.jwks = json.dumps(response.json())
            _logger.info("OAuth2 provider %s: %d keys fetched", provider.name, len(keys.keys))
        return True

    def _timeout(self):
        return TIMEOUT

    def _oauth_session(self, **kwargs):
        """Return authlib's requests client, as this provider's OAuth client."""
        self.ensure_one()
        secret = self.sudo().client_secret
        return OAuth2Session(
            self.client_id, secret or None, scope=self.scope or None,
            code_challenge_method="S256",
            token_endpoint_auth_method="client_secret_basic" if secret else "none",
            revocation_endpoint_auth_method="client_secret_basic" if secret else "none",
            **kwargs)

    def _validate_bearer(self, token):
        """Return ``(user, claims)`` for a valid access token of this provider, or
        ``(None, None)``; raise ``requests.RequestException`` when the introspection
        endpoint cannot be reached."""
        self.ensure_one()
        if self.validation == "introspection":
            claims = self._introspect(token)
        else:
            claims = self._decode_jwt(token)
        if not claims:
            return None, None
        user = self._map_user(claims)
        return (user, claims) if user else (None, None)

    def _introspect(self, token):
        """Return the claims of an active access token, as the provider's introspection
        endpoint answers them, or ``None``."""
        if not self.introspection_endpoint:
            return None
        with self._oauth_session() as session:
            try:
                response = session.introspect_token(
                    self.introspection_endpoint, token=token, token_type_hint="access_token",
                    timeout=TIMEOUT)
            except OAuthError:
                return None
        if response.status_code != 200:
            _logger.warning("OAuth2 provider %s: introspection answered %s", self.name,
                            response.status_code)
            return None
        try:
            claims = response.json()
        except ValueError:
            return None
        if not isinstance(claims, dict) or claims.get("active") is not True:
            return None
        if claims.get("token_type") == "refresh_token":
            return None
        if claims.get("iss") and claims["iss"].rstrip("/") != self.issuer.rstrip("/"):
            return None
        if claims.get("exp") is not None and float(claims["exp"]) < time.time():
            return None
        if self.audience:
            audience = claims.get("aud")
            audiences = audience if isinstance(audience, list) else [audience]
            if self.audience not in audiences:
                return None
        return claims

    def _decode_jwt(self, token):
        """Return the claims of a JWT signed by a key of this provider, or ``None``."""
        try:
            header = jwt.get_unverified_header(token)
            keys = jwt.PyJWKSet.from_dict(json.loads(self.jwks or '{"keys": []}'))
            key = next(key for key in keys.keys if key.key_id == header.get("kid"))
            claims = jwt.decode(
                token, key.key, algorithms=self.algorithms.split(),
                issuer=self.issuer, audience=self.audience or None,
                options={"verify_aud": bool(self.audience), "require": ["exp", "iss"]})
        except (StopIteration, ValueError, jwt.PyJWTError):
            return None
        return claims

    def _map_user(self, claims):
        """Return the Odoo user that ``claims`` name through the user claim, or ``None``."""
        value = claims.get(self.user_claim)
        if value is None or value == "":
            return None
        if self.user_field == "id":
            try:
                value = int(value)
            except (TypeError, ValueError):
                return None
        user = self.env["res.users"].sudo().search([(self.user_field, "=", value)], limit=1)
        return user or None

    @api.model
    def _cron_fetch_jwks(self):
        """Refresh the keys of every provider, so that rotated keys are known."""
        for provider in self.search([("jwks_uri", "!=", False)]):
            try:
                provider.action_fetch_jwks()
            except UserError as exc:
                _logger.warning("OAuth2 provider %s: %s", provider.name, exc)
