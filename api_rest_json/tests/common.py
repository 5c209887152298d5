"""Test base of the REST-JSON addon: an API-key API and a client calling its methods."""

import json
from unittest import SkipTest

from odoo.addons.api_framework_base.tests.common import ApiHttpCase
from odoo.addons.api_framework_base.tools.serialization import json_dumps


def as_json(value):
    """Return ``value`` as a JSON client receives it (tuples become lists...)."""
    return json.loads(json_dumps(value))


class RestJsonCase(ApiHttpCase):
    """A published REST-JSON API at ``/rest-test`` with an API key of ``api_user``."""

    endpoint = "rest-test"

    @classmethod
    def _setup_records(cls):
        super()._setup_records()
        if "apikey" not in dict(cls.env["api.api"]._fields["auth_type"].selection):
            raise SkipTest("needs api_auth_apikey")
        # Odoo 18 gives contact creation to its own group, not to every internal user.
        cls.api_user.groups_id += cls.env.ref("base.group_partner_manager")
        cls.api = cls.create_api(cls.endpoint, "rest_json", "apikey")
        cls.key = cls.env["api.key"]._generate(cls.api, cls.api_user, "tests")

    def rest_call(self, model, method, args=None, kwargs=None, key=None, headers=None,
                  endpoint=None, params=None, body=None):
        """POST ``{"args": args, "kwargs": kwargs}`` to ``/<endpoint>/<model>/<method>``."""
        headers = {"x-api-key": key or self.key, **(headers or {})}
        if body is None:
            body = {"args": args or [], "kwargs": kwargs or {}}
        path = f"/{endpoint or self.endpoint}/{model}/{method}"
        return self.api_call("POST", path, body=body, headers=headers, params=params)

    def rest_result(self, model, method, args=None, kwargs=None, **options):
        """Return the ``result`` of a call that must answer 200."""
        response = self.assertStatus(self.rest_call(model, method, args, kwargs, **options),
                                     200)
        self.assertNotIn("Set-Cookie", response.headers)
        return response.json()["result"]

    def rest_error(self, status, model, method, args=None, kwargs=None, **options):
        """Return the ``error`` object of a call that must answer ``status``."""
        response = self.assertStatus(self.rest_call(model, method, args, kwargs, **options),
                                     status)
        self.assertNotIn("Set-Cookie", response.headers)
        self.assertEqual(response.headers["Content-Type"], "application/json")
        error = response.json()["error"]
        self.assertEqual(error["status"], status)
        self.assertTrue(error["code"] and error["message"])
        self.assertNotIn("traceback", error)
        return error

    def user_env(self, user=None):
        """The environment Odoo's own RPC would run in for ``user``."""
        self.env.invalidate_all()
        return self.env(user=user or self.api_user)
