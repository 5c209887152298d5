"""A custom API serving companies only, categories read-only within a domain and bank
accounts read/create: exports, writes and linkage stay within the allow-list and the
access domains."""

from odoo.tests import tagged

from .common import JsonApiCase

PARTNER_FIELDS = [
    "name", "is_company", "email", "user_id", "create_uid", "write_uid", "child_ids",
    "parent_id", "category_id", "commercial_partner_id", "partner_share", "create_date",
    "write_date", "type", "country_id", "bank_ids",
]


@tagged("post_install", "-at_install")
class TestJsonApiDomains(JsonApiCase):

    endpoint = "jsonapi_domains"
    access_mode = "custom"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.api_user.groups_id |= cls.env.ref("base.group_allow_export")
        fields = cls.env["ir.model.fields"].search([
            ("model", "=", "res.partner"), ("name", "in", PARTNER_FIELDS)])
        model = cls.env["ir.model"]._get
        cls.api.write({"access_mode": cls.access_mode, "access_ids": [
            (0, 0, {"model_id": model("res.partner").id, "field_ids": [(6, 0, fields.ids)],
                    "perm_create": True, "perm_write": True, "perm_unlink": True,
                    "domain": "[('is_company', '=', True)]"}),
            (0, 0, {"model_id": model("res.partner.category").id,
                    "domain": f"[('id', '=', {cls.cat1.id})]"}),
            (0, 0, {"model_id": model("res.partner.bank").id, "perm_create": True}),
        ]})
        cls.other_company = cls.env["res.partner"].create(
            {"name": "JA Other Co", "is_company": True})

    def resource(self, record, attributes=None, relationships=None):
        data = {"type": "res-partner", "id": str(record.id)}
        if attributes is not None:
            data["attributes"] = attributes
        if relationships is not None:
            data["relationships"] = relationships
        return {"data": data}

    # 1. Exports ------------------------------------------------------------

    def export(self, *paths):
        body = {"model": "res.partner", "ids": self.company.ids, "format": "csv",
                "fields": [{"name": path, "label": path} for path in paths]}
        return self.jsonapi("POST", "/export", body)

    def test_export_stays_within_the_allow_list_and_domains(self):
        self.assertStatus(self.export("name", "email", "child_ids/id", "category_id/id"), 200)
        for path in ("user_id/login", "create_uid/login", "write_uid/groups_id/name",
                     "child_ids/email", "child_ids/name", "category_id/name",
                     "country_id/name"):
            self.assertError(self.export("name", path), 403, pointer="/fields")

    def test_export_without_the_export_right(self):
        self.api_user.groups_id -= self.env.ref("base.group_allow_export")
        self.assertError(self.export("name"), 403)


@tagged("post_install", "-at_install")
class TestJsonApiDomainsSudo(TestJsonApiDomains):

    endpoint = "jsonapi_domains_sudo"
    access_mode = "sudo"
