import base64
import logging
import time
from unittest.mock import patch

from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.api_framework_base.tests.common import AuthProtocolsCase
from odoo.addons.api_framework_base.tools import credentials
from odoo.addons.api_framework_base.tools.redaction import redact_credentials as redact

from ..models.api_api import quote_realm

PASSWORD = "api_caller_pass_1234"
# The test's own HTTP client logs the URLs it requests; only the server's logs matter.
CLIENT_LOGGERS = ("urllib3", "requests")


def basic(login, password):
    token = base64.b64encode(f"{login}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


@tagged("post_install", "-at_install")
class TestAuthBasic(AuthProtocolsCase):
    auth_type = "basic"
    endpoint_prefix = "basic"

    @classmethod
    def _setup_records(cls):
        super()._setup_records()
        cls.apikey = cls.env["res.users.apikeys"].with_user(cls.api_user).sudo()._generate(
            None, "basic auth test", False)

    def _challenge(self, protocol):
        return f'Basic realm="{self.apis[protocol].name}", charset="UTF-8"'

    # ------------------------------------------------------------------
    # A03
    # ------------------------------------------------------------------

    def test_a03_password_opens_every_protocol(self):
        for protocol in self.protocols:
            with self.subTest(protocol=protocol):
                self.assertCallSucceeds(protocol, basic("api_caller", PASSWORD))

    def test_a03_call_runs_as_that_user(self):
        if "rest_json" not in self.protocols:
            self.skipTest("needs api_rest_json")
        response = self.api_call("GET", "/basic-rest-json",
                                 headers=basic("api_caller", PASSWORD))
        self.assertEqual(self.assertStatus(response, 200).json()["user"],
                         {"id": self.api_user.id, "login": "api_caller"})

    def test_a03_odoo_api_key_in_place_of_password(self):
        for protocol in self.protocols:
            with self.subTest(protocol=protocol):
                self.assertCallSucceeds(protocol, basic("api_caller", self.apikey))
        self.assertEqual(credentials.cache_size(), 0, "API keys are never cached")

    def test_a03_removed_or_foreign_api_key_refused(self):
        other = new_test_user(self.env, login="basic_other", groups="base.group_user")
        other_key = self.env["res.users.apikeys"].with_user(other).sudo()._generate(
            None, "other", False)
        scoped_key = self.env["res.users.apikeys"].with_user(self.api_user).sudo()._generate(
            "some.scope", "scoped", False)
        protocol = self.protocols[0]
        with mute_logger("odoo.addons.api_framework_base.models.api_api"):
            for key in (other_key, scoped_key):
                self.assertUnauthorized(
                    self.call_protocol(protocol, basic("api_caller", key)), "Basic ")
            self.env["res.users.apikeys"].search([("user_id", "=", self.api_user.id)])._remove()
            self.assertUnauthorized(
                self.call_protocol(protocol, basic("api_caller", self.apikey)), "Basic ")

    # ------------------------------------------------------------------
    # A04
    # ------------------------------------------------------------------

    def test_a04_bad_credentials_get_401_with_basic_challenge(self):
        no_colon = base64.b64encode(b"api_caller").decode()
        cases = {
            "wrong password": basic("api_caller", "wrong_password_999"),
            "unknown login": basic("nobody_here", PASSWORD),
            "malformed base64": {"Authorization": "Basic !!not*base64!!"},
            "no colon": {"Authorization": f"Basic {no_colon}"},
            "empty password": basic("api_caller", ""),
            "not UTF-8": {"Authorization": "Basic " + base64.b64encode(b"\xff:\xfe").decode()},
            "no header": {},
            "other scheme": {"Authorization": "Bearer abcdef"},
        }
        with mute_logger("odoo.addons.api_framework_base.models.api_api"):
            for protocol in self.protocols:
                for case, headers in cases.items():
                    with self.subTest(protocol=protocol, case=case):
                        response = self.assertUnauthorized(
                            self.call_protocol(protocol, headers), "Basic ")
                        self.assertEqual(response.headers["WWW-Authenticate"],
                                         self._challenge(protocol))

    def test_a04_realm_is_a_safe_quoted_string(self):
        self.assertEqual(quote_realm('My "API"'), '"My \\"API\\""')
        self.assertEqual(quote_realm("back\\slash"), '"back\\\\slash"')
        self.assertEqual(quote_realm("Café\r\n"), '"Caf???"')

    # ------------------------------------------------------------------
    # Allowed users, archived users
    # ------------------------------------------------------------------

    def test_user_not_among_allowed_users_refused(self):
        new_test_user(self.env, login="basic_outsider", groups="base.group_user",
                      password="outsider_pass_1234")
        with mute_logger("odoo.addons.api_framework_base.models.api_api"):
            for protocol in self.protocols:
                with self.subTest(protocol=protocol):
                    self.assertUnauthorized(self.call_protocol(
                        protocol, basic("basic_outsider", "outsider_pass_1234")), "Basic ")

    def test_archived_user_refused_even_when_cached(self):
        protocol = self.protocols[0]
        self.assertCallSucceeds(protocol, basic("api_caller", PASSWORD))
        self.assertEqual(credentials.cache_size(), 1)
        self.api_user.active = False
        with mute_logger("odoo.addons.api_framework_base.models.api_api"):
            self.assertUnauthorized(
                self.call_protocol(protocol, basic("api_caller", PASSWORD)), "Basic ")
            self.assertUnauthorized(
                self.call_protocol(protocol, basic("api_caller", self.apikey)), "Basic ")

    # ------------------------------------------------------------------
    # Password cache
    # ------------------------------------------------------------------

    def test_cached_check_ends_when_password_changes(self):
        protocol = self.protocols[0]
        self.assertCallSucceeds(protocol, basic("api_caller", PASSWORD))
        self.assertEqual(credentials.cache_size(), 1)
        self.assertCallSucceeds(protocol, basic("api_caller", PASSWORD))
        self.api_user.password = "brand_new_pass_5678"
        with mute_logger("odoo.addons.api_framework_base.models.api_api"):
            self.assertUnauthorized(
                self.call_protocol(protocol, basic("api_caller", PASSWORD)), "Basic ")
        self.assertCallSucceeds(protocol, basic("api_caller", "brand_new_pass_5678"))

    def test_cache_can_be_turned_off(self):
        self.env["ir.config_parameter"].sudo().set_param(credentials.CACHE_SECONDS_PARAM, "0")
        self.assertCallSucceeds(self.protocols[0], basic("api_caller", PASSWORD))
        self.assertEqual(credentials.cache_size(), 0)

    def test_expired_cache_entry_is_checked_again(self):
        protocol = self.protocols[0]
        self.assertCallSucceeds(protocol, basic("api_caller", PASSWORD))
        ((key, (user_id, fingerprint, _expires)),) = credentials._cache.items()
        credentials._cache[key] = (user_id, fingerprint, 0.0)
        self.assertCallSucceeds(protocol, basic("api_caller", PASSWORD))
        # a cache hit leaves the entry as it is: a new expiry proves a full check
        self.assertGreater(credentials._cache[key][2], time.monotonic())

    def test_users_restricted_to_api_keys_cannot_use_their_password(self):
        """Two-factor authentication (auth_totp) restricts RPC to API keys through
        ``_rpc_api_keys_only``; such users authenticate with an API key instead."""
        protocol = self.protocols[0]
        self.assertCallSucceeds(protocol, basic("api_caller", PASSWORD))
        users_class = type(self.env["res.users"])
        with patch.object(users_class, "_rpc_api_keys_only", lambda self: True), \
                mute_logger("odoo.addons.api_framework_base.models.api_api"):
            self.assertUnauthorized(
                self.call_protocol(protocol, basic("api_caller", PASSWORD)), "Basic ")
            self.assertCallSucceeds(protocol, basic("api_caller", self.apikey))

    # ------------------------------------------------------------------
    # A06
    # ------------------------------------------------------------------

    def test_a06_repeated_failures_end_in_429(self):
        self.set_failure_threshold(3)
        protocol = self.protocols[0]
        bad = {"Authorization": "Basic !!!"}
        with mute_logger("odoo.addons.api_framework_base.models.api_api",
                         "odoo.addons.api_framework_base.models.api_auth_failure"):
            for _attempt in range(3):
                self.assertUnauthorized(self.call_protocol(protocol, bad), "Basic ")
            for headers in (bad, basic("api_caller", PASSWORD)):
                response = self.assertStatus(self.call_protocol(protocol, headers), 429)
                self.assertGreater(int(response.headers["Retry-After"]), 0)
        # the lock-out lives in PostgreSQL, where every worker and server sees it
        failure = self.env["api.auth.failure"].search([("client_key", "=", "127.0.0.1")])
        self.assertTrue(failure.locked_until)
        for other in self.protocols[1:]:
            with self.subTest(protocol=other):
                self.assertStatus(self.call_protocol(other, basic("api_caller", PASSWORD)), 429)

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
                for params in ({"password": secret}, {"authorization": f"Basic {secret}"}):
                    response = self.assertUnauthorized(self.call_protocol(
                        protocol, basic("api_caller", PASSWORD), params=params), "Basic ")
                    self.assertNotIn(secret, response.text)
            server_records = [record for record in logs.records
                              if not record.name.startswith(CLIENT_LOGGERS)]
            self.assertTrue(any(record.name == "werkzeug" for record in server_records),
                            "the access log line was captured")
            for record in server_records:
                self.assertNotIn(secret, record.getMessage())

    def test_password_never_in_logs_or_errors(self):
        secret = "Wrong:Secret_pass_77"
        for protocol in self.protocols:
            with self.subTest(protocol=protocol), self.assertLogs(level="DEBUG") as logs:
                response = self.assertUnauthorized(
                    self.call_protocol(protocol, basic("api_caller", secret)), "Basic ")
            self.assertNotIn(secret, response.text)
            self.assertNotIn(secret, str(dict(response.headers)))
            for record in logs.records:
                if not record.name.startswith(CLIENT_LOGGERS):
                    self.assertNotIn(secret, record.getMessage())

    def test_log_redaction_masks_credential_parameters(self):
        line = '"GET /x?a=1&password=s3cret&Token=abc;key=k HTTP/1.1" 401'
        self.assertEqual(
            redact(line), '"GET /x?a=1&password=***&Token=***;key=*** HTTP/1.1" 401')
