"""Keys that sign the JWT access tokens of an API.

Each API has one active key that signs new tokens. Rotating it retires the active key:
a retired key still validates the tokens it signed until the longest access token
lifetime of the API has passed, then it is deleted. RSA keys are published as a JWKS so
that other resource servers can validate tokens; HMAC keys stay secret.
"""

import base64
import json
import logging
import secrets
import uuid
from datetime import timedelta

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from odoo import api, fields, models, tools

_logger = logging.getLogger(__name__)


class ApiOauth2Key(models.Model):
    _name = "api.oauth2.key"
    _description = "OAuth2 Signing Key"
    _order = "id desc"
    _rec_name = "kid"

    api_id = fields.Many2one(
        "api.api", string="API", required=True, ondelete="cascade", index=True,
        readonly=True)
    company_id = fields.Many2one(related="api_id.company_id", store=True)
    kid = fields.Char(string="Key ID", required=True, readonly=True, index=True,
                      default=lambda self: uuid.uuid4().hex)
    algorithm = fields.Selection(
        [("RS256", "RS256 (RSA, public JWKS)"), ("HS256", "HS256 (shared secret)")],
        required=True, readonly=True)
    secret = fields.Text(readonly=True, groups="base.group_system",
                         help="The PEM private key (RS256) or the HMAC secret (HS256).")
    public_jwk = fields.Text(string="Public JWK", readonly=True)
    state = fields.Selection(
        [("active", "Active"), ("retired", "Retired")], default="active", required=True,
        readonly=True)
    valid_until = fields.Datetime(
        readonly=True, help="A retired key validates tokens until then, and is deleted after.")

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
        result = super().unlink()
        self.env.registry.clear_cache()
        return result

    @api.model
    def _generate(self, api_record, algorithm):
        """Create a new active key for ``api_record`` with ``algorithm``."""
        values = {"api_id": api_record.id, "algorithm": algorithm}
        if algorithm == "RS256":
            private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            values["secret"] = private_key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption()).decode()
            values["public_jwk"] = jwt.algorithms.RSAAlgorithm.to_jwk(
                private_key.public_key())
        else:
            values["secret"] = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
        return self.sudo().create(values)

    @api.model
    def _signing_key(self, api_record):
        """Return ``(kid, algorithm, secret)`` of the active key of ``api_record``,
        creating one with the API's algorithm when there is none."""
        key = self.sudo().search([("api_id", "=", api_record.id), ("state", "=", "active"),
                                  ("algorithm", "=", api_record.oauth2_jwt_algorithm)],
                                 limit=1)
        if not key:
            key = self._generate(api_record, api_record.oauth2_jwt_algorithm)
        return key.kid, key.algorithm, key.secret

    @api.model
    @tools.ormcache("api_id")
    def _verification_keys(self, api_id):
        """Return ``{kid: (algorithm, key)}`` of the keys that validate tokens of the API,
        cached per worker; any key change clears the cache in every worker."""
        keys = self.sudo().search([
            ("api_id", "=", api_id),
            "|", ("state", "=", "active"), ("valid_until", ">", fields.Datetime.now()),
        ])
        result = {}
        for key in keys:
            if key.algorithm == "RS256":
                material = jwt.algorithms.RSAAlgorithm.from_jwk(key.public_jwk)
            else:
                material = key.secret
            result[key.kid] = (key.algorithm, material, key.valid_until)
        return result

    @api.model
    def _jwks(self, api_record):
        """Return the JSON Web Key Set of the API's public keys (RFC 7517)."""
        keys = self.sudo().search([
            ("api_id", "=", api_record.id), ("algorithm", "=", "RS256"),
            "|", ("state", "=", "active"), ("valid_until", ">", fields.Datetime.now()),
        ])
        jwks = []
        for key in keys:
            jwk = json.loads(key.public_jwk)
            jwk.pop("key_ops", None)
            jwk.update({"kid": key.kid, "alg": key.algorithm, "use": "sig"})
            jwks.append(jwk)
        return {"keys": jwks}

    @api.model
    def _rotate(self, api_record):
        """Retire the API's active keys and create a new one."""
        lifetime = max(api_record.oauth2_client_ids.mapped("access_token_lifetime") or [3600])
        old = self.sudo().search([("api_id", "=", api_record.id), ("state", "=", "active")])
        old.write({"state": "retired",
                   "valid_until": fields.Datetime.now() + timedelta(seconds=lifetime)})
        new = self._generate(api_record, api_record.oauth2_jwt_algorithm)
        _logger.info("OAuth2 signing keys of API %s rotated by %s: %s retired, %s active",
                     api_record.endpoint, self.env.user.login, old.mapped("kid"), new.kid)
        return new

    @api.autovacuum
    def _gc_retired_keys(self):
        """Delete retired keys that validate no token any more."""
        self.sudo().search([("state", "=", "retired"),
                            ("valid_until", "<", fields.Datetime.now())]).unlink()
