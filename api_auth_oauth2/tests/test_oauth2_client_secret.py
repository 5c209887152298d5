"""The client secret: shown once in the backend, kept only as a hash."""

from odoo.tests import Form, tagged

from .common import OAuth2HttpCase


@tagged("post_install", "-at_install")
class TestClientSecret(OAuth2HttpCase):

    def rows_holding(self, secret):
        """Return ``(table, column)`` of every text column in which a row holds ``secret``."""
        self.env.flush_all()
        self.env.cr.execute("""
            SELECT c.table_name, c.column_name
              FROM information_schema.columns c
              JOIN information_schema.tables t
                ON t.table_schema = c.table_schema AND t.table_name = c.table_name
             WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
               AND c.data_type IN ('character varying', 'text', 'jsonb')
        """)
        found = []
        for table, column in self.env.cr.fetchall():
            self.env.cr.execute(
                f'SELECT 1 FROM "{table}" WHERE "{column}"::text LIKE %s LIMIT 1',
                [f"%{secret}%"])
            if self.env.cr.fetchone():
                found.append((table, column))
        return found

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
