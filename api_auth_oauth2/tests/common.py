"""A test base that creates an OAuth2 API, its clients, and drives authlib's own OAuth2
client through the login and consent steps over HTTP."""

import unittest
from urllib.parse import parse_qs, urlsplit

from authlib.common.security import generate_token
from authlib.integrations.base_client import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from lxml import html

from odoo.addons.api_framework_base.tests.common import ApiHttpCase

REDIRECT_URI = "https://client.example.com/callback"
PASSWORD = "api_caller_pass_1234"


class OAuth2HttpCase(ApiHttpCase):
    """An OAuth2 API on REST-JSON with a public and a confidential client."""

    @classmethod
    def _setup_records(cls):
        super()._setup_records()
        protocols = dict(cls.env["api.api"]._fields["protocol"].selection)
        if "rest_json" not in protocols:
            raise unittest.SkipTest("api_rest_json is not installed: these tests call an "
                                    "OAuth2 API through it (bin/test api_auth_oauth2 "
                                    "api_rest_json)")
        cls.api = cls.create_api("oauth_api", "rest_json", "oauth2")
        Client = cls.env["api.oauth2.client"]
        cls.public_client = Client.create({
            "name": "Mobile App",
            "api_id": cls.api.id,
            "client_type": "public",
            "redirect_uris": f"{REDIRECT_URI}\nhttps://client.example.com/other",
        })
        cls.confidential_client = Client.create({
            "name": "Back Office Sync",
            "api_id": cls.api.id,
            "client_type": "confidential",
            "redirect_uris": REDIRECT_URI,
            "grant_client_credentials": True,
            "user_id": cls.api_user.id,
        })
        cls.confidential_secret = cls.confidential_client._generate_secret()

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def api_url(self, path="", api=None):
        return f"{self.base_url()}/{(api or self.api).endpoint}{path}"

    def oauth_session(self, client=None, secret=None, **kwargs):
        """Return authlib's requests client for ``client`` (the public one by default)."""
        client = client or self.public_client
        if client.client_type == "public":
            kwargs.setdefault("token_endpoint_auth_method", "none")
        kwargs.setdefault("redirect_uri", REDIRECT_URI)
        return OAuth2Session(client.client_id, secret, code_challenge_method="S256",
                             **kwargs)

    def start_authorization(self, session, api=None, **params):
        """Log in as the API user and open the consent page; return ``(verifier, state,
        consent response)``."""
        verifier = generate_token(48)
        url, state = session.create_authorization_url(
            self.api_url("/oauth2/authorize", api), code_verifier=verifier, **params)
        self.authenticate("api_caller", PASSWORD)
        response = self.opener.get(url, allow_redirects=False, timeout=60)
        return verifier, state, response

    def submit_consent(self, consent_response, decision="allow", csrf=True):
        """Post the consent form of ``consent_response``; return the response."""
        self.assertStatus(consent_response, 200)
        document = html.fromstring(consent_response.text)
        form = document.xpath("//form[hasclass('oe_oauth2_consent_form')]")[0]
        data = {field.name: field.value for field in form.xpath(".//input[@type='hidden']")}
        if not csrf:
            data.pop("csrf_token")
        data["decision"] = decision
        action = form.get("action")
        return self.opener.post(self.base_url() + action, data=data, allow_redirects=False,
                                timeout=60)

    def authorize(self, session, api=None, **params):
        """Run the whole front channel; return ``(verifier, redirect location)``."""
        verifier, _state, consent = self.start_authorization(session, api=api, **params)
        response = self.submit_consent(consent)
        self.assertStatus(response, 302)
        return verifier, response.headers["Location"]

    def fetch_code_token(self, session=None, api=None, **params):
        """Obtain a token with the authorization code flow and PKCE."""
        session = session or self.oauth_session()
        verifier, location = self.authorize(session, api=api, **params)
        token = session.fetch_token(self.api_url("/oauth2/token", api),
                                    authorization_response=location, code_verifier=verifier)
        return session, token

    def call_api(self, token, path="", method="GET", body=None, api=None):
        """Call the API with ``Authorization: Bearer <token>``."""
        return self.api_call(method, f"/{(api or self.api).endpoint}{path}", body=body,
                             headers={"Authorization": f"Bearer {token}"})

    def oauth_error(self, func, *args, **kwargs):
        """Call ``func`` and return the OAuth2 error it raises.

        Odoo's ``assertRaises`` rolls back a savepoint that also holds what the server
        committed meanwhile (tests share one connection), e.g. a revoked token family."""
        try:
            func(*args, **kwargs)
        except OAuthError as error:
            return error
        self.fail(f"{func.__name__} did not fail")

    @staticmethod
    def query_of(location):
        return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}
