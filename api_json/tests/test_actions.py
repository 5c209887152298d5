import base64
import io
import json

import openpyxl

from odoo import http
from odoo.tests import tagged

from .common import JsonApiCase


@tagged("post_install", "-at_install")
class TestJsonApiActions(JsonApiCase):

    def execute(self, path, method, status=None, **data):
        return self.jsonapi("POST", path, {"data": dict(method=method, **data)}, status=status)

    def test_j40_record_method(self):
        response = self.execute(f"/res.partner/{self.child2.id}/execute", "action_archive",
                                status=200, kwargs={})
        self.assertIn("result", response.json()["meta"])
        self.assertFalse(self.child2.active)

    def test_j41_model_method(self):
        response = self.execute("/res.partner/execute", "fields_get", status=200,
                                kwargs={"attributes": ["type", "string"]})
        expected = self.env["res.partner"].with_user(self.api_user).fields_get(
            attributes=["type", "string"])
        self.assertEqual(response.json()["meta"]["result"], expected)

    def test_j42_check_access_rights(self):
        # As Odoo's RPC answered before 18.0: a boolean, not None, unless the caller asks
        # for the exception.
        response = self.execute("/res-partner/execute", "check_access_rights", status=200,
                                kwargs={"operation": "read"})
        self.assertIs(response.json()["meta"]["result"], True)
        response = self.execute("/res-partner/execute", "check_access_rights", status=200,
                                kwargs={"operation": "read", "raise_exception": False})
        self.assertIs(response.json()["meta"]["result"], True)
        response = self.execute("/res-partner/execute", "has_access", status=200,
                                kwargs={"operation": "read"})
        self.assertIs(response.json()["meta"]["result"], True)
        response = self.execute("/res.users/execute", "check_access_rights", status=200,
                                kwargs={"operation": "unlink"})
        self.assertIs(response.json()["meta"]["result"], False)
        response = self.execute("/res.users/execute", "check_access_rights",
                                kwargs={"operation": "unlink", "raise_exception": True})
        self.assertError(response, 403)

    def test_j43_private_method_refused(self):
        for method in ("_compute_display_name", "_write", "unlink_private_thing"):
            response = self.execute(f"/res.partner/{self.child1.id}/execute", method)
            self.assertIn(response.status_code, (403, 404), response.text)
            self.assertError(response, response.status_code)
        self.assertTrue(self.child1.exists())

    def test_execute_search_within_access(self):
        response = self.execute("/res.partner/execute", "search", status=200,
                                args=[[("id", "=", self.child1.id)]])
        self.assertEqual(response.json()["data"],
                         [{"type": "res-partner", "id": str(self.child1.id)}])
        response = self.execute("/res.users/execute", "read", args=[], ids=[self.api_user.id],
                                kwargs={"fields": ["password"]})
        self.assertError(response, 403)

    def test_j44_export_xlsx_and_csv(self):
        body = {"model": "res.partner", "ids": self.company.ids,
                "fields": [{"name": "name", "label": "Name"}]}
        self.assertError(self.jsonapi("POST", "/export", body), 403)  # Odoo's export right
        self.api_user.groups_id |= self.env.ref("base.group_allow_export")
        partners = self.company | self.child1 | self.child2
        fields = [{"name": "name", "label": "Name"},
                  {"name": "country_id/name", "label": "Country/Name"}]
        body = {"model": "res.partner", "ids": partners.ids, "domain": [], "fields": fields,
                "import_compat": False, "context": {"lang": "en_US"}}
        meta = self.jsonapi("POST", "/export", body, status=200).json()["meta"]
        self.assertEqual(meta["format"], "xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(meta["content"]))).active
        rows = [[cell if cell is not None else "" for cell in row]
                for row in sheet.iter_rows(values_only=True)]
        self.assertEqual(rows[0], ["Name", "Country/Name"])
        expected = partners.with_user(self.api_user).export_data(
            ["name", "country_id/name"])["datas"]
        self.assertEqual(rows[1:], [list(row) for row in expected])
        body["format"] = "csv"
        meta = self.jsonapi("POST", "/export", body, status=200).json()["meta"]
        self.assertTrue(base64.b64decode(meta["content"]).decode().startswith(
            '"Name","Country/Name"'))
        body = dict(body, fields=[{"name": "password", "label": "x"}], model="res.users",
                    ids=[self.api_user.id])
        self.assertError(self.jsonapi("POST", "/export", body), 403)

    def odoo_csv_export(self, body):
        """Return the CSV Odoo's own export (/web/export/csv) gives the API user for the
        same request; the API calls are over by then (this opens a session)."""
        self.authenticate(self.api_user.login, "api_caller_pass_1234")
        data = {key: body.get(key) for key in ("model", "fields", "ids", "domain",
                                               "import_compat", "context")}
        data.update(ids=data["ids"] or False, domain=data["domain"] or [],
                    context=data["context"] or {})
        response = self.url_open("/web/export/csv", data={
            "data": json.dumps(data), "csrf_token": http.Request.csrf_token(self)})
        self.assertStatus(response, 200)
        return response.content.decode()

    def test_export_csv_rows_equal_odoo_export(self):
        self.api_user.groups_id |= self.env.ref("base.group_allow_export")
        self.child2.name = "=JA Child Two"  # Odoo quotes what a spreadsheet would compute
        fields = [{"name": "name", "label": "Name"},
                  {"name": "country_id/name", "label": "Country"},
                  {"name": "category_id/name", "label": "Tags"},
                  {"name": "parent_id/id", "label": "Parent"},
                  {"name": "is_company", "label": "Is a Company"}]
        by_ids = {"model": "res.partner", "format": "csv", "fields": fields,
                  "ids": (self.company | self.child1 | self.child2).ids,
                  "import_compat": False, "context": {"lang": "en_US"}}
        by_domain = {"model": "res.partner", "format": "csv", "fields": fields,
                     "domain": [["name", "ilike", "JA "]], "import_compat": True}
        ours = []
        for body in (by_ids, by_domain):
            meta = self.jsonapi("POST", "/export", body, status=200).json()["meta"]
            self.assertEqual((meta["format"], meta["count"]), ("csv", 3))
            ours.append(base64.b64decode(meta["content"]).decode())
        # a header and three partners; with labels, a row for the second tag of Child Two
        for body, content, lines in zip((by_ids, by_domain), ours, (5, 4)):
            with self.subTest(ids=bool(body.get("ids"))):
                self.assertEqual(content, self.odoo_csv_export(body))
                self.assertEqual(len(content.splitlines()), lines, content)


@tagged("post_install", "-at_install")
class TestJsonApiReports(JsonApiCase):
    endpoint = "jsonapi_sudo"
    api_values = {"access_mode": "sudo"}

    def test_j45_report(self):
        models = self.env["ir.model"].search([("model", "=", "res.partner")])
        body = {"converter": "html", "report_ref": "base.report_ir_model_overview",
                "res_ids": models.ids, "data": {}}
        meta = self.jsonapi("POST", "/report", body, status=200).json()["meta"]
        self.assertEqual(meta["mimetype"], "text/html")
        html = base64.b64decode(meta["content"]).decode()
        expected = self.env["ir.actions.report"]._render_qweb_html(
            "base.report_irmodeloverview", models.ids)[0].decode()
        self.assertIn("res.partner", html)
        self.assertEqual(len(html.split("<table")), len(expected.split("<table")))
        # by report name too
        body["report_ref"] = "base.report_irmodeloverview"
        self.jsonapi("POST", "/report", body, status=200)
        body["converter"] = "pdf"
        response = self.jsonapi("POST", "/report", body)
        if self.env["ir.actions.report"].get_wkhtmltopdf_state() == "install":
            error = self.assertError(response, 422, pointer="/converter")
            self.assertIn("wkhtmltopdf", error["detail"])
        else:
            self.assertStatus(response, 200)
            self.assertTrue(base64.b64decode(response.json()["meta"]["content"]).startswith(
                b"%PDF"))
        body.update(converter="html", report_ref="base.no_such_report")
        self.assertError(self.jsonapi("POST", "/report", body), 404, pointer="/report_ref")
