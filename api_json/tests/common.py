"""Test base of api_json: a JSON:API over API keys, and schema validation of every
JSON:API document the tests receive."""

import contextlib
import json
import os
import unittest
from unittest.mock import patch

from odoo.sql_db import Cursor
from odoo.tools import SQL

from odoo.addons.api_framework_base.tests.common import ApiHttpCase

try:
    import jsonschema
except ImportError:  # pragma: no cover - declared in requirements.txt
    jsonschema = None

MEDIA_TYPE = "application/vnd.api+json"
ATOMIC = 'application/vnd.api+json; ext="https://jsonapi.org/ext/atomic"'
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCHEMA_PATH = os.environ.get("JSONAPI_SCHEMA") or os.path.join(
    REPO_ROOT, "..", "shared", "jsonapi", "schema.json")


def load_validator():
    """Return a validator of the JSON:API response schema shared by the suite."""
    if jsonschema is None:
        raise AssertionError("The jsonschema package is required by the api_json tests.")
    if not os.path.exists(SCHEMA_PATH):
        raise AssertionError(f"The JSON:API schema is missing at {SCHEMA_PATH}; set "
                             "JSONAPI_SCHEMA to its path.")
    with open(SCHEMA_PATH, encoding="utf-8") as schema_file:
        schema = json.load(schema_file)
    schema = _match_all_patterns(schema)
    # The schema names draft 2020-12 but relies on draft 7's "dependencies" too (data and
    # errors never together, included only with data): check both readings.
    return [jsonschema.Draft202012Validator(schema), jsonschema.Draft7Validator(schema)]


def _match_all_patterns(node):
    """Spell the schema's match-everything pattern ``""`` as ``"^"``: same meaning, but
    jsonschema's additionalProperties check skips an empty pattern and would then reject
    every attribute."""
    if isinstance(node, dict):
        return {
            key: ({("^" if pattern == "" else pattern): _match_all_patterns(sub)
                   for pattern, sub in value.items()}
                  if key == "patternProperties" else _match_all_patterns(value))
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_match_all_patterns(item) for item in node]
    return node


class JsonApiCase(ApiHttpCase):
    """Creates a published JSON:API at /jsonapi authenticated by API key."""

    endpoint = "jsonapi"
    api_values = {}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if "api.key" not in cls.env:
            raise unittest.SkipTest("api_auth_apikey is not installed: install it with "
                                    "api_json to run these HTTP tests.")
        cls.validator = load_validator()
        cls.api_user.groups_id |= cls.env.ref("base.group_partner_manager")
        cls.api = cls.create_api(cls.endpoint, "jsonapi", "apikey", **cls.api_values)
        cls.key = cls.env["api.key"]._generate(cls.api, cls.api_user, "tests")

    @classmethod
    def _setup_records(cls):
        super()._setup_records()
        cls.us = cls.env.ref("base.us")
        cls.fr = cls.env.ref("base.fr")
        Category = cls.env["res.partner.category"]
        cls.cat1, cls.cat2, cls.cat3 = Category.create(
            [{"name": "JA Tag 1"}, {"name": "JA Tag 2"}, {"name": "JA Tag 3"}])
        Partner = cls.env["res.partner"]
        cls.company = Partner.create({
            "name": "JA Parent Co", "is_company": True, "country_id": cls.us.id,
            "category_id": [(6, 0, [cls.cat1.id])]})
        cls.child1 = Partner.create({
            "name": "JA Child One", "parent_id": cls.company.id, "country_id": cls.fr.id,
            "type": "invoice",
            "category_id": [(6, 0, [cls.cat2.id])]})
        cls.child2 = Partner.create({
            "name": "JA Child Two", "parent_id": cls.company.id, "type": "other",
            "category_id": [(6, 0, [cls.cat2.id, cls.cat3.id])]})
        cls.bank = cls.env["res.bank"].create({"name": "JA Bank"})

    # Calls --------------------------------------------------------------

    def headers(self, **extra):
        headers = {"x-api-key": self.key, "Accept": MEDIA_TYPE}
        headers.update(extra)
        return headers

    def jsonapi(self, method, path, body=None, params=None, headers=None, status=None,
                content_type=MEDIA_TYPE):
        """Call the API, check ``status`` and validate a JSON:API answer; return it."""
        all_headers = self.headers(**(headers or {}))
        data = None
        if body is not None:
            data = json.dumps(body)
            all_headers.setdefault("Content-Type", content_type)
        response = self.api_call(method, f"/{self.endpoint}{path}", headers=all_headers,
                                 raw=data, params=params)
        if status is not None:
            self.assertStatus(response, status)
        self.validate_response(response)
        return response

    def validate_response(self, response):
        """Validate a JSON:API response document against the shared schema."""
        if not response.content or not response.headers.get(
                "Content-Type", "").startswith(MEDIA_TYPE):
            return None
        document = response.json()
        if "atomic:results" in document:
            # The extension's own member; each result is checked as a document.
            for result in document["atomic:results"]:
                if result:
                    self.assertSchema(result)
            return document
        self.assertSchema(document)
        return document

    def assertSchema(self, document):
        errors = [error for validator in self.validator for error in validator.iter_errors(
            document)]
        if errors:
            best = jsonschema.exceptions.best_match(errors)
            self.fail("invalid JSON:API document: %s: %s\n%s" % (
                list(best.absolute_path), best.message[:300], json.dumps(document)[:1500]))

    def get(self, path, params=None, status=200, **kwargs):
        return self.jsonapi("GET", path, params=params, status=status, **kwargs).json()

    def follow(self, url, status=200):
        """GET a link exactly as the API served it; return the validated document."""
        self.assertTrue(url.startswith(f"{self.base_url()}/{self.endpoint}/"), url)
        response = self.opener.get(url, headers=self.headers(), timeout=60,
                                   allow_redirects=False)
        self.assertStatus(response, status)
        return self.validate_response(response)

    @contextlib.contextmanager
    def captured_sql(self):
        """Collect the SQL run meanwhile, the test server's included (its cursors wrap the
        test cursor), as a list of query strings."""
        queries = []
        execute = Cursor.execute

        def spy(cursor, query, params=None, log_exceptions=True):
            queries.append(query.code if isinstance(query, SQL) else str(query))
            return execute(cursor, query, params, log_exceptions)

        with patch.object(Cursor, "execute", spy):
            yield queries

    def assertError(self, response, status, pointer=None, parameter=None):
        self.assertStatus(response, status)
        error = response.json()["errors"][0]
        self.assertEqual(error["status"], str(status))
        for key in ("code", "title", "detail"):
            self.assertTrue(error.get(key), f"error object without {key}: {error}")
        if pointer is not None:
            self.assertEqual(error.get("source", {}).get("pointer"), pointer, error)
        if parameter is not None:
            self.assertEqual(error.get("source", {}).get("parameter"), parameter, error)
        return error

    @staticmethod
    def ids(document):
        return [int(resource["id"]) for resource in document["data"]]
