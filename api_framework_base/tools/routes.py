"""Custom endpoints that developers add to published APIs from their own addons.

A method of ``api.api`` decorated with :func:`api_route` answers a path below every
published API it applies to, after the API's authentication, access mode, context and
error handling have run, so it behaves like any built-in operation::

    from odoo import models
    from odoo.addons.api_framework_base.tools import api_route


    class ApiApi(models.Model):
        _inherit = "api.api"

        @api_route("/partners/<int:partner_id>/ping", methods=["GET"])
        def _api_route_partner_ping(self, api_request, partner_id):
            partner = api_request.get_model("res.partner", "read").browse(partner_id)
            return {"id": partner.id, "name": partner.name}

The method receives the :class:`~.api_request.ApiRequest` and the path arguments, and
returns either a JSON-serializable value (answered as ``application/json`` with status
200) or a :class:`odoo.http.Response`. Errors it raises are rendered in the API's protocol
format. ``protocols`` limits the route to APIs of the given protocols.

``auth=False`` serves the route before authentication, for content that holds no data,
such as a static documentation page: ``api_request.user`` and ``api_request.env`` are
then ``None``, and the method may only read the API's own configuration from ``self``.
"""

import werkzeug.routing

ROUTE_MARKER = "_api_route"


def api_route(path, methods=None, protocols=None, auth=True):
    """Mark an ``api.api`` method as the handler of ``path`` below each published API;
    ``auth=False`` serves it without authentication (see the module docstring)."""
    if not path.startswith("/"):
        raise ValueError(f"An API route must start with '/': {path!r}")

    def decorate(method):
        setattr(method, ROUTE_MARKER, {
            "path": path,
            "methods": [verb.upper() for verb in methods] if methods else None,
            "protocols": set(protocols) if protocols else None,
            "auth": bool(auth),
        })
        return method

    return decorate


def build_route_map(model_class, auth=True):
    """Return a werkzeug map of the custom routes declared on ``model_class`` that need
    authentication (``auth=True``) or not (``auth=False``)."""
    route_map = werkzeug.routing.Map(strict_slashes=False)
    for name in dir(model_class):
        if not name.startswith("_api_route_"):
            continue
        method = getattr(model_class, name, None)
        spec = getattr(method, ROUTE_MARKER, None)
        if not spec or spec.get("auth", True) != auth:
            continue
        route_map.add(werkzeug.routing.Rule(
            spec["path"], endpoint=(name, spec["protocols"]), methods=spec["methods"],
        ))
    return route_map
