import time

from graphql import get_introspection_query

from odoo.tests import tagged
from odoo.tools import mute_logger

from ..tools.schema_builder import type_name_of
from .common import GRAPHQL_RESPONSE, GraphQLHttpCase

ACCEPT_GRAPHQL = {"Accept": GRAPHQL_RESPONSE}


@tagged("post_install", "-at_install")
class TestGraphQLErrors(GraphQLHttpCase):

    @classmethod
    def _api_values(cls):
        return {"graphql_max_depth": 3, "graphql_max_complexity": 8}

    def test_g20_depth_limit_before_sql(self):
        deep = "{ ResPartner { parent_id { parent_id { parent_id { name } } } } }"
        shallow = "{ __typename }"
        self.graphql_data(shallow)  # warm the schema cache
        baseline, _response = self.count_queries(lambda: self.graphql(shallow))
        queries, response = self.count_queries(lambda: self.graphql(deep))
        self.assertStatus(response, 200)
        body = response.json()
        self.assertNotIn("data", body)
        self.assertEqual(body["errors"][0]["extensions"]["code"], "query_too_deep")
        self.assertIn("3", body["errors"][0]["message"])
        self.assertLessEqual(queries, baseline, "the rejected query ran SQL")

    def test_g20_complexity_limit_before_sql(self):
        query = "{ ResPartner { a: name b: name c: name d: name ...F } } " \
                "fragment F on ResPartner { e: name f: name g: name h: name }"
        allowed = "{ ResPartner(limit: 1) { a: name b: name ...G } } " \
                  "fragment G on ResPartner { country_id { name } }"
        shallow = "{ __typename }"
        self.graphql_data(shallow)  # warm the schema cache
        baseline, _response = self.count_queries(lambda: self.graphql(shallow))
        served, _response = self.count_queries(lambda: self.graphql_data(allowed))
        self.assertGreater(served, baseline, "the query within the limits ran no SQL")
        queries, response = self.count_queries(
            lambda: self.graphql(query, headers=ACCEPT_GRAPHQL))
        self.assertStatus(response, 400)
        body = response.json()
        self.assertNotIn("data", body)
        self.assertEqual(body["errors"][0]["extensions"]["code"], "query_too_complex")
        self.assertIn("8", body["errors"][0]["message"])
        self.assertLessEqual(queries, baseline, "the rejected query ran SQL")

    def test_g20_introspection_counts_towards_the_limits(self):
        # 9 fields, where the API allows 8
        body = self.graphql_errors(
            "{ __schema { types { name kind fields { type { ofType { ofType { name } } } } } } }",
            headers=ACCEPT_GRAPHQL, status=400)
        self.assertEqual(body["errors"][0]["extensions"]["code"], "query_too_complex")
        # deeper than the API's 3 levels, within introspection's own 15
        data = self.graphql_data(
            '{ __type(name: "ResPartner") { fields { type { ofType { name } } } } }')
        self.assertTrue(data["__type"]["fields"])
        # a bare __typename is free, an aliased one is not
        self.graphql_data("{ __typename ResPartner(limit: 1) { __typename a: name b: name "
                          "c: name d: name e: name f: name g: name } }")
        body = self.graphql_errors("{ ResPartner(limit: 1) { a: __typename b: name c: name "
                                   "d: name e: name f: name g: name h: name } }")
        self.assertEqual(body["errors"][0]["extensions"]["code"], "query_too_complex")

    def test_g21_syntax_error(self):
        body = self.graphql_errors("{ ResPartner { id }", headers=ACCEPT_GRAPHQL, status=400)
        error = body["errors"][0]
        self.assertEqual(error["extensions"]["code"], "graphql_parse_failed")
        self.assertEqual(error["locations"], [{"line": 1, "column": 20}])
        self.assertNotIn("data", body)
        # the legacy media type answers request errors with 200
        self.graphql_errors("{ ResPartner { id }", status=200)

    def test_g21_unknown_field(self):
        body = self.graphql_errors("{ ResPartner { id no_such_field } }",
                                   headers=ACCEPT_GRAPHQL, status=400)
        error = body["errors"][0]
        self.assertIn("no_such_field", error["message"])
        self.assertEqual(error["locations"], [{"line": 1, "column": 19}])
        self.assertEqual(error["extensions"]["code"], "graphql_validation_failed")

    def test_g21_variable_of_wrong_type(self):
        query = "query Q($limit: Int) { ResPartner(limit: $limit) { id } }"
        body = self.graphql_errors(query, {"limit": "ten"}, headers=ACCEPT_GRAPHQL,
                                   status=400)
        error = body["errors"][0]
        self.assertEqual(error["extensions"]["code"], "bad_user_input")
        self.assertEqual(error["locations"], [{"line": 1, "column": 9}])
        self.graphql_errors(query, {"limit": "ten"}, status=200)

    def test_field_error_has_path(self):
        query = '{ ok: ResPartnerCount bad: ResPartner(order: "no_such_field") { id } }'
        response = self.graphql(query)
        self.assertStatus(response, 200)
        body = response.json()
        self.assertIsNone(body["data"])
        self.assertEqual(body["errors"][0]["path"], ["bad"])
        self.assertEqual(body["errors"][0]["extensions"]["code"], "invalid_order")

    def test_not_well_formed_requests(self):
        response = self.api_call("POST", "/gql", raw="{not json",
                                 headers={"x-api-key": self.api_key,
                                          "Content-Type": "application/json"})
        self.assertStatus(response, 400)
        self.assertEqual(response.json()["errors"][0]["extensions"]["code"], "invalid_json")
        response = self.api_call("POST", "/gql", body={"variables": {}},
                                 headers={"x-api-key": self.api_key})
        self.assertStatus(response, 400)
        self.assertEqual(response.json()["errors"][0]["extensions"]["code"], "missing_query")

    def test_mutation_with_get_is_refused(self):
        response = self.graphql("mutation { deleteResPartner(id: 1) }", method="GET")
        self.assertStatus(response, 405)
        self.assertEqual(response.headers["Allow"], "POST")
        self.assertTrue(self.env["res.partner"].browse(1).exists())

    def test_unauthenticated(self):
        response = self.api_call("POST", "/gql", body={"query": "{ __typename }"})
        self.assertStatus(response, 401)
        self.assertIn("WWW-Authenticate", response.headers)
        self.assertEqual(response.json()["errors"][0]["extensions"]["code"],
                         "missing_credentials")


@tagged("post_install", "-at_install")
class TestGraphQLCustomMode(GraphQLHttpCase):
    """A custom-mode API serves its allowed models only, and may hide its schema."""

    endpoint = "gqlc"

    @classmethod
    def _api_values(cls):
        model = cls.env["ir.model"]._get
        partner_fields = cls.env["ir.model.fields"].search([
            ("model", "=", "res.partner"),
            ("name", "in", ["name", "country_id", "is_company"])])
        return {"access_mode": "custom", "graphql_introspection": False, "access_ids": [
            (0, 0, {"model_id": model("res.partner").id, "field_ids": [(6, 0,
                    partner_fields.ids)], "domain": "[('is_company', '=', True)]"}),
            (0, 0, {"model_id": model("res.country").id}),
        ]}

    def test_g06_schema_holds_allowed_models_only(self):
        schema = self.api._api_graphql_schema()
        self.assertEqual({name for name in schema.type_map if not name.startswith("__")} - {
            "String", "Int", "Float", "Boolean", "ID", "Any", "Date", "DateTime",
            "Query", "Mutation"},
            {"ResPartner", "ResPartnerInput", "ResPartnerPage", "ResCountry",
             "ResCountryInput", "ResCountryPage"})
        self.assertEqual(set(schema.type_map["ResPartner"].fields),
                         {"id", "name", "is_company", "country_id", "country_id__ids"})

    def test_introspection_switch(self):
        body = self.graphql_errors("{ __schema { types { name } } }")
        self.assertIn("introspection", body["errors"][0]["message"].lower())
        self.api.graphql_introspection = True
        data = self.graphql_data("{ __schema { types { name } } }")
        names = {item["name"] for item in data["__schema"]["types"]}
        self.assertIn("ResCountry", names)
        self.assertNotIn("ResPartnerCategory", names)

    def test_access_domain_and_fields(self):
        company = self.env["res.partner"].create({"name": "GQL Co", "is_company": True})
        person = self.env["res.partner"].create({"name": "GQL Person"})
        data = self.graphql_data("{ ResPartner(ids: [%d, %d]) { id } }"
                                 % (company.id, person.id))
        self.assertEqual(data["ResPartner"], [{"id": company.id}])
        body = self.graphql_errors('{ ResPartner(domain: [["email", "=", "x"]]) { id } }')
        self.assertEqual(body["errors"][0]["extensions"]["code"], "field_not_allowed")

    def test_no_suggestions_without_introspection(self):
        # "Did you mean 'name'?" would spell out the schema introspection hides
        body = self.graphql_errors("{ ResPartner { nam } }")
        message = body["errors"][0]["message"]
        self.assertIn("nam", message)
        self.assertNotIn("Did you mean", message)
        self.api.graphql_introspection = True
        body = self.graphql_errors("{ ResPartner { nam } }")
        self.assertIn("Did you mean", body["errors"][0]["message"])

    def test_paths_through_other_models_checked_whole(self):
        # country_id is served, but res.country's fields lie outside the first segment
        data = self.graphql_data('{ ResPartner(domain: [["country_id.code", "=", "BE"]]) '
                                 '{ id } }')
        self.assertIsInstance(data["ResPartner"], list)
        body = self.graphql_errors('{ ResPartner(domain: [["country_id.state_ids.name", '
                                   '"=", "x"]]) { id } }')
        self.assertEqual(body["errors"][0]["extensions"]["code"], "field_not_allowed")
        body = self.graphql_errors(
            '{ ResPartner(domain: [["country_id", "any", [["state_ids.name", "=", "x"]]]]) '
            '{ id } }')
        self.assertEqual(body["errors"][0]["extensions"]["code"], "field_not_allowed")
        body = self.graphql_errors('{ ResPartner(order: "country_id.state_ids") { id } }')
        self.assertEqual(body["errors"][0]["extensions"]["code"], "field_not_allowed")


@tagged("post_install", "-at_install")
class TestGraphQLHostileInput(GraphQLHttpCase):
    """Requests built to exhaust the server get a GraphQL error, never a 500."""

    endpoint = "gqlh"

    def test_deeply_nested_query(self):
        query = "{ ResPartner " + "{ parent_id " * 2000 + "{ id }" + " }" * 2001
        body = self.graphql_errors(query, headers=ACCEPT_GRAPHQL, status=400)
        self.assertEqual(body["errors"][0]["extensions"]["code"], "graphql_parse_failed")

    def test_deeply_nested_variables(self):
        query = "query Q($d: [[Any]]) { ResPartnerCount(domain: $d) }"
        deep = ["id", "in", [1]]
        for _level in range(200):
            deep = [deep]
        response = self.graphql(query, {"d": deep})
        self.assertStatus(response, 400)
        self.assertEqual(response.json()["errors"][0]["extensions"]["code"], "invalid_json")
        response = self.graphql(query, {"d": deep}, method="GET")
        self.assertStatus(response, 400)

    def test_orders_the_orm_refuses(self):
        cases = {
            "many2many": '{ ResPartner(order: "category_id") { id } }',
            "one2many": '{ ResPartner(order: "child_ids desc") { id } }',
            "direction": '{ ResPartner(order: "name sideways") { id } }',
            "nulls": '{ ResPartner(order: "name desc nulls") { id } }',
            "x2many argument": '{ ResPartner(limit: 1) { child_ids(order: "category_id") '
                               "{ id } } }",
        }
        for case, query in cases.items():
            with self.subTest(case=case):
                body = self.graphql_errors(query)
                self.assertIsNone(body["data"])
                self.assertEqual(body["errors"][0]["extensions"]["code"], "invalid_order")
                self.assertEqual(body["errors"][0]["extensions"]["status"], 400)
        data = self.graphql_data('{ ResPartner(order: "parent_id desc nulls last, id", '
                                 "limit: 2) { id } }")
        self.assertEqual([row["id"] for row in data["ResPartner"]], self.user_env[
            "res.partner"].search([], order="parent_id desc nulls last, id", limit=2).ids)

    @mute_logger("odoo.sql_db")
    def test_domain_values_the_database_refuses(self):
        body = self.graphql_errors('{ ResPartner(domain: [["name", "=", "a\\u0000"]]) '
                                   "{ id } }")
        self.assertEqual(body["errors"][0]["extensions"]["code"], "invalid_arguments")
        # PostgreSQL fails the transaction: the fields after it are not reported
        body = self.graphql_errors(
            '{ a: ResPartnerCount b: ResPartner(domain: [["id", "in", [["x"]]]]) { id } '
            'c: ResPartnerCount d: ResPartnerPage(domain: [["category_id", "in", [["x"]]]]) '
            "{ total } }")
        self.assertIsNone(body["data"])
        self.assertEqual([(error["path"], error["extensions"]["code"],
                           error["extensions"]["status"]) for error in body["errors"]],
                         [(["b"], "invalid_arguments", 400)])

    def test_credential_models_left_out(self):
        types = self.api._api_graphql_schema().type_map
        self.assertIn("ResPartner", types)
        for model_name in self.api._api_denied_models():
            self.assertNotIn(type_name_of(model_name), types, model_name)
        self.assertIn("api.key", self.api._api_denied_models())


@tagged("post_install", "-at_install")
class TestGraphQLIntrospectionLimits(GraphQLHttpCase):
    """Introspection and alias bombs are refused before they run, under the default
    limits, while the introspection query of GraphiQL passes them."""

    endpoint = "gqli"

    def assertRefusedBeforeSql(self, query, code):
        shallow = "{ __typename }"
        self.graphql_data(shallow)  # warm the schema cache
        baseline, _response = self.count_queries(lambda: self.graphql(shallow))
        started = time.perf_counter()
        queries, response = self.count_queries(
            lambda: self.graphql(query, headers=ACCEPT_GRAPHQL))
        self.assertLess(time.perf_counter() - started, 5)
        self.assertStatus(response, 400)
        body = response.json()
        self.assertNotIn("data", body)
        self.assertEqual(body["errors"][0]["extensions"]["code"], code)
        self.assertLessEqual(queries, baseline, "the rejected query ran SQL")
        return body["errors"][0]["message"]

    def test_default_limits(self):
        self.assertEqual((self.api.graphql_max_depth, self.api.graphql_max_complexity),
                         (10, 1000))

    def test_graphiql_introspection_query_passes(self):
        for query in (get_introspection_query(),
                      # what GraphiQL 3 sends
                      get_introspection_query(descriptions=True, input_value_deprecation=True,
                                              schema_description=True)):
            data = self.graphql_data(query)
            self.assertIn("ResPartner", {item["name"] for item in data["__schema"]["types"]})

    def test_deep_introspection_refused(self):
        query = "{ __schema { types { fields { type { fields { type { fields { type { " \
                "fields { type { fields { name } } } } } } } } } } } }"
        message = self.assertRefusedBeforeSql(query, "query_too_deep")
        self.assertIn("introspection", message.lower())
        # the members of the members' types, even from __type
        self.assertRefusedBeforeSql(
            '{ __type(name: "Query") { fields { type { fields { name } } } } }',
            "query_too_deep")
        # a chain of type references deeper than GraphiQL's
        query = "{ __schema { types { fields { type { name %s } } } } }" % (
            "ofType { " * 12 + "name" + " }" * 12)
        self.assertIn("15", self.assertRefusedBeforeSql(query, "query_too_deep"))

    def test_introspection_alias_bomb_refused(self):
        aliases = " ".join(f"a{i}: __schema {{ types {{ name fields {{ name }} }} }}"
                           for i in range(50))
        self.assertRefusedBeforeSql("{ %s }" % aliases, "query_too_complex")
        types = " ".join(f'a{i}: __type(name: "ResPartner") {{ name }}' for i in range(11))
        self.assertRefusedBeforeSql("{ %s }" % types, "query_too_complex")
        self.api.graphql_max_complexity = 20
        message = self.assertRefusedBeforeSql("{ %s }" % aliases, "query_too_complex")
        self.assertIn("20", message)

    def test_alias_bombs_refused(self):
        # graphql-core compares every pair of fields of one response name: the limits
        # must refuse these before its validation runs
        self.assertRefusedBeforeSql("{ %s }" % (" __typename" * 5000), "query_too_complex")
        self.assertRefusedBeforeSql("{ %s }" % (" ResPartnerCount" * 5000),
                                    "query_too_complex")
        aliases = " ".join(f"a{i}: ResPartnerCount" for i in range(1001))
        self.assertRefusedBeforeSql("{ %s }" % aliases, "query_too_complex")

    def test_fragments_measured_once(self):
        # 2^40 fields once expanded
        fragments = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}"
                             for i in range(40))
        query = "{ ...F0 } %s fragment F40 on Query { ResPartnerCount }" % fragments
        self.assertRefusedBeforeSql(query, "query_too_complex")
        query = "{ ...F0 } %s fragment F40 on Query { __typename }" % fragments
        self.assertRefusedBeforeSql(query, "query_too_complex")
        # a cycle is validation's to report
        query = "{ ...F0 } %s fragment F40 on Query { ...F0 }" % fragments
        body = self.graphql_errors(query, headers=ACCEPT_GRAPHQL, status=400)
        self.assertEqual(body["errors"][0]["extensions"]["code"], "graphql_validation_failed")
