"""Escapes from the access modes found by a second outside review: each failed before its fix.

The custom API serves res.partner (read, create, write, no delete) within the domain
is_company = True, with a few fields, and lets call methods with an empty method list; the
superuser API has the same allow-list, the bare superuser API none.
"""

import json

from odoo import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import RestJsonCase

MUTE = ("odoo.http", "odoo.addons.api_framework_base.models.api_api")
SERVED = ["name", "email", "is_company", "child_ids", "category_id", "parent_id",
          "country_id", "comment"]


@tagged("post_install", "-at_install")
class TestReviewEscapes(RestJsonCase):

    @classmethod
    def _setup_records(cls):
        super()._setup_records()
        env = cls.env
        cls.admin = env.ref("base.user_admin")
        cls.company = env["res.partner"].create(
            {"name": "Review Company", "is_company": True, "country_id": env.ref("base.us").id})
        cls.child = env["res.partner"].create(
            {"name": "Review Child", "parent_id": cls.company.id, "phone": "111"})
        cls.outside = env["res.partner"].create({"name": "Review Outside", "phone": "222"})
        cls.custom_api = cls._review_api("review-custom", "custom")
        cls.custom_key = env["api.key"]._generate(cls.custom_api, cls.api_user, "custom")
        cls.listed_sudo_api = cls._review_api("review-sudo-list", "sudo")
        cls.listed_sudo_key = env["api.key"]._generate(cls.listed_sudo_api, cls.api_user, "l")
        cls.sudo_api = cls.create_api("review-sudo", "rest_json", "apikey", access_mode="sudo")
        cls.sudo_key = env["api.key"]._generate(cls.sudo_api, cls.api_user, "sudo")

    @classmethod
    def _review_api(cls, endpoint, access_mode):
        api = cls.create_api(endpoint, "rest_json", "apikey", access_mode=access_mode)
        partner_model = cls.env["ir.model"]._get("res.partner")
        cls.env["api.access"].create({
            "api_id": api.id,
            "model_id": partner_model.id,
            "perm_read": True, "perm_create": True, "perm_write": True,
            "perm_unlink": False, "perm_call": True,
            "field_ids": [Command.set(cls.env["ir.model.fields"].search([
                ("model_id", "=", partner_model.id), ("name", "in", SERVED)]).ids)],
            "domain": "[('is_company', '=', True)]",
        })
        return api

    def custom(self, method, args=None, kwargs=None, model="res.partner", **options):
        return self.rest_call(model, method, args, kwargs, key=self.custom_key,
                              endpoint="review-custom", **options)

    def listed_sudo(self, method, args=None, kwargs=None, model="res.partner"):
        return self.rest_call(model, method, args, kwargs, key=self.listed_sudo_key,
                              endpoint="review-sudo-list")

    def sudo(self, method, args=None, kwargs=None, model="res.partner"):
        return self.rest_call(model, method, args, kwargs, key=self.sudo_key,
                              endpoint="review-sudo")

    def assertRefused(self, response, status=403, code=None):
        self.assertStatus(response, status)
        if code:
            self.assertEqual(response.json()["error"]["code"], code, response.text)
        return response

    def admin_password(self):
        self.env.flush_all()
        self.env.cr.execute("SELECT password FROM res_users WHERE id = %s", [self.admin.id])
        return self.env.cr.fetchone()[0]

    # 1. methods the framework does not check ---------------------------------------

    def test_unchecked_methods_need_naming_where_an_allow_list_applies(self):
        count = self.env["res.partner"].search_count([])
        cases = [
            ("copy_data", [[self.company.id]]),
            ("read_progress_bar", [[], "is_company", {"field": "phone", "colors": {}}]),
            ("load", [["name", "phone"], [["Loaded", "666"]]]),
            ("name_create", ["Created by name"]),
            ("get_field_translations", [[self.outside.id], "name"]),
            ("check_field_access_rights", ["read", ["phone"]]),
            ("action_archive", [[self.company.id]]),
        ]
        for call in (self.custom, self.listed_sudo, self.sudo):
            for method, args in cases:
                with self.subTest(call=call.__name__, method=method):
                    self.assertRefused(call(method, args), code="method_not_allowed")
        self.assertEqual(self.env["res.partner"].search_count([]), count)
        self.assertTrue(self.company.active)

    def test_named_methods_run_with_the_users_rights(self):
        self.custom_api.access_ids.method_names = "name_create, copy_data"
        result = self.assertStatus(self.custom("name_create", ["Named Company"]), 200).json()
        self.assertEqual(result["result"][1], "Named Company")
        self.assertStatus(self.custom("copy_data", [[self.company.id]]), 200)
        self.assertRefused(self.custom("load", [["name"], [["No"]]]),
                           code="method_not_allowed")

    def test_superuser_mode_cannot_set_passwords_or_copy_users(self):
        before = self.admin_password()
        self.assertRefused(self.sudo("update", [[self.admin.id], {"password": "hacked-1234"}],
                                     model="res.users"))
        self.assertRefused(self.sudo("copy_data", [[self.admin.id]], model="res.users"),
                           code="method_not_allowed")
        # update is a checked write now: a denied field is refused in every mode
        self.assertRefused(self.rest_call("res.users", "update",
                                          [[self.api_user.id], {"password": "hacked-1234"}]),
                           code="field_not_allowed")
        self.assertEqual(self.admin_password(), before)

    def test_user_mode_never_writes_denied_fields_by_other_methods(self):
        before = self.admin_password()
        self.assertRefused(self.rest_call("res.users", "load", [
            ["id", "password"], [["base.user_admin", "hacked-1234"]]]),
            code="field_not_allowed")
        fields = self.assertStatus(self.sudo("fields_get", [], {"attributes": ["type"]},
                                             model="res.users"), 200).json()["result"]
        self.assertIn("login", fields)
        self.assertFalse({"password", "api_key_ids", "new_password"} & set(fields))
        self.assertEqual(self.admin_password(), before)

    def test_credential_methods_are_never_callable(self):
        self.custom_api.access_ids.method_names = "change_password, action_archive"
        users = self.env["ir.model"]._get("res.users")
        self.env["api.access"].create({
            "api_id": self.custom_api.id, "model_id": users.id, "perm_read": True,
            "perm_call": True,
            "method_names": "change_password, preference_change_password, api_key_wizard",
        })
        user_id = self.api_user.id
        cases = [
            ("change_password", ["api_caller_pass_1234", "new-password-1234"]),
            ("preference_change_password", [[user_id]]),
            ("api_key_wizard", [[user_id]]),
            ("action_revoke_all_devices", [[user_id]]),
            ("authenticate", [self.env.cr.dbname, {"login": "admin", "password": "admin",
                                                   "type": "password"}, {}]),
        ]
        calls = [
            lambda method, args: self.rest_call("res.users", method, args),
            lambda method, args: self.custom(method, args, model="res.users"),
            lambda method, args: self.sudo(method, args, model="res.users"),
        ]
        for index, call in enumerate(calls):
            for method, args in cases:
                with self.subTest(mode=("user", "custom", "sudo")[index], method=method):
                    self.assertRefused(call(method, args), code="method_not_allowed")
        self.env.invalidate_all()
        self.assertTrue(self.env["res.users"].with_user(self.api_user)._check_credentials(
            {"type": "password", "password": "api_caller_pass_1234"},
            {"interactive": False}))

    # 2. nested values ---------------------------------------------------------------

    def test_nested_values_stay_within_the_allow_list(self):
        company = self.company.id
        cases = [
            # a record outside the domain, and a field not allowed
            ({"child_ids": [[1, self.outside.id, {"name": "x", "phone": "666"}]]}, 403),
            ({"child_ids": [[1, self.outside.id, {"name": "x"}]]}, 404),
            ({"child_ids": [[1, self.child.id, {"comment": "<p>x</p>", "phone": "7"}]]}, 403),
            # a model outside the allow-list
            ({"category_id": [[0, 0, {"name": "TAG"}]]}, 403),
            ({"category_id": [[6, 0, []]]}, 403),
            # delete is not allowed
            ({"child_ids": [[2, self.child.id]]}, 403),
            # linking records outside the domain
            ({"child_ids": [[4, self.outside.id]]}, 404),
            # setting the children detaches the one outside the domain
            ({"child_ids": [self.company.id]}, 403),
            ({"parent_id": self.outside.id}, 404),
            ({"country_id": self.env.ref("base.be").id}, 403),
            # malformed commands
            ({"child_ids": [[9, 1]]}, 400),
            ({"child_ids": [[0, 0, "x"]]}, 400),
            ({"parent_id": {"name": "x"}}, 400),
        ]
        for call in (self.custom, self.listed_sudo):
            for values, status in cases:
                with self.subTest(call=call.__name__, values=values):
                    self.assertRefused(call("write", [[company], values]), status)
        self.env.invalidate_all()
        self.assertEqual(self.outside.name, "Review Outside")
        self.assertEqual(self.outside.phone, "222")
        self.assertTrue(self.child.exists())
        self.assertEqual(self.child.parent_id, self.company)
        self.assertEqual(self.child.phone, "111")
        self.assertFalse(self.env["res.partner.category"].search([("name", "=", "TAG")]))

    def test_nested_values_allowed_run(self):
        values = {"child_ids": [[0, 0, {"name": "Sub Company", "is_company": True}]]}
        self.assertStatus(self.custom("write", [[self.company.id], values]), 200)
        self.env.invalidate_all()
        self.assertIn("Sub Company", self.company.child_ids.mapped("name"))

    def test_nested_denied_fields_refused_in_user_mode(self):
        before = self.admin_password()
        values = {"user_ids": [[1, self.admin.id, {"password": "hacked-1234"}]]}
        self.assertRefused(self.rest_call("res.partner", "write",
                                          [[self.admin.partner_id.id], values]),
                           code="field_not_allowed")
        self.assertRefused(self.sudo("write", [[self.admin.partner_id.id], values]),
                           code="field_not_allowed")
        self.assertEqual(self.admin_password(), before)

    # 3. records written outside the access domain -----------------------------------

    def test_written_records_stay_within_the_access_domain(self):
        cases = [
            ("create", [{"name": "Review Not Company", "is_company": False}], {}),
            ("create", [{"name": "Review Person"}], {}),
            ("copy", [[self.company.id]], {"default": {"is_company": False}}),
            ("write", [[self.company.id], {"is_company": False}], {}),
            ("write", [[self.company.id],
                       {"child_ids": [[0, 0, {"name": "Review Kid", "is_company": False}]]}],
             {}),
        ]
        for call in (self.custom, self.listed_sudo):
            for method, args, kwargs in cases:
                with self.subTest(call=call.__name__, method=method, args=args):
                    self.assertRefused(call(method, args, kwargs), code="outside_access_domain")
        self.env.invalidate_all()
        self.assertTrue(self.company.is_company)
        names = ["Review Not Company", "Review Person", "Review Kid"]
        self.assertFalse(self.env["res.partner"].search([("name", "in", names)]))
        self.assertEqual(self.env["res.partner"].search_count(
            [("name", "like", "Review Company (copy)")]), 0)
        new_id = self.assertStatus(self.custom("create", [{"name": "Review New Company",
                                                            "is_company": True}]), 200)
        self.assertTrue(new_id.json()["result"])

    # 4. context defaults ------------------------------------------------------------

    def test_context_defaults_cannot_set_fields_not_allowed(self):
        values = [{"name": "Review Defaults", "is_company": True}]
        self.assertRefused(self.custom("create", values, {"context": {"default_phone": "X"}}),
                           code="field_not_allowed")
        self.assertRefused(self.custom("create", values, headers={
            "X-Odoo-Context": json.dumps({"default_phone": "X"})}), code="field_not_allowed")
        self.assertRefused(self.custom("create", values, {"context": {
            "default_category_id": [[0, 0, {"name": "TAG"}]]}}))
        # denied fields, in every mode
        self.assertRefused(self.rest_call("res.partner", "create", [{"name": "Review Pw"}],
                                          {"context": {"default_password": "x-1234567"}}),
                           code="field_not_allowed")
        self.assertFalse(self.env["res.partner"].search(
            [("name", "in", ["Review Defaults", "Review Pw"])]))
        created = self.assertStatus(self.custom("create", values, {"context": {
            "default_email": "d@example.test"}}), 200).json()["result"]
        self.assertEqual(self.env["res.partner"].browse(created).email, "d@example.test")

    # 5 and 6. what custom mode describes and reads -----------------------------------

    def test_fields_get_describes_served_fields_only(self):
        result = self.assertStatus(self.custom("fields_get", [], {"attributes": ["type"]}),
                                   200).json()["result"]
        self.assertEqual(set(result), set(SERVED) | {"id"})
        self.assertRefused(self.custom("default_get", [["phone"]]), code="field_not_allowed")

    def test_many2one_outside_the_allow_list_is_an_id(self):
        us = self.env.ref("base.us")
        [row] = self.assertStatus(self.custom("read", [[self.company.id]], {
            "fields": ["country_id", "name"]}), 200).json()["result"]
        self.assertEqual(row["country_id"], us.id)
        self.assertEqual(row["name"], "Review Company")
        rows = self.assertStatus(self.custom("search_read", [[["id", "=", self.company.id]]], {
            "fields": ["country_id"]}), 200).json()["result"]
        self.assertEqual(rows[0]["country_id"], us.id)
        groups = self.assertStatus(self.custom("read_group", [[["id", "=", self.company.id]],
                                                              ["name"], ["country_id"]]),
                                   200).json()["result"]
        self.assertEqual(groups[0]["country_id"], us.id)
        # in user mode, as Odoo's RPC answers
        [row] = self.rest_result("res.partner", "read", [[self.company.id], ["country_id"]])
        self.assertEqual(row["country_id"], [us.id, us.display_name])

    def test_exports_read_no_related_records_outside_the_domain(self):
        for call in (self.custom, self.listed_sudo):
            for path in ("child_ids/name", "child_ids", "parent_id", "parent_id/name"):
                with self.subTest(call=call.__name__, path=path):
                    self.assertRefused(call("export_data", [[self.company.id],
                                                            ["name", path]]),
                                       code="field_not_allowed")
        # ids only (the user lacks Odoo's export right: the superuser exports)
        result = self.assertStatus(self.listed_sudo("export_data", [
            [self.company.id], ["name", "child_ids/.id"]]), 200).json()["result"]
        self.assertEqual(result["datas"], [["Review Company", str(self.child.id)]])

    # 7 and 8. writing models whose write parameter is named values -------------------

    def test_write_binds_values_by_position(self):
        company = self.env["res.company"].create({"name": "Review Values Co"})
        self.assertStatus(self.sudo("write", [[company.id], {"name": "Review Renamed"}],
                                    model="res.company"), 200)
        self.env.invalidate_all()
        self.assertEqual(company.name, "Review Renamed")
        with mute_logger(*MUTE):
            self.assertRefused(self.sudo("write", [[self.admin.id], {"password": "x-1234567"}],
                                         model="res.users"), code="field_not_allowed")

    def test_users_write_their_own_self_writable_fields(self):
        result = self.rest_result("res.users", "write",
                                  [[self.api_user.id], {"tz": "Europe/Brussels",
                                                        "signature": "<p>Me</p>"}])
        self.assertIs(result, True)
        self.env.invalidate_all()
        self.assertEqual(self.api_user.tz, "Europe/Brussels")
        # not another user, nor other fields
        self.rest_error(403, "res.users", "write", [[self.admin.id], {"tz": "Europe/Paris"}])
        self.rest_error(403, "res.users", "write", [[self.api_user.id], {"login": "x"}])
        self.env.invalidate_all()
        self.assertNotEqual(self.admin.tz, "Europe/Paris")

    # 9. filters through relations whose records the API serves only in part -------

    def test_filters_never_look_into_records_outside_the_domain(self):
        # the child is outside is_company = True: its email must not be found through
        # its parent, by a dotted path or by 'any'
        self.child.email = "hidden@example.com"
        for domain in ([["child_ids.email", "=", "hidden@example.com"]],
                       [["child_ids", "any", [["email", "=", "hidden@example.com"]]]],
                       [["parent_id.name", "=", "Review Company"]]):
            with self.subTest(domain=domain):
                self.assertRefused(self.custom("search", [domain]), 403, "field_not_allowed")
        # filtering on the relation's ids, or on the served records themselves, still works
        found = self.assertStatus(self.custom(
            "search", [[["child_ids", "in", [self.child.id]]]]), 200).json()["result"]
        self.assertEqual(found, [self.company.id])
        found = self.assertStatus(self.custom(
            "search", [[["name", "=", "Review Company"]]]), 200).json()["result"]
        self.assertEqual(found, [self.company.id])

    # 10. found by a second review -----------------------------------------------------

    def test_relations_compared_by_name_refused_where_served_in_part(self):
        # Odoo looks such names up among every child: the answer would tell about them
        for domain in ([["child_ids", "ilike", "Review Child"]],
                       [["child_ids", "in", ["Review Child"]]],
                       [["parent_id", "=", "Review Company"]]):
            with self.subTest(domain=domain):
                self.assertRefused(self.custom("search", [domain]), 403, "field_not_allowed")
        found = self.assertStatus(self.custom(
            "search", [[["child_ids", "!=", False], ["id", "=", self.company.id]]]), 200)
        self.assertEqual(found.json()["result"], [self.company.id])

    def test_groups_of_a_many2many_name_no_record_the_api_does_not_serve(self):
        category = self.env["res.partner.category"].create({"name": "Review Hidden Tag"})
        self.company.category_id = category
        groups = self.assertStatus(self.custom(
            "read_group", [[], ["name"], ["category_id"]]), 200).json()["result"]
        values = [group["category_id"] for group in groups]
        self.assertIn(category.id, values)
        self.assertNotIn("Review Hidden Tag", json.dumps(groups))

    def test_setting_a_many2many_never_drops_links_the_api_hides(self):
        category_model = self.env["ir.model"]._get("res.partner.category")
        self.env["api.access"].create({
            "api_id": self.custom_api.id, "model_id": category_model.id, "perm_read": True,
            "domain": "[('name', 'ilike', 'Shown')]",
        })
        shown = self.env["res.partner.category"].create({"name": "Review Shown"})
        hidden = self.env["res.partner.category"].create({"name": "Review Kept"})
        self.company.category_id = hidden
        for value in ([[6, 0, [shown.id]]], [[5]], [shown.id], False):
            with self.subTest(value=value):
                self.assertRefused(self.custom(
                    "write", [[self.company.id], {"category_id": value}]), 403,
                    "outside_access_domain")
                self.assertEqual(self.company.category_id, hidden)
        self.assertStatus(self.custom(
            "write", [[self.company.id], {"category_id": [[4, shown.id]]}]), 200)
        self.assertEqual(self.company.category_id, hidden | shown)

    def test_read_leaves_out_lines_outside_the_domain(self):
        other = self.env["res.partner"].create(
            {"name": "Review Sub Company", "is_company": True, "parent_id": self.company.id})
        for method, args in (("read", [[self.company.id]]),
                             ("search_read", [[["id", "=", self.company.id]]])):
            with self.subTest(method=method):
                rows = self.assertStatus(self.custom(
                    method, args, {"fields": ["child_ids"]}), 200).json()["result"]
                # the contact is not a company: the API never serves it
                self.assertEqual(rows[0]["child_ids"], [other.id])
        self.assertEqual(set(self.company.child_ids.ids), {self.child.id, other.id})

    def test_order_by_a_relation_whose_names_are_not_served(self):
        # Odoo sorts by the countries' names: the order would tell them
        self.assertRefused(self.custom("search", [[]], {"order": "country_id desc"}), 403,
                           "field_not_allowed")
        self.assertStatus(self.custom("search", [[]], {"order": "name desc"}), 200)
