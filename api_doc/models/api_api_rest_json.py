"""OpenAPI document of the REST-JSON protocol: ``POST /<model>/<method>`` per model."""

from odoo import api, models

from odoo.addons.api_framework_base.models.api_api import CHECKED_METHODS

from ..tools.openapi import (
    HEAVY_TYPES,
    RELATIONAL_TYPES,
    component_name,
    describe,
    int32,
    is_readonly,
    is_required_on_create,
    nullable,
    ref,
    scalar_schema,
)

# Types whose empty value Odoo's RPC answers as ``false``; the others answer 0 or false.
NON_FALSY_TYPES = {"boolean", "integer", "float", "monetary"}


class ApiApi(models.Model):
    _inherit = "api.api"

    def _api_doc_openapi_rest_json(self, api_request):
        """Return the OpenAPI document of a REST-JSON API."""
        document = self._api_doc_document(api_request)
        schemas = document["components"]["schemas"]
        schemas.update(self._api_doc_rest_json_common_schemas())
        for model_name, operations in self._api_doc_models(api_request).items():
            model = api_request.env[model_name]
            model_fields = self._api_doc_fields(api_request, model)
            schemas[component_name(model_name, "Record")] = \
                self._api_doc_rest_json_record(api_request, model, model_fields)
            if operations["create"] or operations["write"]:
                schemas[component_name(model_name, "Values")] = \
                    self._api_doc_rest_json_values(api_request, model, model_fields)
            document["tags"].append({"name": model_name,
                                     "description": model._description or model_name})
            methods = self._api_doc_methods(api_request, model, operations)
            document["paths"].update(
                self._api_doc_rest_json_paths(model, model_fields, operations, methods))
        return document

    def _api_doc_rest_json_common_schemas(self):
        ids = {"type": "array", "items": {"type": "integer", "minimum": 1}}
        term = {
            "type": "array", "minItems": 3, "maxItems": 3,
            "prefixItems": [{"type": "string"}, {"type": "string"}, {}],
            "description": "A condition (field, operator, value), as Odoo's domains.",
        }
        return {
            "Ids": ids,
            "Domain": {
                "type": "array",
                "items": {"anyOf": [term, {"type": "string", "enum": ["&", "|", "!"]}]},
                "description": "An Odoo domain, e.g. [[\"is_company\", \"=\", true]].",
            },
        }

    def _api_doc_rest_json_value_schema(self, field, for_write=False, named=True):
        """Return the schema of ``field``'s value as read (or written, ``for_write``);
        ``named``: whether a many2one is read as ``[id, display name]``, else its id."""
        env = self.env
        if field.type == "many2one":
            if for_write:
                schema = int32(1) if field.required else nullable(int32(1), False)
            elif named:
                pair = {"type": "array", "minItems": 2, "maxItems": 2,
                        "prefixItems": [{"type": "integer"}, {"type": "string"}]}
                schema = nullable(pair, False)
            else:
                record_id = {"type": "integer", "description": env._(
                    "The id alone: this API does not serve the names of %(model)s records.",
                    model=field.comodel_name)}
                schema = nullable(record_id, False)
        elif field.type in ("one2many", "many2many"):
            if for_write:
                schema = {"type": "array", "items": self._api_doc_rest_json_command(field)}
            else:
                schema = {"type": "array", "items": {"type": "integer"}}
        else:
            schema = scalar_schema(field, env)
            if field.type not in NON_FALSY_TYPES and not (for_write and field.required):
                schema = nullable(schema, False)
        return describe(field, env, schema)

    @api.model
    def _api_doc_rest_json_command(self, field):
        """Return the schema of the x2many commands Odoo accepts for ``field``."""
        record_id = int32(1)
        values = {"type": "object", "description": self.env._(
            "Values of a %(model)s record.", model=field.comodel_name)}

        def command(code, *items, optional=0):
            return {"type": "array", "minItems": 1 + len(items) - optional,
                    "maxItems": 1 + len(items),
                    "prefixItems": [{"const": code}, *items], "items": False}

        return {
            "oneOf": [
                command(0, {"const": 0}, values),
                command(1, record_id, values),
                command(2, record_id, {"const": 0}, optional=1),
                command(3, record_id, {"const": 0}, optional=1),
                command(4, record_id, {"const": 0}, optional=1),
                command(5, {"const": 0}, {"const": 0}, optional=2),
                command(6, {"const": 0}, {"type": "array", "items": record_id}),
            ],
            "description": self.env._(
                "An Odoo x2many command: [0, 0, values] create, [1, id, values] update, "
                "[2, id] delete, [3, id] unlink, [4, id] link, [5] clear, "
                "[6, 0, ids] replace."),
        }

    def _api_doc_rest_json_many2one_named(self, api_request, field):
        """Whether reading the many2one ``field`` answers ``[id, display name]``: as the
        framework shapes read results (``_api_call_shape``), where an allow-list applies
        only when the API serves the related model whole (``_api_display_name_served``);
        otherwise the id alone."""
        return not self._api_uses_allow_list() \
            or self._api_display_name_served(api_request, field)

    def _api_doc_rest_json_record(self, api_request, model, model_fields):
        properties = {
            name: self._api_doc_rest_json_value_schema(
                field, named=field.type != "many2one"
                or self._api_doc_rest_json_many2one_named(api_request, field))
            for name, field in model_fields.items()}
        return {
            "type": "object",
            "title": model._description or model._name,
            "properties": properties,
            "required": ["id"] if "id" in properties else [],
        }

    def _api_doc_rest_json_values(self, api_request, model, model_fields):
        writable = {name: field for name, field in model_fields.items()
                    if not is_readonly(field)
                    and self._api_doc_relation_writable(api_request, field)}
        return {
            "type": "object",
            "title": self.env._("Values of %(model)s", model=model._name),
            "properties": {name: self._api_doc_rest_json_value_schema(field, for_write=True)
                           for name, field in writable.items()},
            "required": sorted(name for name, field in writable.items()
                               if is_required_on_create(field)),
            "additionalProperties": False,
        }

    def _api_doc_rest_json_example_fields(self, model_fields):
        names = [name for name, field in model_fields.items()
                 if field.type not in HEAVY_TYPES and field.type not in RELATIONAL_TYPES
                 and name != "id"]
        preferred = [name for name in ("display_name", "name") if name in names]
        return ["id"] + (preferred or names)[:2] if "id" in model_fields else names[:2]

    def _api_doc_rest_json_paths(self, model, model_fields, operations, methods=None):
        """Return the paths of ``model``'s methods that the caller may call: those of
        ``methods`` (see ``_api_doc_methods``; None for any public method) among the
        usual ones, and the other methods of ``methods``, which the allow-list names."""
        model_name = model._name

        record_ref = ref(component_name(model_name, "Record"))
        field_names = {"type": "array", "items": {"type": "string", "enum": list(model_fields)}}
        example_fields = self._api_doc_rest_json_example_fields(model_fields)
        read_kwargs = {
            "type": "object",
            "properties": {
                "fields": field_names,
                "limit": {"type": "integer", "minimum": 1},
                "offset": {"type": "integer", "minimum": 0},
                "order": {"type": "string", "pattern": r"^[a-z0-9_]+( (asc|desc))?"
                                                       r"(, ?[a-z0-9_]+( (asc|desc))?)*$"},
                "context": {"type": "object"},
            },
            "additionalProperties": False,
        }
        search_kwargs = dict(read_kwargs, properties={
            name: value for name, value in read_kwargs["properties"].items() if name != "fields"})
        fields_kwargs = dict(read_kwargs, properties={
            name: value for name, value in read_kwargs["properties"].items()
            if name in ("fields", "context")})
        paths = {}
        if operations["read"]:
            paths[f"/{model_name}/search_read"] = self._api_doc_rest_json_operation(
                model_name, "search_read",
                self.env._("Search and read %(model)s records", model=model_name),
                args=[ref("Domain")], kwargs=read_kwargs,
                result={"type": "array", "items": record_ref},
                example={"args": [[]], "kwargs": {"fields": example_fields, "limit": 5}})
            paths[f"/{model_name}/read"] = self._api_doc_rest_json_operation(
                model_name, "read",
                self.env._("Read %(model)s records by id", model=model_name),
                args=[ref("Ids")], kwargs=fields_kwargs, min_args=1,
                result={"type": "array", "items": record_ref},
                example={"args": [[1]], "kwargs": {"fields": example_fields}})
            paths[f"/{model_name}/search"] = self._api_doc_rest_json_operation(
                model_name, "search",
                self.env._("Search %(model)s record ids", model=model_name),
                args=[ref("Domain")], kwargs=search_kwargs,
                result=ref("Ids"), example={"args": [[]], "kwargs": {"limit": 5}})
            paths[f"/{model_name}/search_count"] = self._api_doc_rest_json_operation(
                model_name, "search_count",
                self.env._("Count %(model)s records", model=model_name),
                args=[ref("Domain")], kwargs={"type": "object", "properties": {},
                                              "additionalProperties": False},
                result={"type": "integer", "minimum": 0}, example={"args": [[]]})
        if operations["create"]:
            values_ref = ref(component_name(model_name, "Values"))
            paths[f"/{model_name}/create"] = self._api_doc_rest_json_operation(
                model_name, "create",
                self.env._("Create %(model)s records", model=model_name),
                args=[{"anyOf": [values_ref, {"type": "array", "items": values_ref}]}],
                min_args=1,
                result={"anyOf": [{"type": "integer"}, ref("Ids")]},
                example={"args": [{}]})
        if operations["write"]:
            values_ref = ref(component_name(model_name, "Values"))
            paths[f"/{model_name}/write"] = self._api_doc_rest_json_operation(
                model_name, "write",
                self.env._("Update %(model)s records", model=model_name),
                args=[ref("Ids"), values_ref], min_args=2,
                result={"type": "boolean"}, example={"args": [[1], {}]})
        if operations["unlink"]:
            paths[f"/{model_name}/unlink"] = self._api_doc_rest_json_operation(
                model_name, "unlink",
                self.env._("Delete %(model)s records", model=model_name),
                args=[ref("Ids")], min_args=1,
                result={"type": "boolean"}, example={"args": [[1]]})
        if methods is not None:
            paths = {path: item for path, item in paths.items()
                     if path.rsplit("/", 1)[1] in methods}
            for method in methods:
                if method not in CHECKED_METHODS:
                    paths[f"/{model_name}/{method}"] = \
                        self._api_doc_rest_json_named_method(model, method)
        return paths

    def _api_doc_rest_json_named_method(self, model, method):
        """Return the path item of a method the allow-list names: any arguments."""
        # methods decorated @api.model take no ids (as Odoo's RPC calls them)
        on_model = bool(getattr(getattr(type(model), method, None), "_api", None))
        path_item = self._api_doc_rest_json_operation(
            model._name, method,
            self.env._("Call %(model)s.%(method)s", model=model._name, method=method),
            args=None, kwargs={"type": "object"}, result={},
            example={"args": [] if on_model else [[1]]})
        path_item["post"]["description"] = self.env._(
            "A method this API's allow-list names. It runs as Odoo's RPC calls it (record "
            "methods take the record ids as the first argument), with the caller's rights, "
            "or the superuser's in the Superuser mode, without the allow-list's field and "
            "domain checks.")
        return path_item

    def _api_doc_rest_json_operation(self, model_name, method, summary, args, result,
                                     example, kwargs=None, min_args=0):
        """Return the path item of ``method``: ``args`` lists the schemas of its
        positional arguments (None: any), ``kwargs`` the schema of its keyword ones."""
        kwargs = kwargs or {"type": "object", "properties": {"context": {"type": "object"}},
                            "additionalProperties": False}
        args_schema = {"type": "array"} if args is None else {
            "type": "array", "prefixItems": args, "items": False, "minItems": min_args}
        body = {
            "type": "object",
            "properties": {"args": args_schema, "kwargs": kwargs},
            "additionalProperties": False,
        }
        if min_args:
            body["required"] = ["args"]
        result_schema = {"type": "object", "required": ["result"],
                         "properties": {"result": result}}
        return {"post": {
            "tags": [model_name],
            "operationId": f"{model_name}.{method}",
            "summary": summary,
            "requestBody": {
                "required": bool(min_args),
                "content": {"application/json": {"schema": body, "example": example}},
            },
            "responses": {
                "200": {"description": self.env._("The method's result."),
                        "content": {"application/json": {"schema": result_schema}}},
                **self._api_doc_error_responses(400, 401, 403, 404, 415, 422, 429),
            },
        }}
