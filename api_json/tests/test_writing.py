from odoo.tests import tagged

from .common import ATOMIC, JsonApiCase


@tagged("post_install", "-at_install")
class TestJsonApiWriting(JsonApiCase):

    @staticmethod
    def acme(**extra):
        data = {"type": "res.partner", "attributes": {
            "name": "Acme Test Ltd", "email": "info@acme.test", "phone": "+1 555 0100",
            "company_type": "company"}}
        data.update(extra)
        return {"data": data}

    def bank_relationship(self, number="DE00 1111 2222"):
        return {"bank_ids": {"data": [{"type": "res.partner.bank", "attributes": {
            "acc_number": number, "bank_id": self.bank.id}}]}}

    def created(self, response):
        self.assertStatus(response, 201)
        document = response.json()
        self.assertEqual(response.headers["Location"], document["data"]["links"]["self"])
        return self.env["res.partner"].browse(int(document["data"]["id"]))

    def acme_exists(self):
        return bool(self.env["res.partner"].search([("name", "=", "Acme Test Ltd")]))

    def test_j20_create(self):
        response = self.jsonapi("POST", "/res.partner", self.acme())
        partner = self.created(response)
        self.assertEqual((partner.name, partner.email, partner.phone, partner.is_company),
                         ("Acme Test Ltd", "info@acme.test", "+1 555 0100", True))
        self.assertEqual(response.json()["data"]["attributes"]["email"], "info@acme.test")

    def test_j20_create_honours_fields_and_include(self):
        response = self.jsonapi("POST", "/res-partner", self.acme(relationships={
            "country_id": {"data": {"type": "res-country", "id": str(self.us.id)}}}),
            params={"fields[res.partner]": "name,country_id", "include": "country_id"})
        self.created(response)
        document = response.json()
        self.assertEqual(set(document["data"]["attributes"]), {"name"})
        self.assertEqual(document["included"][0]["id"], str(self.us.id))

    def test_j21_nested_one2many(self):
        partner = self.created(self.jsonapi("POST", "/res.partner", self.acme(
            relationships=self.bank_relationship())))
        self.assertEqual(partner.bank_ids.mapped("acc_number"), ["DE00 1111 2222"])
        self.assertEqual(partner.bank_ids.bank_id, self.bank)

    def test_j22_to_one(self):
        partner = self.created(self.jsonapi("POST", "/res.partner", self.acme(relationships={
            "user_id": {"data": {"type": "res.users", "id": self.api_user.id}}})))
        self.assertEqual(partner.user_id, self.api_user)

    def test_j23_many2many(self):
        partner = self.created(self.jsonapi("POST", "/res.partner", self.acme(relationships={
            "category_id": {"data": [
                {"type": "res.partner.category", "id": str(self.cat1.id)},
                {"type": "res.partner.category", "id": str(self.cat2.id)}]}})))
        self.assertEqual(partner.category_id, self.cat1 | self.cat2)

    def combined(self, tag_id):
        relationships = self.bank_relationship()
        relationships["user_id"] = {"data": {"type": "res.users", "id": self.api_user.id}}
        relationships["category_id"] = {"data": [
            {"type": "res.partner.category", "id": str(self.cat1.id)},
            {"type": "res.partner.category", "id": str(tag_id)}]}
        return self.acme(relationships=relationships)

    def test_j24_combined_and_atomic(self):
        partner = self.created(self.jsonapi("POST", "/res.partner", self.combined(self.cat2.id)))
        self.assertEqual(len(partner.bank_ids), 1)
        self.assertEqual(partner.user_id, self.api_user)
        self.assertEqual(partner.category_id, self.cat1 | self.cat2)
        partner.unlink()
        response = self.jsonapi("POST", "/res.partner", self.combined(999999))
        self.assertError(response, 404, pointer="/data/relationships/category_id/data")
        self.assertFalse(self.acme_exists())
        self.assertFalse(self.env["res.partner.bank"].search([("acc_number", "=",
                                                                "DE00 1111 2222")]))

    def test_j25_patch_attributes(self):
        body = {"data": {"type": "res.partner", "id": str(self.child1.id),
                         "attributes": {"name": "Renamed", "city": "Lyon"}}}
        document = self.jsonapi("PATCH", f"/res.partner/{self.child1.id}", body,
                                status=200).json()
        self.assertEqual(document["data"]["attributes"]["name"], "Renamed")
        self.assertEqual(document["data"]["attributes"]["city"], "Lyon")
        self.assertEqual((self.child1.name, self.child1.city), ("Renamed", "Lyon"))

    def test_j26_j27_patch_relationships(self):
        self.child1.bank_ids = [(0, 0, {"acc_number": "FR76 1", "bank_id": self.bank.id})]
        body = {"data": {"type": "res-partner", "id": self.child1.id, "relationships": {
            "category_id": {"data": [{"type": "res.partner.category", "id": self.cat3.id}]}}}}
        self.jsonapi("PATCH", f"/res.partner/{self.child1.id}", body, status=200)
        self.assertEqual(self.child1.category_id, self.cat3)
        body["data"]["relationships"] = {"category_id": {"data": []}, "bank_ids": {"data": []}}
        self.jsonapi("PATCH", f"/res.partner/{self.child1.id}", body, status=200)
        self.assertFalse(self.child1.category_id)
        self.assertFalse(self.child1.bank_ids)
        self.assertFalse(self.env["res.partner.bank"].search([("acc_number", "=", "FR76 1")]))

    def test_patch_nested_one2many_full_replacement(self):
        Bank = self.env["res.partner.bank"]
        keep, drop = Bank.create([
            {"acc_number": "KEEP 1", "partner_id": self.child1.id},
            {"acc_number": "DROP 1", "partner_id": self.child1.id}])
        body = {"data": {"type": "res.partner", "id": str(self.child1.id), "relationships": {
            "bank_ids": {"data": [
                {"type": "res.partner.bank", "id": str(keep.id),
                 "attributes": {"acc_number": "KEEP 2"}},
                {"type": "res.partner.bank", "attributes": {"acc_number": "NEW 1"}}]}}}}
        self.jsonapi("PATCH", f"/res.partner/{self.child1.id}", body, status=200)
        self.assertEqual(sorted(self.child1.bank_ids.mapped("acc_number")), ["KEEP 2", "NEW 1"])
        # res.partner.bank archives instead of deleting
        self.assertFalse(drop.exists() and drop.active)

    def test_j28_delete(self):
        response = self.jsonapi("DELETE", f"/res.partner/{self.child2.id}", status=204)
        self.assertFalse(response.content)
        self.assertFalse(self.child2.exists())
        self.assertError(self.jsonapi("GET", f"/res.partner/{self.child2.id}"), 404)

    def test_j29_relationship_endpoints(self):
        url = f"/res.partner/{self.child1.id}/relationships/category_id"

        def identifiers(*tags):
            return {"data": [{"type": "res-partner-category", "id": str(tag.id)}
                             for tag in tags]}
        document = self.jsonapi("PATCH", url, identifiers(self.cat1, self.cat3),
                                status=200).json()
        self.assertEqual(self.child1.category_id, self.cat1 | self.cat3)
        self.assertEqual(len(document["data"]), 2)
        self.jsonapi("POST", url, identifiers(self.cat2), status=200)
        self.assertEqual(self.child1.category_id, self.cat1 | self.cat2 | self.cat3)
        self.jsonapi("DELETE", url, identifiers(self.cat1, self.cat3), status=200)
        self.assertEqual(self.child1.category_id, self.cat2)
        self.assertTrue(self.cat1.exists(), "removing a member never deletes it")
        # to-one: PATCH only
        url = f"/res.partner/{self.child1.id}/relationships/parent_id"
        self.jsonapi("PATCH", url, {"data": None}, status=200)
        self.assertFalse(self.child1.parent_id)
        self.jsonapi("PATCH", url, {"data": {"type": "res-partner", "id": str(self.company.id)}},
                     status=200)
        self.assertEqual(self.child1.parent_id, self.company)
        self.assertError(self.jsonapi("POST", url, {"data": None}), 403)

    def test_j30_type_mismatch(self):
        body = self.acme()
        body["data"]["type"] = "res.country"
        self.assertError(self.jsonapi("POST", "/res.partner", body), 409, pointer="/data/type")
        self.assertFalse(self.acme_exists())
        body = {"data": {"type": "res.partner", "id": str(self.child2.id),
                         "attributes": {"name": "x"}}}
        self.assertError(self.jsonapi("PATCH", f"/res.partner/{self.child1.id}", body), 409,
                         pointer="/data/id")

    def test_j31_unknown_attribute(self):
        body = self.acme()
        body["data"]["attributes"]["shoe_size"] = 42
        self.assertError(self.jsonapi("POST", "/res.partner", body), 400,
                         pointer="/data/attributes/shoe_size")
        self.assertFalse(self.acme_exists())

    def test_client_generated_id(self):
        self.assertError(self.jsonapi("POST", "/res.partner", self.acme(id="12345")), 403,
                         pointer="/data/id")

    def test_invalid_values(self):
        for attributes, pointer in (
                ({"company_type": "planet"}, "/data/attributes/company_type"),
                ({"is_company": "yes"}, "/data/attributes/is_company"),
                ({"partner_latitude": "north"}, "/data/attributes/partner_latitude")):
            body = {"data": {"type": "res.partner", "attributes": dict(name="V", **attributes)}}
            self.assertError(self.jsonapi("POST", "/res.partner", body), 422, pointer=pointer)
        body = {"data": {"type": "res.partner",
                         "attributes": {"name": "x", "odoo_type": "invoice"}}}
        document = self.jsonapi("POST", "/res.partner", body, status=201).json()
        self.assertEqual(document["data"]["attributes"]["odoo_type"], "invoice")

    def test_atomic_operations(self):
        body = {"atomic:operations": [
            {"op": "add", "data": {"type": "res-partner-category", "lid": "tag",
                                   "attributes": {"name": "Atomic Tag"}}},
            {"op": "add", "data": {"type": "res-partner", "lid": "p",
                                   "attributes": {"name": "Atomic Partner"},
                                   "relationships": {"category_id": {"data": [
                                       {"type": "res-partner-category", "lid": "tag"}]}}}},
            {"op": "update", "data": {"type": "res-partner", "id": str(self.child1.id),
                                      "attributes": {"city": "Atomicville"}}},
            {"op": "update", "ref": {"type": "res-partner", "lid": "p",
                                     "relationship": "parent_id"},
             "data": {"type": "res-partner", "id": str(self.company.id)}},
            {"op": "remove", "ref": {"type": "res-partner", "id": str(self.child2.id)}},
        ]}
        response = self.jsonapi("POST", "/operations", body, content_type=ATOMIC, status=200)
        self.assertIn('ext="https://jsonapi.org/ext/atomic"', response.headers["Content-Type"])
        results = response.json()["atomic:results"]
        self.assertEqual(len(results), 5)
        partner = self.env["res.partner"].browse(int(results[1]["data"]["id"]))
        self.assertEqual(partner.category_id.name, "Atomic Tag")
        self.assertEqual(partner.parent_id, self.company)
        self.assertEqual(self.child1.city, "Atomicville")
        self.assertFalse(self.child2.exists())

    def test_atomic_operations_all_or_nothing(self):
        body = {"atomic:operations": [
            {"op": "add", "data": {"type": "res-partner",
                                   "attributes": {"name": "Atomic Never"}}},
            {"op": "update", "data": {"type": "res-partner", "id": str(self.child1.id),
                                      "attributes": {"no_such_field": 1}}},
        ]}
        response = self.jsonapi("POST", "/operations", body, content_type=ATOMIC)
        self.assertError(response, 400,
                         pointer="/atomic:operations/1/data/attributes/no_such_field")
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Atomic Never")]))
        response = self.jsonapi("POST", "/operations", body)
        self.assertError(response, 415)
