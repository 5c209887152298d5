from odoo import models
from odoo.http import request


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _match(cls, path_info):
        """Route paths below a published API's endpoint to the API dispatcher.

        The endpoints come from a per-worker cache that publishing, unpublishing and
        renaming clear in every worker and server, through Odoo's registry signalling.
        """
        match = request.env["api.api"].sudo()._api_match_path(path_info)
        if not match:
            return super()._match(path_info)
        api_id, subpath = match
        rule, _args = super()._match("/api_framework_base/dispatch")
        return rule, {"api_id": api_id, "subpath": subpath}
