import json

from odoo.tests import tagged

from .common import JsonApiCase

J06_FILTER = ("[AND, OR, ('is_company', '=', true), ('parent_id', '!=', False), "
              "OR, ('country_id.code', '=', 'US'), ('country_id', '=', False)]")


@tagged("post_install", "-at_install")
class TestJsonApiReading(JsonApiCase):

    def partners(self, domain=None, **kwargs):
        return self.env["res.partner"].with_user(self.api_user).search(domain or [], **kwargs)

    def test_j01_resource(self):
        doc = self.get(f"/res.partner/{self.company.id}")
        self.assertEqual(doc["data"]["type"], "res-partner")
        self.assertEqual(doc["data"]["id"], str(self.company.id))
        self.assertTrue(doc["links"]["self"].endswith(f"/res.partner/{self.company.id}"))
        self.assertEqual(doc["jsonapi"]["version"], "1.1")
        attributes = doc["data"]["attributes"]
        self.assertEqual(attributes["name"], "JA Parent Co")
        self.assertIn("odoo_type", attributes, "the Odoo field 'type' is renamed")
        self.assertNotIn("type", attributes)
        self.assertNotIn("image_1920", attributes, "binaries are not in the default set")
        # The type spelling is accepted in URLs too.
        doc = self.get(f"/res-partner/{self.company.id}")
        self.assertEqual(doc["data"]["id"], str(self.company.id))

    def test_j01_missing_resource(self):
        response = self.jsonapi("GET", "/res.partner/999999999")
        self.assertError(response, 404)
        self.assertEqual(response.headers["Content-Type"], "application/vnd.api+json")

    def test_j02_sparse_fieldset(self):
        doc = self.get("/res.partner", {"fields[res.partner]": "name,email"})
        self.assertTrue(doc["data"])
        for resource in doc["data"]:
            self.assertEqual(set(resource["attributes"]), {"name", "email"})
            self.assertNotIn("relationships", resource)

    def test_j03_first_page(self):
        doc = self.get("/res.partner", {"page[number]": 1, "page[size]": 4})
        self.assertLessEqual(len(doc["data"]), 4)
        self.assertTrue({"self", "first", "next", "last"} <= set(doc["links"]))
        self.assertNotIn("prev", doc["links"])
        self.assertEqual(doc["meta"]["total"], self.env["res.partner"].with_user(
            self.api_user).search_count([]))

    def test_j04_later_page(self):
        doc = self.get("/res.partner", {"page[number]": 5, "page[size]": 3,
                                        "fields[res.partner]": "name"})
        self.assertEqual(self.ids(doc), self.partners(offset=12, limit=3).ids)
        for name in ("prev", "next"):
            self.assertIn("fields%5Bres.partner%5D=name", doc["links"][name])
        self.assertIn("page%5Bnumber%5D=4", doc["links"]["prev"])
        self.assertIn("page%5Bnumber%5D=6", doc["links"]["next"])

    def test_page_past_the_end(self):
        doc = self.get("/res.partner", {"page[number]": 9999, "page[size]": 3})
        self.assertEqual(doc["data"], [])
        self.assertNotIn("next", doc["links"])
        self.assertIn("prev", doc["links"])

    def test_page_size_maximum(self):
        self.api.page_size_max = 100
        response = self.jsonapi("GET", "/res.partner", params={"page[size]": 101})
        self.assertError(response, 400, parameter="page[size]")

    def test_offset_pagination(self):
        doc = self.get("/res.partner", {"page[offset]": 2, "page[limit]": 3,
                                        "fields[res.partner]": "name"})
        self.assertEqual(self.ids(doc), self.partners(offset=2, limit=3).ids)
        self.assertIn("page%5Boffset%5D=5", doc["links"]["next"])

    def test_cursor_pagination_follows_links_next(self):
        self.env["res.partner"].create([{"name": f"JA Cursor {index}"} for index in range(9)])
        expected = self.partners([("name", "=like", "JA %")], order="id").ids
        self.assertEqual(len(expected), 12)  # four full pages of 3, then an empty one
        with self.captured_sql() as queries:
            doc = self.get("/res.partner", {"page[size]": 3, "page[after]": 0,
                                            "filter[name][=like]": "JA %",
                                            "fields[res.partner]": "name"})
        seen, pages = self.ids(doc), 1
        while "next" in doc["links"]:
            self.assertLessEqual(pages, len(expected), "links.next never ends")
            doc = self.follow(doc["links"]["next"])
            seen += self.ids(doc)
            pages += 1
        self.assertEqual(seen, expected, "every record once, in id order")
        self.assertEqual(pages, 5)
        self.assertEqual(doc["data"], [])
        # the page is read by id, not by skipping rows: no OFFSET in its query
        searches = [query for query in queries
                    if 'FROM "res_partner"' in query and "LIMIT" in query]
        self.assertTrue(searches, queries)
        self.assertFalse([query for query in searches if "OFFSET" in query], searches)
        with self.captured_sql() as queries:
            self.get("/res.partner", {"page[offset]": 3, "page[limit]": 3})
        self.assertTrue([query for query in queries if "OFFSET" in query],
                        "an offset page shows that the queries are seen")

    def test_j05_sort(self):
        doc = self.get("/res.partner", {"sort": "name", "fields[res.partner]": "name",
                                        "page[size]": 50})
        self.assertEqual(self.ids(doc), self.partners(order="name", limit=50).ids)
        doc = self.get("/res.partner", {"sort": "-create_date,name",
                                        "fields[res.partner]": "name", "page[size]": 50})
        self.assertEqual(self.ids(doc),
                         self.partners(order="create_date desc, name", limit=50).ids)

    def test_sort_unknown_field(self):
        response = self.jsonapi("GET", "/res.partner", params={"sort": "nope"})
        self.assertError(response, 400, parameter="sort")

    def test_j06_prefix_filter(self):
        doc = self.get("/res.partner", {"filter": J06_FILTER, "page[size]": 500,
                                        "fields[res.partner]": "name"})
        expected = self.partners([
            "&", "|", ("is_company", "=", True), ("parent_id", "!=", False),
            "|", ("country_id.code", "=", "US"), ("country_id", "=", False)])
        self.assertEqual(sorted(self.ids(doc)), sorted(expected.ids))
        self.assertTrue(expected)

    def test_j07_json_and_python_filters(self):
        expected = sorted(self.partners([("is_company", "=", True)]).ids)
        for text in ('[["is_company","=",true]]', "[('is_company', '=', True)]"):
            doc = self.get("/res.partner", {"filter": text, "page[size]": 500,
                                            "fields[res.partner]": "name"})
            self.assertEqual(sorted(self.ids(doc)), expected, text)

    def assertSameAsSearch(self, text, domain):
        """The filter ``text`` selects the records Odoo's search with ``domain`` finds."""
        doc = self.get("/res.partner", {"filter": text, "page[size]": 500,
                                        "fields[res.partner]": "name"})
        expected = self.partners(domain)
        self.assertEqual(sorted(self.ids(doc)), sorted(expected.ids), text)
        return expected

    def test_filter_bare_not_token(self):
        expected = self.assertSameAsSearch(
            "[AND, ('name', '=like', 'JA %'), NOT, ('parent_id', '=', False)]",
            ["&", ("name", "=like", "JA %"), "!", ("parent_id", "=", False)])
        self.assertEqual(expected, self.child1 | self.child2)
        expected = self.assertSameAsSearch(
            "[NOT, OR, ('is_company', '=', True), ('country_id.code', '=', 'FR')]",
            ["!", "|", ("is_company", "=", True), ("country_id.code", "=", "FR")])
        self.assertIn(self.child2, expected)
        self.assertNotIn(self.child1, expected)

    def test_filter_odoo_list_notation(self):
        domain = ["&", ("name", "=like", "JA %"),
                  "|", ("is_company", "=", True), "!", ("country_id", "=", False)]
        expected = self.assertSameAsSearch(
            "['&', ('name', '=like', 'JA %'), "
            "'|', ('is_company', '=', True), '!', ('country_id', '=', False)]", domain)
        self.assertEqual(expected, self.company | self.child1)
        self.assertSameAsSearch(json.dumps(domain), domain)  # the same list in JSON

    def test_filter_none_and_null_literals(self):
        domain = [("name", "=like", "JA %"), ("parent_id", "=", None)]
        for text in ("[('name', '=like', 'JA %'), ('parent_id', '=', None)]",
                     '[["name", "=like", "JA %"], ["parent_id", "=", null]]'):
            self.assertEqual(self.assertSameAsSearch(text, domain), self.company)
        domain = [("name", "=like", "JA %"), ("country_id", "!=", None)]
        for text in ("[('name', '=like', 'JA %'), ('country_id', '!=', None)]",
                     '[["name", "=like", "JA %"], ["country_id", "!=", null]]'):
            self.assertEqual(self.assertSameAsSearch(text, domain), self.company | self.child1)

    def test_malformed_filter(self):
        for text, words in (("[('name', '=', 'x']", "position 18"),
                            ("[('name', '=', __import__)]", "unknown name"),
                            ("[AND, ('name', '=', 'x')]", "missing 1 operand"),
                            ("[('name', 'resembles', 'x')]", "operator")):
            response = self.jsonapi("GET", "/res.partner", params={"filter": text})
            error = self.assertError(response, 400, parameter="filter")
            self.assertIn(words, error["detail"])

    def test_filter_unreadable_field(self):
        response = self.jsonapi("GET", "/res.users", params={"filter": "[('password', '=', 'x')]"})
        self.assertIn(response.status_code, (400, 403))
        self.assertEqual(response.json()["errors"][0]["source"]["parameter"], "filter")

    def test_filter_shorthands(self):
        doc = self.get("/res.partner", {"filter[name]": "JA Child One"})
        self.assertEqual(self.ids(doc), self.child1.ids)
        doc = self.get("/res.partner", {"filter[name][ilike]": "ja child",
                                        "filter[parent_id]": str(self.company.id)})
        self.assertEqual(sorted(self.ids(doc)), sorted((self.child1 | self.child2).ids))
        doc = self.get("/res.partner", {"filter[id][in]": f"{self.child1.id},{self.child2.id}"})
        self.assertEqual(sorted(self.ids(doc)), sorted((self.child1 | self.child2).ids))

    def test_j08_relationships(self):
        doc = self.get(f"/res.partner/{self.child1.id}",
                       {"fields[res.partner]": "name,parent_id,child_ids"})
        relationships = doc["data"]["relationships"]
        self.assertEqual(relationships["parent_id"]["data"],
                         {"type": "res-partner", "id": str(self.company.id)})
        self.assertEqual(relationships["child_ids"]["data"], [])
        for relationship in relationships.values():
            self.assertTrue(relationship["links"]["self"].endswith(
                f"/res.partner/{self.child1.id}/relationships/"
                + ("parent_id" if isinstance(relationship["data"], dict) else "child_ids")))
            self.assertIn("related", relationship["links"])
        doc = self.get(f"/res.partner/{self.company.id}",
                       {"fields[res.partner]": "name,parent_id,child_ids"})
        self.assertIsNone(doc["data"]["relationships"]["parent_id"]["data"])
        self.assertEqual({item["id"] for item in doc["data"]["relationships"]["child_ids"]["data"]},
                         {str(self.child1.id), str(self.child2.id)})

    def test_j09_include_once(self):
        doc = self.get("/res.partner", {
            "fields[res.partner]": "name,parent_id,country_id", "include": "parent_id,country_id",
            "filter[parent_id]": str(self.company.id)})
        included = [(item["type"], item["id"]) for item in doc["included"]]
        self.assertEqual(len(included), len(set(included)))
        self.assertIn(("res-partner", str(self.company.id)), included)
        self.assertIn(("res-country", str(self.fr.id)), included)
        primary = {(item["type"], item["id"]) for item in doc["data"]}
        self.assertFalse(primary & set(included))
        # a parent that is also primary data is not included again
        doc = self.get("/res.partner", {
            "fields[res.partner]": "name,parent_id", "include": "parent_id",
            "filter[id][in]": f"{self.company.id},{self.child1.id}"})
        self.assertEqual(doc["included"], [])

    def test_j10_included_sparse_fieldsets(self):
        doc = self.get("/res.partner", {
            "fields[res.partner]": "name,country_id,category_id",
            "include": "country_id,category_id", "fields[res.country]": "name,code",
            "fields[res.partner.category]": "name", "filter[parent_id]": str(self.company.id)})
        types = set()
        for item in doc["included"]:
            types.add(item["type"])
            expected = {"res-country": {"name", "code"}, "res-partner-category": {"name"}}
            self.assertEqual(set(item["attributes"]), expected[item["type"]])
        self.assertEqual(types, {"res-country", "res-partner-category"})

    def test_j11_two_level_include(self):
        doc = self.get(f"/res.partner/{self.company.id}", {
            "include": "child_ids.category_id",
            "fields[res.partner]": "name,child_ids,category_id"})
        included = {(item["type"], item["id"]) for item in doc["included"]}
        for record in (self.child1, self.child2):
            self.assertIn(("res-partner", str(record.id)), included)
        for tag in (self.cat2, self.cat3):
            self.assertIn(("res-partner-category", str(tag.id)), included)
        self.assertNotIn(("res-partner-category", str(self.cat1.id)), included)

    def test_invalid_include(self):
        response = self.jsonapi("GET", "/res.partner", params={"include": "name"})
        self.assertError(response, 400, parameter="include")

    def test_j12_relationship_linkage(self):
        doc = self.get(f"/res.partner/{self.child2.id}/relationships/category_id")
        self.assertEqual(sorted(doc["data"], key=lambda item: item["id"]), sorted([
            {"type": "res-partner-category", "id": str(self.cat2.id)},
            {"type": "res-partner-category", "id": str(self.cat3.id)}],
            key=lambda item: item["id"]))
        self.assertTrue(doc["links"]["self"].endswith("/relationships/category_id"))

    def test_j13_related_resource(self):
        doc = self.get(f"/res.partner/{self.child1.id}/country_id")
        self.assertEqual(doc["data"]["type"], "res-country")
        self.assertEqual(doc["data"]["id"], str(self.fr.id))
        self.assertEqual(doc["data"]["attributes"]["code"], "FR")
        doc = self.get(f"/res.partner/{self.child2.id}/country_id")
        self.assertIsNone(doc["data"])
        doc = self.get(f"/res.partner/{self.company.id}/child_ids")
        self.assertEqual(sorted(self.ids(doc)), sorted((self.child1 | self.child2).ids))

    def test_j14_relationship_with_include(self):
        doc = self.get(f"/res.partner/{self.company.id}/relationships/child_ids", {
            "fields[res.partner]": "name,category_id", "include": "category_id"})
        self.assertEqual({item["id"] for item in doc["data"]},
                         {str(self.child1.id), str(self.child2.id)})
        self.assertEqual({item["id"] for item in doc["included"]},
                         {str(self.cat2.id), str(self.cat3.id)})

    def test_group_by(self):
        doc = self.get("/res.partner", {"group_by": "parent_id",
                                        "filter[id][in]": ",".join(map(str, (
                                            self.company | self.child1 | self.child2).ids))})
        groups = {(group["value"]["parent_id"] or {}).get("id"): group["count"]
                  for group in doc["meta"]["groups"]}
        self.assertEqual(groups, {str(self.company.id): 2, None: 1})
        for group in doc["meta"]["groups"]:
            self.assertIn("aggregates", group)
        expected = self.env["res.partner"].read_group(
            [("country_id", "!=", False)], ["partner_latitude:sum"], ["country_id"], lazy=False)
        doc = self.get("/res.partner", {"group_by": "country_id",
                                        "aggregates": "partner_latitude:sum",
                                        "filter[country_id][ne]": "null"})
        self.assertEqual(
            {group["value"]["country_id"]["id"]: group["count"] for group in doc["meta"]["groups"]},
            {str(row["country_id"][0]): row["__count"] for row in expected})

    def test_etag(self):
        response = self.jsonapi("GET", f"/res.partner/{self.company.id}", status=200)
        etag = response.headers["ETag"]
        response = self.jsonapi("GET", f"/res.partner/{self.company.id}",
                                headers={"If-None-Match": etag})
        self.assertEqual(response.status_code, 304)
        self.company.name = "JA Parent Co renamed"
        self.env.flush_all()
        response = self.jsonapi("GET", f"/res.partner/{self.company.id}",
                                headers={"If-None-Match": etag})
        self.assertEqual(response.status_code, 200)
        self.assertNotEqual(response.headers["ETag"], etag)

    def test_content_negotiation(self):
        response = self.jsonapi("GET", "/res.partner", headers={
            "Accept": 'application/vnd.api+json; charset="utf-8"'})
        self.assertError(response, 406)
        response = self.jsonapi("GET", "/res.partner", params={"page[size]": 1}, headers={
            "Accept": 'application/vnd.api+json; charset="utf-8", application/vnd.api+json'})
        self.assertStatus(response, 200)
        body = {"data": {"type": "res-partner", "attributes": {"name": "x"}}}
        response = self.jsonapi("POST", "/res.partner", body,
                                content_type='application/vnd.api+json; version="1"')
        self.assertError(response, 415)
        response = self.jsonapi("POST", "/res.partner", body,
                                content_type='application/vnd.api+json; ext="urn:unknown"')
        self.assertError(response, 415)
        response = self.jsonapi("POST", "/res.partner", body, content_type="text/plain")
        self.assertError(response, 415)
        self.assertFalse(self.env["res.partner"].search([("name", "=", "x")]))

    def test_profile_media_type_parameter(self):
        # JSON:API 1.1: ext and profile are the media type parameters a server accepts; a
        # profile it does not apply is ignored, in Accept and in Content-Type alike.
        profile = 'application/vnd.api+json; profile="https://example.com/profiles/audit"'
        response = self.jsonapi("GET", "/res.partner", params={"page[size]": 1},
                                headers={"Accept": profile}, status=200)
        self.assertEqual(response.headers["Content-Type"], "application/vnd.api+json")
        self.assertIn("Accept", response.headers["Vary"])
        two = profile.replace("audit", "audit https://example.com/profiles/other")
        self.jsonapi("GET", f"/res.partner/{self.company.id}", headers={"Accept": two},
                     status=200)
        body = {"data": {"type": "res-partner", "attributes": {"name": "JA Profiled"}}}
        response = self.jsonapi("POST", "/res.partner", body, content_type=two,
                                headers={"Accept": profile}, status=201)
        self.assertTrue(self.env["res.partner"].search([("name", "=", "JA Profiled")]))
        # a profile next to a parameter the spec does not allow is still refused
        response = self.jsonapi("GET", "/res.partner", headers={
            "Accept": profile + "; version=2"})
        self.assertError(response, 406)

    def test_accept_only_with_unsupported_extensions(self):
        for accept in ('application/vnd.api+json; ext="https://example.com/ext/unknown"',
                       'application/vnd.api+json; ext="https://jsonapi.org/ext/atomic '
                       'https://example.com/ext/unknown"',
                       'application/vnd.api+json; ext="urn:a", '
                       'application/vnd.api+json; ext="urn:b"; q=0.5'):
            with self.subTest(accept):
                response = self.jsonapi("GET", "/res.partner", headers={"Accept": accept})
                error = self.assertError(response, 406)
                self.assertEqual(error["source"], {"header": "Accept"})
        # one instance without an unsupported extension is enough
        self.jsonapi("GET", "/res.partner", params={"page[size]": 1}, status=200, headers={
            "Accept": 'application/vnd.api+json; ext="urn:a", application/vnd.api+json'})
        self.jsonapi("GET", "/res.partner", params={"page[size]": 1}, status=200, headers={
            "Accept": 'application/vnd.api+json; ext="https://jsonapi.org/ext/atomic"'})

    def test_unknown_model_and_path(self):
        self.assertError(self.jsonapi("GET", "/no.such.model"), 404)
        self.assertError(self.jsonapi("GET", "/res.partner/abc"), 404)
        self.assertError(self.jsonapi("PUT", "/res.partner"), 405)

    def test_credentials_required(self):
        response = self.api_call("GET", f"/{self.endpoint}/res.partner")
        self.assertError(response, 401)
        self.validate_response(response)
