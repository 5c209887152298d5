from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import JsonApiCase


@tagged("post_install", "-at_install")
class TestJsonApiParametersOdooRefuses(JsonApiCase):
    """Query parameters that reach a query Odoo or PostgreSQL cannot run are answered 400
    with the parameter in ``source.parameter``: never a 500, nor an error in the server
    log (which fails the test run)."""

    def assertParameterError(self, params, parameter, path="/res.partner"):
        response = self.jsonapi("GET", path, params=params)
        return self.assertError(response, 400, parameter=parameter)

    def ja_ids(self):
        return ",".join(map(str, (self.company | self.child1 | self.child2).ids))

    def test_group_by_sorted_on_a_member_it_does_not_group_by(self):
        error = self.assertParameterError({"group_by": "parent_id", "sort": "name"}, "sort")
        self.assertIn("grouped members only", error["detail"])
        self.assertParameterError({"group_by": "country_id:month", "sort": "id"}, "group_by")
        self.assertParameterError({"group_by": "parent_id", "sort": "-id"}, "sort")
        # a grouped member sorts the groups, as read_group does
        doc = self.get("/res.partner", {"group_by": "parent_id", "sort": "-parent_id",
                                        "filter[id][in]": self.ja_ids()})
        expected = self.env["res.partner"].with_user(self.api_user).read_group(
            [("id", "in", (self.company | self.child1 | self.child2).ids)], ["__count"],
            ["parent_id"], orderby="parent_id desc", lazy=False)
        self.assertEqual(
            [((group["value"]["parent_id"] or {}).get("id"), group["count"])
             for group in doc["meta"]["groups"]],
            [(row["parent_id"] and str(row["parent_id"][0]) or None, row["__count"])
             for row in expected])

    def test_group_by_and_aggregates_odoo_refuses(self):
        for params, parameter in (
                ({"group_by": "create_date:fortnight"}, "group_by"),
                ({"group_by": "name:month"}, "group_by"),
                ({"group_by": "name,name"}, "group_by"),
                ({"group_by": "name", "aggregates": "color:bool_and"}, "aggregates"),
                ({"group_by": "name", "aggregates": "color:recordset"}, "aggregates"),
                ({"group_by": "name", "aggregates": "color:sum,color:max"}, "aggregates")):
            with self.subTest(**params):
                self.assertParameterError(params, parameter)

    def test_group_by_a_number_keeps_its_value_apart_from_the_aggregates(self):
        self.child1.color = 3
        self.child2.color = 3
        doc = self.get("/res.partner", {"group_by": "color", "aggregates": "color:sum",
                                        "filter[id][in]": f"{self.child1.id},{self.child2.id}"})
        self.assertEqual([(group["value"]["color"], group["count"], group["aggregates"])
                          for group in doc["meta"]["groups"]], [(3, 2, {"color": 6})])
        doc = self.get("/res.partner", {"group_by": "id,parent_id",
                                        "filter[id][in]": str(self.child1.id)})
        self.assertEqual(doc["meta"]["groups"][0]["value"], {
            "id": {"type": "res-partner", "id": str(self.child1.id),
                   "display_name": self.child1.display_name},
            "parent_id": {"type": "res-partner", "id": str(self.company.id),
                          "display_name": self.company.display_name}})

    def test_filter_values_odoo_cannot_compare(self):
        for text in ("[('color', '=', 'blue')]",              # int() in the ORM
                     "[('create_date', '>', 'yesterday')]",   # PostgreSQL's datetime input
                     "[('create_date', '<', False)]",
                     "[('id', '=', 99999999999)]",            # beyond int4
                     "[('parent_id', '=', 1.5)]",
                     "[('name', 'child_of', 'x')]",            # KeyError in the ORM
                     "[('name', 'in', 'JA')]",
                     "[('name', '=', ['JA'])]",
                     "[('child_ids', 'in', [False])]",
                     "[('parent_id', 'in', [1, 'JA'])]",
                     "[('is_company', '=like', 'x')]",
                     "[('is_company', '=', 'maybe')]",
                     "[('partner_latitude', '<', 1e400)]",
                     "[('partner_latitude', '>', 1.7e308)]",   # rounded to 7 digits
                     "[('parent_id.name', '=', 'a\\x00b')]"):
            with self.subTest(text):
                self.assertParameterError({"filter": text}, "filter")
        # no hierarchy on countries (KeyError in the ORM); a search method wanting strings
        self.assertParameterError({"filter": "[('country_id', 'child_of', 1)]"}, "filter")
        self.assertParameterError({"filter": "[('full_name', 'in', [1, 2])]"}, "filter",
                                  path="/res.groups")

    def test_filter_a_search_method_fails_on(self):
        # A value every check lets through, which the search method of res.groups'
        # computed full_name cannot take (it iterates over it): still a 400 on filter.
        error = self.assertParameterError({"filter": "[('full_name', '=', None)]"}, "filter",
                                          path="/res.groups")
        self.assertIn("Odoo cannot run this query", error["detail"])

    def test_filter_shorthand_values_odoo_cannot_compare(self):
        for key, value in (("filter[create_date]", "soon"),
                           ("filter[create_date][gt]", "2024-02-30"),
                           ("filter[id]", "99999999999"),
                           ("filter[partner_latitude]", "nan"),
                           ("filter[parent_id.is_company]", "maybe"),
                           ("filter[name]", "a\x00b"),
                           ("filter[name][any]", "x")):
            with self.subTest(key):
                self.assertParameterError({key: value}, key)

    def test_datetimes_in_any_iso_form_compare_in_utc(self):
        moment = self.company.create_date
        shifted = (moment + timedelta(hours=2)).isoformat() + "+02:00"
        domain = [("name", "=like", "JA %"), ("create_date", ">=", moment)]
        expected = sorted(self.env["res.partner"].with_user(self.api_user).search(domain).ids)
        self.assertTrue(expected)
        for params in ({"filter": f"[('name', '=like', 'JA %'), ('create_date', '>=', "
                                  f"'{shifted}')]"},
                       {"filter[name][like]": "JA ", "filter[create_date][ge]": shifted},
                       {"filter[name][like]": "JA ",
                        "filter[create_date][ge]": fields.Datetime.to_string(moment)}):
            with self.subTest(**params):
                doc = self.get("/res.partner", dict(params, **{"page[size]": 100}))
                self.assertEqual(sorted(self.ids(doc)), expected)
        doc = self.get("/res.partner", {"filter[name][like]": "JA ", "filter[create_date][gt]":
                                        (moment + timedelta(seconds=1)).isoformat() + "Z"})
        self.assertEqual(doc["data"], [])

    def test_pages_beyond_integer_columns(self):
        for key in ("page[offset]", "page[after]", "page[number]"):
            with self.subTest(key):
                self.assertParameterError({key: str(2**31)}, key)
            with self.subTest(key, huge=True):
                self.assertParameterError({key: str(10**30)}, key)

    def test_nul_characters(self):
        self.assertParameterError({"filter[name]": "JA\x00"}, "filter[name]")
        self.assertParameterError({"sort\x00": "name"}, "sort\x00")

    def test_resource_ids_in_paths(self):
        for raw in ("²", "2147483648", "99999999999999999999"):
            with self.subTest(raw):
                self.assertError(self.jsonapi("GET", f"/res.partner/{raw}"), 404)
