"""Delegated mode against a provider running in the test process (provider_server.py):
the flow Odoo runs for an identity, the tokens it keeps, and the bearer tokens it
accepts."""

import logging
from urllib.parse import parse_qs, urlsplit

import requests

from odoo.tests import tagged

from ..tools.crypto import decrypt
from ..tools.log_redaction import CallbackRedactionFilter
from .common import OAuth2HttpCase
from .provider_server import LocalProvider

CLIENT_ID = "odoo-delegated"
CLIENT_SECRET = "provider-client-secret-0123456789"
IDENTITY = "crm-user-42"


@tagged("post_install", "-at_install")
class TestDelegatedFlow(OAuth2HttpCase):
    """An API that delegates OAuth2 to a local provider, validated by introspection."""

    @classmethod
    def setUpClass(cls):
        cls.local_provider = LocalProvider("api_caller").start()
        cls.addClassCleanup(cls.local_provider.stop)
        super().setUpClass()

    @classmethod
    def _setup_records(cls):
        super()._setup_records()
        cls.provider = cls.env["api.oauth2.provider"].create({
            "name": "Local Provider",
            "issuer": cls.local_provider.issuer,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "scope": "read",
            "user_claim": "username",
            "user_field": "login",
            "validation": "introspection",
        })
        cls.provider.action_discover()
        cls.delegated = cls.create_api("oauth_delegated", "rest_json", "oauth2",
                                       oauth2_mode="delegated",
                                       oauth2_provider_id=cls.provider.id)
        cls.callback_url = f"{cls.base_url()}/oauth_delegated/oauth2/provider/callback"
        cls.local_provider.add_client(CLIENT_ID, CLIENT_SECRET, cls.callback_url)

    def setUp(self):
        super().setUp()
        self.local_provider.server.consent = True

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def start_flow(self, identity=IDENTITY, secret=CLIENT_SECRET):
        return self.api_call("POST", "/oauth_delegated/oauth2/provider/authorize", body={
            "client_id": CLIENT_ID, "client_secret": secret,
            "client_user_identity": identity})

    def visit_provider(self, authorization_url):
        """Open the provider's authorization URL as the user's browser; return where it
        redirects to."""
        response = requests.get(authorization_url, allow_redirects=False, timeout=10)
        self.assertStatus(response, 302)
        return response.headers["Location"]

    def authorize_identity(self, identity=IDENTITY):
        """Run the whole flow for ``identity``; return the provider's stored token."""
        response = self.assertStatus(self.start_flow(identity), 200)
        location = self.visit_provider(response.json()["authorization_url"])
        callback = self.opener.get(location, allow_redirects=False, timeout=60)
        self.assertStatus(callback, 200)
        self.assertIn("oe_oauth2_provider_done", callback.text)
        return self.local_provider.server.tokens[-1]

    def delegated_call(self, path, data=None, secret=CLIENT_SECRET):
        data = dict(data or {}, client_user_identity=IDENTITY)
        return self.opener.post(self.base_url() + "/oauth_delegated" + path, data=data,
                                auth=(CLIENT_ID, secret), timeout=60, allow_redirects=False)

    def stored_columns(self, identity=IDENTITY):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT access_token_encrypted, refresh_token_encrypted, status, "
            "flow_state_hash FROM api_oauth2_delegation WHERE identity = %s", [identity])
        return self.env.cr.fetchone()

    def who(self, access_token):
        response = self.call_api(access_token, api=self.delegated)
        return response.json()["user"]["login"] if response.status_code == 200 \
            else response.status_code

    # ------------------------------------------------------------------
    # Tests
    # ------------------------------------------------------------------

    def test_authorization_url_carries_state_pkce_and_the_api_redirect_uri(self):
        response = self.assertStatus(self.start_flow(), 200)
        self.assertEqual(response.headers["Cache-Control"], "no-store")
        body = response.json()
        self.assertEqual(body["redirect_uri"], self.callback_url)
        url = urlsplit(body["authorization_url"])
        self.assertEqual(f"{url.scheme}://{url.netloc}{url.path}",
                         self.local_provider.issuer + "/authorize")
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        self.assertEqual(query["client_id"], CLIENT_ID)
        self.assertEqual(query["redirect_uri"], self.callback_url)
        self.assertEqual(query["response_type"], "code")
        self.assertEqual(query["code_challenge_method"], "S256")
        self.assertTrue(query["code_challenge"])
        self.assertGreaterEqual(len(query["state"]), 32)
        self.assertEqual(query["scope"], "read")
        # Only a digest of the state is kept.
        self.assertNotIn(query["state"], str(self.stored_columns()))

    def test_whole_delegated_flow(self):
        issued = self.authorize_identity()

        # The tokens are kept encrypted: the columns never hold them in clear.
        access_column, refresh_column, status, flow_state = self.stored_columns()
        self.assertEqual(status, "authorized")
        self.assertFalse(flow_state)
        self.assertNotIn(issued.access_token, access_column)
        self.assertNotIn(issued.refresh_token, refresh_column)
        self.assertEqual(decrypt(self.env, access_column), issued.access_token)
        self.assertEqual(decrypt(self.env, refresh_column), issued.refresh_token)

        # The provider's access token works as a bearer token, as the mapped user.
        introspections = self.local_provider.hits["/introspect"]
        self.assertEqual(self.who(issued.access_token), "api_caller")
        self.assertEqual(self.local_provider.hits["/introspect"], introspections + 1)
        # The provider granted "read" only.
        response = self.call_api(issued.access_token, "/res.partner/create", "POST",
                                 {"args": [{"name": "Not created"}]}, api=self.delegated)
        self.assertStatus(response, 403)

        # Refresh: a new access token; the refresh token stays in Odoo.
        response = self.assertStatus(
            self.delegated_call("/oauth2/token", {"grant_type": "refresh_token"}), 200)
        refreshed = response.json()
        self.assertNotIn("refresh_token", refreshed)
        self.assertEqual(refreshed["token_type"], "Bearer")
        self.assertNotEqual(refreshed["access_token"], issued.access_token)
        self.assertTrue(issued.refresh_used)
        rotated = self.local_provider.server.tokens[-1]
        self.assertEqual(rotated.access_token, refreshed["access_token"])
        self.assertEqual(decrypt(self.env, self.stored_columns()[1]), rotated.refresh_token)
        self.assertEqual(self.who(refreshed["access_token"]), "api_caller")

        # Revoke: at the provider, then forgotten here.
        response = self.assertStatus(self.delegated_call("/oauth2/revoke"), 200)
        self.assertTrue(rotated.revoked)
        access_column, refresh_column, status, _flow = self.stored_columns()
        self.assertEqual((access_column, refresh_column, status), (None, None, "revoked"))
        # Introspection honours the revocation at once.
        self.assertEqual(self.who(refreshed["access_token"]), 401)
        response = self.delegated_call("/oauth2/token")
        self.assertStatus(response, 400)
        self.assertEqual(response.json()["error"], "invalid_grant")

    def test_revocation_at_the_provider_is_honoured(self):
        issued = self.authorize_identity()
        self.assertEqual(self.who(issued.access_token), "api_caller")
        issued.revoked = True
        response = self.call_api(issued.access_token, api=self.delegated)
        self.assertStatus(response, 401)
        self.assertIn('error="invalid_token"', response.headers["WWW-Authenticate"])

    def test_jwt_validation_checks_the_signature_without_calling_the_provider(self):
        self.provider.validation = "jwt"
        self.env.flush_all()
        issued = self.authorize_identity()
        introspections = self.local_provider.hits["/introspect"]
        self.assertEqual(self.who(issued.access_token), "api_caller")
        self.assertEqual(self.local_provider.hits["/introspect"], introspections)
        header, payload, signature = issued.access_token.split(".")
        self.assertEqual(self.who(".".join([header, payload, signature[::-1]])), 401)

    def test_claim_naming_no_odoo_user_is_refused(self):
        issued = self.authorize_identity()
        # The provider's subject "user-1" is no Odoo login.
        self.provider.user_claim = "sub"
        self.env.flush_all()
        self.assertEqual(self.who(issued.access_token), 401)

    def test_unreachable_provider_answers_503_and_keeps_the_tokens(self):
        issued = self.authorize_identity()
        self.provider.write({"introspection_endpoint": "http://127.0.0.1:9/introspect",
                             "token_endpoint": "http://127.0.0.1:9/token"})
        self.env.flush_all()
        response = self.call_api(issued.access_token, api=self.delegated)
        self.assertStatus(response, 503)
        response = self.assertStatus(self.delegated_call("/oauth2/token"), 503)
        self.assertEqual(response.json()["error"], "temporarily_unavailable")
        self.assertEqual(self.stored_columns()[2], "authorized")
        self.assertFalse(issued.refresh_used)

    def test_unknown_tokens_are_refused(self):
        self.assertEqual(self.who("not-a-provider-token"), 401)

    def test_callers_authenticate_as_the_provider_client(self):
        response = self.assertStatus(self.start_flow(secret="wrong"), 401)
        self.assertEqual(response.json()["error"], "invalid_client")
        self.assertTrue(response.headers["WWW-Authenticate"].startswith("Basic "))
        self.assertFalse(self.env["api.oauth2.delegation"].search([]))
        self.authorize_identity()
        for path in ("/oauth2/token", "/oauth2/revoke"):
            response = self.assertStatus(self.delegated_call(path, secret="wrong"), 401)
            self.assertEqual(response.json()["error"], "invalid_client")
        self.assertEqual(self.stored_columns()[2], "authorized")
        response = self.start_flow(identity="")
        self.assertStatus(response, 400)
        self.assertEqual(response.json()["error"], "invalid_request")

    def test_callback_state_is_single_use_and_checked(self):
        response = self.assertStatus(self.start_flow(), 200)
        location = self.visit_provider(response.json()["authorization_url"])
        self.assertStatus(self.opener.get(location, timeout=60), 200)
        token_requests = self.local_provider.hits["/token"]
        # The same callback again, or with a state Odoo never sent, exchanges nothing.
        self.assertStatus(self.opener.get(location, timeout=60), 400)
        forged = location.replace("state=", "state=x")
        self.assertStatus(self.opener.get(forged, timeout=60), 400)
        self.assertEqual(self.local_provider.hits["/token"], token_requests)

    def test_declined_consent_keeps_nothing(self):
        self.local_provider.server.consent = False
        response = self.assertStatus(self.start_flow(), 200)
        location = self.visit_provider(response.json()["authorization_url"])
        self.assertIn("error=access_denied", location)
        response = self.opener.get(location, timeout=60)
        self.assertStatus(response, 400)
        self.assertIn("access_denied", response.text)
        access_column, _refresh, status, flow_state = self.stored_columns()
        self.assertEqual((access_column, status, flow_state), (None, "pending", None))

    def test_a_new_flow_keeps_the_tokens_until_its_callback(self):
        issued = self.authorize_identity()
        self.assertStatus(self.start_flow(), 200)
        self.assertEqual(self.stored_columns()[2], "authorized")
        self.assertEqual(self.who(issued.access_token), "api_caller")

    def test_no_token_or_secret_in_the_logs(self):
        with self.assertLogs(level="DEBUG") as logs:
            issued = self.authorize_identity()
            refreshed = self.delegated_call("/oauth2/token").json()
            self.who(refreshed["access_token"])
            self.delegated_call("/oauth2/revoke")
        output = "\n".join(logs.output)
        for secret in (issued.access_token, issued.refresh_token, refreshed["access_token"],
                       CLIENT_SECRET):
            self.assertNotIn(secret, output)

    def test_access_log_masks_the_callback_code_and_state(self):
        response = self.assertStatus(self.start_flow(), 200)
        location = self.visit_provider(response.json()["authorization_url"])
        query = self.query_of(location)
        request_line = f"GET {urlsplit(location).path}?{urlsplit(location).query} HTTP/1.1"
        record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1,
                                   '%s - - [%s] "%s" %s %s', ("127.0.0.1", "now",
                                                              request_line, "200", "-"), None)
        self.assertIn(CallbackRedactionFilter, {type(item) for item in
                                                logging.getLogger("werkzeug").filters})
        CallbackRedactionFilter().filter(record)
        line = record.getMessage()
        self.assertNotIn(query["code"], line)
        self.assertNotIn(query["state"], line)
        self.assertIn("code=***", line)

    def test_provider_routes_only_on_delegated_apis(self):
        response = self.api_call("POST", "/oauth_api/oauth2/provider/authorize", body={
            "client_id": CLIENT_ID, "client_user_identity": IDENTITY})
        self.assertStatus(response, 404)
