"""Access modes user, custom and sudo: never more than Odoo itself shows the caller."""

from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import RestJsonCase, as_json

PRIVATE_METHODS = ("_read_group_raw", "_search", "__init__", "_create")


@tagged("post_install", "-at_install")
class TestAccessModes(RestJsonCase):

    @classmethod
    def _setup_records(cls):
        super()._setup_records()
        env = cls.env
        cls.company_2 = env["res.company"].create({"name": "Other Company"})
        cls.company_partner = env["res.partner"].create(
            {"name": "Mode Company", "is_company": True, "email": "c@example.test",
             "comment": "<p>secret note</p>"})
        cls.person = env["res.partner"].create({"name": "Mode Person"})
        cls.foreign = env["res.partner"].create(
            {"name": "Foreign Partner", "company_id": cls.company_2.id})
        partner_model = env["ir.model"]._get("res.partner")
        cls.custom_api = cls.create_api("custom-test", "rest_json", "apikey",
                                        access_mode="custom")
        cls.env["api.access"].create({
            "api_id": cls.custom_api.id,
            "model_id": partner_model.id,
            "perm_read": True,
            "perm_call": True,
            "method_names": "action_archive",
            "field_ids": [Command.set(env["ir.model.fields"].search([
                ("model_id", "=", partner_model.id), ("name", "in", ["name", "email"]),
            ]).ids)],
            "domain": "[('is_company', '=', True)]",
        })
        cls.env["api.access"].create({
            "api_id": cls.custom_api.id,
            "model_id": env["ir.model"]._get("res.country").id,
            "perm_read": True, "perm_create": True, "perm_write": True,
        })
        cls.custom_key = env["api.key"]._generate(cls.custom_api, cls.api_user, "custom")
        cls.sudo_api = cls.create_api("sudo-test", "rest_json", "apikey", access_mode="sudo")
        cls.sudo_key = env["api.key"]._generate(cls.sudo_api, cls.api_user, "sudo")

    def custom(self, method, args=None, kwargs=None, model="res.partner"):
        return self.rest_call(model, method, args, kwargs, key=self.custom_key,
                              endpoint="custom-test")

    def sudo(self, method, args=None, kwargs=None, model="res.partner"):
        return self.rest_call(model, method, args, kwargs, key=self.sudo_key,
                              endpoint="sudo-test")

    # user mode ---------------------------------------------------------------------

    def test_user_mode_needs_access_rights(self):
        self.assertFalse(self.user_env()["ir.cron"].has_access("read"))
        self.assertEqual(self.rest_error(403, "ir.cron", "search", [[]])["code"],
                         "access_denied")
        group = self.env.ref("base.group_system")
        self.rest_error(403, "res.groups", "write", [[group.id], {"name": "Hacked"}])
        self.env.invalidate_all()
        self.assertNotEqual(group.name, "Hacked")

    def test_user_mode_honours_record_rules(self):
        domain = [["name", "like", "Partner"]]
        result = self.rest_result("res.partner", "search", [domain])
        self.assertEqual(result, self.user_env()["res.partner"].search(domain).ids)
        self.assertNotIn(self.foreign.id, result)
        response = self.rest_call("res.partner", "read", [[self.foreign.id]],
                                  {"fields": ["name"]})
        self.assertIn(response.status_code, (403, 404), response.text)
        response = self.rest_call("res.partner", "write", [[self.foreign.id], {"name": "X"}])
        self.assertIn(response.status_code, (403, 404), response.text)
        self.env.invalidate_all()
        self.assertEqual(self.foreign.name, "Foreign Partner")

    def test_user_mode_hides_secret_fields(self):
        rows = self.rest_result("res.users", "read", [[self.api_user.id]])
        self.assertFalse({"password", "api_key_ids", "new_password"} & set(rows[0]))
        for name in ("password", "api_key_ids"):
            with self.subTest(field=name):
                self.rest_error(403, "res.users", "read", [[self.api_user.id]],
                                {"fields": [name]})

    # custom mode -------------------------------------------------------------------

    def test_custom_mode_serves_allowed_fields_within_domain(self):
        response = self.assertStatus(self.custom("search_read", [[]]), 200)
        rows = response.json()["result"]
        self.assertTrue(rows)
        self.assertEqual({key for row in rows for key in row}, {"id", "name", "email"})
        ids = {row["id"] for row in rows}
        self.assertIn(self.company_partner.id, ids)
        self.assertNotIn(self.person.id, ids)
        expected = self.user_env()["res.partner"].search_read(
            [("is_company", "=", True)], ["name", "email"])
        self.assertEqual(rows, as_json(expected))

    def test_custom_mode_refuses_the_rest(self):
        partner = self.company_partner
        cases = [
            (403, "read", [[partner.id]], {"fields": ["comment"]}, "res.partner"),
            (403, "search", [[["comment", "ilike", "secret"]]], {}, "res.partner"),
            (403, "search", [[]], {"order": "comment"}, "res.partner"),
            (403, "create", [{"name": "No"}], {}, "res.partner"),
            (403, "write", [[partner.id], {"name": "No"}], {}, "res.partner"),
            (403, "unlink", [[partner.id]], {}, "res.partner"),
            (403, "action_unarchive", [[partner.id]], {}, "res.partner"),
            (404, "read", [[self.person.id]], {"fields": ["name"]}, "res.partner"),
            (404, "search", [[]], {}, "res.currency"),
            # allowed by the API but not by Odoo: never more than the user has
            (403, "create", [{"name": "Nowhere", "code": "QQ"}], {}, "res.country"),
        ]
        for status, method, args, kwargs, model in cases:
            with self.subTest(method=method, args=args, kwargs=kwargs, model=model):
                response = self.custom(method, args, kwargs, model=model)
                self.assertStatus(response, status)
                self.assertEqual(response.json()["error"]["status"], status)
        self.env.invalidate_all()
        self.assertEqual(partner.name, "Mode Company")
        self.assertTrue(partner.active)
        self.assertFalse(self.env["res.country"].search([("code", "=", "QQ")]))

    def test_custom_mode_allowed_method(self):
        partner = self.company_partner
        self.assertStatus(self.custom("action_archive", [[partner.id]]), 200)
        self.env.invalidate_all()
        self.assertFalse(partner.active)

    # sudo mode ---------------------------------------------------------------------

    def test_sudo_mode_bypasses_access_rights(self):
        response = self.assertStatus(self.sudo("search_count", [[]], model="ir.cron"), 200)
        self.assertEqual(response.json()["result"],
                         self.env["ir.cron"].sudo().search_count([]))

    def test_sudo_mode_never_serves_hidden_fields(self):
        hidden = {"password", "api_key_ids", "new_password"}
        response = self.assertStatus(
            self.sudo("search_read", [[["id", "=", self.api_user.id]]], model="res.users"),
            200)
        self.assertFalse(hidden & set(response.json()["result"][0]))
        for name in ("password", "api_key_ids"):
            with self.subTest(field=name):
                self.assertStatus(self.sudo("read", [[self.api_user.id]], {"fields": [name]},
                                            model="res.users"), 403)
                self.assertStatus(self.sudo("search", [[[name, "!=", False]]],
                                            model="res.users"), 403)
        # a field restricted to groups the API user lacks: access_token of attachments is
        # for internal users only, the caller here is a portal user
        portal = new_test_user(self.env, login="api_portal", groups="base.group_portal")
        self.sudo_api.user_ids += portal
        key = self.env["api.key"]._generate(self.sudo_api, portal, "portal")
        attachment = self.env["ir.attachment"].create({"name": "a.txt", "raw": b"a"})
        attachment.generate_access_token()
        hidden = self._hidden_fields("ir.attachment", portal)
        self.assertIn("access_token", hidden)
        options = {"key": key, "endpoint": "sudo-test"}
        response = self.assertStatus(self.rest_call(
            "ir.attachment", "read", [[attachment.id]], **options), 200)
        self.assertFalse(hidden & set(response.json()["result"][0]))
        self.assertStatus(self.rest_call("ir.attachment", "read", [[attachment.id]],
                                         {"fields": ["access_token"]}, **options), 403)
        self.assertStatus(self.rest_call("ir.attachment", "search",
                                         [[["access_token", "!=", False]]], **options), 403)
        self.assertStatus(self.rest_call("ir.attachment", "search", [[]],
                                         {"order": "access_token"}, **options), 403)

    def test_sudo_mode_never_serves_denied_models(self):
        for model in ("res.users.apikeys", "ir.config_parameter", "api.auth.failure",
                      "api.key"):
            with self.subTest(model=model):
                self.assertStatus(self.sudo("search_read", [[]], model=model), 404)

    def test_private_methods_refused_in_every_mode(self):
        calls = (self.rest_call, self.custom, self.sudo)
        for call in calls:
            for method in PRIVATE_METHODS:
                with self.subTest(call=call.__name__, method=method):
                    if call == self.rest_call:
                        response = call("res.partner", method, [[]])
                    else:
                        response = call(method, [[]])
                    self.assertStatus(response, 403)
                    self.assertEqual(response.json()["error"]["code"], "private_method")

    def test_methods_not_callable_remotely_refused(self):
        # public in Python but marked private for RPC by Odoo
        for method in ("with_context", "sudo", "with_user", "invalidate_model"):
            with self.subTest(method=method):
                response = self.sudo(method, [[1]])
                self.assertIn(response.status_code, (403, 404), response.text)

    def _hidden_fields(self, model, user=None):
        env = self.user_env(user)
        return {name for name, field in env[model]._fields.items()
                if not field.is_accessible(env)}
