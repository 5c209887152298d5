"""Symmetric encryption of the provider tokens kept in delegated mode.

Access and refresh tokens obtained from an external provider must be presented to it
again (to refresh or revoke them), so they cannot be hashed: they are encrypted with
Fernet (AES-128-CBC and HMAC-SHA256, from ``cryptography``). The key is derived with
HKDF-SHA256 from the database's ``database.secret`` system parameter; it is never
stored. Changing that parameter makes the stored tokens unreadable: the identities
then have to authorize again.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.backends import default_backend
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

HKDF_INFO = b"api_auth_oauth2 delegated provider tokens"


def _fernet(env) -> Fernet:
    secret = env["ir.config_parameter"].sudo().get_param("database.secret")
    if not secret:
        raise ValueError("The database has no database.secret parameter.")
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO,
               backend=default_backend()).derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(env, value: str) -> str:
    """Return ``value`` encrypted with the database's key, as text."""
    return _fernet(env).encrypt(value.encode()).decode()


def decrypt(env, value: str) -> str | None:
    """Return the clear text of ``value``, or ``None`` when the key cannot read it."""
    try:
        return _fernet(env).decrypt(value.encode()).decode()
    except (InvalidToken, ValueError):
        return None
