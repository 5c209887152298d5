import time
from datetime import timedelta

import jwt
from authlib.integrations.requests_client import OAuth2Session

from odoo import fields
from odoo.tests import tagged

from ..tools.hashing import digest
from .common import REDIRECT_URI, OAuth2HttpCase


@tagged("post_install", "-at_install")
class TestAuthorizationCode(OAuth2HttpCase):
    """A07: authorization code with PKCE, login and consent."""

    def test_a07_code_with_pkce_answers_as_the_consenting_user(self):
        session, token = self.fetch_code_token(scope="read write")
        self.assertTrue(token["access_token"])
        self.assertTrue(token["refresh_token"])
        self.assertEqual(token["token_type"], "Bearer")
        self.assertEqual(token["scope"], "read write")

        response = session.get(self.api_url(), timeout=60)
        self.assertStatus(response, 200)
        self.assertEqual(response.json()["user"]["login"], "api_caller")

        header = jwt.get_unverified_header(token["access_token"])
        self.assertEqual(header["typ"], "at+jwt")
        claims = jwt.decode(token["access_token"], options={"verify_signature": False})
        self.assertEqual(claims["client_id"], self.public_client.client_id)
        self.assertEqual(claims["sub"], str(self.api_user.id))
        stored = self.env["api.oauth2.token"].search([("client_id", "=", self.public_client.id)])
        self.assertEqual(stored.access_token_hash, digest(token["access_token"]))
        self.assertNotIn(token["access_token"], str(stored.read()))

    def test_a07_no_code_secret_or_token_in_the_logs_even_at_debug_level(self):
        session = self.oauth_session(self.confidential_client, self.confidential_secret)
        with self.assertLogs(level="DEBUG") as logs:
            verifier, location = self.authorize(session)
            token = session.fetch_token(self.api_url("/oauth2/token"),
                                        authorization_response=location,
                                        code_verifier=verifier)
            refreshed = session.refresh_token(self.api_url("/oauth2/token"))
            self.assertStatus(self.call_api(refreshed["access_token"]), 200)
        output = "\n".join(logs.output)
        secrets = [self.query_of(location)["code"], self.confidential_secret, verifier,
                   token["access_token"], token["refresh_token"], refreshed["access_token"],
                   refreshed["refresh_token"]]
        for secret in secrets:
            self.assertNotIn(secret, output)

    def test_a07_anonymous_user_is_sent_to_the_login_page(self):
        session = self.oauth_session()
        url, _state = session.create_authorization_url(self.api_url("/oauth2/authorize"),
                                                       code_verifier="v" * 43)
        response = self.opener.get(url, allow_redirects=False, timeout=60)
        self.assertStatus(response, 303)
        location = response.headers["Location"]
        self.assertIn("/web/login?redirect=", location)
        self.assertIn("%2Foauth_api%2Foauth2%2Fauthorize%3F", location)

    def test_a07_consent_page_lists_client_and_scopes_in_web_style(self):
        _verifier, _state, consent = self.start_authorization(
            self.oauth_session(), scope="read")
        self.assertStatus(consent, 200)
        self.assertIn("Mobile App", consent.text)
        self.assertIn('data-scope="read"', consent.text)
        self.assertNotIn('data-scope="write"', consent.text)
        self.assertIn("/web/assets/", consent.text)
        self.assertEqual(consent.headers["X-Frame-Options"], "DENY")

    def test_a07_declined_consent_redirects_access_denied_with_state(self):
        _verifier, state, consent = self.start_authorization(self.oauth_session())
        response = self.submit_consent(consent, decision="deny")
        self.assertStatus(response, 302)
        query = self.query_of(response.headers["Location"])
        self.assertEqual(query["error"], "access_denied")
        self.assertEqual(query["state"], state)
        self.assertNotIn("code", query)

    def test_a07_consent_without_csrf_token_is_refused(self):
        _verifier, _state, consent = self.start_authorization(self.oauth_session())
        response = self.submit_consent(consent, csrf=False)
        self.assertStatus(response, 400)
        self.assertFalse(self.env["api.oauth2.code"].search([]))

    def test_a07_user_not_allowed_on_the_api_can_only_decline(self):
        self.api.user_ids = [(3, self.api_user.id)]
        self.env.flush_all()
        _verifier, state, consent = self.start_authorization(self.oauth_session())
        self.assertStatus(consent, 200)
        self.assertNotIn('value="allow"', consent.text)
        response = self.submit_consent(consent, decision="allow")
        self.assertStatus(response, 302)
        query = self.query_of(response.headers["Location"])
        self.assertEqual(query["error"], "access_denied")
        self.assertEqual(query["state"], state)
        self.assertFalse(self.env["api.oauth2.code"].search([]))

    def test_a07_state_comes_back_exactly(self):
        session = self.oauth_session()
        _verifier, location = self.authorize(session, state="a b&c=d/é")
        self.assertEqual(self.query_of(location)["state"], "a b&c=d/é")

    def test_a07_confidential_client_with_opaque_tokens(self):
        opaque_api = self.create_api("oauth_opaque", "rest_json", "oauth2",
                                     oauth2_token_format="opaque")
        client = self.env["api.oauth2.client"].create({
            "name": "Server App", "api_id": opaque_api.id, "redirect_uris": REDIRECT_URI})
        secret = client._generate_secret()
        session = self.oauth_session(client, secret)
        session, token = self.fetch_code_token(session, api=opaque_api)
        self.assertEqual(token["access_token"].count("."), 0)
        self.assertStatus(self.call_api(token["access_token"], api=opaque_api), 200)
        # A token of one API is worth nothing on another.
        self.assertStatus(self.call_api(token["access_token"]), 401)


@tagged("post_install", "-at_install")
class TestOtherGrants(OAuth2HttpCase):
    """A08: client credentials, refresh token rotation, revocation."""

    def test_a08_client_credentials_act_as_the_configured_user(self):
        session = self.oauth_session(self.confidential_client, self.confidential_secret)
        token = session.fetch_token(self.api_url("/oauth2/token"),
                                    grant_type="client_credentials", scope="read")
        self.assertTrue(token["access_token"])
        self.assertNotIn("refresh_token", token)
        response = session.get(self.api_url(), timeout=60)
        self.assertStatus(response, 200)
        self.assertEqual(response.json()["user"]["login"], "api_caller")

    def test_a08_client_credentials_with_a_wrong_secret(self):
        session = self.oauth_session(self.confidential_client, "not-the-secret")
        error = self.oauth_error(session.fetch_token, self.api_url("/oauth2/token"),
                                 grant_type="client_credentials")
        self.assertEqual(error.error, "invalid_client")
        self.assertFalse(self.env["api.oauth2.token"].search([]))

    def test_a08_token_endpoint_throttles_failed_client_authentications(self):
        session = self.oauth_session(self.confidential_client, "not-the-secret")
        url = self.api_url("/oauth2/token")
        statuses = []
        for _attempt in range(12):
            response = session.post(url, data={"grant_type": "client_credentials"},
                                    auth=(self.confidential_client.client_id, "wrong"),
                                    timeout=60)
            statuses.append(response.status_code)
        self.assertEqual(statuses[0], 401)
        self.assertEqual(statuses[-1], 429)
        self.assertTrue(response.headers["Retry-After"])

    def test_a08_refresh_rotates_and_reuse_revokes_the_family(self):
        session, first = self.fetch_code_token()
        second = session.refresh_token(self.api_url("/oauth2/token"),
                                       refresh_token=first["refresh_token"])
        self.assertNotEqual(second["access_token"], first["access_token"])
        self.assertNotEqual(second["refresh_token"], first["refresh_token"])
        self.assertStatus(self.call_api(second["access_token"]), 200)

        # The first refresh token was used: presenting it again is a theft signal.
        error = self.oauth_error(session.refresh_token, self.api_url("/oauth2/token"),
                                 refresh_token=first["refresh_token"])
        self.assertEqual(error.error, "invalid_grant")
        self.assertStatus(self.call_api(second["access_token"]), 401)
        self.assertStatus(self.call_api(first["access_token"]), 401)
        self.oauth_error(session.refresh_token, self.api_url("/oauth2/token"),
                         refresh_token=second["refresh_token"])

    def test_a08_revoked_access_token_is_refused_at_once(self):
        session, token = self.fetch_code_token()
        self.assertStatus(self.call_api(token["access_token"]), 200)
        response = session.revoke_token(self.api_url("/oauth2/revoke"),
                                        token=token["access_token"],
                                        token_type_hint="access_token")
        self.assertStatus(response, 200)
        response = self.call_api(token["access_token"])
        self.assertStatus(response, 401)
        self.assertIn('error="invalid_token"', response.headers["WWW-Authenticate"])

    def test_a08_revoked_opaque_access_token_is_refused_at_once(self):
        opaque_api = self.create_api("oauth_opaque", "rest_json", "oauth2",
                                     oauth2_token_format="opaque")
        client = self.env["api.oauth2.client"].create({
            "name": "Opaque Sync", "api_id": opaque_api.id,
            "grant_client_credentials": True, "user_id": self.api_user.id})
        session = self.oauth_session(client, client._generate_secret())
        self.env.flush_all()  # authlib's session, unlike self.opener, does not flush
        token_url = self.api_url("/oauth2/token", opaque_api)

        token = session.fetch_token(token_url, grant_type="client_credentials")["access_token"]
        self.assertEqual(token.count("."), 0)
        self.assertStatus(self.call_api(token, api=opaque_api), 200)
        self.assertStatus(self.call_api(token, api=opaque_api), 200)
        response = session.revoke_token(self.api_url("/oauth2/revoke", opaque_api),
                                        token=token, token_type_hint="access_token")
        self.assertStatus(response, 200)
        response = self.call_api(token, api=opaque_api)
        self.assertStatus(response, 401)
        self.assertIn('error="invalid_token"', response.headers["WWW-Authenticate"])

        # The same from the backend's Revoke button.
        token = session.fetch_token(token_url, grant_type="client_credentials")["access_token"]
        self.assertStatus(self.call_api(token, api=opaque_api), 200)
        self.env["api.oauth2.token"].with_user(self.api_manager).search(
            [("access_token_hash", "=", digest(token))]).action_revoke()
        self.assertStatus(self.call_api(token, api=opaque_api), 401)

    def test_a08_revoking_the_refresh_token_ends_the_grant(self):
        session, token = self.fetch_code_token()
        response = session.revoke_token(self.api_url("/oauth2/revoke"),
                                        token=token["refresh_token"],
                                        token_type_hint="refresh_token")
        self.assertStatus(response, 200)
        self.assertStatus(self.call_api(token["access_token"]), 401)
        self.oauth_error(session.refresh_token, self.api_url("/oauth2/token"),
                         refresh_token=token["refresh_token"])

    def test_a08_introspection(self):
        _session, token = self.fetch_code_token(scope="read")
        resource_server = self.oauth_session(self.confidential_client,
                                             self.confidential_secret)
        url = self.api_url("/oauth2/introspect")
        response = resource_server.introspect_token(url, token=token["access_token"])
        self.assertStatus(response, 200)
        # The confidential client is not a resource server: others' tokens are inactive.
        self.assertEqual(response.json(), {"active": False})

        self.confidential_client.allow_introspection = True
        self.env.flush_all()
        info = resource_server.introspect_token(url, token=token["access_token"]).json()
        self.assertTrue(info["active"])
        self.assertEqual(info["scope"], "read")
        self.assertEqual(info["client_id"], self.public_client.client_id)
        self.assertEqual(info["username"], "api_caller")

    def test_a08_password_grant_is_off_by_default(self):
        session = self.oauth_session(self.confidential_client, self.confidential_secret)
        error = self.oauth_error(session.fetch_token, self.api_url("/oauth2/token"),
                                 username="api_caller", password="api_caller_pass_1234")
        self.assertEqual(error.error, "unauthorized_client")

        self.confidential_client.grant_password = True
        self.env.flush_all()
        token = session.fetch_token(self.api_url("/oauth2/token"), username="api_caller",
                                    password="api_caller_pass_1234")
        self.assertStatus(self.call_api(token["access_token"]), 200)
        self.oauth_error(session.fetch_token, self.api_url("/oauth2/token"),
                         username="api_caller", password="wrong password")


@tagged("post_install", "-at_install")
class TestRefusals(OAuth2HttpCase):
    """A09: what RFC 6749 and RFC 7636 refuse."""

    def test_a09_unregistered_redirect_uri_is_not_redirected_to(self):
        session = self.oauth_session(redirect_uri="https://evil.example.com/callback")
        _verifier, _state, response = self.start_authorization(session)
        self.assertStatus(response, 400)
        self.assertNotIn("Location", response.headers)
        self.assertIn("oe_oauth2_error", response.text)
        self.assertFalse(self.env["api.oauth2.code"].search([]))

    def test_a09_redirect_uri_must_match_exactly(self):
        session = self.oauth_session(redirect_uri=REDIRECT_URI + "/")
        _verifier, _state, response = self.start_authorization(session)
        self.assertStatus(response, 400)

    def test_a09_token_redirect_uri_must_match_the_authorization(self):
        session = self.oauth_session()
        verifier, location = self.authorize(session)
        session.redirect_uri = "https://client.example.com/other"
        error = self.oauth_error(session.fetch_token, self.api_url("/oauth2/token"),
                                 authorization_response=location, code_verifier=verifier)
        self.assertEqual(error.error, "invalid_grant")
        self.assertFalse(self.env["api.oauth2.token"].search([]))

    def test_a09_wrong_verifier_issues_nothing(self):
        session = self.oauth_session()
        _verifier, location = self.authorize(session)
        error = self.oauth_error(session.fetch_token, self.api_url("/oauth2/token"),
                                 authorization_response=location, code_verifier="w" * 50)
        self.assertEqual(error.error, "invalid_grant")
        self.assertFalse(self.env["api.oauth2.token"].search([]))

    def test_a09_failed_exchange_spends_the_code(self):
        session = self.oauth_session()
        verifier, location = self.authorize(session)
        url = self.api_url("/oauth2/token")
        error = self.oauth_error(session.fetch_token, url, authorization_response=location,
                                 code_verifier="w" * 50)
        self.assertEqual(error.error, "invalid_grant")
        error = self.oauth_error(session.fetch_token, url, authorization_response=location,
                                 code_verifier=verifier)
        self.assertEqual(error.error, "invalid_grant")
        self.assertFalse(self.env["api.oauth2.token"].search([]))

    def test_a09_failed_client_authentication_spends_the_code(self):
        client = self.confidential_client
        verifier, location = self.authorize(self.oauth_session(client, "not-the-secret"))
        url = self.api_url("/oauth2/token")
        error = self.oauth_error(self.oauth_session(client, "not-the-secret").fetch_token,
                                 url, authorization_response=location, code_verifier=verifier)
        self.assertEqual(error.error, "invalid_client")
        session = self.oauth_session(client, self.confidential_secret)
        error = self.oauth_error(session.fetch_token, url, authorization_response=location,
                                 code_verifier=verifier)
        self.assertEqual(error.error, "invalid_grant")
        self.assertFalse(self.env["api.oauth2.token"].search([]))

    def test_a09_missing_verifier_issues_nothing(self):
        session = self.oauth_session()
        _verifier, location = self.authorize(session)
        error = self.oauth_error(session.fetch_token, self.api_url("/oauth2/token"),
                                 authorization_response=location)
        self.assertEqual(error.error, "invalid_request")
        self.assertFalse(self.env["api.oauth2.token"].search([]))

    def test_a09_reused_code_is_refused_and_revokes_its_tokens(self):
        session = self.oauth_session()
        verifier, location = self.authorize(session)
        url = self.api_url("/oauth2/token")
        token = session.fetch_token(url, authorization_response=location,
                                    code_verifier=verifier)
        self.assertStatus(self.call_api(token["access_token"]), 200)
        error = self.oauth_error(session.fetch_token, url, authorization_response=location,
                                 code_verifier=verifier)
        self.assertEqual(error.error, "invalid_grant")
        self.assertEqual(len(self.env["api.oauth2.token"].search([])), 1)
        self.assertStatus(self.call_api(token["access_token"]), 401)

    def test_a09_expired_code_is_refused(self):
        session = self.oauth_session()
        verifier, location = self.authorize(session)
        self.env["api.oauth2.code"].search([]).write(
            {"expires_at": fields.Datetime.now() - timedelta(seconds=1)})
        self.env.flush_all()
        error = self.oauth_error(session.fetch_token, self.api_url("/oauth2/token"),
                                 authorization_response=location, code_verifier=verifier)
        self.assertEqual(error.error, "invalid_grant")

    def test_a09_expired_jwt_is_refused(self):
        self.public_client.access_token_lifetime = 1
        self.env.flush_all()
        _session, token = self.fetch_code_token()
        time.sleep(2)
        response = self.call_api(token["access_token"])
        self.assertStatus(response, 401)
        self.assertIn('error="invalid_token"', response.headers["WWW-Authenticate"])

    def test_a09_public_client_without_pkce_gets_invalid_request(self):
        session = OAuth2Session(self.public_client.client_id, redirect_uri=REDIRECT_URI,
                                token_endpoint_auth_method="none")
        url, state = session.create_authorization_url(self.api_url("/oauth2/authorize"))
        self.authenticate("api_caller", "api_caller_pass_1234")
        response = self.opener.get(url, allow_redirects=False, timeout=60)
        self.assertStatus(response, 302)
        query = self.query_of(response.headers["Location"])
        self.assertEqual(query["error"], "invalid_request")
        self.assertEqual(query["state"], state)

    def test_a09_plain_code_challenge_is_refused(self):
        session = self.oauth_session()
        url, _state = session.create_authorization_url(
            self.api_url("/oauth2/authorize"), code_challenge="p" * 43,
            code_challenge_method="plain")
        self.authenticate("api_caller", "api_caller_pass_1234")
        response = self.opener.get(url, allow_redirects=False, timeout=60)
        self.assertStatus(response, 302)
        self.assertEqual(self.query_of(response.headers["Location"])["error"],
                         "invalid_request")

    def test_a09_implicit_grant_is_not_offered(self):
        self.authenticate("api_caller", "api_caller_pass_1234")
        response = self.opener.get(self.api_url("/oauth2/authorize"), params={
            "response_type": "token", "client_id": self.public_client.client_id,
            "redirect_uri": REDIRECT_URI, "state": "s1"}, allow_redirects=False, timeout=60)
        self.assertStatus(response, 302)
        query = self.query_of(response.headers["Location"])
        self.assertEqual(query["error"], "unsupported_response_type")

    def test_a09_missing_and_malformed_bearer(self):
        response = self.api_call("GET", "/oauth_api")
        self.assertStatus(response, 401)
        self.assertTrue(response.headers["WWW-Authenticate"].startswith("Bearer "))
        self.assertStatus(self.call_api("not-a-token"), 401)
        forged = jwt.encode({"sub": str(self.api_user.id), "exp": int(time.time()) + 60},
                            "guess", algorithm="HS256", headers={"typ": "at+jwt"})
        self.assertStatus(self.call_api(forged), 401)


@tagged("post_install", "-at_install")
class TestScopesAndKeys(OAuth2HttpCase):
    """Scopes restrict operations; keys rotate; metadata describes the server."""

    def test_read_scope_refuses_writes(self):
        _session, token = self.fetch_code_token(scope="read")
        access = token["access_token"]
        response = self.call_api(access, "/res.partner/search_read", "POST",
                                 {"kwargs": {"fields": ["name"], "limit": 1}})
        self.assertStatus(response, 200)
        response = self.call_api(access, "/res.partner/create", "POST",
                                 {"args": [{"name": "Not created"}]})
        self.assertStatus(response, 403)
        self.assertIn("insufficient_scope", response.headers["WWW-Authenticate"])
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Not created")]))

    def test_model_scope_allows_one_model_only(self):
        self.public_client.scope = "read res.partner:write"
        self.api_user.groups_id += self.env.ref("base.group_partner_manager")
        self.env.flush_all()
        _session, token = self.fetch_code_token(scope="res.partner:write")
        access = token["access_token"]
        response = self.call_api(access, "/res.partner/create", "POST",
                                 {"args": [{"name": "Created by scope"}]})
        self.assertStatus(response, 200)
        response = self.call_api(access, "/res.country/search_read", "POST",
                                 {"kwargs": {"fields": ["name"], "limit": 1}})
        self.assertStatus(response, 403)

    def test_scope_never_exceeds_the_users_rights(self):
        _session, token = self.fetch_code_token(scope="write")
        response = self.call_api(token["access_token"], "/res.users/create", "POST",
                                 {"args": [{"name": "Intruder", "login": "intruder"}]})
        self.assertStatus(response, 403)

    def test_scope_beyond_the_client_is_refused(self):
        self.public_client.scope = "read"
        self.env.flush_all()
        session = self.oauth_session(scope="read write")
        _verifier, _state, response = self.start_authorization(session)
        self.assertStatus(response, 302)
        self.assertEqual(self.query_of(response.headers["Location"])["error"], "invalid_scope")

    def test_key_rotation_keeps_old_tokens_valid(self):
        _session, first = self.fetch_code_token()
        old_kid = jwt.get_unverified_header(first["access_token"])["kid"]
        self.api.action_oauth2_rotate_keys()
        _session, second = self.fetch_code_token()
        new_kid = jwt.get_unverified_header(second["access_token"])["kid"]
        self.assertNotEqual(old_kid, new_kid)
        self.assertStatus(self.call_api(first["access_token"]), 200)
        self.assertStatus(self.call_api(second["access_token"]), 200)

        jwks = self.api_call("GET", "/oauth_api/oauth2/jwks").json()
        self.assertEqual({key["kid"] for key in jwks["keys"]}, {old_kid, new_kid})
        self.assertNotIn("d", jwks["keys"][0])
        # Once the old key's tokens have all expired, it validates nothing any more.
        self.env["api.oauth2.key"].search([("kid", "=", old_kid)]).valid_until = \
            fields.Datetime.now() - timedelta(seconds=1)
        self.env.flush_all()
        self.assertStatus(self.call_api(first["access_token"]), 401)

    def test_jwt_validates_against_the_published_jwks(self):
        _session, token = self.fetch_code_token()
        jwks = self.api_call("GET", "/oauth_api/oauth2/jwks").json()
        key = jwt.PyJWKSet.from_dict(jwks).keys[0]
        claims = jwt.decode(token["access_token"], key.key, algorithms=["RS256"],
                            audience=self.api_url(), issuer=self.api_url())
        self.assertEqual(claims["scope"], "read write")

    def test_metadata_rfc8414(self):
        for path in ("/oauth_api/.well-known/oauth-authorization-server",
                     "/.well-known/oauth-authorization-server/oauth_api"):
            response = self.api_call("GET", path)
            self.assertStatus(response, 200)
            metadata = response.json()
            self.assertEqual(metadata["issuer"], self.api_url())
            self.assertEqual(metadata["token_endpoint"], self.api_url("/oauth2/token"))
            self.assertEqual(metadata["code_challenge_methods_supported"], ["S256"])
            self.assertNotIn("token", metadata["response_types_supported"])
        self.assertStatus(
            self.api_call("GET", "/.well-known/oauth-authorization-server/nothing"), 404)

    def metadata_grant_types(self):
        self.env.flush_all()
        response = self.api_call("GET", "/oauth_api/.well-known/oauth-authorization-server")
        return self.assertStatus(response, 200).json()["grant_types_supported"]

    def test_metadata_lists_the_grants_of_the_active_clients_only(self):
        self.assertEqual(self.metadata_grant_types(),
                         ["authorization_code", "refresh_token", "client_credentials"])
        self.confidential_client.grant_password = True
        self.assertEqual(self.metadata_grant_types(), ["authorization_code", "refresh_token",
                                                       "client_credentials", "password"])
        self.confidential_client.active = False
        self.assertEqual(self.metadata_grant_types(), ["authorization_code", "refresh_token"])
        # No active client: an empty list, since a missing member would mean
        # authorization_code and implicit (RFC 8414 section 2).
        self.public_client.active = False
        self.assertEqual(self.metadata_grant_types(), [])

    def test_bearer_validation_query_count_does_not_grow_with_tokens(self):
        _session, token = self.fetch_code_token()
        access = token["access_token"]
        self.assertStatus(self.call_api(access), 200)
        with self.assertQueryCount(__system__=20):
            self.assertStatus(self.call_api(access), 200)
        template = self.env["api.oauth2.token"].search([], limit=1)
        for index in range(50):
            template.copy({"jti": f"jti-{index}", "access_token_hash": digest(f"a{index}"),
                           "refresh_token_hash": digest(f"r{index}"),
                           "family": f"family-{index}"})
        with self.assertQueryCount(__system__=20):
            self.assertStatus(self.call_api(access), 200)


@tagged("post_install", "-at_install")
class TestDelegatedProvider(OAuth2HttpCase):
    """An API that trusts the tokens of another API acting as its provider."""

    @classmethod
    def _setup_records(cls):
        super()._setup_records()
        cls.provider = cls.env["api.oauth2.provider"].create({
            "name": "Suite provider", "issuer": "http://placeholder", "user_claim": "sub",
            "user_field": "id"})
        cls.delegated = cls.create_api("oauth_delegated", "rest_json", "oauth2",
                                       oauth2_mode="delegated",
                                       oauth2_provider_id=cls.provider.id)

    def discover(self):
        self.provider.issuer = self.api_url()
        self.provider.action_discover()
        self.env.flush_all()

    def test_provider_jwt_is_accepted_after_discovery(self):
        _session, token = self.fetch_code_token(scope="read")
        self.discover()
        self.assertEqual(self.provider.token_endpoint, self.api_url("/oauth2/token"))
        access = token["access_token"]
        response = self.call_api(access, api=self.delegated)
        self.assertStatus(response, 200)
        self.assertEqual(response.json()["user"]["login"], "api_caller")
        # The provider's scope still applies.
        response = self.call_api(access, "/res.partner/create", "POST",
                                 {"args": [{"name": "Not created"}]}, api=self.delegated)
        self.assertStatus(response, 403)
        self.assertIn("insufficient_scope", response.headers["WWW-Authenticate"])

    def test_tokens_of_other_issuers_or_keys_are_refused(self):
        _session, token = self.fetch_code_token()
        self.discover()
        header, payload, signature = token["access_token"].split(".")
        forged = ".".join([header, payload, signature[::-1]])
        self.assertStatus(self.call_api(forged, api=self.delegated), 401)

        self.provider.issuer = "https://someone-else.example.com"
        self.env.flush_all()
        self.assertStatus(self.call_api(token["access_token"], api=self.delegated), 401)

    def test_delegated_api_serves_no_authorization_server(self):
        response = self.api_call("GET", "/oauth_delegated/oauth2/authorize")
        self.assertStatus(response, 404)
        # The token endpoint refreshes provider tokens for the provider's client only.
        response = self.api_call("POST", "/oauth_delegated/oauth2/token")
        self.assertStatus(response, 401)
        self.assertEqual(response.json()["error"], "invalid_client")
        response = self.api_call("GET", "/.well-known/oauth-authorization-server/"
                                        "oauth_delegated")
        self.assertStatus(response, 404)
