"""Postman collections (v2.1) of the APIs.

For protocols described by OpenAPI the collection is derived from the OpenAPI document:
one folder per tag (model), one request per operation with the document's example body.
For GraphQL, one query per root field of the schema. The credentials are collection
variables, empty: the reader fills them in Postman.
"""

import json
import uuid

from odoo import api, models

POSTMAN_SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
# Above this many requests, a collection is cut (each folder keeps its first requests).
MAX_REQUESTS_PER_FOLDER = 12


class ApiApi(models.Model):
    _inherit = "api.api"

    def _api_doc_postman(self, api_request):
        """Return the Postman collection of the API for ``api_request``'s caller."""
        kind = self._api_doc_kind()
        variables = [{"key": "baseUrl", "value": api_request.base_url, "type": "string"}]
        collection = {
            "info": {
                "_postman_id": str(uuid.uuid5(uuid.NAMESPACE_URL, api_request.base_url)),
                "name": self.name,
                "description": self.description or "",
                "schema": POSTMAN_SCHEMA,
            },
            "item": [],
            "variable": variables,
        }
        if kind == "openapi":
            document = self._api_doc_openapi(api_request)
            auth, headers, auth_variables = self._api_doc_postman_auth(
                document["components"]["securitySchemes"])
            collection["item"] = self._api_doc_postman_openapi_items(document, headers)
        elif kind == "graphql":
            document = None
            auth, headers, auth_variables = self._api_doc_postman_auth(
                self._api_doc_security(api_request)[0])
            collection["item"] = self._api_doc_postman_graphql_items(api_request, headers)
        else:
            auth, headers, auth_variables = self._api_doc_postman_auth(
                self._api_doc_security(api_request)[0])
        variables.extend(auth_variables)
        if auth:
            collection["auth"] = auth
        return collection

    def _api_doc_postman_auth(self, schemes):
        """Return ``(collection auth, headers for every request, variables)``."""
        headers, variables, auth = [], [], None
        for name, scheme in schemes.items():
            if scheme["type"] == "apiKey" and scheme.get("in") == "header":
                variable = name
                headers.append({"key": scheme["name"], "value": f"{{{{{variable}}}}}"})
                variables.append({"key": variable, "value": "", "type": "secret"})
            elif scheme["type"] == "http" and scheme.get("scheme") == "basic":
                auth = {"type": "basic", "basic": [
                    {"key": "username", "value": "{{username}}", "type": "string"},
                    {"key": "password", "value": "{{password}}", "type": "string"},
                ]}
                variables += [{"key": "username", "value": "", "type": "string"},
                              {"key": "password", "value": "", "type": "secret"}]
            elif scheme["type"] in ("http", "oauth2"):
                auth = {"type": "bearer", "bearer": [
                    {"key": "token", "value": "{{accessToken}}", "type": "string"}]}
                variables.append({"key": "accessToken", "value": "", "type": "secret"})
        if len(headers) == 1 and not auth:
            header = headers[0]
            auth = {"type": "apikey", "apikey": [
                {"key": "key", "value": header["key"], "type": "string"},
                {"key": "value", "value": header["value"], "type": "string"},
                {"key": "in", "value": "header", "type": "string"},
            ]}
            headers = []
        return auth, headers, variables

    def _api_doc_postman_openapi_items(self, document, headers):
        folders = {}
        for path, path_item in document["paths"].items():
            for method, operation in path_item.items():
                if method not in ("get", "post", "put", "patch", "delete"):
                    continue
                tag = (operation.get("tags") or ["API"])[0]
                folder = folders.setdefault(tag, [])
                if len(folder) >= MAX_REQUESTS_PER_FOLDER:
                    continue
                parameters = self._api_doc_postman_parameters(
                    document, path_item.get("parameters", []) + operation.get("parameters", []))
                folder.append(self._api_doc_postman_request(
                    path, method, operation, headers, parameters))
        return [{"name": tag, "item": items} for tag, items in folders.items()]

    @api.model
    def _api_doc_postman_parameters(self, document, parameters):
        """Return the operation's parameters, references resolved."""
        components = document.get("components", {}).get("parameters", {})
        return [components.get(item["$ref"].rsplit("/", 1)[-1], {}) if "$ref" in item
                else item for item in parameters]

    @api.model
    def _api_doc_postman_example(self, parameter):
        """Return an example value of ``parameter`` as text, or None."""
        schema = parameter.get("schema", {})
        example = parameter.get("example", schema.get("enum", [None])[0]
                                if schema.get("enum") else None)
        if example is None and parameter.get("in") == "path":
            example = 1
        if isinstance(example, list):
            return ",".join(str(value) for value in example)
        return None if example is None else str(example)

    def _api_doc_postman_request(self, path, method, operation, headers, parameters=()):
        segments = [segment for segment in path.split("/") if segment]
        postman_path = [
            f":{segment[1:-1]}" if segment.startswith("{") and segment.endswith("}")
            else segment for segment in segments]
        by_name = {(item.get("in"), item.get("name")): item for item in parameters}
        query = []
        for (location, name), parameter in by_name.items():
            value = self._api_doc_postman_example(parameter)
            if location == "query" and "example" in parameter and value is not None:
                query.append({"key": name, "value": value})
        raw = "{{baseUrl}}/" + "/".join(postman_path)
        if query:
            raw += "?" + "&".join(f"{item['key']}={item['value']}" for item in query)
        url = {"raw": raw, "host": ["{{baseUrl}}"], "path": postman_path}
        if query:
            url["query"] = query
        path_variables = [
            {"key": segment[1:],
             "value": self._api_doc_postman_example(by_name.get(("path", segment[1:]), {
                 "in": "path"}))}
            for segment in postman_path if segment.startswith(":")]
        if path_variables:
            url["variable"] = path_variables
        request = {"method": method.upper(), "header": list(headers), "url": url,
                   "description": operation.get("summary", "")}
        content = (operation.get("requestBody") or {}).get("content") or {}
        for media_type, media in content.items():
            request["header"] = request["header"] + [
                {"key": "Content-Type", "value": media_type}]
            example = media.get("example", {})
            request["body"] = {"mode": "raw", "raw": json.dumps(example, indent=2),
                               "options": {"raw": {"language": "json"}}}
            break
        return {"name": operation.get("summary") or operation.get("operationId"),
                "request": request}

    def _api_doc_postman_graphql_items(self, api_request, headers):
        schema = self._api_doc_graphql_schema(api_request)
        items = []
        query_type = schema.query_type
        for name, field in sorted((query_type.fields if query_type else {}).items()):
            selection = self._api_doc_graphql_selection(field.type)
            query = f"query {{\n  {name}{selection}\n}}"
            items.append({"name": name, "request": {
                "method": "POST",
                "header": list(headers) + [{"key": "Content-Type",
                                            "value": "application/json"}],
                "url": {"raw": "{{baseUrl}}", "host": ["{{baseUrl}}"], "path": []},
                "body": {"mode": "graphql", "graphql": {"query": query, "variables": ""}},
            }})
        return items

    def _api_doc_graphql_selection(self, graphql_type):
        from graphql import get_named_type, is_leaf_type, is_non_null_type

        named = get_named_type(graphql_type)
        if is_leaf_type(named):
            return ""
        scalars = [name for name, field in getattr(named, "fields", {}).items()
                   if is_leaf_type(get_named_type(field.type))
                   and not any(is_non_null_type(arg.type) for arg in field.args.values())]
        if not scalars:
            return " { __typename }"
        return " { " + " ".join(scalars[:4]) + " }"
