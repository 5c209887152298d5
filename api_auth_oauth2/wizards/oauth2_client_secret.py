from odoo import fields, models


class ApiOauth2ClientSecret(models.TransientModel):
    """Generate a client secret and show it once."""

    _name = "api.oauth2.client.secret"
    _description = "Generate an OAuth2 Client Secret"

    client_id = fields.Many2one("api.oauth2.client", required=True, ondelete="cascade")
    client_identifier = fields.Char(related="client_id.client_id", string="Client ID")
    secret = fields.Char(readonly=True)

    def action_generate(self):
        """Replace the client's secret by a new one and show it."""
        self.ensure_one()
        self.client_id.check_access("write")
        self.secret = self.client_id._generate_secret()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "views": [(self.env.ref("api_auth_oauth2.oauth2_client_secret_view_form").id,
                       "form")],
        }
