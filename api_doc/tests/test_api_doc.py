import json
import tempfile
import time

from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate as validate_openapi

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ApiDocCase


def response_validator(document, path, method="post", status="200", media_type=None):
    """Return a JSON Schema validator of the response ``status`` of an operation (of its
    first media type, or ``media_type``)."""
    response = document["paths"][path][method]["responses"][status]
    if "$ref" in response:
        response = document["components"]["responses"][response["$ref"].rsplit("/", 1)[-1]]
    media = response["content"]
    schema = (media[media_type] if media_type else next(iter(media.values())))["schema"]
    return OAS31Validator({**schema, "components": document["components"]})


@tagged("post_install", "-at_install")
class TestOpenApiDocument(ApiDocCase):

    def test_openapi_document_is_valid_openapi_3_1(self):
        document = self.get_doc("openapi.json").json()
        validate_openapi(document)
        self.assertEqual(document["openapi"], "3.1.0")
        self.assertEqual(document["info"]["title"], "Doc Test API")
        self.assertEqual(document["info"]["version"], "2.3")
        self.assertEqual(document["info"]["contact"],
                         {"name": "Docs Team", "email": "docs@example.test"})
        self.assertTrue(document["servers"][0]["url"].endswith("/doc-test"))

    def test_only_allowed_models_and_operations_are_documented(self):
        document = self.get_doc("openapi.json").json()
        models = {path.split("/")[1] for path in document["paths"]}
        self.assertEqual(models, {"res.partner", "res.partner.category", "res.country"})
        self.assertNotIn("res.users", json.dumps(document["paths"]))
        self.assertIn("/res.partner/search_read", document["paths"])
        self.assertIn("/res.partner/create", document["paths"])
        self.assertIn("/res.partner/write", document["paths"])
        self.assertNotIn("/res.partner/unlink", document["paths"])
        self.assertIn("/res.partner.category/unlink", document["paths"])
        self.assertNotIn("/res.country/create", document["paths"])
        self.assertNotIn("res.country.Values", document["components"]["schemas"])

    def test_field_schemas_follow_odoo_field_types(self):
        schemas = self.get_doc("openapi.json").json()["components"]["schemas"]
        record = schemas["res.partner.Record"]["properties"]
        self.assertEqual(record["id"]["type"], "integer")
        self.assertTrue(record["display_name"]["readOnly"])
        company_type = record["company_type"]["anyOf"][0]
        self.assertEqual(set(company_type["enum"]), {"person", "company"})
        self.assertEqual(record["country_id"]["x-odoo-relation"], "res.country")
        self.assertEqual(record["child_ids"]["items"], {"type": "integer"})
        self.assertEqual(record["is_company"]["type"], "boolean")
        values = schemas["res.partner.category.Values"]
        self.assertIn("name", values["required"])
        self.assertNotIn("display_name", values["properties"])
        self.assertFalse(values["additionalProperties"])

    def test_allowed_fields_restrict_the_schemas(self):
        rule = self.api.access_ids.filtered(lambda r: r.model == "res.country")
        rule.field_ids = self.env["ir.model.fields"].search([
            ("model", "=", "res.country"), ("name", "in", ("name", "code"))])
        record = self.get_doc("openapi.json").json()["components"]["schemas"][
            "res.country.Record"]
        self.assertEqual(set(record["properties"]), {"id", "name", "code"})

    def test_security_scheme_and_error_responses(self):
        document = self.get_doc("openapi.json").json()
        self.assertEqual(document["components"]["securitySchemes"]["apiKey"],
                         {"type": "apiKey", "in": "header", "name": "x-api-key",
                          "description": "A key of this API, created in Odoo."})
        self.assertEqual(document["security"], [{"apiKey": []}])
        responses = document["paths"]["/res.partner/search_read"]["post"]["responses"]
        self.assertEqual(responses["401"], {"$ref": "#/components/responses/401"})
        self.assertIn("application/json", document["components"]["responses"]["404"]["content"])

    def test_document_needs_the_api_credentials(self):
        response = self.api_call("GET", f"/{self.endpoint}/openapi.json")
        self.assertStatus(response, 401)
        self.assertIn("WWW-Authenticate", response.headers)
        self.get_doc("openapi.json", key="not-a-key", status=401)

    def test_real_responses_match_the_document(self):
        document = self.get_doc("openapi.json").json()
        self.env["res.partner"].create([{"name": "Doc Partner A", "email": "a@doc.test"},
                                        {"name": "Doc Partner B", "is_company": True}])
        headers = {"x-api-key": self.key}
        for path, body in (
            ("/res.partner/search_read", {"args": [[["name", "like", "Doc Partner"]]],
                                          "kwargs": {"limit": 5}}),
            ("/res.partner/search", {"args": [[]], "kwargs": {"limit": 3}}),
            ("/res.partner/search_count", {"args": [[]]}),
            ("/res.country/search_read", {"args": [[["code", "in", ["FR", "BE"]]]]}),
            ("/res.partner.category/create", {"args": [{"name": "Doc Tag"}]}),
        ):
            response = self.assertStatus(
                self.api_call("POST", f"/{self.endpoint}{path}", body=body, headers=headers),
                200)
            errors = list(response_validator(document, path).iter_errors(response.json()))
            self.assertFalse(errors, f"{path}: {[error.message for error in errors][:3]}")
        # an error answer matches the documented error object
        response = self.api_call("POST", f"/{self.endpoint}/res.partner/read",
                                 body={"args": [[999999999]]}, headers=headers)
        status = str(response.status_code)
        self.assertIn(status, document["paths"]["/res.partner/read"]["post"]["responses"])
        error_schema = {**document["components"]["schemas"]["Error"]}
        self.assertFalse(list(OAS31Validator(error_schema).iter_errors(response.json())))

    def test_many2one_schemas_say_whether_names_are_served(self):
        properties = self.get_doc("openapi.json").json()["components"]["schemas"][
            "res.partner.Record"]["properties"]
        pair = {"type": "array", "minItems": 2, "maxItems": 2,
                "prefixItems": [{"type": "integer"}, {"type": "string"}]}
        # res.country and res.partner are served whole: [id, name] or false
        self.assertEqual(properties["country_id"]["anyOf"], [pair, {"const": False}])
        self.assertEqual(properties["parent_id"]["anyOf"], [pair, {"const": False}])
        # res.users is not served: the id alone
        bare_id = properties["create_uid"]["anyOf"][0]
        self.assertEqual(bare_id["type"], "integer")
        self.assertIn("res.users", bare_id["description"])
        # a domain on res.country: names of countries outside it would show
        rule = self.api.access_ids.filtered(lambda r: r.model == "res.country")
        rule.domain = "[('code', 'in', ['FR', 'BE'])]"
        document = self.get_doc("openapi.json").json()
        country = document["components"]["schemas"]["res.partner.Record"]["properties"][
            "country_id"]
        self.assertEqual(country["anyOf"][0]["type"], "integer")
        self.env["res.partner"].create({"name": "Doc Partner FR",
                                        "country_id": self.env.ref("base.fr").id})
        response = self.assertStatus(self.api_call(
            "POST", f"/{self.endpoint}/res.partner/search_read",
            body={"args": [[["name", "=", "Doc Partner FR"]]],
                  "kwargs": {"fields": ["country_id", "parent_id", "create_uid"]}},
            headers={"x-api-key": self.key}), 200)
        row = response.json()["result"][0]
        self.assertEqual(row["country_id"], self.env.ref("base.fr").id)
        validator = response_validator(document, "/res.partner/search_read")
        self.assertFalse(list(validator.iter_errors(response.json())))

    def test_values_leave_out_relations_to_models_not_served(self):
        values = self.get_doc("openapi.json").json()["components"]["schemas"][
            "res.partner.Values"]["properties"]
        for served in ("name", "country_id", "parent_id", "category_id", "child_ids"):
            self.assertIn(served, values)
        for not_served in ("user_id", "company_id", "state_id", "bank_ids"):
            self.assertNotIn(not_served, values)
        response = self.api_call(
            "POST", f"/{self.endpoint}/res.partner/create",
            body={"args": [{"name": "Doc Salesman", "user_id": self.api_user.id}]},
            headers={"x-api-key": self.key})
        self.assertStatus(response, 403)

    def test_only_the_methods_the_api_runs_are_documented(self):
        rule = self.api.access_ids.filtered(lambda r: r.model == "res.partner")
        document = self.get_doc("openapi.json").json()
        self.assertNotIn("/res.partner/address_get", document["paths"])
        headers = {"x-api-key": self.key}
        body = {"args": [[self.api_user.partner_id.id]]}
        self.assertStatus(self.api_call("POST", f"/{self.endpoint}/res.partner/address_get",
                                        body=body, headers=headers), 403)
        # a method the allow-list names is documented, and runs
        rule.write({"perm_call": True, "method_names": "address_get, web_save"})
        paths = self.get_doc("openapi.json").json()["paths"]
        operation = paths["/res.partner/address_get"]["post"]
        self.assertEqual(operation["requestBody"]["content"]["application/json"]["example"],
                         {"args": [[1]]})
        self.assertStatus(self.api_call("POST", f"/{self.endpoint}/res.partner/address_get",
                                        body=body, headers=headers), 200)
        # web_save reads a field specification: never outside the User mode
        self.assertNotIn("/res.partner/web_save", paths)
        web_save = {"args": [[], {"name": "X"}, {"name": {}}]}
        self.assertStatus(self.api_call("POST", f"/{self.endpoint}/res.partner/web_save",
                                        body=web_save, headers=headers), 403)

    def test_user_mode_lists_readable_models_in_bounded_time(self):
        self.create_api("doc-user", "rest_json", "apikey", access_mode="user")
        api = self.env["api.api"].search([("endpoint", "=", "doc-user")])
        key = self.env["api.key"]._generate(api, self.api_user, "user mode")
        started = time.perf_counter()
        document = self.get_doc("openapi.json", endpoint="doc-user", key=key).json()
        elapsed = time.perf_counter() - started
        validate_openapi(document)
        models = {path.split("/")[1] for path in document["paths"]}
        self.assertIn("res.partner", models)
        self.assertIn("res.country", models)
        for denied in ("res.users.apikeys", "ir.config_parameter", "api.auth.failure",
                       "ir.rule", "ir.model.access"):
            self.assertNotIn(denied, models)
        user_fields = document["components"]["schemas"]["res.users.Record"]["properties"]
        self.assertNotIn("password", user_fields)
        self.assertLess(elapsed, 20, f"{len(models)} models documented in {elapsed:.1f}s")

    def test_cors_lets_another_origin_read_the_document(self):
        self.api.cors_origins = "https://docs.example.test"
        origin = {"Origin": "https://docs.example.test"}
        preflight = self.api_call("OPTIONS", f"/{self.endpoint}/openapi.json", headers={
            **origin, "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "x-api-key"})
        self.assertStatus(preflight, 204)
        self.assertEqual(preflight.headers["Access-Control-Allow-Origin"],
                         "https://docs.example.test")
        response = self.get_doc("openapi.json", headers=origin)
        self.assertEqual(response.headers["Access-Control-Allow-Origin"],
                         "https://docs.example.test")


@tagged("post_install", "-at_install")
class TestPostmanCollection(ApiDocCase):

    def test_postman_collection_has_requests_per_model_and_auth_variables(self):
        response = self.get_doc("postman.json")
        self.assertIn("attachment", response.headers["Content-Disposition"])
        collection = response.json()
        self.assertEqual(collection["info"]["schema"],
                         "https://schema.getpostman.com/json/collection/v2.1.0/collection.json")
        self.assertEqual(collection["auth"]["type"], "apikey")
        auth = {item["key"]: item["value"] for item in collection["auth"]["apikey"]}
        self.assertEqual(auth, {"key": "x-api-key", "value": "{{apiKey}}", "in": "header"})
        variables = {item["key"]: item["value"] for item in collection["variable"]}
        self.assertEqual(variables["apiKey"], "")
        self.assertTrue(variables["baseUrl"].endswith("/doc-test"))
        folders = {folder["name"]: folder["item"] for folder in collection["item"]}
        self.assertEqual(set(folders), {"res.partner", "res.partner.category", "res.country"})
        search_read = next(item for item in folders["res.partner"]
                           if item["request"]["url"]["path"] == ["res.partner", "search_read"])
        body = json.loads(search_read["request"]["body"]["raw"])
        self.assertIn("fields", body["kwargs"])
        # the example request works as it is against the API
        response = self.api_call("POST", f"/{self.endpoint}/res.partner/search_read",
                                 raw=search_read["request"]["body"]["raw"],
                                 headers={"x-api-key": self.key,
                                          "Content-Type": "application/json"})
        self.assertStatus(response, 200)


@tagged("post_install", "-at_install")
class TestDocPages(ApiDocCase):

    def test_docs_pages_are_served_without_credentials(self):
        for path, script in (("docs", "swagger-ui-bundle.js"),
                             ("docs/redoc", "redoc.standalone.js")):
            response = self.api_call("GET", f"/{self.endpoint}/{path}")
            self.assertStatus(response, 200)
            self.assertIn("text/html", response.headers["Content-Type"])
            self.assertIn(f"/api_doc/assets/{script}", response.text)
            self.assertIn('data-document-url="/doc-test/openapi.json"', response.text)
            self.assertNotIn("cdn", response.text.lower())

    def test_graphiql_is_not_offered_for_rest_json(self):
        self.assertStatus(self.api_call("GET", f"/{self.endpoint}/graphiql"), 404)
        self.get_doc("schema.graphql", status=404)

    def test_assets_are_served_from_the_installed_packages_only(self):
        response = self.api_call("GET", "/api_doc/assets/swagger-ui-bundle.js")
        self.assertStatus(response, 200)
        self.assertIn("javascript", response.headers["Content-Type"])
        self.assertStatus(self.api_call("GET", "/api_doc/assets/package.json"), 404)
        self.assertStatus(self.api_call("GET", "/api_doc/assets/..%2Fpackage.json"), 404)

    def test_missing_assets_give_a_clear_page(self):
        with tempfile.TemporaryDirectory() as empty:
            self.env["ir.config_parameter"].set_param("api_doc.assets_path", empty)
            response = self.api_call("GET", f"/{self.endpoint}/docs")
        self.assertStatus(response, 503)
        self.assertIn("The documentation viewers are not installed", response.text)
        self.assertIn("npm install --prefix", response.text)
        self.assertNotIn("/api_doc/assets/swagger-ui-bundle.js", response.text)

    def test_unpublished_api_has_no_docs(self):
        self.api.action_unpublish()
        self.assertStatus(self.api_call("GET", f"/{self.endpoint}/docs"), 404)


@tagged("post_install", "-at_install")
class TestBackendDocs(ApiDocCase):

    def test_documentation_viewer_reads_the_docs_from_the_backend(self):
        self.authenticate("doc_viewer", "doc_viewer_pass_1234")
        document = self.assertStatus(
            self.url_open(f"/api_doc/api/{self.api.id}/openapi.json"), 200).json()
        validate_openapi(document)
        self.assertIn("/res.partner/search_read", document["paths"])
        self.assertNotIn("res.users", json.dumps(document["paths"]))
        postman = self.assertStatus(
            self.url_open(f"/api_doc/api/{self.api.id}/postman.json"), 200)
        self.assertIn("attachment", postman.headers["Content-Disposition"])
        page = self.assertStatus(self.url_open(f"/api_doc/api/{self.api.id}/docs"), 200)
        self.assertIn(f'data-document-url="/api_doc/api/{self.api.id}/openapi.json"',
                      page.text)

    def test_documentation_viewer_changes_nothing(self):
        api = self.api.with_user(self.doc_viewer)
        self.assertEqual(api.name, "Doc Test API")
        self.assertEqual(api.doc_kind, "openapi")
        action = api.action_api_doc_postman()
        self.assertEqual(action["url"], f"/api_doc/api/{self.api.id}/postman.json")
        with self.assertRaises(AccessError), self.cr.savepoint():
            api.write({"name": "Changed"})
        with self.assertRaises(AccessError), self.cr.savepoint():
            api.access_ids.with_user(self.doc_viewer).unlink()

    def test_other_users_get_no_backend_docs(self):
        self.authenticate("plain_user", "plain_user_pass_1234")
        response = self.url_open(f"/api_doc/api/{self.api.id}/openapi.json")
        self.assertEqual(response.status_code, 403)
        self.authenticate(None, None)
        response = self.url_open(f"/api_doc/api/{self.api.id}/openapi.json",
                                 allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))

    def test_api_form_shows_the_doc_buttons(self):
        arch = self.env["api.api"].with_user(self.doc_viewer).get_views(
            [(False, "form")])["views"]["form"]["arch"]
        for action in ("action_api_doc_swagger", "action_api_doc_redoc",
                       "action_api_doc_postman", "action_api_doc_openapi"):
            self.assertIn(action, arch)
