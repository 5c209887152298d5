"""API keys: random secrets stored as hashes, found through an indexed prefix.

A key is verified once per worker with passlib's PBKDF2 and then remembered in the
registry cache under its SHA-256 digest, so that later calls cost a dictionary look-up.
Revoking, archiving, deleting or changing a key clears that cache in every worker and
server through Odoo's registry signalling; expiry is checked on every call.
"""

import hashlib
import logging
import secrets

from passlib.context import CryptContext

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.http import request

_logger = logging.getLogger(__name__)

KEY_CRYPT_CONTEXT = CryptContext(["pbkdf2_sha512"], pbkdf2_sha512__rounds=6000)
KEY_BYTES = 30
INDEX_SIZE = 8
MIN_MANUAL_KEY_LENGTH = 24


class KeyNotFound(Exception):
    """No active key of the API has this value."""


def _client_ip():
    return request.httprequest.remote_addr if request else "n/a"


class ApiKey(models.Model):
    _name = "api.key"
    _description = "API Key"
    _order = "create_date desc, id desc"

    name = fields.Char(required=True, help="What the key is for, e.g. the calling app.")
    user_id = fields.Many2one(
        "res.users", required=True, ondelete="cascade", index=True,
        default=lambda self: self.env.user,
    )
    api_id = fields.Many2one("api.api", string="API", required=True, ondelete="cascade",
                             index=True)
    company_id = fields.Many2one(related="api_id.company_id", store=True)
    index = fields.Char(readonly=True, index=True, copy=False)
    expiration_date = fields.Datetime(help="The key stops working at this time (UTC).")
    active = fields.Boolean(default=True, help="Revoked keys are archived.")
    revoked_date = fields.Datetime(readonly=True, copy=False)
    last_four = fields.Char(string="Ends With", readonly=True, copy=False)

    def init(self):
        self.env.cr.execute(
            "ALTER TABLE api_key ADD COLUMN IF NOT EXISTS key_hash varchar")

    # ------------------------------------------------------------------
    # Generation and revocation
    # ------------------------------------------------------------------

    @api.model
    def _generate(self, api, user, name, expiration_date=False, key=None):
        """Create a key of ``user`` for ``api`` and return it in clear, the only time it is
        available. ``key`` sets the value by hand where the API allows it."""
        if key:
            if not api.apikey_allow_manual:
                raise ValidationError(self.env._(
                    "The API %(api)s does not accept keys entered by hand.", api=api.name))
            if len(key) < MIN_MANUAL_KEY_LENGTH or not key.isascii() or not key.isprintable() \
                    or " " in key:
                raise ValidationError(self.env._(
                    "A key entered by hand needs at least %(length)s printable characters "
                    "without spaces.", length=MIN_MANUAL_KEY_LENGTH))
        key = key or secrets.token_urlsafe(KEY_BYTES)
        record = self.create({
            "name": name,
            "api_id": api.id,
            "user_id": user.id,
            "expiration_date": expiration_date,
            "index": key[:INDEX_SIZE],
            "last_four": key[-4:],
        })
        self.env.cr.execute("UPDATE api_key SET key_hash = %s WHERE id = %s",
                            [KEY_CRYPT_CONTEXT.hash(key), record.id])
        _logger.info("API key #%s generated for API %s and user %s by %s from %s",
                     record.id, api.endpoint, user.login, self.env.user.login, _client_ip())
        return key

    def action_revoke(self):
        """Revoke the keys at once, in every worker."""
        self.write({"active": False, "revoked_date": fields.Datetime.now()})
        for key in self:
            _logger.info("API key #%s of user %s revoked by %s from %s", key.id,
                         key.user_id.login, self.env.user.login, _client_ip())
        return True

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.registry.clear_cache()
        return records

    def write(self, vals):
        result = super().write(vals)
        self.env.registry.clear_cache()
        return result

    def unlink(self):
        for key in self:
            _logger.info("API key #%s of user %s deleted by %s from %s", key.id,
                         key.user_id.login, self.env.user.login, _client_ip())
        result = super().unlink()
        self.env.registry.clear_cache()
        return result

    # ------------------------------------------------------------------
    # Verification
    # ------------------------------------------------------------------

    @api.model
    def _check_key(self, key, api_id):
        """Return the id of the user owning ``key`` for the API ``api_id``, or None."""
        if not key or len(key) > 256:
            return None
        digest = hashlib.sha256(key.encode()).hexdigest()
        try:
            user_id, expiration = self._verify_digest(digest, key, api_id)
        except KeyNotFound:
            return None
        if expiration and expiration < fields.Datetime.now():
            return None
        return user_id

    @api.model
    @tools.ormcache("digest", "api_id")
    def _verify_digest(self, digest, key, api_id):
        # ``key`` is left out of the cache key on purpose: ``digest`` identifies it.
        self.env.cr.execute("""
            SELECT k.id, k.user_id, k.key_hash, k.expiration_date
              FROM api_key k
             WHERE k.index = %s AND k.api_id = %s AND k.active
        """, [key[:INDEX_SIZE], api_id])
        for _key_id, user_id, key_hash, expiration in self.env.cr.fetchall():
            # passlib compares in constant time
            if key_hash and KEY_CRYPT_CONTEXT.verify(key, key_hash):
                return user_id, expiration
        # Raised, not returned: a miss must not stay in the cache, or a key created later
        # with that value would be refused, and random keys would evict the valid ones.
        raise KeyNotFound()

    @api.autovacuum
    def _gc_expired_keys(self):
        """Archive the keys that expired more than a day ago."""
        expired = self.search([
            ("expiration_date", "<", fields.Datetime.subtract(fields.Datetime.now(), days=1)),
        ])
        if expired:
            expired.write({"active": False, "revoked_date": fields.Datetime.now()})
            _logger.info("Archived %s expired API keys", len(expired))
