"""Generate an API key, then show it once without writing it to any table.

As Odoo's ``res.users.apikeys.description`` does, the wizard creates the key, deletes
itself and opens ``api.key.show``, an abstract model whose form gets the key from the
action's context. A key entered by hand is hashed as soon as it is saved.
"""

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
    manual_key = fields.Char(
        string="Key Value", compute="_compute_manual_key", inverse="_inverse_manual_key",
        help="Leave empty to generate a random key (recommended).")
    # What api.key keeps of a key entered by hand, never the key itself.
    manual_index = fields.Char(readonly=True)
    manual_last_four = fields.Char(readonly=True)
    manual_hash = fields.Char(readonly=True)

    @api.model
    def _is_manager(self):
        return self.env.user.has_group("api_framework_base.group_api_manager")

    def _compute_manual_key(self):
        self.manual_key = False

    def _inverse_manual_key(self):
        for wizard in self:
            if not wizard.manual_key:
                wizard.update({"manual_index": False, "manual_last_four": False,
                               "manual_hash": False})
                continue
            if not self._is_manager():
                raise AccessError(self.env._("Only API managers can enter a key by hand."))
            keys = self.env["api.key"]
            keys._check_manual_key(wizard.api_id.sudo(), wizard.manual_key)
            hashed = keys._hash_key(wizard.manual_key)
            wizard.update({"manual_index": hashed["index"],
                           "manual_last_four": hashed["last_four"],
                           "manual_hash": hashed["key_hash"]})

    def action_generate(self):
        """Create the key, delete the wizard and open the form that shows the key once."""
        self.ensure_one()
        if self.user_id != self.env.user and not self._is_manager():
            raise AccessError(self.env._("Only API managers can create keys for other users."))
        if self.manual_hash and not self._is_manager():
            raise AccessError(self.env._("Only API managers can enter a key by hand."))
        api_record = self.api_id.sudo()
        if self.user_id not in api_record.user_ids:
            raise AccessError(self.env._(
                "%(user)s is not among the users of %(api)s.",
                user=self.user_id.name, api=self.api_id.name))
        keys = self.env["api.key"].sudo()
        if self.manual_hash:
            # checked again: the API may have stopped accepting keys entered by hand
            keys._check_manual_allowed(api_record)
            keys._create_hashed(api_record, self.user_id, self.name, self.expiration_date, {
                "index": self.manual_index, "last_four": self.manual_last_four,
                "key_hash": self.manual_hash})
            key = False  # the manager who typed it has it; it is not kept
        else:
            key = keys._generate(api_record, self.user_id, self.name, self.expiration_date)
        context = {"default_key": key, "default_api_id": api_record.id,
                   "default_user_id": self.user_id.id}
        self.sudo().unlink()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("API Key Ready"),
            "res_model": "api.key.show",
            "view_mode": "form",
            "target": "new",
            "views": [(self.env.ref("api_auth_apikey.api_key_show_view_form").id, "form")],
            "context": context,
        }


class ApiKeyShow(models.AbstractModel):
    """Show a new API key once: the key lives in the action's context, not in a table."""

    _name = "api.key.show"
    _description = "Show an API Key"

    # the form's onchange needs an id to return the default values
    id = fields.Id()
    key = fields.Char(readonly=True)
    api_id = fields.Many2one("api.api", string="API", readonly=True)
    user_id = fields.Many2one("res.users", readonly=True)
