import json

from openapi_spec_validator import validate as validate_openapi

from odoo.tests import new_test_user, tagged

from .common import ApiDocCase
from .test_api_doc import response_validator

MEDIA_TYPE = "application/vnd.api+json"


class JsonApiDocCase(ApiDocCase):
    """A custom-mode JSON:API at ``/doc-jsonapi`` allowing partners (create, write),
    tags (create, unlink) and countries (read), with an API key of ``api_user``."""

    @classmethod
    def _setup_records(cls):
        super()._setup_records()
        cls.ja_api = cls.ja_key = None
        if "jsonapi" not in dict(cls.env["api.api"]._fields["protocol"].selection):
            return
        cls.ja_api = cls.create_api(
            "doc-jsonapi", "jsonapi", "apikey", access_mode="custom", name="Doc JSON:API",
            meta_version="1.4", access_ids=[
                (0, 0, {"model_id": cls.model_id("res.partner"), "perm_create": True,
                        "perm_write": True}),
                (0, 0, {"model_id": cls.model_id("res.partner.category"),
                        "perm_create": True, "perm_unlink": True}),
                (0, 0, {"model_id": cls.model_id("res.country")}),
            ])
        cls.ja_key = cls.env["api.key"]._generate(cls.ja_api, cls.api_user, "ja doc")

    def setUp(self):
        super().setUp()
        if not self.ja_api:
            self.skipTest("needs api_json")

    def ja_doc(self, key=None, status=200):
        return self.get_doc("openapi.json", endpoint="doc-jsonapi", key=key or self.ja_key,
                            status=status)

    def ja_call(self, method, path, body=None, params=None, key=None):
        headers = {"x-api-key": key or self.ja_key, "Accept": MEDIA_TYPE}
        raw = None
        if body is not None:
            raw = json.dumps(body)
            headers["Content-Type"] = MEDIA_TYPE
        return self.api_call(method, f"/doc-jsonapi{path}", raw=raw, params=params,
                             headers=headers)

    def assertMatches(self, document, path, method, response, media_type=None):
        """Assert the answer's status is documented and its body matches the schema."""
        status = str(response.status_code)
        responses = document["paths"][path][method]["responses"]
        self.assertIn(status, responses, f"{method} {path}: {status} is not documented")
        validator = response_validator(document, path, method, status, media_type)
        errors = list(validator.iter_errors(response.json()))
        found = [(list(error.absolute_path), error.message[:200]) for error in errors]
        self.assertFalse(errors, f"{method} {path} {status}: {found[:3]}")


@tagged("post_install", "-at_install")
class TestJsonApiOpenApi(JsonApiDocCase):

    def test_jsonapi_document_is_valid_openapi_3_1(self):
        document = self.ja_doc().json()
        validate_openapi(document)
        self.assertEqual(document["openapi"], "3.1.0")
        self.assertEqual(document["info"]["version"], "1.4")
        self.assertTrue(document["servers"][0]["url"].endswith("/doc-jsonapi"))
        self.assertEqual(document["security"], [{"apiKey": []}])
        paths = document["paths"]
        for path in ("/", "/res-partner", "/res-partner/{id}", "/res-partner/{id}/{member}",
                     "/res-partner/{id}/relationships/{relationship}",
                     "/res-partner/execute", "/res-partner/{id}/execute",
                     "/res-partner-category", "/res-country", "/export", "/report",
                     "/operations"):
            self.assertIn(path, paths)
        self.assertEqual(set(paths["/res-partner"]), {"get", "post"})
        self.assertEqual(set(paths["/res-partner/{id}"]) - {"parameters"}, {"get", "patch"})
        self.assertEqual(set(paths["/res-partner-category/{id}"]) - {"parameters"},
                         {"get", "delete"})
        self.assertEqual(set(paths["/res-country"]), {"get"})
        self.assertNotIn("res-users", json.dumps(paths))
        self.assertEqual({tag["name"] for tag in document["tags"]},
                         {"res-partner", "res-partner-category", "res-country", "JSON:API"})
        atomic = 'application/vnd.api+json; ext="https://jsonapi.org/ext/atomic"'
        self.assertIn(atomic, paths["/operations"]["post"]["requestBody"]["content"])

    def test_query_parameters_follow_api_json(self):
        document = self.ja_doc().json()
        parameters = document["components"]["parameters"]

        def names(operation):
            return [parameters[item["$ref"].rsplit("/", 1)[-1]]["name"] if "$ref" in item
                    else item["name"] for item in operation["parameters"]]

        listing = names(document["paths"]["/res-partner"]["get"])
        for name in ("fields[res-partner]", "fields[res-country]", "include", "sort",
                     "page[number]", "page[size]", "page[offset]", "page[limit]",
                     "page[after]", "filter", "filter[name]", "filter[is_company]",
                     "filter[odoo_type]", "group_by", "aggregates"):
            self.assertIn(name, listing)
        self.assertNotIn("filter[type]", listing)
        fields = parameters["fields.res-partner"]
        self.assertEqual((fields["style"], fields["explode"]), ("form", False))
        self.assertIn("odoo_type", fields["schema"]["items"]["enum"])
        self.assertNotIn("type", fields["schema"]["items"]["enum"])
        sort = next(item for item in document["paths"]["/res-partner"]["get"]["parameters"]
                    if item.get("name") == "sort")
        self.assertIn("-name", sort["schema"]["items"]["enum"])
        self.assertEqual(parameters["page.size"]["schema"]["maximum"],
                         self.ja_api.page_size_max)
        self.assertIn("ilike", parameters["filter"]["description"])

    def test_schemas_follow_odoo_field_types_and_member_names(self):
        document = self.ja_doc().json()
        schemas = document["components"]["schemas"]
        resource = schemas["res-partner.Resource"]
        self.assertEqual(resource["properties"]["type"], {"const": "res-partner"})
        attributes = resource["properties"]["attributes"]["properties"]
        self.assertIn("odoo_type", attributes)
        self.assertNotIn("type", attributes)
        self.assertNotIn("id", attributes)
        self.assertEqual(attributes["odoo_type"]["x-odoo-type"], "selection")
        self.assertIn("invoice", attributes["odoo_type"]["anyOf"][0]["enum"])
        self.assertEqual(attributes["is_company"]["type"], "boolean")
        self.assertTrue(attributes["display_name"]["readOnly"])
        relationships = resource["properties"]["relationships"]["properties"]
        self.assertIn("country_id", relationships)
        self.assertEqual(relationships["category_id"]["properties"]["data"]["type"], "array")
        # request documents
        create = schemas["res-partner-category.Create"]["properties"]["data"]
        self.assertIn("name", create["properties"]["attributes"]["required"])
        self.assertIn("attributes", create["required"])
        self.assertNotIn("display_name", create["properties"]["attributes"]["properties"])
        update = schemas["res-partner.Update"]["properties"]["data"]
        self.assertEqual(update["required"], ["type", "id"])
        self.assertNotIn("res-country.Create", schemas)
        # JSON:API error documents
        error = document["components"]["responses"]["404"]["content"][MEDIA_TYPE]["schema"]
        self.assertEqual(error, {"$ref": "#/components/schemas/Error"})
        self.assertIn("errors", schemas["Error"]["required"])

    def test_real_responses_match_the_document(self):
        document = self.ja_doc().json()
        partner = self.env["res.partner"].create({
            "name": "JA Doc Co", "is_company": True, "type": "contact",
            "country_id": self.env.ref("base.be").id,
            "category_id": [(0, 0, {"name": "JA Doc Tag"})]})
        self.env["res.partner"].create({"name": "JA Doc Child", "parent_id": partner.id,
                                        "type": "invoice"})
        checks = [
            ("get", "/res-partner", "/res-partner", None, {
                "filter[name][ilike]": "JA Doc", "include": "child_ids,country_id",
                "page[size]": 5, "sort": "-id"}),
            ("get", "/res-partner", "/res-partner", None, {
                "fields[res-partner]": "name,odoo_type,category_id", "page[offset]": 0,
                "page[limit]": 2, "filter": "[('is_company', '=', True)]"}),
            ("get", "/res-partner", "/res-partner", None, {"page[after]": 0,
                                                          "page[size]": 3}),
            ("get", "/res-partner", "/res-partner", None, {"group_by": "odoo_type"}),
            ("get", "/res-partner/{id}", f"/res-partner/{partner.id}", None,
             {"include": "category_id"}),
            ("get", "/res-partner/{id}/{member}", f"/res-partner/{partner.id}/child_ids",
             None, None),
            ("get", "/res-partner/{id}/relationships/{relationship}",
             f"/res-partner/{partner.id}/relationships/country_id", None, None),
            ("patch", "/res-partner/{id}", f"/res-partner/{partner.id}", {"data": {
                "type": "res-partner", "id": str(partner.id),
                "attributes": {"phone": "+32 2 555 00 00"}}}, None),
            ("post", "/res-partner-category", "/res-partner-category",
             {"data": {"type": "res-partner-category", "attributes": {"name": "JA New"}}},
             None),
            ("post", "/res-partner/execute", "/res-partner/execute",
             {"data": {"method": "search_count", "args": [[]]}}, None),
            ("post", "/res-partner/execute", "/res-partner/execute",
             {"data": {"method": "search", "args": [[["id", "=", partner.id]]]}}, None),
            ("get", "/", "/", None, None),
            # errors: unknown record, bad parameter, type mismatch, not allowed
            ("get", "/res-partner/{id}", "/res-partner/999999999", None, None),
            ("get", "/res-partner", "/res-partner", None, {"sort": "no_such_field"}),
            ("patch", "/res-partner/{id}", f"/res-partner/{partner.id}", {"data": {
                "type": "res-country", "id": str(partner.id)}}, None),
            ("post", "/res-partner-category", "/res-partner-category",
             {"data": {"type": "res-partner-category", "attributes": {"nope": 1}}}, None),
        ]
        statuses = []
        for method, template, path, body, params in checks:
            response = self.ja_call(method.upper(), path, body=body, params=params)
            statuses.append(response.status_code)
            self.assertIn(MEDIA_TYPE, response.headers["Content-Type"])
            self.assertMatches(document, template, method, response)
        self.assertEqual(statuses, [200] * 8 + [201] + [200] * 3 + [404, 400, 409, 400])

    def test_relationships_to_types_not_served_are_identifiers_only(self):
        document = self.ja_doc().json()
        schemas = document["components"]["schemas"]
        relationships = schemas["res-partner.Resource"]["properties"]["relationships"][
            "properties"]
        self.assertNotIn("description", relationships["country_id"]["properties"]["data"])
        # res.users is not in the allow-list: the linkage is all the API answers of it
        create_uid = relationships["create_uid"]["properties"]["data"]
        self.assertIn("does not serve res-users", create_uid["description"])
        member = document["paths"]["/res-partner/{id}/{member}"]["parameters"][1]
        self.assertNotIn("create_uid", member["schema"]["enum"])
        partner = self.env["res.partner"].create({"name": "JA Doc Linked"})
        related = self.ja_call("GET", f"/res-partner/{partner.id}/create_uid")
        self.assertStatus(related, 404)
        included = self.ja_call("GET", f"/res-partner/{partner.id}",
                                params={"include": "create_uid"})
        self.assertStatus(included, 400)
        # nor can such relationships be written
        update = schemas["res-partner.Update"]["properties"]["data"]["properties"]
        written = update["relationships"]["properties"]
        self.assertIn("country_id", written)
        for not_served in ("user_id", "company_id", "state_id"):
            self.assertNotIn(not_served, written)
        self.assertNotIn("res-users", json.dumps(schemas["res-partner.Update"]))
        self.assertNotIn("res-company", json.dumps(schemas["res-partner.Create"]))

    def test_execute_lists_the_methods_the_api_runs(self):
        document = self.ja_doc().json()

        def methods(type_name):
            body = document["paths"][f"/{type_name}/execute"]["post"]["requestBody"]
            schema = body["content"][MEDIA_TYPE]["schema"]
            return schema["properties"]["data"]["properties"]["method"]["enum"]

        partner_methods = methods("res-partner")
        for name in ("search_count", "read", "search_read", "create", "write", "copy",
                     "fields_get"):
            self.assertIn(name, partner_methods)
        for name in ("unlink", "web_read", "web_search_read", "address_get"):
            self.assertNotIn(name, partner_methods)
        self.assertNotIn("create", methods("res-country"))
        refused = self.ja_call("POST", "/res-partner/execute",
                               body={"data": {"method": "address_get"}})
        self.assertStatus(refused, 403)
        rule = self.ja_api.access_ids.filtered(lambda r: r.model == "res.partner")
        rule.write({"perm_call": True, "method_names": "address_get"})
        document = self.ja_doc().json()
        self.assertIn("address_get", methods("res-partner"))
        partner = self.env["res.partner"].create({"name": "JA Doc Address"})
        called = self.ja_call("POST", f"/res-partner/{partner.id}/execute",
                              body={"data": {"method": "address_get"}})
        self.assertStatus(called, 200)
        # in the User mode any public method runs: no list
        api = self.create_api("doc-ja-methods", "jsonapi", "apikey", access_mode="user")
        key = self.env["api.key"]._generate(api, self.api_user, "user mode")
        document = self.get_doc("openapi.json", endpoint="doc-ja-methods", key=key).json()
        body = document["paths"]["/res-partner/execute"]["post"]["requestBody"]
        self.assertEqual(body["content"][MEDIA_TYPE]["schema"],
                         {"$ref": "#/components/schemas/ExecuteRequest"})

    def test_documentation_follows_the_callers_rights(self):
        other = new_test_user(self.env, login="ja_other", name="JA Other",
                              password="ja_other_pass_1234", groups="base.group_user")
        self.ja_api.user_ids += other
        other_key = self.env["api.key"]._generate(self.ja_api, other, "other")
        mine = self.ja_doc().json()
        theirs = self.ja_doc(key=other_key).json()
        self.assertIn("post", mine["paths"]["/res-partner-category"])
        self.assertNotIn("post", theirs["paths"].get("/res-partner-category", {}))
        # an allow-list change shows at once
        self.ja_api.access_ids.filtered(lambda rule: rule.model == "res.country").unlink()
        self.assertNotIn("/res-country", self.ja_doc().json()["paths"])

    def test_second_document_request_is_served_from_the_cache(self):
        self.env.registry.clear_cache()

        def count():
            before = self.cr.sql_log_count
            document = self.ja_doc().json()
            return self.cr.sql_log_count - before, document

        first, document = count()
        second, again = count()
        self.assertEqual(document, again)
        self.assertLess(second * 3, first, f"{first} queries, then {second}")
        # REST-JSON documents are cached the same way
        self.get_doc("openapi.json")
        before = self.cr.sql_log_count
        self.get_doc("openapi.json")
        self.assertLess(self.cr.sql_log_count - before, second + 5)


@tagged("post_install", "-at_install")
class TestJsonApiDocTools(JsonApiDocCase):

    def test_postman_collection_of_a_jsonapi(self):
        collection = self.get_doc("postman.json", endpoint="doc-jsonapi",
                                  key=self.ja_key).json()
        self.assertEqual(collection["auth"]["type"], "apikey")
        folders = {folder["name"]: folder["item"] for folder in collection["item"]}
        self.assertTrue({"res-partner", "res-partner-category", "res-country",
                         "JSON:API"} <= set(folders))
        create = next(item for item in folders["res-partner-category"]
                      if item["request"]["method"] == "POST"
                      and item["request"]["url"]["path"] == ["res-partner-category"])
        headers = {header["key"]: header["value"] for header in create["request"]["header"]}
        self.assertEqual(headers["Content-Type"], MEDIA_TYPE)
        response = self.api_call("POST", "/doc-jsonapi/res-partner-category",
                                 raw=create["request"]["body"]["raw"],
                                 headers={"x-api-key": self.ja_key, **headers})
        self.assertStatus(response, 201)
        listing = next(item for item in folders["res-country"]
                       if item["request"]["url"]["path"] == ["res-country"])
        query = {item["key"]: item["value"] for item in listing["request"]["url"]["query"]}
        self.assertEqual(query["page[size]"], "5")
        member = next(item for item in folders["res-partner"]
                      if item["request"]["url"]["path"] == ["res-partner", ":id", ":member"])
        variables = {item["key"]: item["value"] for item in member["request"]["url"][
            "variable"]}
        document = self.ja_doc().json()
        member_parameter = document["paths"]["/res-partner/{id}/{member}"]["parameters"][1]
        self.assertEqual(variables["member"], member_parameter["schema"]["enum"][0])

    def test_docs_pages_and_backend_buttons(self):
        self.assertEqual(self.ja_api.with_user(self.doc_viewer).doc_kind, "openapi")
        for path in ("docs", "docs/redoc"):
            page = self.assertStatus(self.api_call("GET", f"/doc-jsonapi/{path}"), 200)
            self.assertIn('data-document-url="/doc-jsonapi/openapi.json"', page.text)
        self.assertStatus(self.api_call("GET", "/doc-jsonapi/graphiql"), 404)
        self.authenticate("doc_viewer", "doc_viewer_pass_1234")
        document = self.assertStatus(
            self.url_open(f"/api_doc/api/{self.ja_api.id}/openapi.json"), 200).json()
        self.assertIn("/res-partner", document["paths"])
        self.assertStatus(self.url_open(f"/api_doc/api/{self.ja_api.id}/docs"), 200)
        self.assertStatus(self.url_open(f"/api_doc/api/{self.ja_api.id}/postman.json"), 200)

    def test_user_mode_lists_the_users_readable_types(self):
        api = self.create_api("doc-ja-user", "jsonapi", "apikey", access_mode="user")
        key = self.env["api.key"]._generate(api, self.api_user, "user mode")
        document = self.get_doc("openapi.json", endpoint="doc-ja-user", key=key).json()
        tags = {tag["name"] for tag in document["tags"]}
        self.assertTrue({"res-partner", "res-country", "res-users"} <= tags)
        for denied in ("res-users-apikeys", "ir-config-parameter", "api-auth-failure",
                       "ir-rule", "ir-model-access", "api-key"):
            self.assertNotIn(denied, tags)
            self.assertNotIn(f"/{denied}", document["paths"])
        users = document["components"]["schemas"]["res-users.Resource"]["properties"]
        self.assertNotIn("password", users["attributes"]["properties"])
        self.assertNotIn("post", document["paths"]["/res-users"])
