from odoo import api, fields, models

from odoo.addons.api_framework_base.tools import ApiError


class ApiApi(models.Model):
    _inherit = "api.api"

    auth_type = fields.Selection(
        selection_add=[("apikey", "API Key")], ondelete={"apikey": "cascade"})
    apikey_allow_manual = fields.Boolean(
        string="Allow Keys Entered by Hand",
        help="Let managers type a key's value instead of generating a random one, e.g. "
             "to keep the key an existing client already uses.",
    )
    apikey_ids = fields.One2many("api.key", "api_id", string="API Keys")
    apikey_count = fields.Integer(compute="_compute_apikey_count", string="Keys")

    def _compute_apikey_count(self):
        counts = dict(self.env["api.key"]._read_group(
            [("api_id", "in", self.ids)], ["api_id"], ["__count"]))
        for record in self:
            record.apikey_count = counts.get(record, 0)

    def _api_auth_apikey(self, api_request):
        """Authenticate with the ``x-api-key`` header."""
        key = api_request.httprequest.headers.get("x-api-key")
        if not key:
            raise ApiError(401, "Send your API key in the x-api-key header.",
                           code="missing_credentials")
        user_id = self.env["api.key"].sudo()._check_key(key, self.id)
        if not user_id:
            raise ApiError(401, "The API key is invalid, expired or revoked.",
                           code="invalid_credentials")
        return self.env["res.users"].sudo().browse(user_id)

    @api.model
    def _api_denied_models(self):
        return super()._api_denied_models() | {
            "api.key", "api.key.generate", "api.key.show"}

    def _api_auth_challenge_apikey(self):
        return f'APIKey realm="{self.name}", header="x-api-key"'

    def action_open_api_keys(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "api_auth_apikey.api_key_action")
        action["domain"] = [("api_id", "=", self.id)]
        action["context"] = {"default_api_id": self.id}
        return action
