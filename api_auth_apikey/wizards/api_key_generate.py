from odoo import api, fields, models
from odoo.exceptions import AccessError


class ApiKeyGenerate(models.TransientModel):
    """Generate an API key and show it once."""

    _name = "api.key.generate"
    _description = "Generate an API Key"

    api_id = fields.Many2one("api.api", string="API", required=True,
                             domain="[('auth_type', '=', 'apikey')]")
    user_id = fields.Many2one("res.users", required=True, default=lambda self: self.env.user)
    name = fields.Char(required=True, string="Description")
    expiration_date = fields.Datetime()
    allow_manual = fields.Boolean(related="api_id.apikey_allow_manual")
    manual_key = fields.Char(string="Key Value",
                             help="Leave empty to generate a random key (recommended).")
    key = fields.Char(readonly=True)

    @api.model
    def _is_manager(self):
        return self.env.user.has_group("api_framework_base.group_api_manager")

    def action_generate(self):
        self.ensure_one()
        if self.user_id != self.env.user and not self._is_manager():
            raise AccessError(self.env._("Only API managers can create keys for other users."))
        if self.manual_key and not self._is_manager():
            raise AccessError(self.env._("Only API managers can enter a key by hand."))
        if self.user_id not in self.api_id.sudo().user_ids:
            raise AccessError(self.env._(
                "%(user)s is not among the users of %(api)s.",
                user=self.user_id.name, api=self.api_id.name))
        key = self.env["api.key"].sudo()._generate(
            self.api_id, self.user_id, self.name, self.expiration_date,
            key=self.manual_key or None)
        self.write({"key": key, "manual_key": False})
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "views": [(self.env.ref("api_auth_apikey.api_key_generate_view_done").id, "form")],
        }
