"""Odoo field types on the wire: dates and datetimes as ISO 8601 strings, binaries as
base64 strings, floats and monetary amounts as ``Float``, selections as strings."""

import base64
import datetime
import io

from PIL import Image

from odoo.tests import tagged

from .common import GraphQLHttpCase

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
BLOB = bytes(range(256))
TYPED = "x_gql_day x_gql_when x_gql_amount partner_latitude type x_gql_blob"
TYPE_OF_FIELDS = """{ __type(name: "ResPartner") {
  fields { name type { name kind ofType { name } } } } }"""
INPUT_TYPES = """{ __type(name: "ResPartnerInput") { inputFields { name type { name } } } }"""
CREATE = """mutation C($values: ResPartnerInput!) {
  createResPartner(values: $values) { id %s } }""" % TYPED


def png_base64(size=(4, 4)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode()


@tagged("post_install", "-at_install")
class TestGraphQLTypes(GraphQLHttpCase):

    endpoint = "gqlt"

    @classmethod
    def _setup_records(cls):
        super()._setup_records()
        # res.partner has no date, datetime, monetary or plain binary field in base
        Fields = cls.env["ir.model.fields"]
        model_id = cls.env["ir.model"]._get("res.partner").id
        manual = {"model_id": model_id, "state": "manual"}
        Fields.create([
            {**manual, "name": "x_gql_day", "field_description": "Day", "ttype": "date"},
            {**manual, "name": "x_gql_when", "field_description": "When",
             "ttype": "datetime"},
            {**manual, "name": "x_gql_blob", "field_description": "Blob", "ttype": "binary"},
            {**manual, "name": "x_currency_id", "field_description": "Currency",
             "ttype": "many2one", "relation": "res.currency"},
        ])
        Fields.create({**manual, "name": "x_gql_amount", "field_description": "Amount",
                       "ttype": "monetary", "currency_field": "x_currency_id"})
        cls.eur = cls.env.ref("base.EUR")

    def test_output_types_in_schema(self):
        fields = {field["name"]: field["type"]
                  for field in self.graphql_data(TYPE_OF_FIELDS)["__type"]["fields"]}
        expected = {"x_gql_day": "Date", "x_gql_when": "DateTime", "create_date": "DateTime",
                    "x_gql_amount": "Float", "partner_latitude": "Float", "type": "String",
                    "x_gql_blob": "String", "image_128": "String", "color": "Int",
                    "active": "Boolean"}
        self.assertEqual({name: fields[name]["name"] for name in expected}, expected)
        inputs = {field["name"]: field["type"]["name"]
                  for field in self.graphql_data(INPUT_TYPES)["__type"]["inputFields"]}
        del expected["create_date"], expected["image_128"]
        self.assertEqual({name: inputs.get(name) for name in expected}, expected)
        self.assertNotIn("create_date", inputs)

    def test_values_answered(self):
        partner = self.env["res.partner"].create({
            "name": "GQL typed", "x_gql_day": datetime.date(2023, 6, 12),
            "x_gql_when": datetime.datetime(2023, 6, 12, 10, 22, 57),
            "x_currency_id": self.eur.id, "x_gql_amount": 1234.5,
            "partner_latitude": 50.8503396, "type": "invoice",
            "x_gql_blob": base64.b64encode(BLOB), "image_1920": png_base64()})
        empty = self.env["res.partner"].create({"name": "GQL untyped", "type": False})
        data = self.graphql_data(
            "{ ResPartner(ids: [%d, %d], order: \"id\") { %s image_128 create_date } }"
            % (partner.id, empty.id, TYPED))
        typed, untyped = data["ResPartner"]
        self.assertEqual(typed["x_gql_day"], "2023-06-12")
        self.assertEqual(typed["x_gql_when"], "2023-06-12T10:22:57Z")
        self.assertEqual(typed["x_gql_amount"], 1234.5)
        self.assertEqual(typed["partner_latitude"], 50.8503396)
        self.assertEqual(typed["type"], "invoice")
        self.assertEqual(base64.b64decode(typed["x_gql_blob"]), BLOB)
        self.assertEqual(base64.b64decode(typed["image_128"])[:8], PNG_SIGNATURE)
        self.assertEqual(typed["create_date"], partner.create_date.strftime(
            "%Y-%m-%dT%H:%M:%SZ"))
        self.assertEqual(untyped, {
            "x_gql_day": None, "x_gql_when": None, "x_gql_amount": 0.0,
            "partner_latitude": 0.0, "type": None, "x_gql_blob": None, "image_128": None,
            "create_date": untyped["create_date"]})

    def test_values_written(self):
        data = self.graphql_data(CREATE, {"values": {
            "name": "GQL typed input", "x_gql_day": "2024-02-29",
            "x_gql_when": "2024-02-29T23:30:00+02:00", "x_currency_id": self.eur.id,
            "x_gql_amount": 99.95, "partner_latitude": -33.5, "type": "delivery",
            "x_gql_blob": base64.b64encode(BLOB).decode(), "image_1920": png_base64()}})
        created = data["createResPartner"]
        partner = self.env["res.partner"].browse(created["id"])
        self.assertEqual(partner.x_gql_day, datetime.date(2024, 2, 29))
        self.assertEqual(partner.x_gql_when, datetime.datetime(2024, 2, 29, 21, 30))
        self.assertEqual(partner.x_gql_amount, 99.95)
        self.assertEqual(partner.partner_latitude, -33.5)
        self.assertEqual(partner.type, "delivery")
        self.assertEqual(base64.b64decode(partner.x_gql_blob), BLOB)
        self.assertEqual(base64.b64decode(partner.image_1920)[:8], PNG_SIGNATURE)
        self.assertEqual(created, {
            "id": partner.id, "x_gql_day": "2024-02-29", "x_gql_when": "2024-02-29T21:30:00Z",
            "x_gql_amount": 99.95, "partner_latitude": -33.5, "type": "delivery",
            "x_gql_blob": base64.b64encode(BLOB).decode()})
        # literals, a space in the datetime, an Int for a Float, and null clearing
        data = self.graphql_data(
            'mutation { u: ResPartner(id: %d, ResPartnerValues: {x_gql_day: "2024-03-01", '
            'x_gql_when: "2024-03-01 08:00:00", x_gql_amount: 3, type: "other", '
            "x_gql_blob: null, image_1920: null}) { %s } }" % (partner.id, TYPED))
        self.assertEqual(data["u"], [{
            "x_gql_day": "2024-03-01", "x_gql_when": "2024-03-01T08:00:00Z",
            "x_gql_amount": 3.0, "partner_latitude": -33.5, "type": "other",
            "x_gql_blob": None}])
        self.assertFalse(partner.image_1920)

    def test_wrong_values_refused(self):
        count = self.env["res.partner"].search_count([])
        cases = [
            ({"x_gql_day": "12/06/2023"}, "bad_user_input"),
            ({"x_gql_when": "yesterday"}, "bad_user_input"),
            ({"x_gql_amount": "12.5"}, "bad_user_input"),
            ({"type": "no_such_type"}, "invalid_values"),
            ({"x_gql_blob": "not base64!"}, "invalid_values"),
        ]
        for values, code in cases:
            with self.subTest(values=values):
                body = self.graphql_errors(CREATE, {"values": {"name": "GQL bad", **values}})
                self.assertEqual(body["errors"][0]["extensions"]["code"], code)
        self.assertEqual(self.env["res.partner"].search_count([]), count)
