import base64

from odoo.tests import tagged

from .common import JsonApiCase

PIXEL = base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(range(64))).decode()


@tagged("post_install", "-at_install")
class TestJsonApiTypes(JsonApiCase):

    @classmethod
    def _setup_records(cls):
        super()._setup_records()
        model_id = cls.env["ir.model"]._get_id("res.partner")
        cls.env["ir.model.fields"].create([
            {"name": name, "ttype": ttype, "model_id": model_id, "field_description": name,
             **extra}
            for name, ttype, extra in (
                ("x_when", "datetime", {}), ("x_day", "date", {}), ("x_file", "binary", {}),
                ("x_currency_id", "many2one", {"relation": "res.currency"}),
                ("x_amount", "monetary", {"currency_field": "x_currency_id"}))
        ])

    def patch(self, attributes, status=200, record=None):
        record = record or self.child1
        body = {"data": {"type": "res-partner", "id": str(record.id), "attributes": attributes}}
        return self.jsonapi("PATCH", f"/res.partner/{record.id}", body, status=status,
                            params={"fields[res.partner]": ",".join(attributes)})

    def test_j50_datetimes(self):
        for text in ("2023-06-12 10:22:57", "2023-06-12T10:22:57Z", "2023-06-12T12:22:57+02:00"):
            document = self.patch({"x_when": text}).json()
            self.assertEqual(document["data"]["attributes"]["x_when"], "2023-06-12T10:22:57Z")
            self.assertEqual(str(self.child1.x_when), "2023-06-12 10:22:57")
        self.assertError(self.patch({"x_when": "12/06/2023"}, status=None), 422,
                         pointer="/data/attributes/x_when")

    def test_j51_round_trips(self):
        values = {
            "x_day": "2024-02-29", "partner_latitude": 48.8566, "x_amount": 1234.56,
            "is_company": True, "comment": "<p>Hello <b>world</b></p>", "x_file": PIXEL,
            "odoo_type": "delivery", "lang": "en_US",
        }
        self.child1.x_currency_id = self.env.ref("base.EUR")
        sent = self.patch(values).json()["data"]["attributes"]
        read = self.get(f"/res.partner/{self.child1.id}",
                        {"fields[res.partner]": ",".join(values)})["data"]["attributes"]
        self.assertEqual(sent, values)
        self.assertEqual(read, values)
        self.assertEqual(self.child1.type, "delivery")
        self.assertEqual(self.child1.x_amount, 1234.56)

    def test_binary_not_in_default_fieldset(self):
        self.patch({"x_file": PIXEL})
        document = self.get(f"/res.partner/{self.child1.id}")
        self.assertNotIn("x_file", document["data"]["attributes"])

    def test_file_download_and_upload(self):
        self.patch({"x_file": PIXEL})
        url = f"/{self.endpoint}/res.partner/{self.child1.id}/x_file"
        response = self.api_call("GET", url, headers=self.headers())
        self.assertStatus(response, 200)
        self.assertEqual(response.content, base64.b64decode(PIXEL))
        self.assertEqual(response.headers["Content-Type"], "image/png")
        self.assertIn("attachment", response.headers["Content-Disposition"])
        headers = self.headers()
        response = self.opener.put(self.base_url() + url, headers=headers, timeout=30,
                                   files={"file": ("hello.txt", b"hello world", "text/plain")})
        self.assertStatus(response, 200)
        self.assertEqual(base64.b64decode(self.child1.x_file), b"hello world")
        response = self.jsonapi("PUT", url[len(self.endpoint) + 1:],
                                {"meta": {"content": base64.b64encode(b"again").decode()}},
                                status=200)
        self.assertEqual(base64.b64decode(self.child1.x_file), b"again")
        self.api.jsonapi_upload_max_size = 1
        response = self.api_call("PUT", url, raw=b"x" * (1024 * 1024 + 10),
                                 headers=dict(headers, **{"Content-Type": "text/plain"}))
        self.assertError(response, 413)
        self.assertEqual(base64.b64decode(self.child1.x_file), b"again")
        response = self.api_call("GET", f"/{self.endpoint}/res.partner/{self.company.id}/x_file",
                                 headers=self.headers())
        self.assertError(response, 404)
