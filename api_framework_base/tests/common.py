"""Test helpers shared by the addons of the suite.

``ApiTestMixin`` creates APIs and users; ``ApiHttpCase`` adds calls over real HTTP to the
test server. Addons subclass them and override ``_setup_records`` for their own data.
"""

import contextlib
import json
import logging

from odoo.tests import HttpCase, new_test_user


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

    def emit(self, record):
        self.output.append(f"{record.levelname}:{record.name}:{record.getMessage()}")


@contextlib.contextmanager
def capture_logs(logger_name, level=logging.INFO):
    """Collect the messages ``logger_name`` logs at ``level`` or above, in ``.output``."""
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
