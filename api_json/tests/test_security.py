"""Query parameters and bodies that try to reach past a custom-mode allow-list, or to
exhaust the server, get a JSON:API error."""

from odoo.tests import tagged

from odoo.addons.api_json.tools import filters

from .common import JsonApiCase


@tagged("post_install", "-at_install")
class TestJsonApiAllowList(JsonApiCase):
    """res.partner (three fields) and res.country are allowed; res.country.state is not."""

    endpoint = "jsonapi_allow"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        partner_fields = cls.env["ir.model.fields"].search([
            ("model", "=", "res.partner"), ("name", "in", ["name", "country_id", "is_company"])])
        model = cls.env["ir.model"]._get
        cls.api.write({"access_mode": "custom", "access_ids": [
            (0, 0, {"model_id": model("res.partner").id,
                    "field_ids": [(6, 0, partner_fields.ids)]}),
            (0, 0, {"model_id": model("res.country").id}),
        ]})

    def test_filter_on_allowed_path(self):
        doc = self.get("/res.partner", {"filter[country_id.code]": "US",
                                        "filter[name]": "JA Parent Co"})
        self.assertEqual(self.ids(doc), self.company.ids)
        doc = self.get("/res.partner", {"filter": "[('country_id.code', '=', 'FR')]",
                                        "filter[name]": "JA Child One"})
        self.assertEqual(self.ids(doc), self.child1.ids)

    def test_filter_path_leading_outside_the_api(self):
        for params in ({"filter": "[('country_id.state_ids.name', '=', 'x')]"},
                       {"filter[country_id.state_ids.name]": "x"},
                       {"filter": "[('country_id', 'any', [('state_ids.name', '=', 'x')])]"}):
            response = self.jsonapi("GET", "/res.partner", params=params)
            self.assertStatus(response, 403)
            error = response.json()["errors"][0]
            self.assertEqual(error["source"]["parameter"], next(iter(params)), params)

    def test_filter_on_field_left_out_of_the_allow_list(self):
        response = self.jsonapi("GET", "/res.partner",
                                params={"filter": "[('email', 'ilike', '@')]"})
        self.assertError(response, 403, parameter="filter")
        response = self.jsonapi("GET", "/res.partner",
                                params={"filter": "[('parent_id.email', 'ilike', '@')]"})
        self.assertError(response, 403, parameter="filter")

    def test_any_on_a_plain_field(self):
        response = self.jsonapi("GET", "/res.partner",
                                params={"filter": "[('name', 'any', [('id', '=', 1)])]"})
        self.assertError(response, 400, parameter="filter")

    def test_include_outside_the_api(self):
        response = self.jsonapi("GET", "/res.partner",
                                params={"include": "country_id.state_ids"})
        self.assertError(response, 400, parameter="include")

    def test_sort_and_group_by_on_hidden_fields(self):
        response = self.jsonapi("GET", "/res.partner", params={"sort": "email"})
        self.assertError(response, 403, parameter="sort")
        response = self.jsonapi("GET", "/res.partner", params={"group_by": "email"})
        self.assertError(response, 403, parameter="group_by")


@tagged("post_install", "-at_install")
class TestJsonApiHostileInput(JsonApiCase):

    endpoint = "jsonapi_hostile"

    def test_deeply_nested_filter(self):
        text = "[" * 500 + "]" * 500
        response = self.jsonapi("GET", "/res.partner", params={"filter": text})
        error = self.assertError(response, 400, parameter="filter")
        self.assertIn("levels deep", error["detail"])

    def test_huge_filter(self):
        # longer than any server takes in a URL: the parser's own bound, checked directly
        text = "[" + ", ".join(["('name', '=', 'x')"] * 2000) + "]"
        with self.assertRaisesRegex(filters.FilterSyntaxError, "longer than"):
            filters.parse_domain(text)

    def test_deeply_nested_body(self):
        body = {"data": {"type": "res.partner", "attributes": {"name": "x"}}}
        for _level in range(100):
            body = {"data": body}
        response = self.jsonapi("POST", "/res.partner", body=body)
        self.assertError(response, 400)
        self.assertFalse(self.env["res.partner"].search([("name", "=", "x")]))
