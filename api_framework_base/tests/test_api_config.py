from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from ..models.api_api import ENDPOINT_PATTERN, RESERVED_ENDPOINTS
from .common import ApiTestMixin


@tagged("post_install", "-at_install")
class TestApiConfig(ApiTestMixin, TransactionCase):

    def _new_api(self, endpoint):
        return self.env["api.api"].new({"name": "X", "endpoint": endpoint})

    def test_endpoint_must_be_url_safe(self):
        for endpoint in ("with space", "UPPER", "a/b", "dot.ted", "-dash", "é"):
            with self.subTest(endpoint=endpoint), self.assertRaises(ValidationError):
                self._new_api(endpoint)._check_endpoint()

    def test_endpoint_never_shadows_odoo_routes(self):
        for endpoint in ("web", "json", "jsonrpc", "xmlrpc", "websocket", "base"):
            with self.subTest(endpoint=endpoint), self.assertRaises(ValidationError):
                self._new_api(endpoint)._check_endpoint()

    def test_endpoint_never_shadows_routes_of_installed_modules(self):
        # first path segments that only the routing map knows (such as web's /logo,
        # /scoped_app): not in the fixed list, nor the name of a module
        served = {rule.rule.lstrip("/").split("/", 1)[0]
                  for rule in self.env["ir.http"].routing_map().iter_rules()}
        known = RESERVED_ENDPOINTS | set(self.env.registry._init_modules)
        candidates = sorted(first for first in served - known
                            if ENDPOINT_PATTERN.match(first))
        self.assertTrue(candidates, "the installed modules serve no other first segment")
        for endpoint in candidates:
            with self.subTest(endpoint=endpoint), self.assertRaises(ValidationError):
                self._new_api(endpoint)._check_endpoint()

    def test_endpoint_unique(self):
        api_model = self.env["api.api"]
        protocol = api_model._fields["protocol"].selection
        auth = api_model._fields["auth_type"].selection
        if not protocol or not auth:
            self.skipTest("needs a protocol and an authentication addon")
        self.create_api("unique-one", protocol[0][0], auth[0][0])
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), \
                self.env.cr.savepoint():
            self.create_api("unique-one", protocol[0][0], auth[0][0])

    def test_published_endpoints_follow_state(self):
        api_model = self.env["api.api"]
        protocol = api_model._fields["protocol"].selection
        auth = api_model._fields["auth_type"].selection
        if not protocol or not auth:
            self.skipTest("needs a protocol and an authentication addon")
        api = self.create_api("state-check", protocol[0][0], auth[0][0])
        self.assertEqual(api_model._api_match_path("/state-check/x/y"), (api.id, "/x/y"))
        api.action_unpublish()
        self.assertIsNone(api_model._api_match_path("/state-check/x/y"))
        api.action_publish()
        api.endpoint = "renamed-check"
        self.assertIsNone(api_model._api_match_path("/state-check"))
        self.assertEqual(api_model._api_match_path("/renamed-check"), (api.id, ""))
        api.action_cancel()
        self.assertIsNone(api_model._api_match_path("/renamed-check"))
