"""API keys: random secrets stored as hashes, found through an indexed prefix.

A key is verified once per worker with passlib's PBKDF2 and then remembered in the
registry cache under its SHA-256 digest, so that later calls cost a dictionary look-up.
Revoking, archiving, deleting or changing a key clears that cache in every worker and
server through Odoo's registry signalling; expiry is checked on every call.

As with Odoo's own ``res.users.apikeys``, a key's owner cannot change it: API users may
only read their keys and revoke them (``action_revoke``). Only API managers change a key
(its user, API, expiry, or reactivating it), and every such change is logged.
"""

import hashlib
import logging
import secrets

from passlib.context import CryptContext

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, ValidationError
from odoo.http import request

_logger = logging.getLogger(__name__)

KEY_CRYPT_CONTEXT = CryptContext(["pbkdf2_sha512"], pbkdf2_sha512__rounds=6000)
KEY_BYTES = 30
INDEX_SIZE = 8
MIN_MANUAL_KEY_LENGTH = 24
# Changes of these fields are logged: they decide who a key signs in as, where and until when.
LOGGED_FIELDS = ("user_id", "api_id", "index", "last_four", "expiration_date", "active")


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
    def _check_manual_allowed(self, api):
        """Raise unless ``api`` accepts keys entered by hand."""
        if not api.apikey_allow_manual:
            raise ValidationError(self.env._(
                "The API %(api)s does not accept keys entered by hand.", api=api.name))

    @api.model
    def _check_manual_key(self, api, key):
        """Raise unless ``key`` may be used as a key of ``api`` entered by hand."""
        self._check_manual_allowed(api)
        if len(key) < MIN_MANUAL_KEY_LENGTH or not key.isascii() or not key.isprintable() \
                or " " in key:
            raise ValidationError(self.env._(
                "A key entered by hand needs at least %(length)s printable characters "
                "without spaces.", length=MIN_MANUAL_KEY_LENGTH))

    @api.model
    def _hash_key(self, key):
        """Return what is kept of ``key``: its index prefix, last four characters and hash."""
        return {"index": key[:INDEX_SIZE], "last_four": key[-4:],
                "key_hash": KEY_CRYPT_CONTEXT.hash(key)}

    @api.model
    def _generate(self, api, user, name, expiration_date=False, key=None):
        """Create a key of ``user`` for ``api`` and return it in clear, the only time it is
        available. ``key`` sets the value by hand where the API allows it."""
        if key:
            self._check_manual_key(api, key)
        key = key or secrets.token_urlsafe(KEY_BYTES)
        self._create_hashed(api, user, name, expiration_date, self._hash_key(key))
        return key

    @api.model
    def _create_hashed(self, api, user, name, expiration_date, hashed):
        """Create a key from what ``_hash_key`` keeps of it; return the record."""
        record = self.create({
            "name": name,
            "api_id": api.id,
            "user_id": user.id,
            "expiration_date": expiration_date,
            "index": hashed["index"],
            "last_four": hashed["last_four"],
        })
        self.env.cr.execute("UPDATE api_key SET key_hash = %s WHERE id = %s",
                            [hashed["key_hash"], record.id])
        _logger.info("API key #%s generated for API %s and user %s by %s from %s",
                     record.id, api.endpoint, user.login, self.env.user.login, _client_ip())
        return record

    @api.model
    def _is_key_manager(self):
        return self.env.su or self.env.user.has_group("api_framework_base.group_api_manager")

    def action_revoke(self):
        """Revoke the keys at once, in every worker: managers any key, users their own."""
        self.check_access("read")
        if not self._is_key_manager() and self.mapped("user_id") - self.env.user:
            raise AccessError(self.env._("You can only revoke your own API keys."))
        # sudo() keeps the user, who is logged as the author of the revocation
        self.filtered("active").sudo().write(
            {"active": False, "revoked_date": fields.Datetime.now()})
        return True

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.registry.clear_cache()
        return records

    def write(self, vals):
        if not self._is_key_manager():
            raise AccessError(self.env._(
                "Only API managers can change API keys; revoke a key to stop it."))
        if vals.get("active") and "revoked_date" not in vals:
            vals = dict(vals, revoked_date=False)
        owners = {key.id: key.user_id.login for key in self.sudo()}
        result = super().write(vals)
        self.env.registry.clear_cache()
        self._log_change(vals, owners)
        return result

    def unlink(self):
        for key in self:
            _logger.info("API key #%s of user %s deleted by %s from %s", key.id,
                         key.user_id.login, self.env.user.login, _client_ip())
        result = super().unlink()
        self.env.registry.clear_cache()
        return result

    def _log_change(self, vals, owners):
        """Log the changes of ``LOGGED_FIELDS`` in ``vals``, never a key's value."""
        changes = []
        if "active" in vals:
            changes.append("reactivated" if vals["active"] else "revoked")
        if "user_id" in vals:
            new_owner = self.env["res.users"].sudo().browse(vals["user_id"]).login
            changes.append(f"given to user {new_owner}")
        others = [name for name in LOGGED_FIELDS
                  if name in vals and name not in ("active", "user_id")]
        if others:
            changes.append("changed (%s)" % ", ".join(others))
        if not changes:
            return
        for key in self:
            _logger.info("API key #%s of user %s %s by %s from %s", key.id, owners[key.id],
                         " and ".join(changes), self.env.user.login, _client_ip())

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
