import logging
from unittest.mock import patch

from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.api_framework_base.tests.common import AuthProtocolsCase
from odoo.addons.api_framework_base.tools import credentials

PASSWORD = "api_caller_pass_1234"
# The test's own HTTP client logs the URLs it requests; only the server's logs matter.
CLIENT_LOGGERS = ("urllib3", "requests")
BASE_LOGGER = "odoo.addons.api_framework_base.models.api_api"


def credentials_headers(login, password):
    return {"username": login, "password": password}


@tagged("post_install", "-at_install")
class TestAuthUser(AuthProtocolsCase):
    auth_type = "user_password"
    endpoint_prefix = "userpw"

    @classmethod
    def _setup_records(cls):
        super()._setup_records()
        cls.apikey = cls.env["res.users.apikeys"].with_user(cls.api_user).sudo()._generate(
            None, "header auth test", False)

    def _challenge(self, protocol):
        return (f'Password realm="{self.apis[protocol].name}", login-header="username", '
                f'password-header="password"')

    # ------------------------------------------------------------------
    # A05
    # ------------------------------------------------------------------

    def test_a05_login_and_password_open_every_protocol(self):
        for protocol in self.protocols:
            with self.subTest(protocol=protocol):
                self.assertCallSucceeds(protocol, credentials_headers("api_caller", PASSWORD))

    def test_a05_call_runs_as_that_user(self):
        if "rest_json" not in self.protocols:
            self.skipTest("needs api_rest_json")
        response = self.api_call("GET", "/userpw-rest-json",
                                 headers=credentials_headers("api_caller", PASSWORD))
        self.assertEqual(self.assertStatus(response, 200).json()["user"],
                         {"id": self.api_user.id, "login": "api_caller"})

    def test_a05_odoo_api_key_in_place_of_password(self):
        for protocol in self.protocols:
            with self.subTest(protocol=protocol):
                self.assertCallSucceeds(protocol,
                                        credentials_headers("api_caller", self.apikey))
        self.env["res.users.apikeys"].search([("user_id", "=", self.api_user.id)])._remove()
        with mute_logger(BASE_LOGGER):
            self.assertUnauthorized(self.call_protocol(
                self.protocols[0], credentials_headers("api_caller", self.apikey)),
                "Password ")

    def test_users_restricted_to_api_keys_cannot_use_their_password(self):
        """Two-factor authentication (auth_totp) restricts RPC to API keys through
        ``_rpc_api_keys_only``; such users send an API key in the password header."""
        protocol = self.protocols[0]
        self.assertCallSucceeds(protocol, credentials_headers("api_caller", PASSWORD))
        users_class = type(self.env["res.users"])
        with patch.object(users_class, "_rpc_api_keys_only", lambda self: True), \
                mute_logger(BASE_LOGGER):
            self.assertUnauthorized(
                self.call_protocol(protocol, credentials_headers("api_caller", PASSWORD)),
                "Password ")
            self.assertCallSucceeds(protocol, credentials_headers("api_caller", self.apikey))

    def test_a05_non_ascii_password_sent_as_utf8(self):
        user = new_test_user(self.env, login="pw_utf8", groups="base.group_user",
                             password="pässwörd_€_1234")
        api = self.apis[self.protocols[0]]
        api.user_ids = [(4, user.id)]
        headers = {"username": "pw_utf8", "password": "pässwörd_€_1234".encode()}
        self.assertCallSucceeds(self.protocols[0], headers)

    def test_a05_wrong_credentials_get_401(self):
        cases = {
            "wrong password": credentials_headers("api_caller", "wrong_password_999"),
            "unknown login": credentials_headers("nobody_here", PASSWORD),
            "no password": {"username": "api_caller"},
            "no login": {"password": PASSWORD},
            "empty password": credentials_headers("api_caller", ""),
            "no headers": {},
        }
        with mute_logger(BASE_LOGGER):
            for protocol in self.protocols:
                for case, headers in cases.items():
                    with self.subTest(protocol=protocol, case=case):
                        response = self.assertUnauthorized(
                            self.call_protocol(protocol, headers), "Password ")
                        self.assertEqual(response.headers["WWW-Authenticate"],
                                         self._challenge(protocol))

    # ------------------------------------------------------------------
    # Allowed users, archived users, password changes
    # ------------------------------------------------------------------

    def test_user_not_among_allowed_users_refused(self):
        new_test_user(self.env, login="userpw_outsider", groups="base.group_user",
                      password="outsider_pass_1234")
        with mute_logger(BASE_LOGGER):
            for protocol in self.protocols:
                with self.subTest(protocol=protocol):
                    self.assertUnauthorized(self.call_protocol(protocol, credentials_headers(
                        "userpw_outsider", "outsider_pass_1234")), "Password ")

    def test_archived_user_refused_even_when_cached(self):
        protocol = self.protocols[0]
        self.assertCallSucceeds(protocol, credentials_headers("api_caller", PASSWORD))
        self.assertEqual(credentials.cache_size(), 1)
        self.api_user.active = False
        with mute_logger(BASE_LOGGER):
            for secret in (PASSWORD, self.apikey):
                self.assertUnauthorized(self.call_protocol(
                    protocol, credentials_headers("api_caller", secret)), "Password ")

    def test_cached_check_ends_when_password_changes(self):
        protocol = self.protocols[0]
        self.assertCallSucceeds(protocol, credentials_headers("api_caller", PASSWORD))
        self.assertEqual(credentials.cache_size(), 1)
        self.api_user.password = "brand_new_pass_5678"
        with mute_logger(BASE_LOGGER):
            self.assertUnauthorized(self.call_protocol(
                protocol, credentials_headers("api_caller", PASSWORD)), "Password ")
        self.assertCallSucceeds(protocol,
                                credentials_headers("api_caller", "brand_new_pass_5678"))

    # ------------------------------------------------------------------
    # A06
    # ------------------------------------------------------------------

    def test_a06_repeated_failures_end_in_429(self):
        self.set_failure_threshold(3)
        protocol = self.protocols[0]
        bad = credentials_headers("nobody_here", "wrong")
        with mute_logger(BASE_LOGGER, "odoo.addons.api_framework_base.models.api_auth_failure"):
            for _attempt in range(3):
                self.assertUnauthorized(self.call_protocol(protocol, bad), "Password ")
            for headers in (bad, credentials_headers("api_caller", PASSWORD)):
                response = self.assertStatus(self.call_protocol(protocol, headers), 429)
                self.assertGreater(int(response.headers["Retry-After"]), 0)
        failure = self.env["api.auth.failure"].search([("client_key", "=", "127.0.0.1")])
        self.assertTrue(failure.locked_until, "the lock-out is shared through PostgreSQL")
        for other in self.protocols[1:]:
            with self.subTest(protocol=other):
                self.assertStatus(self.call_protocol(
                    other, credentials_headers("api_caller", PASSWORD)), 429)

    # ------------------------------------------------------------------
    # A10 and secrecy
    # ------------------------------------------------------------------

    def test_a10_credentials_in_query_string_refused_and_not_logged(self):
        secret = "query_secret_4321"
        werkzeug_logger = logging.getLogger("werkzeug")
        level = werkzeug_logger.level
        werkzeug_logger.setLevel(logging.INFO)
        self.addCleanup(werkzeug_logger.setLevel, level)
        for protocol in self.protocols:
            with self.subTest(protocol=protocol), self.assertLogs(level="DEBUG") as logs:
                for params in ({"password": secret}, {"username": secret},
                               {"username": "api_caller", "password": secret}):
                    response = self.assertUnauthorized(self.call_protocol(
                        protocol, credentials_headers("api_caller", PASSWORD), params=params),
                        "Password ")
                    self.assertNotIn(secret, response.text)
            server_records = [record for record in logs.records
                              if not record.name.startswith(CLIENT_LOGGERS)]
            self.assertTrue(any(record.name == "werkzeug" for record in server_records),
                            "the access log line was captured")
            for record in server_records:
                self.assertNotIn(secret, record.getMessage())

    def test_password_never_in_logs_or_errors(self):
        secret = "Wrong_Secret_pass_77"
        for protocol in self.protocols:
            with self.subTest(protocol=protocol), self.assertLogs(level="DEBUG") as logs:
                response = self.assertUnauthorized(self.call_protocol(
                    protocol, credentials_headers("api_caller", secret)), "Password ")
            self.assertNotIn(secret, response.text)
            self.assertNotIn(secret, str(dict(response.headers)))
            for record in logs.records:
                if not record.name.startswith(CLIENT_LOGGERS):
                    self.assertNotIn(secret, record.getMessage())
