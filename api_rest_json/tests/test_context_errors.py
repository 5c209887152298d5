"""Request context, error statuses and format, transactions, cookies, the whoami route."""

import json

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.api_framework_base.tests.common import capture_logs

from .common import RestJsonCase


@tagged("post_install", "-at_install")
class TestContext(RestJsonCase):

    @classmethod
    def _setup_records(cls):
        super()._setup_records()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.company_2 = cls.env["res.company"].create({"name": "Second Company"})
        cls.company_3 = cls.env["res.company"].create({"name": "Not Mine"})
        cls.api_user.company_ids += cls.company_2

    def whoami(self, headers=None, params=None):
        headers = {"x-api-key": self.key, **(headers or {})}
        return self.api_call("GET", f"/{self.endpoint}/whoami", headers=headers,
                             params=params)

    def test_default_context_is_the_users(self):
        answer = self.assertStatus(self.whoami(), 200).json()
        self.assertEqual(answer["lang"], self.api_user.lang)
        self.assertEqual(answer["allowed_company_ids"], [self.api.company_id.id])

    def test_context_header_and_parameter(self):
        context = {"lang": "fr_FR", "tz": "Europe/Brussels",
                   "allowed_company_ids": [self.company_2.id, self.env.company.id]}
        for options in ({"headers": {"X-Odoo-Context": json.dumps(context)}},
                        {"params": {"context": json.dumps(context)}}):
            with self.subTest(options=list(options)):
                answer = self.assertStatus(self.whoami(**options), 200).json()
                self.assertEqual(answer["lang"], "fr_FR")
                self.assertEqual(answer["tz"], "Europe/Brussels")
                self.assertEqual(answer["allowed_company_ids"], context["allowed_company_ids"])

    def test_context_reaches_the_orm(self):
        belgium = self.env.ref("base.be")
        belgium.with_context(lang="fr_FR").name = "Belgique"
        names = self.rest_result("res.country", "read", [[belgium.id]], {"fields": ["name"]},
                                 headers={"Accept-Language": "fr-FR,fr;q=0.9"})
        self.assertEqual(names[0]["name"], belgium.with_context(lang="fr_FR").name)
        self.assertEqual(names[0]["name"], "Belgique")
        names = self.rest_result("res.country", "read", [[belgium.id]],
                                 {"fields": ["name"], "context": {"lang": "en_US"}},
                                 headers={"Accept-Language": "fr-FR"})
        self.assertEqual(names[0]["name"], "Belgium")

    def test_custom_keys_reach_the_orm(self):
        archived = self.env["res.partner"].create({"name": "Archived Contact", "active": False})
        domain = [[["id", "=", archived.id]]]
        self.assertEqual(self.rest_result("res.partner", "search", domain), [])
        for options in ({"headers": {"X-Odoo-Context": '{"active_test": false}'}},
                        {"params": {"context": '{"active_test": false}'}},
                        {"kwargs": {"context": {"active_test": False}}}):
            with self.subTest(options=list(options)):
                kwargs = options.pop("kwargs", None)
                self.assertEqual(self.rest_result("res.partner", "search", domain, kwargs,
                                                  **options), [archived.id])

    def test_accept_language(self):
        for header, lang in (("fr-FR,en;q=0.5", "fr_FR"), ("fr", "fr_FR"),
                             ("de-DE, fr;q=0.4", "fr_FR"), ("xx", self.api_user.lang)):
            with self.subTest(header=header):
                answer = self.assertStatus(self.whoami({"Accept-Language": header}), 200)
                self.assertEqual(answer.json()["lang"], lang)

    def test_invalid_contexts(self):
        cases = [
            (400, "{not json"),
            (400, "[1, 2]"),
            (400, json.dumps({"uid": 1})),
            (400, json.dumps({"su": True})),
            (400, json.dumps({"_private": 1})),
            (400, json.dumps({"lang": "xx_XX"})),
            (400, json.dumps({"tz": "Mars/Olympus"})),
            (400, json.dumps({"allowed_company_ids": "1"})),
            (403, json.dumps({"allowed_company_ids": [self.company_3.id]})),
        ]
        for status, raw in cases:
            for where in ("header", "param"):
                with self.subTest(context=raw, where=where):
                    if where == "header":
                        response = self.whoami({"X-Odoo-Context": raw})
                    else:
                        response = self.whoami(params={"context": raw})
                    self.assertStatus(response, status)
                    self.assertEqual(response.json()["error"]["status"], status)
        self.rest_error(400, "res.partner", "search", [[]], {"context": {"uid": 1}})
        self.rest_error(403, "res.partner", "search", [[]],
                        {"context": {"allowed_company_ids": [self.company_3.id]}})


@tagged("post_install", "-at_install")
class TestErrorsAndTransactions(RestJsonCase):

    def test_statuses_and_format(self):
        path = f"/{self.endpoint}/res.partner/search"
        key = {"x-api-key": self.key}
        cases = [
            (400, self.api_call("POST", path, raw="{x", headers={
                **key, "Content-Type": "application/json"})),
            (401, self.api_call("POST", path, body={"args": [[]]})),
            (403, self.rest_call("ir.cron", "search", [[]])),
            (404, self.rest_call("no.model", "search", [[]])),
            (404, self.api_call("POST", f"/{self.endpoint}/a/b/c", body={}, headers=key)),
            (405, self.api_call("GET", path, headers=key)),
            (405, self.api_call("DELETE", f"/{self.endpoint}", headers=key)),
            (415, self.api_call("POST", path, raw="args", headers={
                **key, "Content-Type": "text/plain"})),
        ]
        partner = self.env["res.partner"].create({"name": "Parent"})
        cases.append((422, self.rest_call("res.partner", "write",
                                          [[partner.id], {"parent_id": partner.id}])))
        for status, response in cases:
            with self.subTest(status=status):
                self.assertStatus(response, status)
                self.assertEqual(response.headers["Content-Type"], "application/json")
                self.assertNotIn("Set-Cookie", response.headers)
                self.assertTrue(response.headers.get("X-Request-Id"))
                error = response.json()["error"]
                self.assertEqual(error["status"], status)
                self.assertTrue(error["code"])
                self.assertTrue(error["message"])
                self.assertNotIn("traceback", error)
        self.assertIn("WWW-Authenticate", cases[1][1].headers)

    def test_traceback_only_in_debug(self):
        args = [[[["name", "bad-op", 1]]]]
        with mute_logger("odoo.addons.api_rest_json.models.api_api"):
            error = self.rest_error(400, "res.partner", "search", args[0])
        self.assertNotIn("traceback", error)
        self.api.debug = True
        with mute_logger("odoo.addons.api_rest_json.models.api_api"):
            response = self.assertStatus(self.rest_call("res.partner", "search", args[0]), 400)
        self.assertIn("Traceback", response.json()["error"]["traceback"])

    def test_server_log_keeps_the_traceback_of_client_errors(self):
        with capture_logs("odoo.addons.api_framework_base.models.api_api") as logs:
            response = self.rest_call("res.partner", "search", [[["name", "bad-op", 1]]])
        self.assertStatus(response, 400)
        request_id = response.headers["X-Request-Id"]
        logged = [record for record in logs.records if request_id in record.getMessage()]
        self.assertEqual(len(logged), 1, logs.output)
        self.assertEqual(logged[0].levelname, "INFO")
        self.assertIn("bad-op", logged[0].getMessage())
        self.assertIsNotNone(logged[0].exc_info)

    def test_failed_call_writes_nothing(self):
        partner = self.env["res.partner"].create({"name": "Untouched"})
        # the write succeeds, then the constraint check fails: all of it is rolled back
        self.rest_error(422, "res.partner", "write",
                        [[partner.id], {"name": "Touched", "parent_id": partner.id}])
        self.env.invalidate_all()
        self.assertEqual(partner.name, "Untouched")

    def test_no_session_cookie(self):
        responses = [
            self.rest_call("res.partner", "search", [[]]),
            self.rest_call("res.partner", "search", [[]], key="wrong-key"),
            self.api_call("GET", f"/{self.endpoint}", headers={"x-api-key": self.key}),
            self.api_call("GET", "/api_framework_base/dispatch"),
        ]
        for response in responses:
            with self.subTest(url=response.url, status=response.status_code):
                self.assertNotIn("Set-Cookie", response.headers)
                self.assertNotIn("session_id", response.cookies)

    def test_browser_session_never_authenticates(self):
        self.authenticate("api_caller", "api_caller_pass_1234")
        response = self.api_call("POST", f"/{self.endpoint}/res.partner/search",
                                 body={"args": [[]]})
        self.assertStatus(response, 401)
        self.assertIn("WWW-Authenticate", response.headers)
        self.assertNotIn("Set-Cookie", response.headers)
        # with a key the call runs as the key's user, the session is ignored
        self.authenticate("admin", "admin")
        answer = self.assertStatus(self.api_call("GET", f"/{self.endpoint}/whoami",
                                                 headers={"x-api-key": self.key}), 200)
        self.assertEqual(answer.json()["id"], self.api_user.id)

    def test_dispatcher_url_called_directly(self):
        for method in ("GET", "POST"):
            with self.subTest(method=method):
                response = self.api_call(method, "/api_framework_base/dispatch",
                                         params={"api_id": self.api.id, "subpath": "/x"})
                self.assertStatus(response, 404)
                self.assertEqual(response.json()["error"]["status"], 404)


@tagged("post_install", "-at_install")
class TestCustomRoute(RestJsonCase):
    """The demo route ``GET /<endpoint>/whoami``, declared with ``api_route``."""

    def test_whoami(self):
        response = self.api_call("GET", f"/{self.endpoint}/whoami",
                                 headers={"x-api-key": self.key})
        answer = self.assertStatus(response, 200).json()
        self.assertEqual((answer["id"], answer["login"], answer["api"]),
                         (self.api_user.id, "api_caller", self.api.name))
        self.assertNotIn("Set-Cookie", response.headers)
        self.assertTrue(response.headers["X-Request-Id"])

    def test_whoami_errors_in_the_api_format(self):
        response = self.assertStatus(self.api_call("GET", f"/{self.endpoint}/whoami"), 401)
        self.assertIn("WWW-Authenticate", response.headers)
        self.assertEqual(response.json()["error"]["status"], 401)
        response = self.api_call("POST", f"/{self.endpoint}/whoami",
                                 headers={"x-api-key": self.key})
        self.assertStatus(response, 405)
        self.assertEqual(response.json()["error"]["status"], 405)
        response = self.api_call("GET", f"/{self.endpoint}/whoami",
                                 headers={"x-api-key": self.key,
                                          "X-Odoo-Context": '{"su": true}'})
        self.assertEqual(self.assertStatus(response, 400).json()["error"]["code"],
                         "invalid_context")
