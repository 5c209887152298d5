"""The cached schema follows the models, the fields and the API's access at once."""

import gc
import types
import weakref

from odoo.api import Environment
from odoo.tests import tagged

from .common import GraphQLHttpCase

TYPE_FIELDS = """query T($name: String!) {
  __type(name: $name) { fields { name } inputFields { name } } }"""


class SchemaChangesCase(GraphQLHttpCase):

    def setUp(self):
        # runs last, after the rollback of the test: manual fields leave the registry
        self.addCleanup(self._reset_registry)
        super().setUp()

    def _reset_registry(self):
        self.registry.registry_invalidated = True
        self.registry.reset_changes()

    def served_fields(self, type_name):
        """Return the field names of ``type_name`` the API introspects, or None."""
        found = self.graphql_data(TYPE_FIELDS, {"name": type_name})["__type"]
        if found is None:
            return None
        return {field["name"] for field in found["fields"] or found["inputFields"]}

    def assertUnknownField(self, query, name):
        body = self.graphql_errors(query)
        self.assertEqual(body["errors"][0]["extensions"]["code"], "graphql_validation_failed")
        self.assertIn(name, body["errors"][0]["message"])


@tagged("post_install", "-at_install")
class TestGraphQLSchemaUserMode(SchemaChangesCase):

    endpoint = "gqlsu"

    def test_new_field_enters_schema_and_leaves_with_it(self):
        partner = self.env["res.partner"].create({"name": "GQL ranked"})
        query = "{ ResPartner(id: %d) { x_gql_rank } }" % partner.id
        self.assertNotIn("x_gql_rank", self.served_fields("ResPartner"))  # schema cached
        self.assertUnknownField(query, "x_gql_rank")
        field = self.env["ir.model.fields"].create({
            "model_id": self.env["ir.model"]._get("res.partner").id, "name": "x_gql_rank",
            "field_description": "GQL rank", "ttype": "integer", "state": "manual"})
        self.assertIn("x_gql_rank", self.served_fields("ResPartner"))
        self.assertIn("x_gql_rank", self.served_fields("ResPartnerInput"))
        data = self.graphql_data("mutation { updateResPartner(id: %d, values: {x_gql_rank: 7})"
                                 " { x_gql_rank } }" % partner.id)
        self.assertEqual(data, {"updateResPartner": {"x_gql_rank": 7}})
        self.assertEqual(partner.x_gql_rank, 7)
        self.assertEqual(self.graphql_data(query), {"ResPartner": [{"x_gql_rank": 7}]})
        field.unlink()
        self.assertNotIn("x_gql_rank", self.served_fields("ResPartner"))
        self.assertUnknownField(query, "x_gql_rank")

    def test_replaced_schema_is_freed(self):
        self.assertIn("name", self.served_fields("ResPartner"))  # documents cached
        old = weakref.ref(self.api._api_graphql_schema())
        self.registry.clear_cache()
        self.assertIn("name", self.served_fields("ResPartner"))
        self.assertIsNot(self.api._api_graphql_schema(), old())
        gc.collect()
        self.assertIsNone(old(), "the replaced schema stays in memory")

    def test_schema_keeps_no_environment(self):
        # an environment would keep the record cache of the request that built the schema
        # (what the schema holds itself: neither classes nor the globals of functions)
        stack, seen = [self.api._api_graphql_schema()], set()
        while stack:
            item = stack.pop()
            if id(item) in seen or isinstance(item, (type, types.ModuleType)):
                continue
            seen.add(id(item))
            self.assertNotIsInstance(item, Environment)
            if isinstance(item, types.FunctionType):
                stack.extend([*(item.__closure__ or ()), *(item.__defaults__ or ()),
                              *(item.__kwdefaults__ or {}).values()])
            else:
                stack.extend(gc.get_referents(item))

    def test_model_the_user_cannot_read_leaves_schema(self):
        settings = self.env.ref("base.group_system")
        query = "{ DecimalPrecisionCount }"
        self.assertIsNone(self.served_fields("DecimalPrecision"))  # schema cached
        self.api_user.write({"groups_id": [(4, settings.id)]})
        self.assertIn("digits", self.served_fields("DecimalPrecision"))
        self.assertEqual(self.graphql_data(query), {
            "DecimalPrecisionCount": self.env["decimal.precision"].search_count([])})
        self.api_user.write({"groups_id": [(3, settings.id)]})
        self.assertFalse(self.user_env["decimal.precision"].has_access("read"))
        self.assertIsNone(self.served_fields("DecimalPrecision"))
        self.assertUnknownField(query, "DecimalPrecisionCount")

    def test_field_of_groups_the_user_lacks_left_out(self):
        # as if declared with groups="base.group_system" (manual fields take no groups)
        settings = self.env.ref("base.group_system")
        self.patch(self.env["res.partner"]._fields["ref"], "groups", "base.group_system")
        self.registry.clear_cache()
        self.addCleanup(self.registry.clear_cache)
        partner = self.env["res.partner"].create({"name": "GQL secret", "ref": "S-1"})
        self.assertNotIn("ref", self.user_env["res.partner"].fields_get())
        query = "{ ResPartner(id: %d) { ref } }" % partner.id
        self.assertNotIn("ref", self.served_fields("ResPartner"))
        self.assertNotIn("ref", self.served_fields("ResPartnerInput"))
        self.assertIn("name", self.served_fields("ResPartnerInput"))
        self.assertUnknownField(query, "ref")
        self.assertUnknownField('mutation { updateResPartner(id: %d, values: {ref: "x"}) '
                                "{ id } }" % partner.id, "ref")
        # nor in the schema of the API's users as a whole, which documentation shows
        self.assertNotIn("ref", self.api._api_graphql_schema().type_map["ResPartner"].fields)
        self.api_user.write({"groups_id": [(4, settings.id)]})
        self.assertIn("ref", self.served_fields("ResPartner"))
        self.assertIn("ref", self.served_fields("ResPartnerInput"))
        self.assertEqual(self.graphql_data(query), {"ResPartner": [{"ref": "S-1"}]})


@tagged("post_install", "-at_install")
class TestGraphQLSchemaAllowList(SchemaChangesCase):

    endpoint = "gqlsa"

    @classmethod
    def _api_values(cls):
        model = cls.env["ir.model"]._get
        return {"access_mode": "custom", "access_ids": [
            (0, 0, {"model_id": model("res.partner").id,
                    "field_ids": [(6, 0, cls._field_ids("name", "country_id"))]}),
            (0, 0, {"model_id": model("res.country").id}),
        ]}

    @classmethod
    def _field_ids(cls, *names):
        return cls.env["ir.model.fields"].search(
            [("model", "=", "res.partner"), ("name", "in", names)]).ids

    def setUp(self):
        super().setUp()
        self.partner_rule = self.api.access_ids.filtered(
            lambda rule: rule.model_id.model == "res.partner")
        self.partner = self.env["res.partner"].create(
            {"name": "GQL allowed", "email": "allowed@example.com",
             "country_id": self.env.ref("base.be").id})

    def test_field_added_and_removed(self):
        query = "{ ResPartner(id: %d) { name email } }" % self.partner.id
        self.assertEqual(self.served_fields("ResPartner"),
                         {"id", "name", "country_id", "country_id__ids"})
        self.assertUnknownField(query, "email")
        self.partner_rule.field_ids = [(4, self._field_ids("email")[0])]
        self.assertIn("email", self.served_fields("ResPartner"))
        self.assertEqual(self.graphql_data(query), {"ResPartner": [
            {"name": "GQL allowed", "email": "allowed@example.com"}]})
        self.partner_rule.field_ids = [(3, self._field_ids("email")[0])]
        self.assertNotIn("email", self.served_fields("ResPartner"))
        self.assertUnknownField(query, "email")

    def test_model_added_and_removed(self):
        self.assertIsNone(self.served_fields("ResPartnerCategory"))
        self.assertUnknownField("{ ResPartnerCategoryCount }", "ResPartnerCategoryCount")
        rule = self.env["api.access"].create({
            "api_id": self.api.id,
            "model_id": self.env["ir.model"]._get("res.partner.category").id})
        self.assertIn("name", self.served_fields("ResPartnerCategory"))
        self.assertEqual(self.graphql_data("{ ResPartnerCategoryCount }"), {
            "ResPartnerCategoryCount": self.env["res.partner.category"].search_count([])})
        rule.unlink()
        self.assertIsNone(self.served_fields("ResPartnerCategory"))
        # a relation to a model that leaves the allow-list leaves with it
        self.env["api.access"].search([("api_id", "=", self.api.id),
                                       ("model_id.model", "=", "res.country")]).unlink()
        self.assertIsNone(self.served_fields("ResCountry"))
        self.assertEqual(self.served_fields("ResPartner"), {"id", "name"})
        self.assertUnknownField("{ ResPartner(id: %d) { country_id } }" % self.partner.id,
                                "country_id")
