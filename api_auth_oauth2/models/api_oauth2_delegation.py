"""Tokens that an external provider issued for an identity of a delegated API.

Delegated mode lets a calling application have Odoo run the authorization code flow
with the API's provider on behalf of one of its users, named by an opaque
``client_user_identity``:

1. ``POST /<endpoint>/oauth2/provider/authorize`` starts a flow: a fresh ``state`` and a
   PKCE verifier are kept (the state as a digest, the verifier encrypted) and the
   provider's authorization URL is answered;
2. the provider redirects the user's browser to ``/<endpoint>/oauth2/provider/callback``,
   where the code is exchanged and the tokens are kept, encrypted (see tools/crypto.py);
3. ``/<endpoint>/oauth2/token`` refreshes them at the provider and answers the new access
   token; ``/<endpoint>/oauth2/revoke`` revokes them at the provider and forgets them.

A new flow for an identity replaces its tokens only once its callback succeeds.
"""

import logging
import secrets
from datetime import timedelta

from authlib.common.security import generate_token
from authlib.integrations.base_client import OAuthError
from requests import RequestException

from odoo import api, fields, models

from ..tools.crypto import decrypt, encrypt
from ..tools.hashing import digest

_logger = logging.getLogger(__name__)

FLOW_LIFETIME = 600


class ApiOauth2Delegation(models.Model):
    _name = "api.oauth2.delegation"
    _description = "OAuth2 Delegated Tokens"
    _order = "id desc"
    _rec_name = "identity"

    api_id = fields.Many2one("api.api", string="API", required=True, ondelete="cascade",
                             readonly=True)
    provider_id = fields.Many2one("api.oauth2.provider", required=True, ondelete="cascade",
                                  readonly=True)
    identity = fields.Char(string="Client User Identity", required=True, readonly=True)
    status = fields.Selection(
        [("pending", "Waiting for the provider"), ("authorized", "Authorized"),
         ("revoked", "Revoked")], required=True, default="pending", readonly=True)
    scope = fields.Char(readonly=True)
    expires_at = fields.Datetime(string="Access Token Expires", readonly=True)
    access_token_encrypted = fields.Text(readonly=True, groups="base.group_system")
    refresh_token_encrypted = fields.Text(readonly=True, groups="base.group_system")
    # The flow in progress: the state as a digest, the PKCE verifier encrypted.
    flow_state_hash = fields.Char(readonly=True, index="btree_not_null", copy=False)
    flow_verifier_encrypted = fields.Text(readonly=True, groups="base.group_system",
                                          copy=False)
    flow_redirect_uri = fields.Char(readonly=True, copy=False)
    flow_expires_at = fields.Datetime(readonly=True, copy=False)

    _sql_constraints = [
        ("identity_unique", "unique(api_id, identity)",
         "An identity has one set of tokens per API."),
    ]

    # ------------------------------------------------------------------
    # The flow
    # ------------------------------------------------------------------

    def _start_flow(self, api_record, identity, redirect_uri):
        """Return the provider's authorization URL for a new flow of ``identity``."""
        provider = api_record.oauth2_provider_id
        record = self.search([("api_id", "=", api_record.id), ("identity", "=", identity)])
        if not record:
            record = self.create({"api_id": api_record.id, "provider_id": provider.id,
                                  "identity": identity})
        state = secrets.token_urlsafe(32)
        verifier = generate_token(64)
        with provider._oauth_session(redirect_uri=redirect_uri) as session:
            url, _state = session.create_authorization_url(
                provider.authorization_endpoint, state=state, code_verifier=verifier)
        record.write({
            "provider_id": provider.id,
            "flow_state_hash": digest(state),
            "flow_verifier_encrypted": encrypt(self.env, verifier),
            "flow_redirect_uri": redirect_uri,
            "flow_expires_at": fields.Datetime.now() + timedelta(seconds=FLOW_LIFETIME),
        })
        _logger.info("API %s: OAuth2 provider flow started for identity %s",
                     api_record.endpoint, record.id)
        return url

    def _find_flow(self, api_record, state):
        """Return the record whose flow in progress has ``state``, or an empty set."""
        if not state:
            return self.browse()
        return self.search([("api_id", "=", api_record.id),
                            ("flow_state_hash", "=", digest(state)),
                            ("flow_expires_at", ">", fields.Datetime.now())], limit=1)

    def _finish_flow(self, code):
        """Exchange ``code`` at the provider and keep the tokens; raise ``OAuthError``
        or ``RequestException`` when the provider refuses it or cannot be reached."""
        self.ensure_one()
        provider = self.provider_id
        verifier = decrypt(self.env, self.flow_verifier_encrypted or "")
        redirect_uri = self.flow_redirect_uri
        # The flow is single-use, whatever the provider answers.
        self._clear_flow()
        if not verifier:
            raise OAuthError(error="invalid_request",
                             description="The authorization request cannot be read.")
        with provider._oauth_session(redirect_uri=redirect_uri) as session:
            token = session.fetch_token(provider.token_endpoint, grant_type="authorization_code",
                                        code=code, code_verifier=verifier,
                                        timeout=provider._timeout())
        self._store_token(token)
        _logger.info("API %s: OAuth2 provider %s authorized identity %s",
                     self.api_id.endpoint, provider.name, self.id)

    def _clear_flow(self):
        self.write({"flow_state_hash": False, "flow_verifier_encrypted": False,
                    "flow_redirect_uri": False, "flow_expires_at": False})

    def _store_token(self, token):
        """Keep the provider's token response, encrypted; a provider that does not
        rotate its refresh token keeps the one stored."""
        if not token.get("access_token"):
            raise OAuthError(error="invalid_token",
                             description="The provider answered no access token.")
        values = {
            "status": "authorized",
            "access_token_encrypted": encrypt(self.env, token["access_token"]),
            "scope": token.get("scope") or self.provider_id.scope or "",
            "expires_at": fields.Datetime.now() + timedelta(seconds=int(token["expires_in"]))
            if token.get("expires_in") else False,
        }
        if token.get("refresh_token"):
            values["refresh_token_encrypted"] = encrypt(self.env, token["refresh_token"])
        self.write(values)

    # ------------------------------------------------------------------
    # Refresh and revocation
    # ------------------------------------------------------------------

    def _access_token(self):
        """Return the clear access token kept for this identity, or ``None``."""
        self.ensure_one()
        if self.status != "authorized" or not self.access_token_encrypted:
            return None
        return decrypt(self.env, self.access_token_encrypted)

    def _refresh_token_value(self):
        self.ensure_one()
        if self.status != "authorized" or not self.refresh_token_encrypted:
            return None
        return decrypt(self.env, self.refresh_token_encrypted)

    def _refresh(self):
        """Refresh the tokens at the provider; return the token dict for the caller
        (access token, type, lifetime, scope: never the refresh token)."""
        self.ensure_one()
        provider = self.provider_id
        refresh_token = self._refresh_token_value()
        if not refresh_token:
            raise OAuthError(error="invalid_grant",
                             description="No refresh token is kept for this identity.")
        with provider._oauth_session() as session:
            try:
                token = session.refresh_token(provider.token_endpoint,
                                              refresh_token=refresh_token,
                                              timeout=provider._timeout())
            except OAuthError as error:
                if error.error == "invalid_grant":
                    self._forget()
                raise
        self._store_token(token)
        return {
            "access_token": token["access_token"],
            "token_type": "Bearer",
            "expires_in": token.get("expires_in"),
            "scope": self.scope,
        }

    def _revoke_at_provider(self):
        """Revoke the access and refresh tokens at the provider (RFC 7009), then forget
        them; raise ``RequestException`` or ``OAuthError`` when the provider fails, and
        keep them then, so that the caller can try again."""
        self.ensure_one()
        provider = self.provider_id
        tokens = [(self._access_token(), "access_token"),
                  (self._refresh_token_value(), "refresh_token")]
        if provider.revocation_endpoint:
            with provider._oauth_session() as session:
                for token, hint in tokens:
                    if not token:
                        continue
                    response = session.revoke_token(provider.revocation_endpoint, token=token,
                                                    token_type_hint=hint,
                                                    timeout=provider._timeout())
                    if response.status_code != 200:
                        raise OAuthError(error="revocation_failed",
                                         description=f"The provider answered "
                                                     f"{response.status_code}.")
        self._forget()
        _logger.info("API %s: OAuth2 provider tokens of identity %s revoked",
                     self.api_id.endpoint, self.id)

    def _forget(self):
        self.write({"status": "revoked", "access_token_encrypted": False,
                    "refresh_token_encrypted": False, "expires_at": False})

    def action_revoke(self):
        """Revoke the selected identities' tokens at the provider."""
        for record in self.filtered(lambda record: record.status == "authorized"):
            try:
                record._revoke_at_provider()
            except (OAuthError, RequestException) as exc:
                _logger.warning("OAuth2 provider revocation failed for identity %s: %s",
                                record.id, exc)
                record._forget()
        return True

    @api.autovacuum
    def _gc_abandoned_flows(self):
        """Delete identities whose only flow was never completed, a day after it ended."""
        limit = fields.Datetime.now() - timedelta(days=1)
        self.search([("status", "=", "pending"), ("write_date", "<", limit)]).unlink()
