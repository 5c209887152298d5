"""Foundation pieces without HTTP: throttling, redaction, errors, security groups."""

import datetime
import json
import logging

import psycopg2
from werkzeug.test import EnvironBuilder

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools.translate import LazyTranslate

from ..tools.database import install_database_selector, requested_database
from ..tools.errors import ApiError, to_api_error
from ..tools.redaction import redact_credentials
from ..tools.serialization import json_dumps
from .common import ApiTestMixin

lazy_text = LazyTranslate(__name__)  # as Odoo raises some errors: translated when shown


@tagged("post_install", "-at_install")
class TestAuthFailures(TransactionCase):

    def setUp(self):
        super().setUp()
        # counts go through cursors of their own: keep them inside the test transaction
        self.registry.enter_test_mode(self.cr)
        self.addCleanup(self.registry.leave_test_mode)
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("api_framework.auth_failure_threshold", 3)
        params.set_param("api_framework.auth_lockout_seconds", 120)
        self.failures = self.env["api.auth.failure"]

    def test_threshold_locks_the_client_out(self):
        client = "203.0.113.7"
        self.assertEqual(self.failures._retry_after(client), 0)
        self.assertEqual(self.failures._register_failure(client), 1)
        self.assertEqual(self.failures._register_failure(client), 2)
        self.assertEqual(self.failures._retry_after(client), 0)
        self.failures._register_failure(client)
        self.assertTrue(0 < self.failures._retry_after(client) <= 120)
        self.assertEqual(self.failures._retry_after("203.0.113.8"), 0)

    def test_failure_counted_after_the_rollback(self):
        client = "203.0.113.9"
        with self.env.registry.cursor() as cr:
            env = self.env(cr=cr)
            env["api.auth.failure"]._register_failure_after_transaction(client)
            cr.execute("SELECT count(*) FROM api_auth_failure WHERE client_key = %s",
                       [client])
            self.assertEqual(cr.fetchone()[0], 0)
            cr.rollback()
        self.env.cr.execute("SELECT failure_count FROM api_auth_failure "
                            "WHERE client_key = %s", [client])
        self.assertEqual(self.env.cr.fetchone()[0], 1)


@tagged("post_install", "-at_install")
class TestTools(TransactionCase):

    def test_redaction(self):
        line = "POST /api/x?limit=1&Api_Key=secret123&token=abc&key=k HTTP/1.1"
        self.assertEqual(redact_credentials(line),
                         "POST /api/x?limit=1&Api_Key=***&token=***&key=*** HTTP/1.1")
        self.assertEqual(redact_credentials("GET /web?monkey=1"), "GET /web?monkey=1")
        record = logging.LogRecord("werkzeug", logging.INFO, "", 0, "%s", (line,), None)
        for item in logging.getLogger("werkzeug").filters:
            item.filter(record)
        self.assertNotIn("secret123", record.getMessage())

    def test_error_mapping(self):
        cases = [
            (ApiError(418, "teapot"), 418),
            (AccessError("no"), 403),
            (MissingError("gone"), 404),
            (ValidationError("bad"), 422),
            (UserError("bad"), 422),
            (psycopg2.errors.InvalidTextRepresentation("x"), 400),
            (psycopg2.ProgrammingError("can't adapt type 'dict'"), 400),
            (psycopg2.errors.ProgramLimitExceeded("index row size exceeds"), 413),
            (psycopg2.errors.SerializationFailure("concurrent"), 409),
            (psycopg2.errors.UndefinedColumn("a server bug"), 500),
            (UserError(lazy_text("lazy %(what)s", what="text")), 422),
            (RuntimeError("secret detail"), 500),
        ]
        for exc, status in cases:
            with self.subTest(exc=exc):
                error = to_api_error(exc)
                self.assertEqual(error.status, status)
                self.assertIsInstance(error.detail, str)
                json_dumps({"detail": error.detail})
        self.assertEqual(to_api_error(UserError(lazy_text("lazy %(what)s", what="text"))).detail,
                         "lazy text")
        self.assertNotIn("secret detail", to_api_error(RuntimeError("secret detail")).detail)

    def test_json_serialization(self):
        value = {
            "when": datetime.datetime(2024, 5, 1, 12, 30, 5),
            "day": datetime.date(2024, 5, 1),
            "raw": b"\x00\x01",
            "binary_field": b"AAE=",  # as the ORM reads a binary field: base64 already
            "records": self.env["res.partner"].browse([3, 4]),
        }
        self.assertEqual(json.loads(json_dumps(value)), {
            "when": "2024-05-01T12:30:05Z", "day": "2024-05-01", "raw": "AAE=",
            "binary_field": "AAE=", "records": [3, 4]})


@tagged("post_install", "-at_install")
class TestSecurityGroups(ApiTestMixin, TransactionCase):

    @classmethod
    def _setup_records(cls):
        super()._setup_records()
        protocols = cls.env["api.api"]._fields["protocol"].selection
        auths = cls.env["api.api"]._fields["auth_type"].selection
        cls.protocol = protocols[0][0] if protocols else None
        cls.auth = auths[0][0] if auths else None
        cls.viewer = new_test_user(
            cls.env, login="api_viewer",
            groups="base.group_user,api_framework_base.group_api_doc_viewer")
        cls.plain = new_test_user(cls.env, login="api_plain", groups="base.group_user")

    def setUp(self):
        super().setUp()
        if not self.protocol or not self.auth:
            self.skipTest("needs a protocol and an authentication addon")
        self.api = self.create_api("groups-test", self.protocol, self.auth, publish=False)

    def test_manager_configures(self):
        api = self.api.with_user(self.api_manager)
        api.write({"page_size_default": 50})
        api.action_publish()
        copy = api.copy({"endpoint": "groups-copy"})
        copy.unlink()

    def test_user_and_viewer_read_only(self):
        for user in (self.api_user, self.viewer):
            with self.subTest(user=user.login):
                # a draft API is the managers' own business
                self.assertFalse(self.env["api.api"].with_user(user).search(
                    [("id", "=", self.api.id)]))
        self.api.action_publish()
        for user in (self.api_user, self.viewer):
            with self.subTest(user=user.login):
                api = self.api.with_user(user)
                self.assertEqual(api.read(["name"])[0]["name"], self.api.name)
                with self.assertRaises(AccessError):
                    api.write({"name": "Changed"})
                with self.assertRaises(AccessError):
                    api.action_publish()
                with self.assertRaises(AccessError):
                    self.env["api.api"].with_user(user).create({
                        "name": "X", "endpoint": "groups-new", "protocol": self.protocol,
                        "auth_type": self.auth})
        with self.assertRaises(AccessError):
            self.api.with_user(self.plain).read(["name"])

    def test_multi_company_rule(self):
        other = self.env["res.company"].create({"name": "API Other Company"})
        foreign = self.create_api("groups-foreign", self.protocol, self.auth, publish=False,
                                  company_id=other.id)
        visible = self.env["api.api"].with_user(self.api_manager).search([])
        self.assertIn(self.api, visible)
        self.assertNotIn(foreign, visible)
        self.api_manager.company_ids += other
        visible = self.env["api.api"].with_user(self.api_manager).with_context(
            allowed_company_ids=[self.env.company.id, other.id]).search([])
        self.assertIn(foreign, visible)


@tagged("post_install", "-at_install")
class TestDatabaseSelection(TransactionCase):

    def _request(self, path, headers=None):
        return EnvironBuilder(path=path, headers=headers or {}).get_request()

    def test_header_names_the_database(self):
        request = self._request("/partners/res.partner/search",
                                headers={"X-Odoo-Database": "sales"})
        self.assertEqual(requested_database(request), "sales")

    def test_query_parameter_outside_the_web_client(self):
        self.assertEqual(requested_database(self._request("/partners/x?db=sales")), "sales")
        self.assertIsNone(requested_database(self._request("/web/login?db=sales")))
        self.assertIsNone(requested_database(self._request("/partners/x")))

    def test_selector_is_installed_once(self):
        install_database_selector()
        patched = http.Request._get_session_and_dbname
        install_database_selector()
        self.assertIs(http.Request._get_session_and_dbname, patched)
        self.assertTrue(patched._api_database_selector)
