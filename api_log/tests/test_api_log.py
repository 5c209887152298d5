"""Request logs over real HTTP, through a REST-JSON API authenticated with API keys."""

import json
import unittest
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from ..models.api_log import ApiLog
from ..tools import masking
from ..tools.masking import MASK
from .common import LogCase


@tagged("post_install", "-at_install")
class TestApiLog(LogCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if cls.api is None:
            raise unittest.SkipTest(
                "api_log HTTP tests need api_auth_apikey and api_rest_json installed")

    @classmethod
    def _setup_records(cls):
        cls.api = None
        protocols = dict(cls.env["api.api"]._fields["protocol"].selection)
        auth_types = dict(cls.env["api.api"]._fields["auth_type"].selection)
        if "rest_json" not in protocols or "apikey" not in auth_types:
            return
        cls.api = cls.create_api("logapi", "rest_json", "apikey", log_mode="all")
        cls.key = cls.env["api.key"]._generate(cls.api, cls.api_user, "log tests")

    def call(self, path, body=None, headers=None, **kwargs):
        headers = {"x-api-key": self.key, **(headers or {})}
        self.env.flush_all()
        return self.api_call("POST", f"/logapi{path}", body=body, headers=headers, **kwargs)

    # ------------------------------------------------------------------
    # What a log holds
    # ------------------------------------------------------------------

    def test_successful_call_is_logged_with_its_details(self):
        response = self.assertStatus(self.call(
            "/res.partner/search_count", {"args": [[]]}, params={"lang": "en_US"}), 200)
        log = self.log_of(response)
        self.assertEqual(log.api_id, self.api)
        self.assertEqual(log.protocol, "rest_json")
        self.assertEqual(log.user_id, self.api_user)
        self.assertEqual(log.identity, "api_caller")
        self.assertEqual(log.client_ip, "127.0.0.1")
        self.assertEqual((log.method, log.path), ("POST", "/logapi/res.partner/search_count"))
        self.assertEqual(log.query_string, "lang=en_US")
        self.assertEqual((log.status, log.status_class), (200, "2xx"))
        self.assertEqual(json.loads(log.request_body), {"args": [[]]})
        self.assertEqual(json.loads(log.response_body), response.json())
        self.assertIn("X-Request-Id: " + log.request_id, log.response_headers)
        self.assertIn(f"x-api-key: {MASK}".lower(), log.request_headers.lower())
        self.assertNoSecret(log, [self.key])
        self.assertGreater(log.duration_ms, 0)
        self.assertGreater(log.query_count, 0)
        self.assertFalse(log.traceback)
        self.assertIn('"args": [', log.request_body_display)

    def test_logged_query_count_stays_flat_as_records_grow(self):
        body = {"args": [[["name", "ilike", "Query Count"]]]}
        self.assertStatus(self.call("/res.partner/search_count", body), 200)  # warm caches
        first = self.log_of(self.assertStatus(
            self.call("/res.partner/search_count", body), 200))
        self.env["res.partner"].create([{"name": f"Query Count {n}"} for n in range(30)])
        second = self.log_of(self.assertStatus(
            self.call("/res.partner/search_count", body), 200))
        self.assertEqual(json.loads(second.response_body), {"result": 30})
        self.assertEqual(second.query_count, first.query_count)

    def test_request_id_sent_by_the_client_is_kept(self):
        response = self.call("/res.partner/search_count", {"args": [[]]},
                             headers={"X-Request-Id": "client-chosen-id-1"})
        self.assertEqual(response.headers["X-Request-Id"], "client-chosen-id-1")
        self.assertEqual(self.log_of(response).status, 200)

    def test_failing_call_is_logged_with_traceback_and_rolled_back(self):
        # The parent is inserted, then its child breaks the "contacts need a name" check.
        self.api_user.groups_id |= self.env.ref("base.group_partner_manager")
        body = {"args": [[{"name": "Rolled Back Parent",
                           "child_ids": [[0, 0, {"name": False, "type": "contact"}]]}]]}
        with mute_logger("odoo.sql_db", "odoo.http"):
            response = self.call("/res.partner/create", body)
        self.assertEqual(response.status_code // 100, 4, response.text)
        log = self.log_of(response)
        self.assertEqual(log.status, response.status_code)
        self.assertEqual(log.status_class, "4xx")
        self.assertEqual(log.user_id, self.api_user)
        self.assertIn("Traceback", log.traceback)
        self.assertIn("check_name", log.traceback)
        self.assertTrue(log.error_type)
        self.assertFalse(self.env["res.partner"].search_count(
            [("name", "=", "Rolled Back Parent")]))

    def test_server_error_is_logged_with_its_type(self):
        with mute_logger("odoo.addons.api_framework_base.models.api_api", "odoo.http"):
            response = self.call("/res.partner/search_count",
                                 {"args": [[["no_such_field", "=", 1]]]})
        log = self.log_of(response)
        self.assertEqual(log.status, response.status_code)
        self.assertGreaterEqual(log.status, 400)
        self.assertIn("Traceback", log.traceback)
        self.assertTrue(log.error_type.startswith(("odoo.", "builtins.", "werkzeug.")))

    def test_call_whose_sql_failed_is_logged_with_its_user(self):
        # PostgreSQL refuses the value: the cursor reads nothing more until the rollback.
        with mute_logger("odoo.sql_db", "odoo.http",
                         "odoo.addons.api_framework_base.models.api_api"):
            response = self.call("/res.partner/search", {"args": [[["id", "=", 2 ** 70]]]})
        self.assertStatus(response, 400)
        log = self.log_of(response)
        self.assertEqual((log.user_id, log.identity), (self.api_user, "api_caller"))
        self.assertIn("out of range", log.error_message)

    def test_failed_authentication_is_logged_with_the_claimed_identity(self):
        self.env.flush_all()
        response = self.api_call("POST", "/logapi/res.partner/search_count",
                                 body={"args": [[]]},
                                 headers={"x-api-key": "wrong-key-value-ending-9876"})
        self.assertStatus(response, 401)
        log = self.log_of(response)
        self.assertFalse(log.user_id)
        self.assertEqual(log.identity, "API key ...9876")
        self.assertNoSecret(log, ["wrong-key-value"])
        self.assertEqual(log.error_type, "odoo.addons.api_framework_base.tools.errors.ApiError")

    # ------------------------------------------------------------------
    # Secrets, cutting, binary content
    # ------------------------------------------------------------------

    def test_secrets_in_headers_query_and_json_body_are_masked(self):
        body = {"args": [[]], "password": "pw-body-1", "client_secret": "cs-body-1",
                "refresh_token": "rt-body-1", "kwargs": {"context": {"access_token": "at-1"}}}
        headers = {"Authorization": "Bearer bearer-tok-1", "Cookie": "session_id=sess-1",
                   "password": "hdr-pw-1"}
        response = self.call("/res.partner/search_count?code=oauth-code-1&state=st-1",
                             body, headers=headers)
        self.assertStatus(response, 400)
        log = self.log_of(response)
        self.assertNoSecret(log, ["pw-body-1", "cs-body-1", "rt-body-1", "at-1",
                                  "bearer-tok-1", "sess-1", "hdr-pw-1", "oauth-code-1",
                                  self.key])
        self.assertIn("state=st-1", log.query_string)
        self.assertIn(f"Bearer {MASK}", log.request_headers)
        self.assertEqual(json.loads(log.request_body)["client_secret"], MASK)

    def test_secrets_in_form_encoded_body_are_masked(self):
        form = "grant_type=authorization_code&code=oauth-code-2&client_secret=cs-form-2" \
               "&redirect_uri=https%3A%2F%2Fapp.example.com"
        response = self.call("/res.partner/search_count", raw=form,
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertStatus(response, 415)
        log = self.log_of(response)
        self.assertNoSecret(log, ["oauth-code-2", "cs-form-2"])
        self.assertIn("grant_type=authorization_code", log.request_body)

    def test_bodies_are_cut_at_the_api_tail_length(self):
        self.api.log_tail_length = 30
        body = {"args": [[["name", "=", "x" * 200]]]}
        response = self.assertStatus(self.call("/res.partner/search_count", body), 200)
        log = self.log_of(response)
        self.assertTrue(log.request_body.startswith(json.dumps(body)[:30]))
        self.assertIn("[cut: ", log.request_body)
        self.assertLess(len(log.request_body), 100)

    def test_binary_body_is_summarised(self):
        png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
        response = self.call("/res.partner/search_count", raw=png,
                             headers={"Content-Type": "image/png"})
        self.assertStatus(response, 415)
        log = self.log_of(response)
        self.assertEqual(log.request_body, f"<binary {len(png)} bytes, image/png>")

    def test_bodies_not_kept_when_the_api_says_so(self):
        self.api.log_bodies = False
        response = self.assertStatus(
            self.call("/res.partner/search_count", {"args": [[]]}), 200)
        log = self.log_of(response)
        self.assertFalse(log.request_body)
        self.assertFalse(log.response_body)
        self.assertTrue(log.request_headers)

    # ------------------------------------------------------------------
    # Modes and robustness
    # ------------------------------------------------------------------

    def test_errors_only_mode_skips_successful_calls(self):
        self.api.log_mode = "errors"
        ok = self.assertStatus(self.call("/res.partner/search_count", {"args": [[]]}), 200)
        self.env["api.log"]._api_log_flush()
        self.assertFalse(self.env["api.log"].search_count(
            [("request_id", "=", ok.headers["X-Request-Id"])]))
        failed = self.assertStatus(self.call("/res.partner/search_count", {"bad": 1}), 400)
        self.assertEqual(self.log_of(failed).status, 400)

    def test_off_mode_logs_nothing(self):
        self.api.log_mode = "off"
        before = self.env["api.log"].search_count([])
        self.assertStatus(self.call("/res.partner/search_count", {"bad": 1}), 400)
        self.assertStatus(self.call("/res.partner/search_count", {"args": [[]]}), 200)
        self.env["api.log"]._api_log_flush()
        self.assertEqual(self.env["api.log"].search_count([]), before)

    def test_failing_log_write_does_not_break_the_call(self):
        def fail(self, vals_list):
            raise RuntimeError("log storage unavailable")
        with patch.object(ApiLog, "_api_log_write", fail):
            response = self.call("/res.partner/search_count", {"args": [[]]})
            self.assertStatus(response, 200)
            self.assertIn("result", response.json())
            with self.assertLogs("odoo.addons.api_log.tools.writer", "ERROR") as logs:
                self.assertEqual(self.env["api.log"]._api_log_flush(), 1)
            # A failing call's log is written by the request itself: it fails quietly too.
            with self.assertLogs("odoo.addons.api_log.tools.writer", "ERROR"):
                failed = self.assertStatus(
                    self.call("/res.partner/search_count", {"bad": 1}), 400)
        self.assertIn("Could not write 1 API request logs", logs.output[0])
        self.assertFalse(self.env["api.log"].search_count(
            [("request_id", "in", [response.headers["X-Request-Id"],
                                   failed.headers["X-Request-Id"]])]))

    def test_failing_log_building_does_not_break_the_call(self):
        def fail(headers):
            raise ValueError("cannot format")
        with patch.object(masking, "format_headers", fail), \
                self.assertLogs("odoo.addons.api_log.models.api_api", "ERROR"):
            response = self.call("/res.partner/search_count", {"args": [[]]})
        self.assertStatus(response, 200)

    # ------------------------------------------------------------------
    # Retention, access, views
    # ------------------------------------------------------------------

    def _make_log(self, user, days_ago=0, api=None):
        return self.env["api.log"].sudo().create({
            "api_id": (api or self.api).id,
            "user_id": user.id if user else False,
            "request_time": fields.Datetime.now() - timedelta(days=days_ago),
            "method": "GET", "path": "/logapi", "status": 200,
            "request_id": f"made-{user.id if user else 0}-{days_ago}",
        })

    def test_retention_purges_old_logs_only(self):
        self.api.log_retention_days = 7
        keeper = self.create_api("keeper", "rest_json", "apikey", log_retention_days=0)
        old = self._make_log(self.api_user, days_ago=8)
        recent = self._make_log(self.api_user, days_ago=6)
        kept_forever = self._make_log(self.api_user, days_ago=400, api=keeper)
        cron = self.env.ref("api_log.ir_cron_api_log_gc")
        cron.method_direct_trigger()
        self.assertFalse(old.exists())
        self.assertTrue(recent.exists())
        self.assertTrue(kept_forever.exists())

    def test_each_group_sees_what_it_may(self):
        own = self._make_log(self.api_user)
        other = self._make_log(self.api_manager)
        anonymous = self._make_log(False)
        made = own | other | anonymous
        logs = self.env["api.log"]
        self.assertEqual(logs.with_user(self.api_user).search([("id", "in", made.ids)]), own)
        self.assertEqual(logs.with_user(self.api_manager).search([("id", "in", made.ids)]),
                         made)
        with self.assertRaises(AccessError):
            own.with_user(self.api_user).unlink()
        with self.assertRaises(AccessError):
            own.with_user(self.api_user).write({"status": 500})
        other.with_user(self.api_manager).unlink()
        viewer = new_test_user(self.env, login="api_doc_viewer_log",
                               groups="base.group_user,api_framework_base.group_api_doc_viewer")
        internal = new_test_user(self.env, login="plain_internal_log", groups="base.group_user")
        for user in (viewer, internal):
            with self.assertRaises(AccessError):
                logs.with_user(user).search([])

    def test_api_form_links_to_its_logs(self):
        response = self.assertStatus(
            self.call("/res.partner/search_count", {"args": [[]]}), 200)
        log = self.log_of(response)
        self.api.invalidate_recordset(["log_count"])
        self.assertGreaterEqual(self.api.log_count, 1)
        action = self.api.action_open_logs()
        self.assertEqual(action["res_model"], "api.log")
        self.assertIn(log, self.env["api.log"].search(action["domain"]))
