"""Masking, cutting and summarising, on the pure functions the log is built with."""

import base64
import io
import json

from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.urls import url_encode

from odoo.tests import BaseCase, tagged

from ..tools import graphql_masking, masking
from ..tools.masking import MASK


@tagged("post_install", "-at_install")
class TestMasking(BaseCase):

    def test_credential_headers_are_masked(self):
        text = masking.format_headers([
            ("x-api-key", "key-123"), ("Authorization", "Bearer tok-123"),
            ("password", "pw-123"), ("Cookie", "session_id=sess-123"),
            ("Set-Cookie", "session_id=sess-456; HttpOnly"), ("Accept", "application/json"),
        ])
        for secret in ("key-123", "tok-123", "pw-123", "sess-123", "sess-456"):
            self.assertNotIn(secret, text)
        self.assertIn(f"Authorization: Bearer {MASK}", text)
        self.assertIn(f"Set-Cookie: {MASK}", text)
        self.assertIn("Accept: application/json", text)

    def test_every_credential_refused_in_a_url_is_masked_in_the_query_string(self):
        text = masking.mask_query_string(
            "username=user-9&login=login-9&key=key-9&limit=5&access_token=tok-9")
        for secret in ("user-9", "login-9", "key-9", "tok-9"):
            self.assertNotIn(secret, text)
        self.assertIn("limit=5", text)

    def test_oauth_token_response_is_masked(self):
        body = json.dumps({"access_token": "at-1", "refresh_token": "rt-1", "id_token": "it-1",
                           "token_type": "Bearer", "expires_in": 3600})
        text = masking.body_to_text(body.encode(), "application/json", 0)
        for secret in ("at-1", "rt-1", "it-1"):
            self.assertNotIn(secret, text)
        self.assertEqual(json.loads(text)["expires_in"], 3600)

    def test_nested_json_secrets_are_masked(self):
        body = {"kwargs": {"vals": [{"name": "Ann", "password": "pw-2",
                                     "new_password": "pw-3"}]},
                "client_secret": "cs-2", "api_key": "ak-2"}
        text = masking.body_to_text(json.dumps(body).encode(), "application/json", 0)
        for secret in ("pw-2", "pw-3", "cs-2", "ak-2"):
            self.assertNotIn(secret, text)
        self.assertIn("Ann", text)

    def test_oauth_code_masked_in_form_and_query_only_next_to_oauth_parameters(self):
        form = "grant_type=authorization_code&code=c-1&client_secret=cs-3&client_id=app"
        text = masking.body_to_text(form.encode(), "application/x-www-form-urlencoded", 0)
        self.assertNotIn("c-1", text)
        self.assertNotIn("cs-3", text)
        self.assertIn("client_id=app", text)
        query = masking.mask_query_string("code=c-2&state=xyz")
        self.assertNotIn("c-2", query)
        self.assertIn("state=xyz", query)
        # Without OAuth parameters, "code" is an ordinary field, such as a product code.
        self.assertIn("E-42", masking.body_to_text(b'{"code": "E-42"}', "application/json", 0))

    def test_unparsable_text_is_masked_by_pattern(self):
        text = masking.mask_text('{"password": "pw-4", "name": "x", "tok')
        self.assertNotIn("pw-4", text)
        xml = masking.mask_text("<login>a</login><password>pw-5</password>")
        self.assertNotIn("pw-5", xml)
        self.assertIn("<login>a</login>", xml)

    def test_bodies_are_cut_at_the_tail_length(self):
        text = masking.body_to_text(b"x" * 100, "text/plain", 10)
        self.assertTrue(text.startswith("x" * 10 + "\n"))
        self.assertIn("cut: 100 characters, 10 kept", text)
        self.assertEqual(masking.body_to_text(b"short", "text/plain", 10), "short")

    def test_binary_content_is_summarised(self):
        self.assertEqual(masking.body_to_text(b"\x89PNG" + b"\0" * 10, "image/png", 0),
                         "<binary 14 bytes, image/png>")
        self.assertEqual(masking.body_to_text(b"\xff\xfe\x00", "", 0),
                         "<binary 3 bytes, unknown type>")

    def test_identity_of_failed_calls_hides_the_secret(self):
        basic = "Basic " + base64.b64encode(b"ann:secret-pw").decode()
        self.assertEqual(masking.guess_identity({"Authorization": basic}), "ann")
        identity = masking.guess_identity({"x-api-key": "abcdefghijklmnop1234"})
        self.assertEqual(identity, "API key ...1234")
        self.assertEqual(masking.guess_identity({"Authorization": "Bearer t"}),
                         "Bearer credentials")

    def test_multipart_fields_masked_and_files_summarised(self):
        form = MultiDict([("name", "Ann"), ("password", "pw-6")])
        files = MultiDict([("photo", FileStorage(io.BytesIO(b"\x89PNG" * 10),
                                                 filename="a.png", content_type="image/png"))])
        text = masking.multipart_to_text(form, files, 0)
        self.assertNotIn("pw-6", text)
        self.assertEqual(json.loads(text)["photo"], "<file 'a.png', 40 bytes, image/png>")

    def test_credential_parameters_of_urls_in_headers_are_masked(self):
        text = masking.format_headers([
            ("Location", "https://app.example.com/cb?code=c-7&state=st-7"),
            ("Location", "https://app.example.com/cb?code=c-8"),
            ("Location", "https://app.example.com/cb#access_token=at-7&expires_in=3600"),
            ("Referer", "https://host/api?limit=5&api_key=ak-7"),
            ("Refresh", "0; url=/next?refresh_token=rt-7&page=2"),
            ("Link", '<https://host/api?page=2&token=tk-7>; rel="next"'),
            ("Location", "/web/login?redirect=%2Foauth%2Fauthorize"),
        ])
        for secret in ("c-7", "c-8", "at-7", "ak-7", "rt-7", "tk-7"):
            self.assertNotIn(secret, text)
        self.assertIn(f"Location: https://app.example.com/cb?code={MASK}&state=st-7", text)
        self.assertIn("expires_in=3600", text)
        self.assertIn('rel="next"', text)
        # Nothing to mask: the value is kept as it was sent.
        self.assertIn("Location: /web/login?redirect=%2Foauth%2Fauthorize", text)

    def test_html_fields_and_attributes_named_as_secrets_are_masked(self):
        page = ('<form><input type="hidden" name="csrf_token" value="csrf-9"/>'
                '<input type="hidden" name="state" value="st-9"/>'
                '<input type=password name=pw value=pw-9>'
                '<div data-api-key=\'ak-9\'>x</div></form>'
                '<meta name="csrf-token" content="meta-9">'
                '<script>var odoo = {csrf_token: "js-9", debug: ""};</script>')
        text = masking.body_to_text(page.encode(), "text/html", 0)
        for secret in ("csrf-9", "pw-9", "ak-9", "meta-9", "js-9"):
            self.assertNotIn(secret, text)
        self.assertIn(f'<input type="hidden" name="csrf_token" value="{MASK}"/>', text)
        self.assertIn('name="state" value="st-9"', text)

    def test_graphql_literals_in_secret_places_are_masked(self):
        query = ('mutation ($p: String = "dflt-1", $m: String, $a: [String]) {\n'
                 '  callResUsers(method: "change_password", args: ["old-1", "new-1"])\n'
                 '  b: createResUsers(values: {login: "ann", password: "pw-1", n: 5}) { id }\n'
                 '  c: callResPartner(method: "write", args: [[1], {name: "Bob", apiKey: 42}])\n'
                 '  d: updateResUsers(id: 1, values: {password: $p}) { id }\n'
                 '  e: callResUsers(method: $m, args: $a)\n'
                 '  f: ResUsers(method_name: "authenticate", method_parameters: ["db", "x-1"])\n'
                 '}  # kept as sent')
        body = json.dumps({"query": query, "variables": {
            "p": "var-1", "m": "change_password", "a": ["var-2"], "password": "var-3"}})
        text = masking.body_to_text(body.encode(), "application/json", 0, "graphql")
        for secret in ("dflt-1", "old-1", "new-1", "pw-1", "42", "var-1", "var-2", "var-3",
                       "x-1"):
            self.assertNotIn(secret, text)
        logged = json.loads(text)
        self.assertIn('callResUsers(method: "change_password", args: ["%s", "%s"])'
                      % (MASK, MASK), logged["query"])
        self.assertIn('{login: "ann", password: "%s", n: 5}' % MASK, logged["query"])
        self.assertIn('{name: "Bob", apiKey: "%s"}' % MASK, logged["query"])
        self.assertTrue(logged["query"].endswith("}  # kept as sent"))
        self.assertEqual(logged["variables"]["m"], "change_password")

    def test_graphql_get_query_string_and_raw_document_are_masked(self):
        query = 'mutation { callResUsers(method: "change_password", args: ["old-2", "new-2"]) }'
        text = masking.mask_query_string(
            url_encode({"query": query, "variables": '{"password": "var-4"}'}), "graphql")
        for secret in ("old-2", "new-2", "var-4"):
            self.assertNotIn(secret, text)
        self.assertIn("change_password", text)
        raw = masking.body_to_text(query.encode(), "application/graphql", 0)
        self.assertNotIn("old-2", raw)

    def test_unparsable_graphql_is_masked_whole_where_it_cannot_be_read(self):
        broken = 'mutation { callResUsers(method: "change_password", args: ["old-3", "new-3"'
        masked, _variables = graphql_masking.mask_graphql_document(broken)
        self.assertEqual(masked, 'mutation { callResUsers(method: "%s", args: ["%s", "%s"'
                         % (MASK, MASK, MASK))
        # The lexer stops at "%": the rest is not kept.
        masked, _variables = graphql_masking.mask_graphql_document(
            'mutation { callResUsers(method: "set_password" % "pw-4") }')
        self.assertNotIn("pw-4", masked)
        not_json = '{"query": "mutation { callResUsers(method: \\"change_password\\", args: ['
        text = masking.body_to_text(not_json.encode(), "application/json", 0, "graphql")
        self.assertNotIn("change_password", text)
        self.assertIn("not kept", text)

    def test_graphql_without_secret_names_is_kept_as_sent(self):
        body = b'{"query": "{ ResPartner(limit: 5, domain: [[\\"name\\", \\"=\\", \\"x\\"]]) ' \
               b'{ id name } }"}'
        self.assertEqual(masking.body_to_text(body, "application/json", 0, "graphql"),
                         body.decode())
