"""The client secret: shown once in the backend, kept only as a hash."""

from odoo.tests import Form, tagged

from odoo.addons.api_framework_base.tests.common import rows_holding

from .common import OAuth2HttpCase


@tagged("post_install", "-at_install")
class TestClientSecret(OAuth2HttpCase):

    def rows_holding(self, secret):
        return rows_holding(self.env, secret)

    def test_new_secret_is_shown_once_and_stored_nowhere(self):
        client = self.confidential_client.with_user(self.api_manager)
        action = client.action_generate_secret()
        secret = action["context"]["default_secret"]
        self.assertTrue(secret)
        self.assertEqual(self.rows_holding(secret), [])

        shown = Form(self.env[action["res_model"]].with_user(self.api_manager)
                     .with_context(action["context"]), view=action["views"][0][0])
        self.assertEqual(shown.secret, secret)
        self.assertEqual(shown.client_identifier, client.client_id)

        self.env.flush_all()  # authlib's session, unlike self.opener, does not flush
        session = self.oauth_session(self.confidential_client, secret)
        token = session.fetch_token(self.api_url("/oauth2/token"),
                                    grant_type="client_credentials")
        self.assertStatus(self.call_api(token["access_token"]), 200)
        old = self.oauth_session(self.confidential_client, self.confidential_secret)
        error = self.oauth_error(old.fetch_token, self.api_url("/oauth2/token"),
                                 grant_type="client_credentials")
        self.assertEqual(error.error, "invalid_client")
