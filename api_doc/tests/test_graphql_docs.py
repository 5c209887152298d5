import json

from odoo.tests import tagged

from .common import ApiDocCase
from .test_browser import BROWSER_CODE

# GraphiQL's documentation explorer lists the root query fields of the loaded schema.
GRAPHIQL_EXPLORER = """
        await waitFor("the explorer button", () => document.querySelector(
            "[aria-label='Show Documentation Explorer']"));
        document.querySelector("[aria-label='Show Documentation Explorer']").click();
        await waitFor("the query type", () => document.querySelector(
            ".graphiql-doc-explorer-type-name"));
        document.querySelector(".graphiql-doc-explorer-type-name").click();
        await waitFor("the models", () => document.querySelector(
            ".graphiql-doc-explorer").innerText.includes("ResPartner"));
        if (document.querySelector(".graphiql-doc-explorer").innerText.includes("ResUsers")) {
            throw new Error("ResUsers is shown but the API does not allow it");
        }
"""


@tagged("post_install", "-at_install")
class TestGraphqlDocs(ApiDocCase):
    """GraphiQL, SDL and Postman for a GraphQL API (needs api_graphql)."""

    @classmethod
    def _setup_records(cls):
        super()._setup_records()
        if "graphql" not in dict(cls.env["api.api"]._fields["protocol"].selection):
            cls.gql_api = None
            return
        cls.gql_api = cls.create_api(
            "gql-doc", "graphql", "apikey", access_mode="custom",
            access_ids=[(0, 0, {"model_id": cls.model_id("res.partner")})])
        cls.gql_key = cls.env["api.key"]._generate(cls.gql_api, cls.api_user, "gql")

    def setUp(self):
        super().setUp()
        if not self.gql_api:
            self.skipTest("needs api_graphql")

    def test_schema_graphql_is_the_sdl_of_the_allowed_models(self):
        response = self.get_doc("schema.graphql", endpoint="gql-doc", key=self.gql_key)
        self.assertIn("application/graphql", response.headers["Content-Type"])
        self.assertIn("type ResPartner", response.text)
        self.assertNotIn("type ResUsers ", response.text)
        self.get_doc("openapi.json", endpoint="gql-doc", key=self.gql_key, status=404)
        self.assertStatus(self.api_call("GET", "/gql-doc/docs"), 404)

    def test_schema_graphql_is_the_schema_served_to_the_caller(self):
        from graphql import print_schema

        response = self.get_doc("schema.graphql", endpoint="gql-doc", key=self.gql_key)
        self.assertEqual(response.text,
                         print_schema(self.gql_api._api_graphql_schema(self.api_user)))
        self.authenticate("doc_viewer", "doc_viewer_pass_1234")
        backend = self.assertStatus(
            self.url_open(f"/api_doc/api/{self.gql_api.id}/schema.graphql"), 200)
        self.assertEqual(backend.text,
                         print_schema(self.gql_api._api_graphql_schema(self.doc_viewer)))

    def test_graphql_postman_collection(self):
        collection = self.get_doc("postman.json", endpoint="gql-doc", key=self.gql_key).json()
        self.assertEqual(collection["auth"]["type"], "apikey")
        names = [item["name"] for item in collection["item"]]
        self.assertIn("ResPartner", names)
        item = collection["item"][names.index("ResPartner")]
        response = self.api_call("POST", "/gql-doc", body={
            "query": item["request"]["body"]["graphql"]["query"]},
            headers={"x-api-key": self.gql_key})
        self.assertStatus(response, 200)
        self.assertNotIn("errors", response.json())

    def test_graphiql_page_is_public_and_the_backend_offers_it(self):
        page = self.assertStatus(self.api_call("GET", "/gql-doc/graphiql"), 200)
        self.assertIn("/api_doc/assets/graphiql.min.js", page.text)
        self.assertEqual(self.gql_api.with_user(self.doc_viewer).doc_kind, "graphql")
        self.authenticate("doc_viewer", "doc_viewer_pass_1234")
        sdl = self.assertStatus(
            self.url_open(f"/api_doc/api/{self.gql_api.id}/schema.graphql"), 200)
        self.assertIn("type ResPartner", sdl.text)

    def test_graphiql_renders_the_models_in_chromium(self):
        code = BROWSER_CODE % {
            "key": json.dumps(self.gql_key), "models": json.dumps([]),
            "hidden": json.dumps([]), "extra": GRAPHIQL_EXPLORER,
        }
        self.browser_js("/gql-doc/graphiql", code, ready="window.GraphiQL !== undefined",
                        timeout=90)
