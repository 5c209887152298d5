from odoo.tests import tagged

from .common import GraphQLHttpCase

try:
    from gql import Client, gql
    from gql.transport.requests import RequestsHTTPTransport
except ImportError:
    Client = None


@tagged("post_install", "-at_install")
class TestGraphQLClient(GraphQLHttpCase):
    """The ``gql`` client from PyPI talks to the API like to any GraphQL server."""

    def test_gql_client_query_and_mutation(self):
        if Client is None:
            self.skipTest("gql is not installed (pip install 'gql[requests]')")
        transport = RequestsHTTPTransport(
            url=f"{self.base_url()}/{self.endpoint}", headers={"x-api-key": self.api_key},
            timeout=60, retries=0)
        with Client(transport=transport, fetch_schema_from_transport=True) as session:
            created = session.execute(
                gql("mutation C($name: String) { createResPartner(values: {name: $name}) "
                    "{ id name } }"), variable_values={"name": "GQL client"})
            partner_id = created["createResPartner"]["id"]
            found = session.execute(
                gql("query Q($id: ID) { ResPartner(id: $id) { id name } }"),
                variable_values={"id": partner_id})
        self.assertEqual(found["ResPartner"], [{"id": partner_id, "name": "GQL client"}])
        self.assertEqual(self.env["res.partner"].browse(partner_id).name, "GQL client")
