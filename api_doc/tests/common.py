"""Test base of api_doc: REST-JSON APIs with API keys, and helpers to read their docs.

The documents are generated per protocol, so these tests need a protocol and an
authentication addon: run them with
``bin/test api_doc api_json api_rest_json api_auth_apikey api_graphql``.
"""

from unittest import SkipTest

from odoo.tests import new_test_user

from odoo.addons.api_framework_base.tests.common import ApiHttpCase


class ApiDocCase(ApiHttpCase):
    """A custom-mode REST-JSON API at ``/doc-test`` allowing partners, tags and countries,
    with an API key of ``api_user``; and a Documentation Viewer."""

    endpoint = "doc-test"

    @classmethod
    def _setup_records(cls):
        super()._setup_records()
        api_model = cls.env["api.api"]
        if "rest_json" not in dict(api_model._fields["protocol"].selection) \
                or "apikey" not in dict(api_model._fields["auth_type"].selection):
            raise SkipTest("needs api_rest_json and api_auth_apikey")
        cls.api_user.groups_id += cls.env.ref("base.group_partner_manager")
        cls.api = cls.create_api(
            cls.endpoint, "rest_json", "apikey", access_mode="custom",
            name="Doc Test API", meta_version="2.3", meta_author_name="Docs Team",
            meta_author_email="docs@example.test", description="An API to document.",
            access_ids=[
                (0, 0, {"model_id": cls.model_id("res.partner"), "perm_create": True,
                        "perm_write": True}),
                (0, 0, {"model_id": cls.model_id("res.partner.category"),
                        "perm_create": True, "perm_unlink": True}),
                (0, 0, {"model_id": cls.model_id("res.country")}),
            ],
        )
        cls.key = cls.env["api.key"]._generate(cls.api, cls.api_user, "doc tests")
        cls.doc_viewer = new_test_user(
            cls.env, login="doc_viewer", name="Doc Viewer", password="doc_viewer_pass_1234",
            groups="base.group_user,api_framework_base.group_api_doc_viewer",
        )
        cls.plain_user = new_test_user(
            cls.env, login="plain_user", name="Plain User", password="plain_user_pass_1234",
            groups="base.group_user",
        )

    @classmethod
    def model_id(cls, model_name):
        return cls.env["ir.model"]._get_id(model_name)

    def get_doc(self, name, endpoint=None, key=None, status=200, headers=None):
        """GET ``/<endpoint>/<name>`` with the API key; return the response."""
        headers = {"x-api-key": key or self.key, **(headers or {})}
        response = self.api_call("GET", f"/{endpoint or self.endpoint}/{name}",
                                 headers=headers)
        return self.assertStatus(response, status)
