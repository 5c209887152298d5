import base64
import io

import openpyxl

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import GraphQLHttpCase


@tagged("post_install", "-at_install")
class TestGraphQLMutation(GraphQLHttpCase):

    @classmethod
    def _setup_records(cls):
        super()._setup_records()
        cls.cat1, cls.cat2 = cls.env["res.partner.category"].create(
            [{"name": "GQL cat 1"}, {"name": "GQL cat 2"}])
        cls.bank = cls.env["res.bank"].create({"name": "GQL Bank"})
        cls.partner = cls.env["res.partner"].create({
            "name": "GQL Mutable", "category_id": [(6, 0, [cls.cat1.id])]})

    def test_g10_compact_create(self):
        query = """mutation { createResPartner: ResPartner(ResPartnerValues: {
            name: "Acme GQL", company_type: "company", category_id: [%d, %d],
            bank_ids: [[0, 0, {acc_number: "GB00 3333", bank_id: %d}]]}) {
              id name category_id bank_ids } }""" % (self.cat1.id, self.cat2.id, self.bank.id)
        data = self.graphql_data(query)
        [row] = data["createResPartner"]
        partner = self.env["res.partner"].browse(row["id"])
        self.assertEqual(partner.name, "Acme GQL")
        self.assertTrue(partner.is_company)
        self.assertEqual(partner.category_id, self.cat1 | self.cat2)
        self.assertEqual(partner.bank_ids.acc_number, "GB00 3333")
        self.assertEqual(partner.bank_ids.bank_id, self.bank)
        self.assertEqual(row["name"], "Acme GQL")
        self.assertEqual(sorted(row["category_id"]), sorted((self.cat1 | self.cat2).ids))
        self.assertEqual(row["bank_ids"], partner.bank_ids.ids)

    def test_g11_compact_update(self):
        query = """mutation { updateResPartner: ResPartner(id: %d, ResPartnerValues: {
            name: "Acme GQL 2", category_id: null}) { id name category_id { id name } } }
            """ % self.partner.id
        data = self.graphql_data(query)
        self.assertEqual(data["updateResPartner"], [
            {"id": self.partner.id, "name": "Acme GQL 2", "category_id": []}])
        self.assertEqual(self.partner.name, "Acme GQL 2")
        self.assertFalse(self.partner.category_id)

    def test_g12_compact_delete(self):
        data = self.graphql_data(
            "mutation { deleteResPartner: ResPartner(id: %d) }" % self.partner.id)
        self.assertEqual(data, {"deleteResPartner": True})
        self.assertFalse(self.partner.exists())

    def test_g13_compact_method(self):
        query = """mutation { methodResPartner: ResPartner(id: %d, method_name: "action_archive",
            method_parameters: {}) { id active } }""" % self.partner.id
        data = self.graphql_data(query)
        self.assertEqual(data["methodResPartner"], [{"id": self.partner.id, "active": False}])
        self.assertFalse(self.partner.active)

    def test_g14_search_read(self):
        query = """mutation { m: ResPartner(method_name: "search_read", method_parameters: {
            domain: [["is_company", "=", true]], fields: ["name", "email"], limit: 4}) }"""
        data = self.graphql_data(query)
        expected = self.user_env["res.partner"].search_read(
            [("is_company", "=", True)], fields=["name", "email"], limit=4)
        self.assertEqual(data["m"], expected)

    def test_g15_other_methods(self):
        Partner = self.user_env["res.partner"]
        domain = [["is_company", "=", True]]
        odoo_domain = [("is_company", "=", True)]
        cases = [
            ('"search"', '{domain: [["is_company", "=", true]], limit: 3}',
             Partner.search(odoo_domain, limit=3).ids),
            ('"search_count"', '{domain: [["is_company", "=", true]]}',
             Partner.search_count(odoo_domain)),
            ('"fields_get"', '{attributes: ["type", "string"]}',
             Partner.fields_get(attributes=["type", "string"])),
            # a boolean, as Odoo's RPC answered before 18.0
            ('"check_access_rights"', '{operation: "read"}', True),
            ('"check_access_rights"', '{operation: "read", raise_exception: false}', True),
        ]
        for method, params, expected in cases:
            with self.subTest(method=method, params=params):
                data = self.graphql_data(
                    f"mutation {{ m: ResPartner(method_name: {method}, "
                    f"method_parameters: {params}) }}")
                self.assertEqual(data["m"], expected)
        data = self.graphql_data(
            'mutation { m: ResPartner(id: %d, method_name: "read", '
            'method_parameters: {fields: ["name"]}) }' % self.partner.id)
        self.assertEqual(data["m"], [{"id": self.partner.id, "name": "GQL Mutable"}])
        data = self.graphql_data(
            'mutation ($domain: Any) { m: ResPartner(method_name: "read_group", '
            'method_parameters: {domain: $domain, fields: ["name"], groupby: ["is_company"]})'
            ' }', {"domain": domain})
        expected = Partner.read_group(odoo_domain, ["name"], ["is_company"])
        self.assertEqual([(row["is_company"], row["is_company_count"]) for row in data["m"]],
                         [(row["is_company"], row["is_company_count"]) for row in expected])

    def test_private_method_refused(self):
        body = self.graphql_errors(
            'mutation { m: ResPartner(id: %d, method_name: "_compute_display_name", '
            'method_parameters: {}) }' % self.partner.id)
        self.assertEqual(body["data"], None)
        self.assertEqual(body["errors"][0]["extensions"]["code"], "private_method")
        self.assertEqual(body["errors"][0]["path"], ["m"])

    def test_g16_explicit_mutations(self):
        create = """mutation C($values: ResPartnerInput!) {
          createResPartner(values: $values) { id name category_id { name } } }"""
        data = self.graphql_data(create, {"values": {
            "name": "Typed GQL", "category_id": [self.cat2.id], "is_company": True}})
        partner = self.env["res.partner"].browse(data["createResPartner"]["id"])
        self.assertEqual(data["createResPartner"]["category_id"], [{"name": "GQL cat 2"}])
        self.assertTrue(partner.is_company)
        data = self.graphql_data(
            'mutation { updateResPartner(id: %d, values: {name: "Typed GQL 2"}) { name } }'
            % partner.id)
        self.assertEqual(data["updateResPartner"], {"name": "Typed GQL 2"})
        self.assertEqual(partner.name, "Typed GQL 2")
        data = self.graphql_data(
            'mutation { callResPartner(id: %d, method: "action_archive") }' % partner.id)
        self.assertFalse(partner.active)
        data = self.graphql_data("mutation { deleteResPartner(id: %d) }" % partner.id)
        self.assertEqual(data, {"deleteResPartner": True})
        self.assertFalse(partner.exists())

    def test_g16_typed_inputs_reject_wrong_types(self):
        count = self.env["res.partner"].search_count([])
        body = self.graphql_errors(
            'mutation { createResPartner(values: {name: "X", is_company: "yes"}) { id } }')
        self.assertNotIn("data", body)
        self.assertIn("locations", body["errors"][0])
        body = self.graphql_errors(
            "mutation C($values: ResPartnerInput!) { createResPartner(values: $values) "
            "{ id } }", {"values": {"name": "X", "color": "red"}})
        self.assertEqual(body["errors"][0]["extensions"]["code"], "bad_user_input")
        self.assertEqual(self.env["res.partner"].search_count([]), count)

    def test_g17_export(self):
        self.api_user.write({"groups_id": [(4, self.env.ref("base.group_allow_export").id)]})
        partners = self.partner | self.env["res.partner"].create(
            {"name": "GQL Export", "country_id": self.env.ref("base.fr").id})
        export = {"model": "res.partner", "ids": partners.ids, "domain": [],
                  "fields": [{"name": "name", "label": "Name"},
                             {"name": "country_id/name", "label": "Country/Name"}],
                  "import_compat": False, "context": {"lang": "en_US"}}
        data = self.graphql_data("query E($export: Any!) { ExportData(values: $export) }",
                                 {"export": export})
        workbook = openpyxl.load_workbook(io.BytesIO(base64.b64decode(data["ExportData"])))
        rows = [[cell.value for cell in row] for row in workbook.active.iter_rows()]
        expected = partners.export_data(["name", "country_id/name"])["datas"]
        self.assertEqual(rows[0], ["Name", "Country/Name"])
        self.assertEqual([[value or None for value in row] for row in rows[1:]],
                         [[value or None for value in row] for row in expected])

    def test_g22_failed_mutation_keeps_nothing(self):
        query = """mutation {
          first: createResPartner(values: {name: "GQL rolled back"}) { id }
          second: ResPartner(id: %d, method_name: "no_such_method", method_parameters: {})
        }""" % self.partner.id
        body = self.graphql_errors(query)
        self.assertIsNone(body["data"])
        self.assertEqual(body["errors"][0]["path"], ["second"])
        self.assertEqual(body["errors"][0]["extensions"]["code"], "unknown_method")
        self.assertFalse(self.env["res.partner"].search([("name", "=", "GQL rolled back")]))

    @mute_logger("odoo.sql_db")
    def test_values_the_database_refuses(self):
        name = self.partner.name
        cases = {
            # NOT NULL, in a nested line
            "missing required value": ("createResPartner(values: {name: \"GQL refused\", "
                                       "bank_ids: [[0, 0, {acc_number: null}]]}) { id }",
                                       "validation_error"),
            # FOREIGN KEY
            "unknown record": ('createResPartner(values: {name: "GQL refused", '
                               "company_id: -5}) { id }", "validation_error"),
            # CHECK (res_partner_check_name)
            "check constraint": ("updateResPartner(id: %d, values: {name: null}) { id }"
                                 % self.partner.id, "validation_error"),
            # PostgreSQL takes no NUL character
            "NUL character": ('createResPartner(values: {name: "GQL refused \\u0000"}) '
                              "{ id }", "invalid_values"),
            # through the method-call service
            "method call": ('callResPartner(method: "create", args: [{name: "GQL refused", '
                            "company_id: -5}])", "validation_error"),
            "compact method call": ('ResPartner(method_name: "write", id: %d, '
                                    "method_parameters: {vals: {name: false}})"
                                    % self.partner.id, "validation_error"),
        }
        for case, (mutation, code) in cases.items():
            with self.subTest(case=case):
                body = self.graphql_errors("mutation { %s }" % mutation)
                self.assertIsNone(body["data"])
                error = body["errors"][0]
                self.assertEqual(error["extensions"]["code"], code, error)
                self.assertLess(error["extensions"]["status"], 500)
                self.assertEqual(len(error["path"]), 1)
        self.assertFalse(self.env["res.partner"].search([("name", "like", "GQL refused")]))
        self.assertEqual(self.partner.name, name)
