"""Base class of the GraphQL tests: an API key protected GraphQL API and its client."""

import json
import unittest

from odoo.modules.registry import Registry
from odoo.tests.common import get_db_name

from odoo.addons.api_framework_base.tests.common import ApiHttpCase

GRAPHQL_RESPONSE = "application/graphql-response+json"


class GraphQLHttpCase(ApiHttpCase):
    """Creates a published GraphQL API at ``/gql`` in user mode, with an API key."""

    endpoint = "gql"

    @classmethod
    def setUpClass(cls):
        if "api.key" not in Registry(get_db_name()):
            raise unittest.SkipTest(
                "api_graphql tests authenticate with API keys: install api_auth_apikey "
                "(bin/test api_graphql api_auth_apikey).")
        super().setUpClass()

    @classmethod
    def _setup_users(cls):
        super()._setup_users()
        cls.api_user.write({"groups_id": [(4, cls.env.ref("base.group_partner_manager").id)]})

    @classmethod
    def _setup_records(cls):
        super()._setup_records()
        cls.api = cls.create_api(cls.endpoint, "graphql", "apikey", **cls._api_values())
        cls.api_key = cls.env["api.key"]._generate(cls.api, cls.api_user, "GraphQL tests")

    @classmethod
    def _api_values(cls):
        """Hook: extra values of the test API."""
        return {}

    @property
    def user_env(self):
        return self.env(user=self.api_user)

    def graphql(self, query, variables=None, operation_name=None, headers=None,
                method="POST", endpoint=None):
        """Send a GraphQL request and return the HTTP response."""
        headers = {"x-api-key": self.api_key, **(headers or {})}
        path = f"/{endpoint or self.endpoint}"
        payload = {"query": query}
        if variables is not None:
            payload["variables"] = variables
        if operation_name:
            payload["operationName"] = operation_name
        if method == "GET":
            params = dict(payload)
            if variables is not None:
                params["variables"] = json.dumps(variables)
            return self.api_call("GET", path, headers=headers, params=params)
        return self.api_call(method, path, body=payload, headers=headers)

    def graphql_data(self, query, variables=None, **kwargs):
        """Run a request that must succeed and return its ``data``."""
        response = self.graphql(query, variables, **kwargs)
        self.assertStatus(response, 200)
        body = response.json()
        self.assertNotIn("errors", body, body)
        return body["data"]

    def graphql_errors(self, query, variables=None, status=200, **kwargs):
        """Run a request that must fail and return its body."""
        response = self.graphql(query, variables, **kwargs)
        self.assertStatus(response, status)
        body = response.json()
        self.assertTrue(body.get("errors"), body)
        for error in body["errors"]:
            self.assertIn("message", error)
            self.assertIn("code", error.get("extensions", {}))
        return body

    def count_queries(self, function):
        """Return the number of SQL queries ``function`` runs, with its result."""
        self.env.flush_all()
        before = self.cr.sql_log_count
        result = function()
        return self.cr.sql_log_count - before, result
