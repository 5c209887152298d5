"""A custom API serving companies only, categories read-only within a domain and bank
accounts read/create: exports, writes and linkage stay within the allow-list and the
access domains."""

from odoo.tests import tagged

from .common import ATOMIC, JsonApiCase

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
            {"name": "JA Other Co", "is_company": True, "parent_id": cls.company.id})

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

    # 2. Writes within the access domains ---------------------------------------

    def categories(self, *records):
        return {"data": [{"type": "res-partner-category", "id": str(rec.id)}
                         for rec in records]}

    def test_relationship_writes_outside_the_category_domain(self):
        path = f"/res.partner/{self.company.id}/relationships/category_id"
        for method in ("PATCH", "POST"):
            response = self.jsonapi(method, path, self.categories(self.cat2))
            self.assertError(response, 404, pointer="/data")
        body = self.resource(self.company, relationships={
            "category_id": self.categories(self.cat1, self.cat2)})
        response = self.jsonapi("PATCH", f"/res.partner/{self.company.id}", body)
        self.assertError(response, 404, pointer="/data/relationships/category_id")
        self.assertEqual(self.company.category_id, self.cat1)
        response = self.jsonapi("DELETE", path, self.categories(self.cat1))
        self.assertStatus(response, 200)
        self.assertFalse(self.company.category_id)

    def test_created_records_must_lie_within_the_domain(self):
        body = {"data": {"type": "res-partner", "attributes": {
            "name": "JA Not A Company", "is_company": False}}}
        self.assertError(self.jsonapi("POST", "/res.partner", body), 403, pointer="/data")
        body = {"data": {"type": "res-partner", "attributes": {
            "name": "JA New Co", "is_company": True}, "relationships": {"child_ids": {"data": [
                {"type": "res-partner", "attributes": {"name": "JA Nested Person"}}]}}}}
        response = self.jsonapi("POST", "/res.partner", body)
        self.assertError(response, 403)
        body = {"atomic:operations": [{"op": "add", "data": {
            "type": "res-partner", "attributes": {"name": "JA Atomic Person"}}}]}
        response = self.jsonapi("POST", "/operations", body, content_type=ATOMIC)
        self.assertError(response, 403)
        self.assertFalse(self.env["res.partner"].search([("name", "in", [
            "JA Not A Company", "JA New Co", "JA Nested Person", "JA Atomic Person"])]))
        body = self.resource(self.company, attributes={"is_company": False})
        response = self.jsonapi("PATCH", f"/res.partner/{self.company.id}", body)
        self.assertError(response, 403)
        self.assertTrue(self.company.is_company)

    def test_writes_within_the_domains_succeed(self):
        body = {"data": {"type": "res-partner", "attributes": {
            "name": "JA Fine Co", "is_company": True}, "relationships": {
                "category_id": self.categories(self.cat1)}}}
        doc = self.jsonapi("POST", "/res.partner", body, status=201).json()
        self.assertEqual(doc["data"]["attributes"]["name"], "JA Fine Co")

    def test_replacing_lines_keeps_the_lines_not_shown(self):
        path = f"/res.partner/{self.company.id}/relationships/child_ids"
        doc = self.jsonapi("PATCH", path, {"data": []}, status=200).json()
        self.assertEqual(doc["data"], [])
        self.assertFalse(self.other_company.parent_id)
        self.assertEqual(self.company.child_ids, self.child1 | self.child2)

    # 3. Read-only fields and reserved members ------------------------------------

    def test_read_only_fields_are_refused(self):
        path = f"/res.partner/{self.company.id}"
        for member, value in (("partner_share", True), ("create_date", "2020-01-01T00:00:00Z"),
                              ("write_date", "2020-01-01T00:00:00Z")):
            body = self.resource(self.company, attributes={member: value})
            response = self.jsonapi("PATCH", path, body)
            self.assertError(response, 403, pointer=f"/data/attributes/{member}")
        for member, target in (("commercial_partner_id", self.other_company),
                               ("create_uid", self.api_user)):
            body = self.resource(self.company, relationships={member: {"data": {
                "type": target._name, "id": str(target.id)}}})
            response = self.jsonapi("PATCH", path, body)
            self.assertError(response, 403, pointer=f"/data/relationships/{member}")
        self.assertEqual(self.company.commercial_partner_id, self.company)

    def test_type_and_id_members_in_attributes(self):
        path = f"/res.partner/{self.company.id}"
        for member, value in (("type", "invoice"), ("id", "7")):
            body = self.resource(self.company, attributes={member: value})
            response = self.jsonapi("PATCH", path, body)
            self.assertError(response, 400, pointer=f"/data/attributes/{member}")
        body = self.resource(self.company, attributes={"odoo_type": "invoice"})
        self.jsonapi("PATCH", path, body, status=200)
        self.assertEqual(self.company.type, "invoice")

    # 4. Linkage within the access domains and the models served -----------------

    def test_to_many_linkage_within_the_domains(self):
        self.company.category_id |= self.cat2
        path = f"/res.partner/{self.company.id}"
        doc = self.get(path, {"include": "child_ids,category_id"})
        relationships = doc["data"]["relationships"]
        self.assertEqual(relationships["child_ids"]["data"],
                         [{"type": "res-partner", "id": str(self.other_company.id)}])
        self.assertEqual(relationships["category_id"]["data"],
                         [{"type": "res-partner-category", "id": str(self.cat1.id)}])
        self.assertEqual(sorted((item["type"], item["id"]) for item in doc["included"]),
                         sorted([("res-partner", str(self.other_company.id)),
                                 ("res-partner-category", str(self.cat1.id))]))
        doc = self.get(f"{path}/relationships/child_ids")
        self.assertEqual(doc["data"], [{"type": "res-partner", "id": str(self.other_company.id)}])
        doc = self.get(f"{path}/relationships/category_id")
        self.assertEqual([item["id"] for item in doc["data"]], [str(self.cat1.id)])

    def test_relationship_to_a_model_not_served(self):
        path = f"/res.partner/{self.company.id}"
        doc = self.get(path)
        self.assertEqual(doc["data"]["relationships"]["country_id"]["data"],
                         {"type": "res-country", "id": str(self.us.id)})
        related = self.jsonapi("GET", f"{path}/country_id")
        relationship = self.jsonapi("GET", f"{path}/relationships/country_id")
        self.assertStatus(related, 404)
        self.assertError(relationship, 404)
        self.assertEqual(relationship.json()["errors"][0]["code"],
                         related.json()["errors"][0]["code"])

    def test_group_by_a_model_not_served_answers_ids(self):
        doc = self.get("/res.partner", {"group_by": "country_id",
                                        "filter[name]": "JA Parent Co"})
        self.assertEqual([group["value"]["country_id"] for group in doc["meta"]["groups"]],
                         [{"type": "res-country", "id": str(self.us.id)}])

    # 5. Atomic operations ------------------------------------------------------

    def operations(self, *operations):
        return self.jsonapi("POST", "/operations", {"atomic:operations": list(operations)},
                            content_type=ATOMIC)

    def test_update_whose_ref_and_data_differ(self):
        response = self.operations({
            "op": "update", "ref": {"type": "res-partner", "id": str(self.company.id)},
            "data": dict(self.resource(self.other_company, {"name": "JA Renamed"})["data"])})
        self.assertError(response, 409, pointer="/atomic:operations/0/data/id")
        self.assertEqual(self.other_company.name, "JA Other Co")

    def test_errors_point_into_the_failing_operation(self):
        response = self.operations(
            {"op": "update", "data": self.resource(self.company, {"name": "JA Renamed"})["data"]},
            {"op": "remove", "ref": {"type": "res-partner", "id": str(self.child1.id)}})
        error = self.assertError(response, 404)
        self.assertTrue(error["source"]["pointer"].startswith("/atomic:operations/1"), error)
        self.assertEqual(self.company.name, "JA Parent Co")

    def test_number_of_operations_is_bounded(self):
        operation = {"op": "update", "data": self.resource(self.company, {"name": "x"})["data"]}
        response = self.operations(*[operation] * 101)
        self.assertError(response, 413, pointer="/atomic:operations")
        self.assertEqual(self.company.name, "JA Parent Co")

    def test_relations_compared_by_name_where_served_in_part(self):
        # Odoo would look the name up among every category, the hidden ones too
        for params in ({"filter": f"[('category_id', 'ilike', {self.cat2.name!r})]"},
                       {"filter": "[('category_id', 'any', [('name', '!=', False)])]"}):
            with self.subTest(params=params):
                response = self.jsonapi("GET", "/res.partner", params=params)
                self.assertError(response, 403)
        # the shorthand takes ids only for a relation
        response = self.jsonapi("GET", "/res.partner",
                                params={"filter[category_id][ilike]": self.cat2.name})
        self.assertError(response, 400, parameter="filter[category_id][ilike]")
        response = self.jsonapi("GET", "/res.partner", params={
            "filter": f"[('category_id', 'in', [{self.cat1.id}])]"})
        self.assertStatus(response, 200)


    def test_sort_by_a_relation_whose_names_are_not_served(self):
        response = self.jsonapi("GET", "/res.partner", params={"sort": "-country_id"})
        self.assertError(response, 403, parameter="sort")
        self.assertStatus(self.jsonapi("GET", "/res.partner", params={"sort": "-name"}), 200)


@tagged("post_install", "-at_install")
class TestJsonApiDomainsSudo(TestJsonApiDomains):

    endpoint = "jsonapi_domains_sudo"
    access_mode = "sudo"
    allow_inherited_tests_method = True  # Odoo's loader runs a class's own tests only


@tagged("post_install", "-at_install")
class TestJsonApiStrictInput(JsonApiCase):

    endpoint = "jsonapi_strict"

    def test_ids_and_page_values_in_ascii_digits_only(self):
        self.assertError(self.jsonapi("GET", f"/res.partner/{chr(0x660 + 3)}"), 404)
        for key, value in (("page[size]", chr(0x660 + 3)), ("page[number]", "1_0"),
                           ("page[offset]", "²")):
            self.assertError(self.jsonapi("GET", "/res.partner", params={key: value}), 400,
                             parameter=key)

    def test_weak_etag_matches(self):
        response = self.jsonapi("GET", f"/res.partner/{self.company.id}", status=200)
        etag = response.headers["ETag"]
        for tag in (etag, f"W/{etag}"):
            response = self.jsonapi("GET", f"/res.partner/{self.company.id}",
                                    headers={"If-None-Match": tag})
            self.assertStatus(response, 304)

    def test_delete_answers_no_media_type(self):
        partner = self.env["res.partner"].create({"name": "JA Deleted"})
        response = self.jsonapi("DELETE", f"/res.partner/{partner.id}", status=204)
        self.assertFalse(response.content)
        self.assertNotIn("text/html", response.headers.get("Content-Type", ""))

    def test_identifier_without_id_is_a_structure_error(self):
        body = {"data": {"type": "res-partner", "attributes": {"name": "JA Bad Id"},
                         "relationships": {"parent_id": {"data": {"type": "wrong"}},
                                           }}}
        response = self.jsonapi("POST", "/res.partner", body)
        self.assertError(response, 400, pointer="/data/relationships/parent_id/data")
        body["data"]["relationships"] = {"category_id": {"data": [{"type": "wrong"}]}}
        response = self.jsonapi("POST", "/res.partner", body)
        self.assertError(response, 400, pointer="/data/relationships/category_id/data/0")

    def test_parameter_errors_name_their_parameter(self):
        for key, value in (("page[number]", "9223372036854775807"),
                           ("filter[create_date][gt]", "notadate")):
            self.assertError(self.jsonapi("GET", "/res.partner", params={key: value}), 400,
                             parameter=key)
