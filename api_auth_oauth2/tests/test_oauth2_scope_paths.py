from odoo.tests import tagged

from .common import OAuth2HttpCase


@tagged("post_install", "-at_install")
class TestScopePaths(OAuth2HttpCase):
    """A scope covers every model a domain path reads, not only the model searched."""

    def test_domain_path_needs_the_scope_of_each_model_it_reads(self):
        self.public_client.scope = "read res.partner:read"
        self.env.flush_all()
        _session, token = self.fetch_code_token(scope="res.partner:read")
        access = token["access_token"]
        response = self.call_api(access, "/res.country/search_read", "POST",
                                 {"kwargs": {"fields": ["code"], "limit": 1}})
        self.assertStatus(response, 403)
        body = {"args": [[["name", "!=", False]]], "kwargs": {"fields": ["name"], "limit": 1}}
        self.assertStatus(self.call_api(access, "/res.partner/search_read", "POST", body), 200)
        for domain in ([["country_id.code", "=", "US"]],
                       [["country_id", "any", [["code", "=", "US"]]]],
                       [["parent_id.country_id.code", "=", "US"]]):
            body = {"args": [domain], "kwargs": {"fields": ["name"]}}
            response = self.call_api(access, "/res.partner/search_read", "POST", body)
            self.assertStatus(response, 403)
            self.assertEqual(response.json()["error"]["code"], "insufficient_scope", domain)
            self.assertIn('error="insufficient_scope"', response.headers["WWW-Authenticate"])
