"""A custom route every published API answers, and the example of the extension point."""

from odoo import models

from ..tools.routes import api_route


class ApiApi(models.Model):
    _inherit = "api.api"

    @api_route("/whoami", methods=["GET"])
    def _api_route_whoami(self, api_request):
        """Answer who the call runs as: user, API and the context it got."""
        env = api_request.env
        return {
            "id": api_request.user.id,
            "login": api_request.user.login,
            "name": api_request.user.name,
            "api": self.name,
            "lang": env.context.get("lang"),
            "tz": env.context.get("tz"),
            "allowed_company_ids": env.context.get("allowed_company_ids"),
        }
