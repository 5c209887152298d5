"""HTTP Basic authentication (RFC 7617) for published APIs."""

import base64
import binascii
import logging

from odoo import fields, models

from odoo.addons.api_framework_base.tools import ApiError
from odoo.addons.api_framework_base.tools.credentials import check_login_password

_logger = logging.getLogger(__name__)


def quote_realm(name):
    """Return ``name`` as the ASCII quoted-string an HTTP challenge parameter needs."""
    text = (name or "").encode("ascii", "replace").decode("ascii")
    text = "".join(char if char.isprintable() else "?" for char in text)
    return '"%s"' % text.replace("\\", "\\\\").replace('"', '\\"')


class ApiApi(models.Model):
    _inherit = "api.api"

    auth_type = fields.Selection(
        selection_add=[("basic", "HTTP Basic")], ondelete={"basic": "cascade"})

    def _api_auth_basic(self, api_request):
        """Authenticate with ``Authorization: Basic base64(login:password)``; an Odoo API
        key of the user is accepted in place of the password."""
        login, password = self._api_basic_credentials(api_request)
        user = check_login_password(self.env, login, password)
        if not user:
            raise ApiError(401, "The login or the password is wrong.",
                           code="invalid_credentials")
        return user

    def _api_basic_credentials(self, api_request):
        """Return ``(login, password)`` decoded from the ``Authorization`` header."""
        header = api_request.httprequest.headers.get("Authorization", "")
        scheme, _space, token = header.strip().partition(" ")
        if scheme.lower() != "basic":
            raise ApiError(401, "Send your login and password with HTTP Basic "
                                "authentication.", code="missing_credentials")
        try:
            decoded = base64.b64decode(token.strip(), validate=True).decode("utf-8")
        except (binascii.Error, ValueError):
            raise ApiError(401, "The Basic credentials are not valid base64 of UTF-8 text.",
                           code="malformed_credentials") from None
        login, colon, password = decoded.partition(":")
        if not colon:
            raise ApiError(401, "The Basic credentials must be login:password.",
                           code="malformed_credentials")
        if not login or not password:
            raise ApiError(401, "The login and the password must not be empty.",
                           code="malformed_credentials")
        return login, password

    def _api_reject_query_credentials(self, api_request):
        super()._api_reject_query_credentials(api_request)
        if self.auth_type == "basic" and any(
                name.lower() == "authorization" for name in api_request.httprequest.args):
            raise ApiError(401, "Credentials are not accepted in the query string; "
                                "send them in the Authorization header.",
                           code="credentials_in_query")

    def _api_auth_challenge_basic(self):
        return f'Basic realm={quote_realm(self.name)}, charset="UTF-8"'
