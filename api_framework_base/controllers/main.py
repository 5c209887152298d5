from odoo import http
from odoo.http import request

from ..tools.errors import ApiError


class ApiController(http.Controller):

    # readonly=False: Odoo first tries auth="none" routes on a read-only cursor and runs
    # them again on a read/write one after a write, which would run every write twice.
    @http.route("/api_framework_base/dispatch", type="api", auth="none", csrf=False,
                save_session=False, methods=None, readonly=False)
    def api_dispatch(self, api_id=None, subpath=""):
        """Serve a call to a published API; ``ir.http._match`` routes every path below an
        API's endpoint here. Called directly, this URL serves nothing."""
        if not api_id:
            raise ApiError(404, "No API answers at this address.")
        api = request.env["api.api"].sudo().browse(api_id)._api_prime_cache()
        return api._api_serve(subpath)
