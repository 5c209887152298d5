"""Authentication with an Odoo login and password in the ``username`` and ``password``
request headers."""

import logging

from odoo import fields, models

from odoo.addons.api_framework_base.tools import ApiError
from odoo.addons.api_framework_base.tools.credentials import check_login_password

_logger = logging.getLogger(__name__)

LOGIN_HEADER = "username"
PASSWORD_HEADER = "password"


def header_text(value):
    """Return a header value as the client wrote it: WSGI hands headers over decoded as
    ISO-8859-1, while clients send non-ASCII text as UTF-8."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def quote_realm(name):
    """Return ``name`` as the ASCII quoted-string an HTTP challenge parameter needs."""
    text = (name or "").encode("ascii", "replace").decode("ascii")
    text = "".join(char if char.isprintable() else "?" for char in text)
    return '"%s"' % text.replace("\\", "\\\\").replace('"', '\\"')


class ApiApi(models.Model):
    _inherit = "api.api"

    auth_type = fields.Selection(
        selection_add=[("user_password", "Login and Password Headers")],
        ondelete={"user_password": "cascade"})

    def _api_auth_user_password(self, api_request):
        """Authenticate with the ``username`` and ``password`` headers; an Odoo API key of
        the user is accepted in place of the password."""
        headers = api_request.httprequest.headers
        login = header_text(headers.get(LOGIN_HEADER, "").strip())
        password = header_text(headers.get(PASSWORD_HEADER, ""))
        if not login or not password:
            raise ApiError(401, "Send your login and password in the username and password "
                                "headers.", code="missing_credentials")
        user = check_login_password(self.env, login, password)
        if not user:
            raise ApiError(401, "The login or the password is wrong.",
                           code="invalid_credentials")
        return user

    def _api_reject_query_credentials(self, api_request):
        super()._api_reject_query_credentials(api_request)
        if self.auth_type == "user_password" and any(
                name.lower() == LOGIN_HEADER for name in api_request.httprequest.args):
            raise ApiError(401, "Credentials are not accepted in the query string; "
                                "send them in the username and password headers.",
                           code="credentials_in_query")

    def _api_auth_challenge_user_password(self):
        return (f'Password realm={quote_realm(self.name)}, '
                f'login-header="{LOGIN_HEADER}", password-header="{PASSWORD_HEADER}"')
