"""Cases found by an outside review: each failed before its fix."""

from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .test_access_modes import TestAccessModes

MUTE = ("odoo.http", "odoo.sql_db", "odoo.addons.api_framework_base.models.api_method_call")


@tagged("post_install", "-at_install")
class TestFoundByReview(TestAccessModes):

    def test_specification_methods_never_escape_the_allow_list(self):
        # web_read reached children outside the custom domain, and models outside the
        # allow-list as superuser in sudo mode
        spec = {"child_ids": {"fields": {"name": {}, "email": {}}}}
        for call in (self.custom, self.sudo):
            with self.subTest(call=call.__name__):
                response = call("web_read", [[self.company_partner.id]],
                                {"specification": spec})
                self.assertStatus(response, 403)
                self.assertEqual(response.json()["error"]["code"], "method_not_allowed")

    def test_specification_fields_are_checked_in_user_mode(self):
        admin = self.env.ref("base.user_admin")
        error = self.rest_error(403, "res.users", "web_read", [[admin.id]],
                                {"specification": {"password": {}, "api_key_ids": {}}})
        self.assertEqual(error["code"], "field_not_allowed")
        result = self.rest_result("res.partner", "web_read", [[self.company_partner.id]],
                                  {"specification": {"name": {}}})
        self.assertEqual(result, [{"id": self.company_partner.id, "name": "Mode Company"}])

    def test_name_search_stays_within_the_custom_domain(self):
        response = self.assertStatus(self.custom("name_search", ["Mode"], {"limit": 100}), 200)
        ids = [row[0] for row in response.json()["result"]]
        self.assertIn(self.company_partner.id, ids)
        self.assertNotIn(self.person.id, ids)

    def test_export_paths_cannot_leave_the_allow_list(self):
        response = self.custom("export_data", [[self.company_partner.id]],
                               {"fields_to_export": ["name", "user_ids/login"]})
        self.assertIn(response.status_code, (403, 400), response.text)

    def test_deeply_nested_or_non_json_bodies_are_400(self):
        deep = "[" * 100000 + "]" * 100000
        response = self.api_call("POST", f"/{self.endpoint}/res.partner/search",
                                 raw='{"args": ' + deep + "}",
                                 headers={"x-api-key": self.key,
                                          "Content-Type": "application/json"})
        self.assertStatus(response, 400)
        for constant in ("NaN", "Infinity", "-Infinity"):
            response = self.api_call(
                "POST", f"/{self.endpoint}/res.partner/search",
                raw='{"args": [[["id", "=", %s]]]}' % constant,
                headers={"x-api-key": self.key, "Content-Type": "application/json"})
            self.assertStatus(response, 400)
            self.assertEqual(response.json()["error"]["code"], "invalid_json")

    def test_database_errors_never_show_sql(self):
        with mute_logger(*MUTE):
            error = self.rest_error(400, "res.partner", "search", [[["id", "=", 2 ** 70]]])
        self.assertNotIn("LINE", error["message"])
        self.assertNotIn("res_partner", error["message"])

    def test_values_the_database_cannot_take_are_4xx(self):
        with mute_logger(*MUTE):
            # Odoo refuses the image with a lazily translated message
            error = self.rest_error(422, "res.partner", "create",
                                    [{"name": "Not an image", "image_1920": "aGVsbG8="}])
            self.assertIn("image", error["message"].lower())
            # psycopg2 cannot send a dict: refused before PostgreSQL sees it
            self.rest_error(400, "res.partner", "search", [[["id", "in", [{"a": 1}]]]])
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Not an image")]))

    def test_cors_headers_on_errors_too(self):
        self.api.cors_origins = "https://app.example.com"
        origin = {"Origin": "https://app.example.com"}
        cases = [
            (200, self.rest_call("res.partner", "search_count", [[]], headers=origin)),
            (401, self.rest_call("res.partner", "search_count", [[]], key="wrong",
                                 headers=origin)),
            (400, self.rest_call("res.partner", "search_count", [[["a"]]], headers=origin)),
            (404, self.rest_call("no.model", "search_count", [[]], headers=origin)),
        ]
        for status, response in cases:
            with self.subTest(status=status):
                self.assertStatus(response, status)
                self.assertEqual(response.headers.get("Access-Control-Allow-Origin"),
                                 "https://app.example.com")
                self.assertIn("X-Request-Id", response.headers["Access-Control-Expose-Headers"])
        other = self.rest_call("res.partner", "search_count", [[]], key="wrong",
                               headers={"Origin": "https://evil.example.com"})
        self.assertNotIn("Access-Control-Allow-Origin", other.headers)

    def test_meta_information_in_the_description(self):
        self.api.write({"meta_version": "2.1", "meta_author_name": "Integrations Team",
                        "meta_author_email": "api@example.com",
                        "meta_doc_url": "https://docs.example.com/api"})
        response = self.api_call("GET", f"/{self.endpoint}", headers={"x-api-key": self.key})
        self.assertEqual(self.assertStatus(response, 200).json()["meta"], {
            "version": "2.1",
            "author": {"name": "Integrations Team", "email": "api@example.com"},
            "documentation": "https://docs.example.com/api",
        })

    def test_page_size_is_bounded(self):
        self.api.write({"page_size_default": 3, "page_size_max": 5})
        self.env["res.partner"].create([{"name": f"Paged {index}"} for index in range(8)])
        error = self.rest_error(400, "res.partner", "search", [[]], {"limit": 6})
        self.assertEqual(error["code"], "page_too_large")
        self.assertEqual(len(self.rest_result("res.partner", "search", [[]])), 3)
        self.assertEqual(len(self.rest_result("res.partner", "search_read", [[]],
                                              {"fields": ["name"]})), 3)
        self.assertEqual(len(self.rest_result("res.partner", "search", [[]], {"limit": 5})), 5)
        error = self.rest_error(400, "res.partner", "read",
                                [self.env["res.partner"].search([], limit=6).ids])
        self.assertEqual(error["code"], "page_too_large")

    def test_context_values_of_the_wrong_type_are_400(self):
        for context in ('{"lang": {"a": 1}}', '{"tz": ["x"]}',
                        '{"allowed_company_ids": [true]}'):
            with self.subTest(context=context):
                error = self.rest_error(400, "res.partner", "search_count", [[]],
                                        headers={"X-Odoo-Context": context})
                self.assertEqual(error["code"], "invalid_context")

    def test_challenge_names_the_api_when_credentials_are_in_the_url(self):
        response = self.rest_call("res.partner", "search", [[]], params={"x-api-key": "k"})
        self.assertStatus(response, 401)
        self.assertIn(f'realm="{self.api.name}"', response.headers["WWW-Authenticate"])

    def test_non_managers_see_published_apis_only(self):
        draft = self.create_api("draft-test", "rest_json", "apikey", publish=False)
        viewer = new_test_user(self.env, login="doc_viewer_only",
                               groups="base.group_user,api_framework_base.group_api_doc_viewer")
        for user in (viewer, self.api_user):
            visible = self.env["api.api"].with_user(user).search([])
            self.assertIn(self.api, visible)
            self.assertNotIn(draft, visible)
        self.assertIn(draft, self.env["api.api"].with_user(self.api_manager).search([]))
