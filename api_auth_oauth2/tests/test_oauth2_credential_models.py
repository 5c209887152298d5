from odoo.tests import tagged

from .common import OAuth2HttpCase

CREDENTIAL_MODELS = (
    "api.oauth2.client", "api.oauth2.client.secret", "api.oauth2.code", "api.oauth2.token",
    "api.oauth2.key", "api.oauth2.provider", "api.oauth2.delegation",
)


@tagged("post_install", "-at_install")
class TestCredentialModelsDenied(OAuth2HttpCase):
    """No API serves the models that hold OAuth2 credentials, their hashes or keys, even
    to a caller whose Odoo rights let it read them."""

    @classmethod
    def _setup_records(cls):
        super()._setup_records()
        # An API manager may read every one of these models in the backend.
        cls.api_user.groups_id += cls.env.ref("api_framework_base.group_api_manager")

    def test_rest_json_user_mode_answers_unknown_model(self):
        self.assertEqual(self.api.access_mode, "user")
        _session, token = self.fetch_code_token(scope="read write")
        access = token["access_token"]
        self.assertStatus(self.call_api(access, "/res.partner/search_count", "POST",
                                        {"args": [[]]}), 200)
        for model_name in CREDENTIAL_MODELS:
            response = self.call_api(access, f"/{model_name}/search_read", "POST",
                                     {"kwargs": {"limit": 1}})
            self.assertStatus(response, 404)
            self.assertEqual(response.json()["error"]["code"], "unknown_model", model_name)

    def test_graphql_schema_has_no_credential_type(self):
        protocols = dict(self.env["api.api"]._fields["protocol"].selection)
        if "graphql" not in protocols:
            self.skipTest("api_graphql is not installed")
        from odoo.addons.api_graphql.tools.schema_builder import type_name_of

        api = self.create_api("oauth_graphql", "graphql", "oauth2", graphql_introspection=True)
        client = self.env["api.oauth2.client"].create({
            "name": "GraphQL Sync", "api_id": api.id, "client_type": "confidential",
            "grant_client_credentials": True, "user_id": self.api_user.id,
        })
        secret = client._generate_secret()
        self.env.flush_all()
        session = self.oauth_session(client, secret)
        token = session.fetch_token(self.api_url("/oauth2/token", api),
                                    grant_type="client_credentials", scope="read")
        response = self.call_api(token["access_token"], method="POST", api=api,
                                 body={"query": "{ __schema { types { name } } }"})
        self.assertStatus(response, 200)
        names = {item["name"] for item in response.json()["data"]["__schema"]["types"]}
        self.assertIn("ResPartner", names)
        for model_name in CREDENTIAL_MODELS:
            self.assertNotIn(type_name_of(model_name), names, model_name)
