"""GraphQL's own writers go through the framework's values check, as method calls do.

The custom API serves res.partner (read, create, write, no delete) within the domain
is_company = True with a few fields, and res.partner.category for reading only; the
superuser API has the same allow-list. Every refused mutation answers GraphQL's error
format, rolls the request back and writes nothing.
"""

import json

from odoo import Command
from odoo.tests import tagged

from .common import GraphQLHttpCase

SERVED = ["name", "email", "is_company", "child_ids", "category_id", "parent_id", "comment"]


@tagged("post_install", "-at_install")
class TestGraphQLWriteChecks(GraphQLHttpCase):

    endpoint = "gqlw"

    @classmethod
    def _api_values(cls):
        return {"access_mode": "custom"}

    @classmethod
    def _setup_records(cls):
        super()._setup_records()
        env = cls.env
        cls._allow(cls.api)
        cls.sudo_api = cls.create_api("gqlws", "graphql", "apikey", access_mode="sudo")
        cls._allow(cls.sudo_api)
        cls.sudo_key = env["api.key"]._generate(cls.sudo_api, cls.api_user, "GraphQL sudo")
        cls.user_api = cls.create_api("gqlwu", "graphql", "apikey")
        cls.user_key = env["api.key"]._generate(cls.user_api, cls.api_user, "GraphQL user")
        cls.company = env["res.partner"].create({"name": "W Company", "is_company": True})
        cls.child = env["res.partner"].create(
            {"name": "W Child", "parent_id": cls.company.id, "phone": "111"})
        cls.outside = env["res.partner"].create({"name": "W Outside", "phone": "222"})
        cls.category = env["res.partner.category"].create({"name": "W Category"})

    @classmethod
    def _allow(cls, api):
        model = cls.env["ir.model"]._get
        fields = cls.env["ir.model.fields"].search
        cls.env["api.access"].create([{
            "api_id": api.id, "model_id": model("res.partner").id,
            "perm_read": True, "perm_create": True, "perm_write": True, "perm_unlink": False,
            "field_ids": [Command.set(fields([("model", "=", "res.partner"),
                                              ("name", "in", SERVED)]).ids)],
            "domain": "[('is_company', '=', True)]",
        }, {
            "api_id": api.id, "model_id": model("res.partner.category").id,
            "perm_read": True,
            "field_ids": [Command.set(fields([("model", "=", "res.partner.category"),
                                              ("name", "=", "name")]).ids)],
        }])

    def apis(self):
        """The endpoint and key of the custom and superuser APIs."""
        return [(self.endpoint, self.api_key), ("gqlws", self.sudo_key)]

    def assertRefused(self, mutation, endpoint, key, code=None, headers=None):
        body = self.graphql_errors(f"mutation {{ m: {mutation} }}", endpoint=endpoint,
                                   headers={"x-api-key": key, **(headers or {})})
        self.assertIsNone(body.get("data"), body)
        extensions = body["errors"][0]["extensions"]
        if code:
            self.assertEqual(extensions["code"], code, body)
        self.assertIn(extensions["status"], (403, 404), body)
        self.assertEqual(body["errors"][0]["path"], ["m"], body)
        return body

    def assertNothingWritten(self):
        self.env.invalidate_all()
        self.assertEqual(self.outside.name, "W Outside")
        self.assertEqual(self.outside.phone, "222")
        self.assertFalse(self.outside.parent_id)
        self.assertTrue(self.child.exists())
        self.assertEqual(self.child.parent_id, self.company)
        self.assertEqual(self.child.phone, "111")
        self.assertTrue(self.company.is_company)
        self.assertFalse(self.company.category_id)
        self.assertEqual(self.company.child_ids, self.child)
        self.assertFalse(self.env["res.partner"].search([("name", "like", "W New")]))
        self.assertFalse(self.env["res.partner.category"].search([("name", "=", "W TAG")]))

    # ------------------------------------------------------------------

    def test_updates_stay_within_the_allow_list(self):
        outside, child = self.outside.id, self.child.id
        cases = [
            # a line outside the domain
            (f'child_ids: [[1, {outside}, {{name: "W New"}}]]', "record_not_found"),
            (f"child_ids: [[4, {outside}]]", "record_not_found"),
            (f"parent_id: {outside}", "record_not_found"),
            # delete is not allowed, nor create on the categories
            (f"child_ids: [[2, {child}]]", "operation_not_allowed"),
            ('category_id: [[0, 0, {name: "W TAG"}]]', "operation_not_allowed"),
            # a field not allowed inside a nested command
            (f'child_ids: [[1, {child}, {{phone: "666"}}]]', "field_not_allowed"),
            # the record, or a line created through it, leaving the domain
            ("is_company: false", "outside_access_domain"),
            ('child_ids: [[0, 0, {name: "W New Kid"}]]', "outside_access_domain"),
        ]
        company = self.company.id
        for endpoint, key in self.apis():
            for values, code in cases:
                for mutation in (f"updateResPartner(id: {company}, values: {{{values}}}) "
                                 "{ id }",
                                 f"ResPartner(id: {company}, ResPartnerValues: {{{values}}})"
                                 " { id }"):
                    with self.subTest(endpoint=endpoint, mutation=mutation):
                        self.assertRefused(mutation, endpoint, key, code)
        self.assertNothingWritten()

    def test_creates_stay_within_the_allow_list(self):
        outside = self.outside.id
        cases = [
            ('name: "W New Person"', "outside_access_domain"),
            ('name: "W New Co", is_company: true, category_id: [[0, 0, {name: "W TAG"}]]',
             "operation_not_allowed"),
            (f'name: "W New Co", is_company: true, '
             f'child_ids: [[1, {outside}, {{name: "W New"}}]]', "record_not_found"),
            ('name: "W New Co", is_company: true, '
             'child_ids: [[0, 0, {name: "W New Kid", is_company: true, phone: "1"}]]',
             "field_not_allowed"),
            ('name: "W New Co", is_company: true, child_ids: [[0, 0, {name: "W New Kid"}]]',
             "outside_access_domain"),
        ]
        for endpoint, key in self.apis():
            for values, code in cases:
                for mutation in (f"createResPartner(values: {{{values}}}) {{ id }}",
                                 f"ResPartner(ResPartnerValues: {{{values}}}) {{ id }}"):
                    with self.subTest(endpoint=endpoint, mutation=mutation):
                        self.assertRefused(mutation, endpoint, key, code)
        self.assertNothingWritten()

    def test_context_defaults_cannot_set_fields_not_allowed(self):
        values = '{name: "W New Defaults", is_company: true}'
        company = self.company.id
        for endpoint, key in self.apis():
            for mutation in (f"createResPartner(values: {values}, "
                             'context: {default_phone: "X"}) { id }',
                             f'ResPartner(ResPartnerValues: {values}, '
                             'context: {default_phone: "X"}) { id }',
                             f"updateResPartner(id: {company}, values: {{name: \"W New\"}}, "
                             'context: {default_phone: "X"}) { id }',
                             f'ResPartner(id: {company}, ResPartnerValues: {{child_ids: '
                             '[[0, 0, {name: "W New Kid", is_company: true}]]}, '
                             'context: {default_phone: "X"}) { id }'):
                with self.subTest(endpoint=endpoint, mutation=mutation):
                    self.assertRefused(mutation, endpoint, key, "field_not_allowed")
        header = {"X-Odoo-Context": json.dumps({"default_phone": "X"})}
        self.assertRefused(f"createResPartner(values: {values}) {{ id }}", self.endpoint,
                           self.api_key, "field_not_allowed", headers=header)
        self.assertNothingWritten()
        # As superuser, Odoo drops the request's default_* keys (clean_context): never set
        body = self.graphql('mutation { createResPartner(values: {name: "W Header", '
                            'is_company: true}) { id } }', endpoint="gqlws",
                            headers={"x-api-key": self.sudo_key, **header}).json()
        if body.get("errors"):
            self.assertEqual(body["errors"][0]["extensions"]["code"], "field_not_allowed")
        else:
            partner = self.env["res.partner"].browse(body["data"]["createResPartner"]["id"])
            self.assertFalse(partner.phone)
        data = self.graphql_data(
            f'mutation {{ createResPartner(values: {values}, '
            'context: {default_email: "w@example.test"}) { id email } }')
        self.assertEqual(data["createResPartner"]["email"], "w@example.test")

    def test_deletes_need_the_operation(self):
        company, child = self.company.id, self.child.id
        for endpoint, key in self.apis():
            for mutation in (f"deleteResPartner(id: {company})", f"ResPartner(id: {company})",
                             f'callResPartner(id: {company}, method: "unlink")'):
                with self.subTest(endpoint=endpoint, mutation=mutation):
                    self.assertRefused(mutation, endpoint, key, "operation_not_allowed")
        # a record outside the domain is unknown, whatever the operation
        self.api.access_ids.filtered(lambda rule: rule.model == "res.partner").perm_unlink = True
        self.assertRefused(f"deleteResPartner(id: {child})", self.endpoint, self.api_key,
                           "record_not_found")
        self.assertNothingWritten()

    def test_allowed_nested_writes_run(self):
        for endpoint, key in self.apis():
            with self.subTest(endpoint=endpoint):
                headers = {"x-api-key": key}
                data = self.graphql_data(
                    'mutation { u: updateResPartner(id: %d, values: {email: "%s@example.test",'
                    ' child_ids: [[0, 0, {name: "W Sub %s", is_company: true}]]}) '
                    "{ id email } }" % (self.company.id, endpoint, endpoint),
                    endpoint=endpoint, headers=headers)
                self.assertEqual(data["u"]["email"], f"{endpoint}@example.test")
                data = self.graphql_data(
                    'mutation { c: ResPartner(ResPartnerValues: {name: "W Made %s", '
                    'is_company: true, category_id: [%d], child_ids: [[0, 0, '
                    '{name: "W Made Sub %s", is_company: true}]]}) { id child_ids { name } } }'
                    % (endpoint, self.category.id, endpoint),
                    endpoint=endpoint, headers=headers)
                self.assertEqual(data["c"][0]["child_ids"], [{"name": f"W Made Sub {endpoint}"}])
        self.env.invalidate_all()
        self.assertEqual(set(self.company.child_ids.mapped("name")),
                         {"W Child", "W Sub gqlw", "W Sub gqlws"})
        made = self.env["res.partner"].search([("name", "like", "W Made gqlw")])
        self.assertEqual(len(made), 2)
        self.assertTrue(all(made.mapped("is_company")))

    # method calls: the framework's service ----------------------------------------

    def test_copy_with_defaults_is_checked(self):
        company = self.company.id
        count = self.env["res.partner"].search_count([])
        cases = [
            ('{default: {phone: "+1", is_company: false}}', "field_not_allowed"),
            ("{default: {is_company: false}}", "outside_access_domain"),
        ]
        for endpoint, key in self.apis():
            for kwargs, code in cases:
                with self.subTest(endpoint=endpoint, kwargs=kwargs):
                    self.assertRefused(f'callResPartner(id: {company}, method: "copy", '
                                       f"kwargs: {kwargs})", endpoint, key, code)
        self.assertEqual(self.env["res.partner"].search_count([]), count)

    def test_credential_methods_are_refused_in_user_mode(self):
        body = self.assertRefused(
            'callResUsers(method: "change_password", '
            'args: ["api_caller_pass_1234", "new-password-1234"])',
            "gqlwu", self.user_key, "method_not_allowed")
        self.assertEqual(body["errors"][0]["extensions"]["status"], 403)
        self.env.invalidate_all()
        self.assertTrue(self.env["res.users"].with_user(self.api_user)._check_credentials(
            {"type": "password", "password": "api_caller_pass_1234"},
            {"interactive": False}))

    # ------------------------------------------------------------------
    # Exports read what the API serves, whole paths checked (found by a second review)

    def test_export_paths_are_checked_whole(self):
        self.api_user.groups_id += self.env.ref("base.group_allow_export")
        self.child.email = "w.child@example.com"
        self.company.category_id = self.category
        template = ('{ ExportData(values: {model: "res.partner", ids: [%d], '
                    'fields: [{name: "%s", label: "x"}]}) }')
        for endpoint, key in self.apis():
            for path in ("child_ids/email", "child_ids/phone", "category_id/partner_ids/name"):
                with self.subTest(endpoint=endpoint, path=path):
                    body = self.graphql_errors(template % (self.company.id, path),
                                               endpoint=endpoint, headers={"x-api-key": key})
                    self.assertEqual(body["errors"][0]["extensions"]["status"], 403, body)
                    self.assertNotIn("w.child@example.com", json.dumps(body))
            with self.subTest(endpoint=endpoint, path="category_id/name"):
                data = self.graphql_data(template % (self.company.id, "category_id/name"),
                                         endpoint=endpoint, headers={"x-api-key": key})
                self.assertTrue(data["ExportData"])

    def test_export_never_reaches_credential_models(self):
        api = self.create_api("gqlw-sudo-all", "graphql", "apikey", access_mode="sudo")
        key = self.env["api.key"]._generate(api, self.api_user, "GraphQL sudo, no list")
        query = ('{ ExportData(values: {model: "api.api", ids: [%d], fields: '
                 '[{name: "apikey_ids/index", label: "n"}]}) }' % api.id)
        body = self.graphql_errors(query, endpoint="gqlw-sudo-all", headers={"x-api-key": key})
        self.assertIn(body["errors"][0]["extensions"]["status"], (403, 404), body)
        self.assertNotIn(key[:8], json.dumps(body))
