from odoo.tests import tagged

from .common import JsonApiCase


@tagged("post_install", "-at_install")
class TestJsonApiDocumentsRefused(JsonApiCase):
    """Request documents schemathesis found answered with a 500, or with an error that
    PostgreSQL logs: each is a 4xx error object with its ``source.pointer``, and nothing is
    written."""

    def post(self, path, body, status, pointer):
        response = self.jsonapi("POST", path, body)
        return self.assertError(response, status, pointer=pointer)

    def partner(self, **attributes):
        return {"data": {"type": "res-partner", "attributes": dict(name="JA Refused",
                                                                   **attributes)}}

    def test_attributes_the_database_cannot_store(self):
        self.post("/res.partner", self.partner(color=2**40), 422, "/data/attributes/color")
        for latitude in (10**400, 1.7e308):
            self.post("/res.partner", self.partner(partner_latitude=latitude), 422,
                      "/data/attributes/partner_latitude")
        self.post("/res.partner", self.partner(comment="a\x00b"), 400, "/data/attributes/comment")
        body = {"data": {"type": "ir-attachment", "attributes": {
            "name": "JA refused", "res_model": "res.partner", "res_id": 2**40}}}
        self.post("/ir.attachment", body, 422, "/data/attributes/res_id")
        self.assertFalse(self.env["res.partner"].search([("name", "=", "JA Refused")]))
        self.assertFalse(self.env["ir.attachment"].search([("name", "=", "JA refused")]))

    def test_identifiers_of_the_wrong_kind(self):
        body = self.partner()
        body["data"]["lid"] = {"a": 1}
        self.post("/res.partner", body, 400, "/data/lid")
        body = self.partner()
        body["data"]["relationships"] = {
            "parent_id": {"data": {"type": "res-partner", "id": "99999999999"}}}
        self.post("/res.partner", body, 400, "/data/relationships/parent_id/data/id")
        self.assertFalse(self.env["res.partner"].search([("name", "=", "JA Refused")]))

    def test_members_of_the_wrong_kind(self):
        self.post("/res.partner/execute", {"data": {
            "method": "search_count", "args": [[]], "kwargs": [None, None]}}, 400,
            "/data/kwargs")
        self.post("/export", {"model": "res.partner", "ids": self.company.ids, "format": {},
                              "fields": [{"name": "name", "label": "Name"}]}, 400, "/format")
        self.post("/report", {"report_ref": "base.report_ir_model_overview", "res_ids": [1],
                              "converter": {}}, 400, "/converter")
        response = self.jsonapi("PUT", f"/res.partner/{self.company.id}/image_1920",
                                {"meta": True})
        self.assertError(response, 400, pointer="/meta/content")

    def test_export_domain_values_are_checked(self):
        self.api_user.groups_id |= self.env.ref("base.group_allow_export")
        body = {"model": "res.partner", "fields": [{"name": "name", "label": "Name"}],
                "domain": [["create_date", ">", "yesterday"]]}
        error = self.post("/export", body, 400, "/domain")
        self.assertIn("create_date", error["detail"])


@tagged("post_install", "-at_install")
class TestJsonApiReferenceValues(JsonApiCase):
    endpoint = "jsonapi_sudo_references"
    api_values = {"access_mode": "sudo"}

    def test_reference_attribute(self):
        # a menu with an action, which Odoo shows (and lets the API find)
        menu = self.env["ir.ui.menu"].create({
            "name": "JA menu", "action": "ir.actions.act_window,%d" % self.env.ref(
                "base.action_partner_category_form").id})
        action = self.env.ref("base.action_partner_form")
        for value in ("nonsense", "res.partner,x", "no.such.model,1", 7):
            with self.subTest(value):
                response = self.jsonapi("PATCH", f"/ir.ui.menu/{menu.id}", {"data": {
                    "type": "ir-ui-menu", "id": str(menu.id), "attributes": {"action": value}}})
                self.assertError(response, 422, pointer="/data/attributes/action")
        self.jsonapi("PATCH", f"/ir.ui.menu/{menu.id}", {"data": {
            "type": "ir-ui-menu", "id": str(menu.id),
            "attributes": {"action": f"{action._name},{action.id}"}}}, status=200)
        self.assertEqual(menu.action, action)
