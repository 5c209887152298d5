from odoo import fields, models


class ApiOauth2ClientSecret(models.AbstractModel):
    """Show a new client secret once: the secret lives in the action's context, and only
    its hash in a table (``api.oauth2.client.action_generate_secret`` opens it)."""

    _name = "api.oauth2.client.secret"
    _description = "Show an OAuth2 Client Secret"

    # the form's onchange needs an id to return the default values
    id = fields.Id()
    client_identifier = fields.Char(string="Client ID", readonly=True)
    secret = fields.Char(readonly=True)
