"""Test helpers shared by the addons of the suite.

``ApiTestMixin`` creates APIs and users; ``ApiHttpCase`` adds calls over real HTTP to the
test server. Addons subclass them and override ``_setup_records`` for their own data.
"""

import contextlib
import json
import logging

from odoo.tests import HttpCase, new_test_user

from ..tools import credentials


class ApiTestMixin:
    """Records most API tests need: an API user and helpers to create APIs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls._setup_users()
        cls._setup_records()

    @classmethod
    def _setup_users(cls):
        cls.api_user = new_test_user(
            cls.env, login="api_caller", name="API Caller",
            groups="base.group_user,api_framework_base.group_api_user",
            password="api_caller_pass_1234",
        )
        cls.api_manager = new_test_user(
            cls.env, login="api_admin", name="API Admin",
            groups="base.group_user,api_framework_base.group_api_manager",
        )

    @classmethod
    def _setup_records(cls):
        """Hook: create the records the tests of a subclass need."""

    @classmethod
    def create_api(cls, endpoint, protocol, auth_type, users=None, publish=True, **values):
        """Create an API answering at ``/endpoint``, published unless ``publish`` is False."""
        api = cls.env["api.api"].create({
            "name": values.pop("name", endpoint.title()),
            "endpoint": endpoint,
            "protocol": protocol,
            "auth_type": auth_type,
            "user_ids": [(6, 0, (users or cls.api_user).ids)],
            **values,
        })
        if publish:
            api.action_publish()
        return api


class ApiHttpCase(ApiTestMixin, HttpCase):
    """An HTTP test case with JSON helpers for calling APIs of the test server."""

    def api_call(self, method, path, body=None, headers=None, raw=None, params=None):
        """Send ``method`` to ``path`` and return the response; ``body`` is sent as JSON."""
        headers = dict(headers or {})
        data = raw
        if body is not None:
            data = json.dumps(body)
            headers.setdefault("Content-Type", "application/json")
        url = self.base_url() + path
        return self.opener.request(method, url, data=data, headers=headers, params=params,
                                   timeout=60, allow_redirects=False)

    def assertStatus(self, response, status):
        self.assertEqual(
            response.status_code, status,
            f"expected {status}, got {response.status_code}: {response.text[:2000]}")
        return response


class _ListHandler(logging.Handler):
    def __init__(self):
        super().__init__()
        self.output = []
        self.records = []

    def emit(self, record):
        self.records.append(record)
        self.output.append(f"{record.levelname}:{record.name}:{record.getMessage()}")


@contextlib.contextmanager
def capture_logs(logger_name, level=logging.INFO):
    """Collect the messages ``logger_name`` logs at ``level`` or above, in ``.output``
    (and the log records, in ``.records``)."""
    logger = logging.getLogger(logger_name)
    handler = _ListHandler()
    handler.setLevel(level)
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(min(level, logger.getEffectiveLevel()))
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)


def rows_holding(env, secret):
    """Return ``(table, column)`` of every text column in which a row holds ``secret``:
    a secret shown once must be stored nowhere in clear."""
    env.flush_all()
    env.cr.execute("""
        SELECT c.table_name, c.column_name
          FROM information_schema.columns c
          JOIN information_schema.tables t
            ON t.table_schema = c.table_schema AND t.table_name = c.table_name
         WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
           AND c.data_type IN ('character varying', 'text', 'jsonb')
    """)
    found = []
    for table, column in env.cr.fetchall():
        env.cr.execute(
            f'SELECT 1 FROM "{table}" WHERE "{column}"::text LIKE %s LIMIT 1',
            [f"%{secret}%"])
        if env.cr.fetchone():
            found.append((table, column))
    return found


# Protocols these tests can call, each with a read of the caller's own partner.
KNOWN_PROTOCOLS = ("rest_json", "jsonapi", "graphql")
THRESHOLD_PARAM = "api_framework.auth_failure_threshold"


class AuthProtocolsCase(ApiHttpCase):
    """Creates, for each installed protocol in ``KNOWN_PROTOCOLS``, an API with the
    authentication ``auth_type`` answering at ``/<endpoint_prefix>-<protocol>``."""

    auth_type = None
    endpoint_prefix = None

    @classmethod
    def _setup_records(cls):
        super()._setup_records()
        installed = dict(cls.env["api.api"]._fields["protocol"].selection)
        cls.protocols = [name for name in KNOWN_PROTOCOLS if name in installed]
        cls.apis = {
            protocol: cls.create_api(
                f"{cls.endpoint_prefix}-{protocol.replace('_', '-')}", protocol,
                cls.auth_type, name=f"Auth {protocol}")
            for protocol in cls.protocols
        }
        cls.partner_name = cls.api_user.partner_id.name

    def setUp(self):
        super().setUp()
        if not self.protocols:
            self.skipTest("none of the protocols these tests call is installed: "
                          + ", ".join(KNOWN_PROTOCOLS))
        credentials.clear_cache()
        self.addCleanup(credentials.clear_cache)
        # Failures of one test must not lock the next ones out; throttling tests lower it.
        self.set_failure_threshold(1000)

    def set_failure_threshold(self, threshold):
        self.env["ir.config_parameter"].sudo().set_param(THRESHOLD_PARAM, threshold)

    def call_protocol(self, protocol, headers=None, params=None):
        """Read the API user's partner through ``protocol``'s API."""
        api = self.apis[protocol]
        partner = self.api_user.partner_id
        if protocol == "rest_json":
            return self.api_call("POST", f"/{api.endpoint}/res.partner/read",
                                 body={"args": [[partner.id], ["name"]]},
                                 headers=headers, params=params)
        if protocol == "jsonapi":
            return self.api_call("GET", f"/{api.endpoint}/res.partner/{partner.id}",
                                 headers=headers, params=params)
        query = '{ ResPartner(id: "%s") { id name } }' % partner.id
        return self.api_call("POST", f"/{api.endpoint}", body={"query": query},
                             headers=headers, params=params)

    def assertCallSucceeds(self, protocol, headers):
        response = self.assertStatus(self.call_protocol(protocol, headers=headers), 200)
        self.assertIn(self.partner_name, response.text)
        return response

    def assertUnauthorized(self, response, challenge_prefix):
        self.assertStatus(response, 401)
        self.assertTrue(
            response.headers.get("WWW-Authenticate", "").startswith(challenge_prefix),
            f"WWW-Authenticate is {response.headers.get('WWW-Authenticate')!r}")
        self.assertNotIn(self.partner_name, response.text)
        return response
