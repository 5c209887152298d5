"""Request logs of GraphQL and OAuth2 calls over real HTTP: the secrets these protocols
carry outside JSON members, and GraphQL errors answered with 200.

Each class is skipped when the addons it calls are not installed
(bin/test api_log,api_graphql,api_auth_oauth2,api_rest_json,api_auth_apikey).
"""

import json
import unittest
from urllib.parse import parse_qs, urlsplit

from lxml import html

from odoo.modules.registry import Registry
from odoo.tests import tagged
from odoo.tests.common import get_db_name
from odoo.tools import mute_logger

from ..tools.masking import MASK
from .common import LogCase

REDIRECT_URI = "https://app.example.com/cb"
PASSWORD = "api_caller_pass_1234"


def _installed(model, protocol=None, auth_type=None):
    registry = Registry(get_db_name())
    if model not in registry:
        return False
    fields = registry["api.api"]._fields
    return (protocol is None or protocol in dict(fields["protocol"].selection)) and (
        auth_type is None or auth_type in dict(fields["auth_type"].selection))


@tagged("post_install", "-at_install")
class TestGraphQLLog(LogCase):

    @classmethod
    def setUpClass(cls):
        if not _installed("api.key", "graphql", "apikey"):
            raise unittest.SkipTest("these tests need api_graphql and api_auth_apikey")
        super().setUpClass()

    @classmethod
    def _setup_records(cls):
        cls.api_user.groups_id |= cls.env.ref("base.group_partner_manager")
        cls.api = cls.create_api("gqllog", "graphql", "apikey", log_mode="all")
        cls.key = cls.env["api.key"]._generate(cls.api, cls.api_user, "log tests")

    def graphql(self, query, variables=None, method="POST"):
        self.env.flush_all()
        headers = {"x-api-key": self.key}
        payload = {"query": query}
        if variables is not None:
            payload["variables"] = variables
        if method == "GET":
            if variables is not None:
                payload["variables"] = json.dumps(variables)
            return self.api_call("GET", "/gqllog", headers=headers, params=payload)
        return self.api_call("POST", "/gqllog", body=payload, headers=headers)

    def test_secrets_typed_in_the_document_are_masked_like_variables(self):
        query = """mutation {
            callResUsers(method: "change_password", args: ["old-pw-gql-1", "new-pw-gql-1"])
            other: callResPartner(method: "search_count", args: [[]],
                                  kwargs: {context: {password: "ctx-pw-gql-1"}})
        }"""
        with mute_logger("odoo.addons.api_framework_base.models.api_api", "odoo.http"):
            response = self.graphql(query)
        log = self.log_of(response)
        self.assertNoSecret(log, ["old-pw-gql-1", "new-pw-gql-1", "ctx-pw-gql-1"])
        logged = json.loads(log.request_body)["query"]
        self.assertIn('callResUsers(method: "change_password", args: ["%s", "%s"])'
                      % (MASK, MASK), logged)
        self.assertIn(f'{{password: "{MASK}"}}', logged)

    def test_variables_used_in_secret_places_and_get_queries_are_masked(self):
        query = 'mutation ($pw: String = "default-pw-gql-2", $id: ID!) {' \
                ' updateResPartner(id: $id, values: {password: $pw}) { id } }'
        response = self.graphql(query, {"pw": "var-pw-gql-2", "id": "1"})
        self.assertStatus(response, 200)
        log = self.log_of(response)
        self.assertNoSecret(log, ["default-pw-gql-2", "var-pw-gql-2"])
        self.assertEqual(json.loads(log.request_body)["variables"], {"pw": MASK, "id": "1"})

        response = self.graphql('{ ResPartner(limit: 1, token: "get-tok-gql-3") { id } }',
                                method="GET")
        self.assertStatus(response, 200)
        log = self.log_of(response)
        self.assertNoSecret(log, ["get-tok-gql-3"])
        self.assertIn("ResPartner", log.query_string)

    def test_errors_only_logs_graphql_errors_answered_with_200(self):
        self.api.log_mode = "errors"
        ok = self.assertStatus(self.graphql("{ ResPartner(limit: 1) { id } }"), 200)
        self.assertNotIn("errors", ok.json())
        self.assertNotLogged(ok)

        invalid = self.assertStatus(self.graphql("{ NoSuchModel { id } }"), 200)
        self.assertTrue(invalid.json()["errors"])
        log = self.log_of(invalid)
        self.assertEqual(log.status, 200)
        self.assertEqual(log.error_type, "graphql_validation_failed")
        self.assertIn("NoSuchModel", log.error_message)

        # A failed mutation is rolled back and answered with 200 and data null.
        with mute_logger("odoo.addons.api_framework_base.models.api_api", "odoo.http"):
            failed = self.graphql('mutation { deleteResPartner(id: "999999999") }')
        self.assertStatus(failed, 200)
        self.assertIsNone(failed.json()["data"])
        self.assertEqual(self.log_of(failed).status, 200)

    def test_protocol_flag_decides_whether_a_response_reports_errors(self):
        self.api.log_mode = "errors"
        api_model = self.env["api.api"]
        response = self.graphql("{ NoSuchModel { id } }")
        # A protocol that says its answer holds no errors is believed, and the other way.
        flagged = type("ApiRequest", (), {"has_errors": False})()
        self.assertEqual(api_model._api_log_reported_errors(flagged, _Answer(response)), [])
        flagged = type("ApiRequest", (), {"has_errors": True})()
        ok = _Answer(self.graphql("{ ResPartner(limit: 1) { id } }"))
        self.assertTrue(api_model._api_log_reported_errors(flagged, ok))


class _Answer:
    """A requests response seen as the werkzeug response the log hooks read."""

    direct_passthrough = is_streamed = False

    def __init__(self, response):
        self.mimetype = response.headers["Content-Type"].partition(";")[0]
        self.status_code = response.status_code
        self._data = response.content

    def get_data(self):
        return self._data


@tagged("post_install", "-at_install")
class TestOAuth2Log(LogCase):

    @classmethod
    def setUpClass(cls):
        if not _installed("api.oauth2.client", "rest_json", "oauth2"):
            raise unittest.SkipTest("these tests need api_auth_oauth2 and api_rest_json")
        super().setUpClass()

    @classmethod
    def _setup_records(cls):
        cls.api = cls.create_api("oauthlog", "rest_json", "oauth2", log_mode="all")
        cls.client = cls.env["api.oauth2.client"].create({
            "name": "Log Test App", "api_id": cls.api.id, "client_type": "public",
            "redirect_uris": REDIRECT_URI,
        })

    def code_flow(self):
        """Log in, open the consent page, allow, exchange the code; return the consent and
        redirect responses and the secrets the flow carried."""
        from authlib.common.security import generate_token
        from authlib.integrations.requests_client import OAuth2Session

        session = OAuth2Session(self.client.client_id, None, code_challenge_method="S256",
                                token_endpoint_auth_method="none", redirect_uri=REDIRECT_URI)
        verifier = generate_token(48)
        base = f"{self.base_url()}/oauthlog"
        url, _state = session.create_authorization_url(f"{base}/oauth2/authorize",
                                                       code_verifier=verifier)
        self.authenticate("api_caller", PASSWORD)
        self.env.flush_all()
        consent = self.assertStatus(self.opener.get(url, allow_redirects=False, timeout=60), 200)
        form = html.fromstring(consent.text).xpath("//form[.//input[@name='csrf_token']]")[0]
        data = {field.name: field.value for field in form.xpath(".//input[@type='hidden']")}
        data["decision"] = "allow"
        redirect = self.opener.post(self.base_url() + form.get("action"), data=data,
                                    allow_redirects=False, timeout=60)
        self.assertStatus(redirect, 302)
        location = redirect.headers["Location"]
        token = session.fetch_token(f"{base}/oauth2/token", authorization_response=location,
                                    code_verifier=verifier)
        secrets = {"csrf_token": data["csrf_token"], "verifier": verifier,
                   "code": parse_qs(urlsplit(location).query)["code"][0],
                   "access_token": token["access_token"],
                   "refresh_token": token["refresh_token"]}
        return consent, redirect, secrets

    def test_authorization_code_is_masked_in_the_redirection_location(self):
        _consent, redirect, secrets = self.code_flow()
        log = self.log_of(redirect)
        self.assertNoSecret(log, [secrets["code"]])
        self.assertIn(f"Location: {REDIRECT_URI}?code={MASK}&state=", log.response_headers)

    def test_csrf_token_is_masked_in_the_consent_page(self):
        consent, _redirect, secrets = self.code_flow()
        self.assertIn(secrets["csrf_token"], consent.text)
        log = self.log_of(consent)
        self.assertNoSecret(log, [secrets["csrf_token"]])
        self.assertIn(f'name="csrf_token" value="{MASK}"', log.response_body)

    def test_no_secret_of_the_code_flow_reaches_any_log(self):
        _consent, _redirect, secrets = self.code_flow()
        self.env["api.log"]._api_log_flush()
        logs = self.env["api.log"].search([("api_id", "=", self.api.id)])
        self.assertGreaterEqual(len(logs), 3)
        self.assertNoSecret(logs, list(secrets.values()))
