"""Authentication cases A01, A02, A06, A10, A11; life cycle; SQL queries per request."""

import logging
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.api_framework_base.tests.common import capture_logs

from .common import RestJsonCase

MUTE = ("odoo.addons.api_framework_base.models.api_api",
        "odoo.addons.api_framework_base.models.api_auth_failure")


@tagged("post_install", "-at_install")
class TestAuthentication(RestJsonCase):

    def count_partners(self):
        self.env.invalidate_all()
        return self.env["res.partner"].with_context(active_test=False).search_count([])

    def test_a01_valid_key_runs_as_its_user(self):
        new_id = self.rest_result("res.partner", "create", [{"name": "A01"}])
        self.assertEqual(self.env["res.partner"].browse(new_id).create_uid, self.api_user)

    def test_a02_refused_credentials(self):
        other_user = self.env["res.users"].create({"name": "Outsider", "login": "outsider"})
        other_api = self.create_api("other-api", "rest_json", "apikey",
                                    users=self.api_user | other_user)
        expired = self.env["api.key"]._generate(
            self.api, self.api_user, "expired",
            expiration_date=fields.Datetime.now() - timedelta(minutes=1))
        revoked = self.env["api.key"]._generate(self.api, self.api_user, "revoked")
        self.env["api.key"].search([("name", "=", "revoked")]).action_revoke()
        outsider = self.env["api.key"]._generate(self.api, other_user, "outsider")
        foreign = self.env["api.key"]._generate(other_api, self.api_user, "other api")
        before = self.count_partners()
        cases = {"none": None, "wrong": self.key[:-4] + "abcd", "expired": expired,
                 "revoked": revoked, "not among the users": outsider,
                 "of another API": foreign}
        for label, key in cases.items():
            with self.subTest(key=label), mute_logger(*MUTE):
                headers = {"x-api-key": key} if key else {}
                response = self.api_call("POST", f"/{self.endpoint}/res.partner/create",
                                         body={"args": [{"name": "A02"}]}, headers=headers)
                self.assertStatus(response, 401)
                self.assertTrue(response.headers["WWW-Authenticate"].startswith("APIKey"))
                self.assertEqual(response.json()["error"]["status"], 401)
                self.assertNotIn("Set-Cookie", response.headers)
                if key:
                    self.assertNotIn(key, response.text)
        self.assertEqual(self.count_partners(), before)
        self.assertFalse(self.env["res.partner"].search([("name", "=", "A02")]))

    def test_a06_throttling(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("api_framework.auth_failure_threshold", 3)
        client = "127.0.0.1"
        with mute_logger(*MUTE):
            for _attempt in range(3):
                self.assertStatus(self.rest_call("res.partner", "search", [[]], key="bad"),
                                  401)
            # the failures were counted by cursors of their own, after each rollback
            self.env.invalidate_all()
            row = self.env["api.auth.failure"].search([("client_key", "=", client)])
            self.assertTrue(row.locked_until)
            for key in ("bad", self.key):
                response = self.assertStatus(
                    self.rest_call("res.partner", "search", [[]], key=key), 429)
                self.assertGreater(int(response.headers["Retry-After"]), 0)
                self.assertEqual(response.json()["error"]["status"], 429)
        row.locked_until = False
        self.rest_result("res.partner", "search", [[]])

    def test_a10_credentials_in_query_string_refused(self):
        for name in ("api_key", "x-api-key", "apikey", "token", "access_token", "password"):
            with self.subTest(name=name):
                response = self.rest_call("res.partner", "search", [[]],
                                          params={name: self.key, "limit": "1"})
                self.assertStatus(response, 401)
                self.assertEqual(response.json()["error"]["code"], "credentials_in_query")
                self.assertNotIn(self.key, response.text)
                self.assertIn("WWW-Authenticate", response.headers)

    def test_a10_credentials_in_query_string_never_logged(self):
        line = f'"POST /rest-test/res.partner/search?limit=1&API_KEY={self.key}&x=2 HTTP/1.1"'
        with capture_logs("werkzeug") as logs:
            logging.getLogger("werkzeug").info("%s - - %s 401 -", "127.0.0.1", line)
        self.assertNotIn(self.key, logs.output[0])
        self.assertIn("limit=1&API_KEY=***&x=2", logs.output[0])

    def test_a11_unpublished_or_cancelled_api_is_404(self):
        self.api.action_unpublish()
        self.assertStatus(self.rest_call("res.partner", "search", [[]]), 404)
        self.api.action_publish()
        self.rest_result("res.partner", "search", [[]])
        self.api.action_cancel()
        self.assertStatus(self.rest_call("res.partner", "search", [[]]), 404)


@tagged("post_install", "-at_install")
class TestLifeCycle(RestJsonCase):

    def test_publish_unpublish_rename_cancel_take_effect_at_once(self):
        call = self.rest_call
        self.rest_result("res.partner", "search_count", [[]])
        self.api.action_unpublish()
        self.assertStatus(call("res.partner", "search_count", [[]]), 404)
        self.api.action_publish()
        self.rest_result("res.partner", "search_count", [[]])
        self.api.endpoint = "rest-renamed"
        self.assertStatus(call("res.partner", "search_count", [[]]), 404)
        self.rest_result("res.partner", "search_count", [[]], endpoint="rest-renamed")
        self.api.action_cancel()
        self.assertStatus(call("res.partner", "search_count", [[]], endpoint="rest-renamed"),
                          404)
        self.api.action_publish()
        self.rest_result("res.partner", "search_count", [[]], endpoint="rest-renamed")

    def test_user_removed_from_api_at_once(self):
        self.rest_result("res.partner", "search_count", [[]])
        self.api.user_ids = [(3, self.api_user.id)]
        with mute_logger(*MUTE):
            self.assertStatus(self.rest_call("res.partner", "search_count", [[]]), 401)


@tagged("post_install", "-at_install")
class TestQueryCount(RestJsonCase):

    def queries_for(self, limit):
        """Return the SQL queries the server ran for a search_read of ``limit`` partners."""
        kwargs = {"fields": ["name", "email", "country_id", "category_id", "is_company",
                             "create_date"], "limit": limit, "order": "id"}
        args = [[["name", "like", "Bulk %"]]]
        self.rest_result("res.partner", "search_read", args, kwargs)  # warm the caches
        self.cr.flush()
        before = self.cr.sql_log_count
        rows = self.rest_result("res.partner", "search_read", args, kwargs)
        count = self.cr.sql_log_count - before
        self.assertEqual(len(rows), limit)
        return count

    def test_queries_do_not_grow_with_records(self):
        belgium = self.env.ref("base.be")
        tag = self.env["res.partner.category"].create({"name": "Bulk Tag"})
        self.env["res.partner"].create([
            {"name": f"Bulk {index:03d}", "email": f"bulk{index}@example.test",
             "country_id": belgium.id, "category_id": [(6, 0, tag.ids)]}
            for index in range(100)
        ])
        small = self.queries_for(10)
        large = self.queries_for(100)
        self.assertGreater(small, 0)
        self.assertEqual(small, large)
