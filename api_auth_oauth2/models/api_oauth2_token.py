"""Issued tokens: an access token and its optional refresh token, stored as hashes.

Every call with a bearer token looks its hash up here, so a revocation takes effect at
once in every worker and server. Refresh tokens rotate: each use issues a new pair in
the same family, and presenting a refresh token already used revokes the whole family
(the sign of a stolen token, as the OAuth 2.0 Security Best Current Practice says).
"""

import logging
from datetime import timedelta

from odoo import api, fields, models

from ..tools.hashing import digest

_logger = logging.getLogger(__name__)


class ApiOauth2Token(models.Model):
    _name = "api.oauth2.token"
    _description = "OAuth2 Token"
    _order = "id desc"
    _rec_name = "jti"

    jti = fields.Char(string="Token ID", required=True, readonly=True, index=True)
    client_id = fields.Many2one(
        "api.oauth2.client", required=True, ondelete="cascade", index=True, readonly=True)
    api_id = fields.Many2one(
        "api.api", string="API", required=True, ondelete="cascade", index=True,
        readonly=True)
    company_id = fields.Many2one(related="api_id.company_id", store=True)
    user_id = fields.Many2one(
        "res.users", required=True, ondelete="cascade", index=True, readonly=True)
    grant_type = fields.Char(readonly=True)
    scope = fields.Char(readonly=True)
    token_format = fields.Selection(
        [("jwt", "JWT"), ("opaque", "Opaque")], required=True, readonly=True)
    access_token_hash = fields.Char(required=True, readonly=True, index=True)
    refresh_token_hash = fields.Char(readonly=True, index="btree_not_null")
    expires_at = fields.Datetime(required=True, readonly=True)
    refresh_expires_at = fields.Datetime(readonly=True)
    family = fields.Char(
        required=True, readonly=True, index=True,
        help="Tokens obtained from one another by refreshing share a family.")
    code_id = fields.Many2one("api.oauth2.code", ondelete="set null", readonly=True,
                              index="btree_not_null")
    rotated = fields.Boolean(readonly=True, help="The refresh token was used once.")
    revoked = fields.Boolean(readonly=True)

    _sql_constraints = [
        ("access_token_hash_unique", "unique(access_token_hash)",
         "An access token is unique."),
        ("refresh_token_hash_unique", "unique(refresh_token_hash)",
         "A refresh token is unique."),
    ]

    @api.model
    def _find_access_token(self, api_record, token):
        """Return the record of a valid ``token`` of ``api_record``, or an empty set."""
        record = self.search([("access_token_hash", "=", digest(token))], limit=1)
        if not record or record.api_id != api_record or record.revoked \
                or record.expires_at < fields.Datetime.now():
            return self.browse()
        return record

    @api.model
    def _find_refresh_token(self, api_record, token):
        """Return the record whose refresh token is ``token``, unless it expired.

        A refresh token used before, or of a revoked token, revokes its family."""
        record = self.search([("refresh_token_hash", "=", digest(token))], limit=1)
        if not record or record.api_id != api_record:
            return self.browse()
        if record.rotated or record.revoked:
            record._revoke_families()
            _logger.warning("OAuth2 client %s of API %s reused a refresh token; its token "
                            "family is revoked", record.client_id.client_id,
                            api_record.endpoint)
            return self.browse()
        if not record.refresh_expires_at or record.refresh_expires_at < fields.Datetime.now():
            return self.browse()
        return record

    @api.model
    def _find_any_token(self, api_record, token, hint=None):
        """Return ``(record, kind)`` for an access or refresh token, for revocation and
        introspection; ``hint`` only chooses which kind is looked up first."""
        kinds = ["refresh_token", "access_token"] if hint == "refresh_token" \
            else ["access_token", "refresh_token"]
        token_hash = digest(token)
        for kind in kinds:
            record = self.search(
                [(f"{kind}_hash", "=", token_hash), ("api_id", "=", api_record.id)], limit=1)
            if record:
                return record, kind
        return self.browse(), None

    def _revoke(self):
        """Revoke these tokens; later calls with them get 401."""
        self.filtered(lambda token: not token.revoked).write({"revoked": True})

    def _revoke_families(self):
        """Revoke these tokens and every token refreshed from or into them."""
        families = set(self.mapped("family"))
        if families:
            self.search([("family", "in", list(families)), ("revoked", "=", False)])._revoke()

    def action_revoke(self):
        """Revoke the selected tokens and their families."""
        self._revoke_families()
        _logger.info("OAuth2 tokens %s revoked by %s", self.mapped("jti"), self.env.user.login)
        return True

    @api.autovacuum
    def _gc_expired_tokens(self):
        """Delete tokens whose access and refresh tokens expired more than a day ago."""
        limit = fields.Datetime.now() - timedelta(days=1)
        self.search([
            ("expires_at", "<", limit),
            "|", ("refresh_expires_at", "=", False), ("refresh_expires_at", "<", limit),
        ]).unlink()
