"""Login and password checks through Odoo's own authentication, with a short cache.

A password is checked the way Odoo checks the password of an RPC call: by the user's
``_check_credentials`` in a non-interactive context, which also accepts one of the user's
Odoo API keys (scope ``rpc``) in place of the password. Archived users are never found.

Odoo hashes passwords with PBKDF2-SHA512 at 600,000 rounds, so a check takes hundreds of
milliseconds on purpose, and an API client sends its password with every call. A
successful *password* check is therefore remembered per worker for a few seconds
(``api_framework.password_cache_seconds``, 60 by default, 0 turns it off). The entry is
keyed by an HMAC of (database, login, password) under a random per-process secret, so no
password is kept, and bound to the user's stored password hash: a new password, an
archived user or a user who must use API keys makes the entry void at once.

API keys are checked first, and never cached: they are cheap to check, and the revocation
of a key must take effect at once.
"""

import hashlib
import hmac
import secrets
import threading
import time

from odoo.exceptions import AccessDenied

CACHE_SECONDS_PARAM = "api_framework.password_cache_seconds"
DEFAULT_CACHE_SECONDS = 60
CACHE_MAX_ENTRIES = 2048

_cache_secret = secrets.token_bytes(32)
_cache = {}
_cache_lock = threading.Lock()


def check_login_password(env, login, password):
    """Return the active user that ``login`` and ``password`` (or an Odoo API key of the
    user) prove, or an empty ``res.users`` recordset. ``env`` may be any environment."""
    users = env["res.users"].sudo()
    if not login or not password:
        return users.browse()
    user = users.search(users._get_login_domain(login), order=users._get_login_order(),
                        limit=1)
    if not user:
        return users.browse()

    ttl = cache_seconds(env)
    key = _cache_key(env.cr.dbname, login, password)
    if ttl and _cache_lookup(key, user.id, _stored_hash(env, user)) \
            and not user._rpc_api_keys_only():
        return user

    if env["res.users.apikeys"].sudo()._check_credentials(scope="rpc", key=password) \
            == user.id:
        return user

    credential = {"login": login, "password": password, "type": "password"}
    try:
        auth_info = user.with_user(user)._check_credentials(credential, {"interactive": False})
    except AccessDenied:
        return users.browse()
    if ttl and auth_info.get("auth_method") == "password":
        _cache_store(key, user.id, _stored_hash(env, user), ttl)
    return user


def cache_seconds(env):
    """Return how long a successful password check is remembered, in seconds."""
    value = env["ir.config_parameter"].sudo().get_param(
        CACHE_SECONDS_PARAM, DEFAULT_CACHE_SECONDS)
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return DEFAULT_CACHE_SECONDS


def clear_cache():
    """Forget every remembered password check of this worker."""
    with _cache_lock:
        _cache.clear()


def cache_size():
    """Return the number of remembered password checks of this worker."""
    return len(_cache)


def _cache_key(dbname, login, password):
    message = "\x00".join((dbname, login, password)).encode()
    return hmac.new(_cache_secret, message, hashlib.sha256).digest()


def _stored_hash(env, user):
    env.cr.execute("SELECT COALESCE(password, '') FROM res_users WHERE id = %s", [user.id])
    row = env.cr.fetchone()
    return row[0] if row else ""


def _fingerprint(stored_hash):
    return hashlib.sha256(stored_hash.encode()).digest()


def _cache_lookup(key, user_id, stored_hash):
    if not stored_hash:
        return False
    entry = _cache.get(key)
    if entry is None:
        return False
    cached_user_id, fingerprint, expires = entry
    if expires <= time.monotonic():
        with _cache_lock:
            _cache.pop(key, None)
        return False
    return cached_user_id == user_id and hmac.compare_digest(
        fingerprint, _fingerprint(stored_hash))


def _cache_store(key, user_id, stored_hash, ttl):
    if not stored_hash:
        return
    now = time.monotonic()
    with _cache_lock:
        if len(_cache) >= CACHE_MAX_ENTRIES:
            for old_key in [k for k, entry in _cache.items() if entry[2] <= now]:
                del _cache[old_key]
            while len(_cache) >= CACHE_MAX_ENTRIES:
                del _cache[next(iter(_cache))]
        _cache[key] = (user_id, _fingerprint(stored_hash), now + ttl)
