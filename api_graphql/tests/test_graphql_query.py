from graphql import build_client_schema, get_introspection_query, print_schema

from odoo.tests import tagged

from ..tools.schema_builder import type_name_of
from .common import GRAPHQL_RESPONSE, GraphQLHttpCase

G01 = """
query Q($offset: Int, $limit: Int, $order: String, $domain: [[Any]]) {
  ResPartner(offset: $offset, limit: $limit, order: $order, domain: $domain) {
    id name email is_company country_id { name code } parent_id { name }
  }
}"""


@tagged("post_install", "-at_install")
class TestGraphQLQuery(GraphQLHttpCase):

    @classmethod
    def _setup_records(cls):
        super()._setup_records()
        Partner = cls.env["res.partner"]
        cls.belgium = cls.env.ref("base.be")
        cls.company = Partner.create({
            "name": "GQL Holding", "is_company": True, "country_id": cls.belgium.id,
            "email": "holding@example.com"})
        cls.contact = Partner.create({"name": "GQL Contact", "parent_id": cls.company.id})

    def test_g01_search_matches_odoo(self):
        variables = {"offset": 0, "limit": 6, "order": "name, id desc",
                     "domain": [["is_company", "=", True]]}
        data = self.graphql_data(G01, variables)
        expected = self.user_env["res.partner"].search(
            [("is_company", "=", True)], offset=0, limit=6, order="name, id desc")
        self.assertEqual([row["id"] for row in data["ResPartner"]], expected.ids)
        for row, partner in zip(data["ResPartner"], expected, strict=True):
            self.assertEqual(row["name"], partner.name)
            self.assertEqual(row["email"], partner.email or None)
            self.assertIs(row["is_company"], True)
            if partner.country_id:
                self.assertEqual(row["country_id"], {"name": partner.country_id.name,
                                                     "code": partner.country_id.code})
            else:
                self.assertIsNone(row["country_id"])
            self.assertEqual(row["parent_id"], partner.parent_id and {
                "name": partner.parent_id.name} or None)

    def test_g01_nested_objects(self):
        data = self.graphql_data(G01, {"domain": [["id", "=", self.company.id]]})
        self.assertEqual(data["ResPartner"], [{
            "id": self.company.id, "name": "GQL Holding", "email": "holding@example.com",
            "is_company": True, "country_id": {"name": "Belgium", "code": "BE"},
            "parent_id": None}])

    def test_g02_by_id(self):
        data = self.graphql_data(f'{{ ResPartner(id: "{self.contact.id}") {{ id name }} }}')
        self.assertEqual(data["ResPartner"], [{"id": self.contact.id, "name": "GQL Contact"}])
        data = self.graphql_data(f'{{ ResPartner(ids: [{self.contact.id}]) {{ id }} }}')
        self.assertEqual(data["ResPartner"], [{"id": self.contact.id}])

    def test_g03_domain_operators(self):
        domain = ["&", "|", ["name", "=", "GQL Holding"], "!", ["email", "!=", False],
                  ["name", "like", "GQL"]]
        data = self.graphql_data(G01, {"domain": domain, "limit": 50, "order": "id"})
        odoo_domain = ["&", "|", ("name", "=", "GQL Holding"), "!", ("email", "!=", False),
                       ("name", "like", "GQL")]
        expected = self.user_env["res.partner"].search(odoo_domain, limit=50, order="id")
        self.assertEqual([row["id"] for row in data["ResPartner"]], expected.ids)
        self.assertEqual(set(expected.ids), {self.company.id, self.contact.id})

    def test_g04_aliases_fragments_directives(self):
        query = """
        query Two($flag: Boolean!, $other: Boolean!) {
          holding: ResPartner(id: %d) { ...Names email @include(if: $flag) }
          contact: ResPartner(id: %d) { ...Names email @include(if: $other)
                                        ... on ResPartner { parent_id { name } } }
        }
        fragment Names on ResPartner { id label: name }
        """ % (self.company.id, self.contact.id)
        data = self.graphql_data(query, {"flag": True, "other": False})
        self.assertEqual(data["holding"], [{"id": self.company.id, "label": "GQL Holding",
                                            "email": "holding@example.com"}])
        self.assertEqual(data["contact"], [{"id": self.contact.id, "label": "GQL Contact",
                                            "parent_id": {"name": "GQL Holding"}}])

    def test_g04_operation_name(self):
        query = """
        query A { ResPartner(id: %d) { name } }
        query B { ResPartnerCount(domain: [["id", "=", %d]]) }
        """ % (self.company.id, self.company.id)
        self.assertEqual(self.graphql_data(query, operation_name="B"), {"ResPartnerCount": 1})
        self.assertEqual(self.graphql_data(query, operation_name="A"),
                         {"ResPartner": [{"name": "GQL Holding"}]})
        body = self.graphql_errors(query)
        self.assertEqual(body["errors"][0]["extensions"]["code"], "operation_not_found")

    def test_g05_paging(self):
        query = """query P($domain: [[Any]]) {
          ResPartnerPage(domain: $domain, limit: 2, offset: 1, order: "id") {
            total offset limit hasNextPage records { id }
          }
          ResPartnerCount(domain: $domain)
        }"""
        domain = [["is_company", "=", True]]
        data = self.graphql_data(query, {"domain": domain})
        Partner = self.user_env["res.partner"]
        total = Partner.search_count([("is_company", "=", True)])
        page = data["ResPartnerPage"]
        self.assertEqual(page["total"], total)
        self.assertEqual(data["ResPartnerCount"], total)
        self.assertEqual((page["offset"], page["limit"]), (1, 2))
        self.assertEqual(page["hasNextPage"], total > 3)
        self.assertEqual([row["id"] for row in page["records"]],
                         Partner.search([("is_company", "=", True)], offset=1, limit=2,
                                        order="id").ids)
        last = self.graphql_data(query.replace("offset: 1", f"offset: {total - 1}"),
                                 {"domain": domain})["ResPartnerPage"]
        self.assertFalse(last["hasNextPage"])
        self.assertEqual(last["total"], total)

    def test_paging_bounds_every_paged_field(self):
        # Odoo reads limit=0 as no limit at all: it would bypass the maximum page size
        self.api.write({"page_size_default": 3, "page_size_max": 5})
        us = '(domain: [["code", "=", "US"]])'
        queries = {
            "list": ("{ ResCountryState(%s) { id } }", lambda data: data["ResCountryState"]),
            "ids": ("{ ResCountryState(%s) }", lambda data: data["ResCountryState"]),
            "page": ("{ ResCountryStatePage(%s) { total records { id } } }",
                     lambda data: data["ResCountryStatePage"]["records"]),
            "x2many": ("{ ResCountry%s { state_ids(%%s) { id } } }" % us,
                       lambda data: data["ResCountry"][0]["state_ids"]),
            "x2many ids": ("{ ResCountry%s { state_ids(%%s) } }" % us,
                           lambda data: data["ResCountry"][0]["state_ids"]),
        }
        for name, (query, rows) in queries.items():
            for arguments in ("limit: 0", "limit: -1", "limit: 6", "offset: -1"):
                with self.subTest(field=name, arguments=arguments):
                    body = self.graphql_errors(query % arguments)
                    self.assertIsNone(body["data"])
                    self.assertEqual(body["errors"][0]["extensions"]["code"],
                                     "invalid_paging")
            with self.subTest(field=name, arguments="limit: 5"):
                self.assertEqual(len(rows(self.graphql_data(query % "limit: 5, offset: 1"))),
                                 5)
        # without a limit: the default page size at the root, the whole relation below
        query, rows = queries["list"]
        self.assertEqual(len(rows(self.graphql_data(query % 'order: "id"'))), 3)
        query, rows = queries["x2many ids"]
        self.assertEqual(rows(self.graphql_data(query % 'order: "id"')),
                         self.env.ref("base.us").state_ids.sorted("id").ids)

    def test_relational_without_subfields_answers_ids(self):
        category = self.env["res.partner.category"].create({"name": "GQL tag"})
        self.company.category_id = category
        data = self.graphql_data(
            "{ ResPartner(id: %d) { parent_id country_id category_id child_ids "
            "kids: child_ids(limit: 1) { id } } }" % self.company.id)
        self.assertEqual(data["ResPartner"], [{
            "parent_id": None, "country_id": self.belgium.id, "category_id": category.ids,
            "child_ids": self.company.child_ids.ids,
            "kids": [{"id": self.company.child_ids[:1].id}]}])

    def test_x2many_arguments(self):
        Partner = self.env["res.partner"]
        children = Partner.create([{"name": f"GQL kid {i}", "parent_id": self.company.id}
                                   for i in range(3)])
        query = """{ ResPartner(id: %d) {
          child_ids(domain: [["name", "like", "GQL kid"]], order: "name desc", offset: 1,
                    limit: 1) { name } } }""" % self.company.id
        data = self.graphql_data(query)
        self.assertEqual(data["ResPartner"][0]["child_ids"], [{"name": children[1].name}])

    def test_g06_introspection(self):
        data = self.graphql_data(get_introspection_query(descriptions=True))
        client_schema = build_client_schema(data)
        self.assertEqual(client_schema.query_type.name, "Query")
        self.assertIn("createResPartner", client_schema.mutation_type.fields)
        names = set(client_schema.type_map)
        self.assertTrue({"ResPartner", "ResCountry", "ResPartnerInput", "ResPartnerPage",
                         "Any", "Query", "Mutation"} <= names)
        self.assertNotIn("ResUsersApikeys", names)
        self.assertNotIn("IrConfigParameter", names)
        readable = {
            type_name_of(name) for name, model in self.registry.items()
            if not model._abstract and not model._transient
            and name not in self.api._api_denied_models()
            and self.env[name].with_user(self.api_user).has_access("read")}
        served = {name for name in client_schema.query_type.fields
                  if f"{name}Count" in client_schema.query_type.fields}
        self.assertEqual(served, readable)
        self.assertIn("type ResPartner {", print_schema(self.api._api_graphql_schema()))

    def test_get_query(self):
        data = self.graphql("{ ResPartner(id: %d) { name } }" % self.company.id, method="GET")
        self.assertStatus(data, 200)
        self.assertEqual(data.json(), {"data": {"ResPartner": [{"name": "GQL Holding"}]}})

    def test_graphql_response_media_type(self):
        response = self.graphql("{ ResPartnerCount }", headers={
            "Accept": f"{GRAPHQL_RESPONSE}, application/json;q=0.9"})
        self.assertStatus(response, 200)
        self.assertEqual(response.headers["Content-Type"].split(";")[0], GRAPHQL_RESPONSE)
        response = self.graphql("{ ResPartnerCount }")
        self.assertEqual(response.headers["Content-Type"].split(";")[0], "application/json")

    def test_g23_queries_do_not_grow_with_records(self):
        Partner = self.env["res.partner"]
        categories = self.env["res.partner.category"].create(
            [{"name": f"GQL cat {i}"} for i in range(3)])
        countries = self.env["res.country"].search([], limit=5)
        companies = Partner.create([{
            "name": f"GQL N+1 {i:03d}", "is_company": True,
            "country_id": countries[i % 5].id,
            "child_ids": [(0, 0, {"name": f"GQL N+1 kid {i}-{j}",
                                  "category_id": [(6, 0, categories[j:j + 2].ids)]})
                          for j in range(2)],
        } for i in range(100)])
        query = """query N($ids: [ID!], $limit: Int) {
          ResPartner(ids: $ids, limit: $limit, order: "name") {
            name country_id { name } child_ids { name category_id { name } } } }"""

        def run(count):
            variables = {"ids": companies.ids, "limit": count}
            return self.count_queries(lambda: self.graphql_data(query, variables))

        run(10)  # warm the caches
        few, data = run(10)
        self.assertEqual(len(data["ResPartner"]), 10)
        many, data = run(100)
        self.assertEqual(len(data["ResPartner"]), 100)
        first = data["ResPartner"][0]
        self.assertEqual(first["country_id"], {"name": countries[0].name})
        self.assertEqual(len(first["child_ids"]), 2)
        self.assertEqual(len(first["child_ids"][0]["category_id"]), 2)
        self.assertEqual(few, many, "the SQL queries grow with the number of records")
