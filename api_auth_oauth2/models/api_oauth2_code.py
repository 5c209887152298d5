"""Authorization codes (RFC 6749 section 4.1): single-use, short-lived, stored hashed."""

import logging
from datetime import timedelta

from odoo import api, fields, models

from ..tools.hashing import digest

_logger = logging.getLogger(__name__)


class ApiOauth2Code(models.Model):
    _name = "api.oauth2.code"
    _description = "OAuth2 Authorization Code"
    _order = "id desc"

    code_hash = fields.Char(required=True, index=True, readonly=True)
    client_id = fields.Many2one(
        "api.oauth2.client", required=True, ondelete="cascade", index=True, readonly=True)
    api_id = fields.Many2one(related="client_id.api_id", store=True)
    user_id = fields.Many2one("res.users", required=True, ondelete="cascade", readonly=True)
    redirect_uri = fields.Char(readonly=True)
    scope = fields.Char(readonly=True)
    nonce = fields.Char(readonly=True)
    code_challenge = fields.Char(readonly=True)
    code_challenge_method = fields.Char(readonly=True)
    expires_at = fields.Datetime(required=True, readonly=True)
    used = fields.Boolean(readonly=True)

    _sql_constraints = [
        ("code_hash_unique", "unique(code_hash)", "An authorization code is unique."),
    ]

    @api.model
    def _create_code(self, code, client, user, values):
        """Store ``code`` (hashed) for ``client`` and ``user``."""
        lifetime = client.api_id.oauth2_code_lifetime or 60
        return self.create({
            "code_hash": digest(code),
            "client_id": client.id,
            "user_id": user.id,
            "expires_at": fields.Datetime.now() + timedelta(seconds=lifetime),
            **values,
        })

    @api.model
    def _find_code(self, code, client):
        """Return the unused, unexpired code of ``client``, or an empty recordset.

        A code presented a second time revokes the tokens issued from it
        (RFC 6749 section 4.1.2)."""
        record = self.search([("code_hash", "=", digest(code or ""))], limit=1)
        if not record or record.client_id != client:
            return self.browse()
        if record.used:
            tokens = self.env["api.oauth2.token"].search([("code_id", "=", record.id)])
            tokens._revoke_families()
            _logger.warning("OAuth2 client %s presented a used authorization code; the "
                            "tokens issued from it are revoked", client.client_id)
            return self.browse()
        if record.expires_at < fields.Datetime.now():
            return self.browse()
        return record

    @api.model
    def _invalidate_presented(self, api_record, code, client_ip):
        """Mark ``code`` used after a failed exchange at ``api_record`` that presented it,
        whatever made the exchange fail (client authentication, redirect URI, PKCE
        verifier): a code is single-use (RFC 6749 section 4.1.2), so a failed attempt
        spends it as well and the client has to ask for a new one."""
        record = self.search([("code_hash", "=", digest(code)),
                              ("api_id", "=", api_record.id), ("used", "=", False)], limit=1)
        if record:
            record.used = True
            _logger.info("OAuth2 client %s: authorization code spent by a failed token "
                         "request from %s", record.client_id.client_id, client_ip)

    @api.autovacuum
    def _gc_expired_codes(self):
        """Forget codes expired for a day; until then a reuse is still detected."""
        limit = fields.Datetime.now() - timedelta(days=1)
        self.search([("expires_at", "<", limit)]).unlink()
