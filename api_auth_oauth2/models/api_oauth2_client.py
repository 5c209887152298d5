"""OAuth2 clients: the applications allowed to obtain tokens for one API.

The client secret is generated, shown once and stored as a passlib hash only.
"""

import logging
import secrets

from passlib.context import CryptContext

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.scopes import is_valid_scope_token, parse_scope

_logger = logging.getLogger(__name__)

SECRET_CRYPT_CONTEXT = CryptContext(["pbkdf2_sha512"], pbkdf2_sha512__rounds=6000)


class ApiOauth2Client(models.Model):
    _name = "api.oauth2.client"
    _description = "OAuth2 Client"
    _order = "name, id"

    name = fields.Char(required=True, help="The application, as shown on the consent page.")
    active = fields.Boolean(default=True)
    api_id = fields.Many2one(
        "api.api", string="API", required=True, ondelete="cascade", index=True,
        domain="[('auth_type', '=', 'oauth2')]",
    )
    company_id = fields.Many2one(related="api_id.company_id", store=True, index=True)
    client_id = fields.Char(
        string="Client ID", required=True, readonly=True, copy=False, index=True,
        default=lambda self: secrets.token_urlsafe(18),
    )
    client_secret_hash = fields.Char(copy=False, groups="base.group_system")
    has_secret = fields.Boolean(compute="_compute_has_secret")
    client_type = fields.Selection(
        [("confidential", "Confidential"), ("public", "Public")],
        required=True, default="confidential",
        help="Confidential: a server-side application that keeps a secret.\n"
             "Public: a browser or mobile application without a secret; it must use "
             "PKCE with S256.",
    )
    redirect_uris = fields.Text(
        string="Redirect URIs",
        help="The redirect URIs the client may use, one per line, compared exactly.",
    )
    grant_authorization_code = fields.Boolean(string="Authorization Code", default=True)
    grant_refresh_token = fields.Boolean(string="Refresh Token", default=True)
    grant_client_credentials = fields.Boolean(string="Client Credentials")
    grant_password = fields.Boolean(
        string="Password (legacy)",
        help="Resource owner password credentials: the client sees the user's password. "
             "Off unless a legacy client cannot do otherwise.",
    )
    scope = fields.Char(
        string="Allowed Scopes", required=True, default="read write",
        help="Space-separated: read, write, or per model such as res.partner:read.",
    )
    access_token_lifetime = fields.Integer(
        string="Access Token Lifetime (s)", default=3600, required=True)
    refresh_token_lifetime = fields.Integer(
        string="Refresh Token Lifetime (s)", default=30 * 24 * 3600, required=True)
    user_id = fields.Many2one(
        "res.users", string="Client Credentials User", ondelete="restrict",
        help="The user a client_credentials token acts as; must be among the API's users.",
    )
    allow_introspection = fields.Boolean(
        string="Resource Server",
        help="May introspect any token of this API (RFC 7662), not only its own.",
    )
    token_count = fields.Integer(compute="_compute_token_count", string="Tokens")

    _sql_constraints = [
        ("client_id_unique", "unique(client_id)", "The client ID must be unique."),
        ("lifetimes_positive",
         "check(access_token_lifetime > 0 and refresh_token_lifetime > 0)",
         "Token lifetimes must be positive."),
    ]

    @api.depends_context("uid")
    def _compute_has_secret(self):
        hashes = {client.id: client.client_secret_hash for client in self.sudo()}
        for client in self:
            client.has_secret = bool(hashes.get(client.id))

    def _compute_token_count(self):
        counts = dict(self.env["api.oauth2.token"]._read_group(
            [("client_id", "in", self.ids), ("revoked", "=", False)],
            ["client_id"], ["__count"]))
        for client in self:
            client.token_count = counts.get(client, 0)

    @api.constrains("scope")
    def _check_scope(self):
        for client in self:
            for token in parse_scope(client.scope):
                if not is_valid_scope_token(token):
                    raise ValidationError(self.env._(
                        "%(scope)s is not a scope: use read, write or <model>:read, "
                        "<model>:write.", scope=token))

    @api.constrains("client_type", "grant_client_credentials", "grant_password", "user_id")
    def _check_grants(self):
        for client in self:
            if client.client_type == "public" and (
                    client.grant_client_credentials or client.grant_password):
                raise ValidationError(self.env._(
                    "A public client cannot use the client credentials or password grants."))
            if client.grant_client_credentials and not client.user_id:
                raise ValidationError(self.env._(
                    "Choose the user the client acts as with client credentials."))

    @api.constrains("redirect_uris")
    def _check_redirect_uris(self):
        for client in self:
            for uri in client._redirect_uri_list():
                if "#" in uri or not uri.startswith(("https://", "http://")):
                    raise ValidationError(self.env._(
                        "%(uri)s is not a valid redirect URI: an absolute http(s) URI "
                        "without fragment is expected.", uri=uri))

    def _redirect_uri_list(self):
        self.ensure_one()
        return [line.strip() for line in (self.redirect_uris or "").splitlines()
                if line.strip()]

    def _grant_types(self):
        """Return the grant types the client may use."""
        self.ensure_one()
        grants = {
            "authorization_code": self.grant_authorization_code,
            "refresh_token": self.grant_refresh_token,
            "client_credentials": self.grant_client_credentials,
            "password": self.grant_password,
        }
        return [name for name, allowed in grants.items() if allowed]

    def _check_secret(self, secret):
        """Tell whether ``secret`` is the client's secret."""
        self.ensure_one()
        secret_hash = self.sudo().client_secret_hash
        if not secret or not secret_hash:
            return False
        return SECRET_CRYPT_CONTEXT.verify(secret, secret_hash)

    def _generate_secret(self):
        """Set a new random secret and return it in clear, for showing once."""
        self.ensure_one()
        secret = secrets.token_urlsafe(32)
        self.sudo().client_secret_hash = SECRET_CRYPT_CONTEXT.hash(secret)
        _logger.info("OAuth2 client %s of API %s: new secret generated by %s",
                     self.client_id, self.api_id.endpoint, self.env.user.login)
        return secret

    def action_generate_secret(self):
        """Replace the client's secret by a new one and open the form that shows it once.

        The secret travels in the action's context only, as Odoo shows a new API key
        (``res.users.apikeys.show``): no table ever holds it in clear."""
        self.ensure_one()
        self.check_access("write")
        secret = self._generate_secret()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Client Secret"),
            "res_model": "api.oauth2.client.secret",
            "view_mode": "form",
            "target": "new",
            "views": [(self.env.ref("api_auth_oauth2.oauth2_client_secret_view_form").id,
                       "form")],
            "context": {"default_client_identifier": self.client_id, "default_secret": secret},
        }

    def action_revoke_tokens(self):
        """Revoke every token issued to these clients."""
        tokens = self.env["api.oauth2.token"].sudo().search(
            [("client_id", "in", self.ids), ("revoked", "=", False)])
        tokens._revoke()
        _logger.info("OAuth2 clients %s: %d tokens revoked by %s", self.mapped("client_id"),
                     len(tokens), self.env.user.login)
        return True

    def action_open_tokens(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "api_auth_oauth2.api_oauth2_token_action")
        action["domain"] = [("client_id", "=", self.id)]
        return action

    def write(self, vals):
        result = super().write(vals)
        if "active" in vals and not vals["active"]:
            self.action_revoke_tokens()
        return result
