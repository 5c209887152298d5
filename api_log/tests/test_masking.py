"""Masking, cutting and summarising, on the pure functions the log is built with."""

import base64
import io
import json

from werkzeug.datastructures import FileStorage, MultiDict

from odoo.tests import BaseCase, tagged

from ..tools import masking
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
