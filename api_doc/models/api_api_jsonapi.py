"""OpenAPI document of the JSON:API protocol (``api_json``): resources per allowed model.

For each model the caller may use: ``/<type>`` (collection, create), ``/<type>/{id}``
(read, update, delete), ``/<type>/{id}/{member}`` (related resources, file contents),
``/<type>/{id}/relationships/{relationship}``, ``/<type>/execute`` and
``/<type>/{id}/execute``; then ``/export``, ``/report`` and ``/operations``. Schemas follow
the resource objects api_json serves and reads (tools/serializer.py and tools/writer.py).
"""

from odoo import models

from ..tools.jsonapi import (
    AGGREGATE_FUNCTIONS,
    ATOMIC_MEDIA_TYPE,
    EXPORT_FORMATS,
    GRANULARITIES,
    MEDIA_TYPE,
    REQUEST_ID,
    SHORTHAND_OPERATORS,
    common_schemas,
    error_document_schema,
    naming,
)
from ..tools.openapi import (
    HEAVY_TYPES,
    RELATIONAL_TYPES,
    describe,
    int32,
    is_readonly,
    is_required_on_create,
    nullable,
    ref,
    scalar_schema,
)

TO_MANY_TYPES = ("one2many", "many2many")
# Not served in the default fieldset, nor filterable by a shorthand.
UNFILTERABLE_TYPES = {"binary", "image", "properties", "properties_definition", "json"}
EXTRA_ERRORS = {
    "405": "This method is not allowed on this path.",
    "406": "The Accept header asks for a form of the media type this server lacks.",
    "409": "The type or id of the request document does not match the URL.",
    "413": "The upload is too large.",
}
READ_ERRORS = (400, 401, 403, 404, 406, 429)
WRITE_ERRORS = (400, 401, 403, 404, 406, 409, 413, 415, 422, 429)


class JsonApiModelInfo:
    """What the document shows of one model: its type and its members."""

    def __init__(self, model, type_name, fields_by_member):
        self.model = model
        self.name = model._name
        self.type = type_name
        self.fields = fields_by_member
        self.attributes = {member: field for member, field in fields_by_member.items()
                           if field.type not in RELATIONAL_TYPES}
        self.relationships = {member: field for member, field in fields_by_member.items()
                              if field.type in RELATIONAL_TYPES}

    def component(self, suffix):
        return f"{self.type}.{suffix}"


class ApiApi(models.Model):
    _inherit = "api.api"

    def _api_doc_openapi_jsonapi(self, api_request):
        """Return the OpenAPI document of a JSON:API API."""
        document = self._api_doc_document(api_request, error_media_type=MEDIA_TYPE,
                                          error_schema_value=error_document_schema())
        components = document["components"]
        for status, text in EXTRA_ERRORS.items():
            components["responses"][status] = {
                "description": text, "content": {MEDIA_TYPE: {"schema": ref("Error")}}}
        components["schemas"].update(common_schemas())
        components["parameters"] = self._api_doc_jsonapi_common_parameters()
        allowed = self._api_doc_models(api_request)
        infos = {name: self._api_doc_jsonapi_info(api_request, name) for name in allowed}
        readable = {name: infos[name] for name, operations in allowed.items()
                    if operations["read"]}
        for info in readable.values():
            components["parameters"][f"fields.{info.type}"] = \
                self._api_doc_jsonapi_fields_parameter(info)
        for name, operations in allowed.items():
            info = infos[name]
            components["schemas"].update(
                self._api_doc_jsonapi_schemas(api_request, info, operations, readable))
            document["tags"].append({"name": info.type, "description": self.env._(
                "%(description)s (model %(model)s)",
                description=info.model._description or name, model=name)})
            methods = self._api_doc_methods(api_request, info.model, operations)
            document["paths"].update(
                self._api_doc_jsonapi_paths(info, operations, readable, methods))
        if allowed:
            document["tags"].append({"name": "JSON:API", "description": self.env._(
                "Exports, reports and atomic operations.")})
            document["paths"].update(self._api_doc_jsonapi_global_paths(allowed, infos))
        return document

    # ------------------------------------------------------------------
    # Models and members
    # ------------------------------------------------------------------

    def _api_doc_jsonapi_info(self, api_request, model_name):
        names = naming()
        model = api_request.env[model_name]
        members = {}
        for name, field in self._api_doc_fields(api_request, model).items():
            member = names.member_of(name)
            if member:
                members[member] = field
        return JsonApiModelInfo(model, names.type_of(model_name), members)

    # ------------------------------------------------------------------
    # Schemas
    # ------------------------------------------------------------------

    def _api_doc_jsonapi_attribute(self, field, for_write=False):
        """Return the schema of an attribute as api_json serves it (or reads it)."""
        if for_write:
            schema = scalar_schema(field, self.env)
            if field.type == "datetime":
                schema = {"type": "string", "description": "ISO 8601, UTC unless an offset "
                                                           "is given."}
            if not field.required:
                schema = nullable(schema)
        elif field.type == "boolean":
            schema = {"type": "boolean"}
        elif field.type == "integer":
            schema = int32()
        elif field.type in ("float", "monetary"):
            schema = {"type": "number"}
        else:
            schema = nullable(scalar_schema(field, self.env))
        return describe(field, self.env, schema)

    def _api_doc_jsonapi_linkage(self, field, for_write=False, served=True):
        """Return the schema of a relationship's ``data``; ``served``: whether the API
        serves the related resources, else the linkage only identifies them."""
        type_name = naming().type_of(field.comodel_name)
        if for_write:
            identifier = {
                "allOf": [ref("RequestIdentifier")],
                "properties": {"type": {"enum": [type_name, field.comodel_name]}},
            }
            item = identifier
            if field.type == "one2many":
                item = {"anyOf": [identifier, ref("NestedResource")]}
        else:
            identifier = {
                "type": "object",
                "required": ["type", "id"],
                "properties": {"type": {"const": type_name},
                               "id": {"type": "string", "pattern": "^[0-9]+$"}},
                "additionalProperties": False,
            }
            item = identifier
        if field.type in TO_MANY_TYPES:
            schema = {"type": "array", "items": item}
        else:
            schema = {"anyOf": [identifier, {"type": "null"}]}
        if not served:
            schema["description"] = self.env._(
                "Identifies %(model)s records by type and id only: this API does not serve "
                "%(type)s resources (the related link answers 404, include refuses this "
                "relationship).", model=field.comodel_name, type=type_name)
        return schema

    def _api_doc_jsonapi_relationship(self, field, served=True):
        links = {
            "type": "object",
            "properties": {"self": {"type": "string", "format": "uri"},
                           "related": {"type": "string", "format": "uri"}},
            "additionalProperties": False,
        }
        schema = {
            "type": "object",
            "properties": {"links": links,
                           "data": self._api_doc_jsonapi_linkage(field, served=served)},
            "additionalProperties": False,
        }
        return describe(field, self.env, schema)

    def _api_doc_jsonapi_schemas(self, api_request, info, operations, readable):
        """Return the component schemas of one model, by name; ``readable``: the models
        whose resources the API serves, by name."""
        schemas = {}
        if operations["read"]:
            schemas.update(self._api_doc_jsonapi_read_schemas(info, readable))
        if operations["create"] or operations["write"]:
            schemas.update(self._api_doc_jsonapi_write_schemas(api_request, info))
        return schemas

    def _api_doc_jsonapi_read_schemas(self, info, readable):
        resource = {
            "type": "object",
            "title": info.model._description or info.name,
            "required": ["type", "id"],
            "properties": {
                "type": {"const": info.type},
                "id": {"type": "string", "pattern": "^[0-9]+$"},
                "attributes": {
                    "type": "object",
                    "properties": {member: self._api_doc_jsonapi_attribute(field)
                                   for member, field in info.attributes.items()},
                    "additionalProperties": False,
                },
                "relationships": {
                    "type": "object",
                    "properties": {
                        member: self._api_doc_jsonapi_relationship(
                            field, served=field.comodel_name in readable)
                        for member, field in info.relationships.items()},
                    "additionalProperties": False,
                },
                "links": ref("Links"),
            },
            "additionalProperties": False,
        }
        top = {"links": ref("Links"), "included": ref("Included"), "jsonapi": ref("JsonApi")}
        collection_meta = {
            "type": "object",
            "properties": {"total": {"type": "integer", "minimum": 0},
                           "api": ref("ApiMeta")},
        }
        group = {
            "type": "object",
            "required": ["value", "count", "aggregates"],
            "properties": {
                "value": {"type": "object",
                          "description": "The group's value per group_by member; a "
                                         "relation as {type, id, display_name}."},
                "count": {"type": "integer", "minimum": 0},
                "aggregates": {"type": "object"},
            },
        }
        return {
            info.component("Resource"): resource,
            info.component("Document"): {
                "type": "object",
                "required": ["data"],
                "properties": {"data": ref(info.component("Resource")), **top,
                               "meta": {"type": "object"}},
                "additionalProperties": False,
            },
            info.component("Collection"): {
                "type": "object",
                "required": ["data"],
                "properties": {"data": {"type": "array",
                                        "items": ref(info.component("Resource"))},
                               **top, "meta": collection_meta},
                "additionalProperties": False,
            },
            info.component("Groups"): {
                "type": "object",
                "required": ["meta"],
                "description": self.env._("The answer to group_by."),
                "properties": {
                    "meta": {
                        "type": "object",
                        "required": ["groups"],
                        "properties": {"groups": {"type": "array", "items": group},
                                       "total": {"type": "integer", "minimum": 0},
                                       "api": ref("ApiMeta")},
                    },
                    "links": ref("Links"),
                    "jsonapi": ref("JsonApi"),
                },
                "additionalProperties": False,
            },
        }

    def _api_doc_jsonapi_write_schemas(self, api_request, info):
        # relationships to models the API does not serve cannot be written: left out
        writable = {member: field for member, field in info.fields.items()
                    if not is_readonly(field)
                    and self._api_doc_relation_writable(api_request, field)}
        attributes = {member: field for member, field in writable.items()
                      if field.type not in RELATIONAL_TYPES}
        relationships = {member: field for member, field in writable.items()
                         if field.type in RELATIONAL_TYPES}

        def data_schema(for_create):
            required_attributes = sorted(
                member for member, field in attributes.items()
                if for_create and is_required_on_create(field))
            required_relationships = sorted(
                member for member, field in relationships.items()
                if for_create and is_required_on_create(field))
            relationship_schemas = {
                member: {"type": "object", "required": ["data"],
                         "properties": {"data": self._api_doc_jsonapi_linkage(field, True)}}
                for member, field in relationships.items()}
            data = {
                "type": "object",
                "required": ["type"] + ([] if for_create else ["id"])
                + (["attributes"] if required_attributes else [])
                + (["relationships"] if required_relationships else []),
                "properties": {
                    "type": {"enum": [info.type, info.name]},
                    "id": REQUEST_ID,
                    "attributes": {
                        "type": "object",
                        "properties": {member: self._api_doc_jsonapi_attribute(field, True)
                                       for member, field in attributes.items()},
                        "required": required_attributes,
                        "additionalProperties": False,
                    },
                    "relationships": {
                        "type": "object",
                        "properties": relationship_schemas,
                        "required": required_relationships,
                        "additionalProperties": False,
                    },
                },
                "additionalProperties": False,
            }
            if for_create:
                del data["properties"]["id"]
                data["properties"]["lid"] = {"type": "string"}
            return {"type": "object", "required": ["data"], "properties": {"data": data}}

        return {info.component("Create"): data_schema(True),
                info.component("Update"): data_schema(False)}

    # ------------------------------------------------------------------
    # Parameters
    # ------------------------------------------------------------------

    @staticmethod
    def _api_doc_jsonapi_list_parameter(name, items, description, example=None):
        parameter = {
            "name": name, "in": "query", "required": False, "style": "form",
            "explode": False, "description": description,
            "schema": {"type": "array", "items": items, "uniqueItems": True},
        }
        if example:
            parameter["example"] = example
        return parameter

    def _api_doc_jsonapi_common_parameters(self):
        def page(key, minimum, description, example=None):
            parameter = {"name": f"page[{key}]", "in": "query", "required": False,
                         "description": description,
                         "schema": int32(minimum)}
            if key in ("size", "limit"):
                parameter["schema"]["maximum"] = self.page_size_max
            if example is not None:
                parameter["example"] = example
            return parameter

        return {
            "id": {"name": "id", "in": "path", "required": True,
                   "description": self.env._("The record's id."),
                   "schema": int32(1)},
            "include": self._api_doc_jsonapi_list_parameter(
                "include", {"type": "string",
                            "pattern": r"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$"},
                self.env._("Relationship paths whose resources come in 'included', e.g. "
                           "parent_id,child_ids.category_id.")),
            "page.number": page("number", 1, self.env._("Page number, from 1.")),
            "page.size": page("size", 1, self.env._(
                "Page size (default %(default)s, at most %(max)s).",
                default=self.page_size_default, max=self.page_size_max), example=5),
            "page.offset": page("offset", 0, self.env._("Records to skip, with page[limit].")),
            "page.limit": page("limit", 1, self.env._("Page size, with page[offset].")),
            "page.after": page("after", 0, self.env._(
                "Keyset pagination: the records after this id, in id order (with "
                "page[size]; not with sort); follow links.next.")),
            "filter": {
                "name": "filter", "in": "query", "required": False,
                "description": self.env._(
                    "An Odoo domain, as a Python or JSON list, or in prefix notation "
                    "with AND/OR/NOT, e.g. [('is_company', '=', True)]. Shorthands: "
                    "filter[<member>]=value (equality) and filter[<member>][<operator>]="
                    "value with the operators %(operators)s (lists comma-separated).",
                    operators=", ".join(SHORTHAND_OPERATORS)),
                "schema": {"type": "string"},
                "x-shorthand-operators": list(SHORTHAND_OPERATORS),
            },
        }

    def _api_doc_jsonapi_fields_parameter(self, info):
        return self._api_doc_jsonapi_list_parameter(
            f"fields[{info.type}]", {"type": "string", "enum": list(info.fields)},
            self.env._("Sparse fieldset of %(type)s: the members to serve. Without it, the "
                       "stored readable fields except binaries.", type=info.type))

    def _api_doc_jsonapi_collection_parameters(self, info, readable):
        env = self.env
        parameters = self._api_doc_jsonapi_read_parameters(info, readable)
        stored = {member: field for member, field in info.fields.items()
                  if field.store and field.column_type}
        sortable = ["id"] + [member for member, field in stored.items()
                             if field.type not in UNFILTERABLE_TYPES]
        parameters.append(self._api_doc_jsonapi_list_parameter(
            "sort", {"type": "string",
                     "enum": [prefix + member for member in sortable for prefix in ("", "-")]},
            env._("Sort order: members, '-' for descending."), example=["-id"]))
        parameters += [{"$ref": f"#/components/parameters/page.{key}"}
                       for key in ("number", "size", "offset", "limit", "after")]
        parameters.append({"$ref": "#/components/parameters/filter"})
        for member, field in info.fields.items():
            if field.type in UNFILTERABLE_TYPES or not field._description_searchable:
                continue
            parameters.append({
                "name": f"filter[{member}]", "in": "query", "required": False,
                "description": env._("Records whose %(member)s equals this value "
                                     "(filter[%(member)s][<operator>] for another "
                                     "operator).", member=member),
                "schema": self._api_doc_jsonapi_filter_schema(field),
            })
        groupable = []
        for member, field in stored.items():
            if field.type in UNFILTERABLE_TYPES or field.type in TO_MANY_TYPES:
                continue
            groupable.append(member)
            if field.type in ("date", "datetime"):
                groupable += [f"{member}:{granularity}" for granularity in GRANULARITIES]
        parameters.append(self._api_doc_jsonapi_list_parameter(
            "group_by", {"type": "string", "enum": groupable},
            env._("Answer groups (meta.groups) instead of resources: each group's value, "
                  "count and aggregates. A sort may then only name grouped members.")))
        numeric = [member for member, field in stored.items()
                   if field.type in ("integer", "float", "monetary")]
        if numeric:
            parameters.append(self._api_doc_jsonapi_list_parameter(
                "aggregates", {"type": "string", "enum": [
                    f"{member}:{function}" for member in numeric
                    for function in AGGREGATE_FUNCTIONS]},
                env._("With group_by: the aggregates of each group (default: the "
                      "numeric fields' own aggregators).")))
        return parameters

    def _api_doc_jsonapi_read_parameters(self, info, readable):
        """Return ``fields[...]`` of the type and its related types, and ``include``."""
        types = [info.type] + sorted({
            readable[field.comodel_name].type for field in info.relationships.values()
            if field.comodel_name in readable and field.comodel_name != info.name})
        parameters = [{"$ref": f"#/components/parameters/fields.{type_name}"}
                      for type_name in types]
        if info.relationships:
            parameters.append({"$ref": "#/components/parameters/include"})
        return parameters

    @staticmethod
    def _api_doc_jsonapi_filter_schema(field):
        if field.type == "boolean":
            return {"type": "boolean"}
        if field.type in ("integer", "many2one", "one2many", "many2many"):
            return int32()
        if field.type in ("float", "monetary"):
            return {"type": "number"}
        if field.type == "date":
            return {"type": "string", "format": "date"}
        if field.type == "datetime":
            return {"type": "string", "format": "date-time"}
        if field.type == "selection" and isinstance(field.selection, list):
            return {"type": "string", "enum": [str(key) for key, _label in field.selection]}
        return {"type": "string", "pattern": "^[^\\x00]*$"}

    # ------------------------------------------------------------------
    # Paths
    # ------------------------------------------------------------------

    def _api_doc_jsonapi_content(self, schema, example=None, media_type=MEDIA_TYPE):
        media = {"schema": schema}
        if example is not None:
            media["example"] = example
        return {media_type: media}

    def _api_doc_jsonapi_operation(self, tag, operation_id, summary, responses,
                                   parameters=None, body=None, description=None):
        operation = {"tags": [tag], "operationId": operation_id, "summary": summary,
                     "responses": responses}
        if description:
            operation["description"] = description
        if parameters:
            operation["parameters"] = parameters
        if body:
            operation["requestBody"] = {"required": True, "content": body}
        return operation

    def _api_doc_jsonapi_ok(self, description, schema, status="200", media_type=MEDIA_TYPE):
        return {status: {"description": description,
                         "content": self._api_doc_jsonapi_content(schema,
                                                                  media_type=media_type)}}

    def _api_doc_jsonapi_paths(self, info, operations, readable, methods=None):
        """Return the paths of one model that the caller may use; ``methods``: those it
        may call (see ``_api_doc_methods``), None for any public method."""
        env, tag, base = self.env, info.type, f"/{info.type}"
        errors = self._api_doc_error_responses
        id_parameter = {"$ref": "#/components/parameters/id"}
        paths = {base: {}, f"{base}/{{id}}": {"parameters": [id_parameter]}}
        if operations["read"]:
            paths[base]["get"] = self._api_doc_jsonapi_operation(
                tag, f"{info.type}.list", env._("List %(type)s resources", type=info.type),
                {**self._api_doc_jsonapi_ok(env._("A page of resources, or groups."), {
                    "oneOf": [ref(info.component("Collection")),
                              ref(info.component("Groups"))]}),
                 **errors(*READ_ERRORS)},
                parameters=self._api_doc_jsonapi_collection_parameters(info, readable))
            paths[f"{base}/{{id}}"]["get"] = self._api_doc_jsonapi_operation(
                tag, f"{info.type}.get", env._("Read one %(type)s resource", type=info.type),
                {**self._api_doc_jsonapi_ok(env._("The resource."),
                                            ref(info.component("Document"))),
                 **errors(*READ_ERRORS)},
                parameters=self._api_doc_jsonapi_read_parameters(info, readable))
        if operations["create"]:
            paths[base]["post"] = self._api_doc_jsonapi_operation(
                tag, f"{info.type}.create", env._("Create a %(type)s resource", type=info.type),
                {**self._api_doc_jsonapi_ok(env._("The resource created."),
                                            ref(info.component("Document")), status="201"),
                 **errors(*WRITE_ERRORS)},
                body=self._api_doc_jsonapi_content(
                    ref(info.component("Create")), self._api_doc_jsonapi_example(info)))
        if operations["write"]:
            paths[f"{base}/{{id}}"]["patch"] = self._api_doc_jsonapi_operation(
                tag, f"{info.type}.update", env._("Update a %(type)s resource", type=info.type),
                {**self._api_doc_jsonapi_ok(env._("The resource updated."),
                                            ref(info.component("Document"))),
                 **errors(*WRITE_ERRORS)},
                body=self._api_doc_jsonapi_content(ref(info.component("Update")), {
                    "data": {"type": info.type, "id": "1", "attributes": {}}}))
        if operations["unlink"]:
            paths[f"{base}/{{id}}"]["delete"] = self._api_doc_jsonapi_operation(
                tag, f"{info.type}.delete", env._("Delete a %(type)s resource", type=info.type),
                {"204": {"description": env._("Deleted.")}, **errors(*READ_ERRORS, 422)})
        paths.update(self._api_doc_jsonapi_member_paths(info, operations, readable))
        paths.update(self._api_doc_jsonapi_execute_paths(info, operations, methods))
        return {path: item for path, item in paths.items()
                if set(item) - {"parameters"}}

    def _api_doc_jsonapi_member_paths(self, info, operations, readable):
        """Related resources and file contents, and relationship linkage."""
        env, tag, base = self.env, info.type, f"/{info.type}/{{id}}"
        errors = self._api_doc_error_responses
        id_parameter = {"$ref": "#/components/parameters/id"}
        files = [member for member, field in info.attributes.items() if field.type
                 in HEAVY_TYPES]
        relationships = list(info.relationships)
        # related resources are served when the API allows reading their model
        related = [member for member, field in info.relationships.items()
                   if field.comodel_name in readable]
        paths = {}
        if operations["read"] and (related or files):
            member = {"name": "member", "in": "path", "required": True,
                      "description": env._("A relationship, or a binary field."),
                      "schema": {"type": "string", "enum": related + files}}
            content = self._api_doc_jsonapi_content(ref("RelatedDocument"))
            content["*/*"] = {"schema": {"type": "string", "contentMediaType":
                                         "application/octet-stream"}}
            item = {"parameters": [id_parameter, member]}
            item["get"] = self._api_doc_jsonapi_operation(
                tag, f"{info.type}.related", env._("Read the related resources of a "
                                                   "%(type)s, or a file", type=info.type),
                {"200": {"description": env._("The related resource(s), or the raw "
                                              "content of a binary field."),
                         "content": content},
                 **errors(*READ_ERRORS)},
                parameters=self._api_doc_jsonapi_read_parameters(info, readable))
            if files and operations["write"]:
                item["put"] = self._api_doc_jsonapi_operation(
                    tag, f"{info.type}.upload",
                    env._("Upload the content of a binary field of a %(type)s",
                          type=info.type),
                    {**self._api_doc_jsonapi_ok(env._("The resource updated."),
                                                ref(info.component("Document"))),
                     **errors(*WRITE_ERRORS, 405)},
                    body={
                        **self._api_doc_jsonapi_content(ref("FileUpload"), {
                            "meta": {"content": "aGVsbG8="}}),
                        "multipart/form-data": {"schema": {
                            "type": "object", "properties": {"file": {
                                "type": "string", "contentMediaType":
                                    "application/octet-stream"}}}},
                        "application/octet-stream": {"schema": {
                            "type": "string", "contentMediaType":
                                "application/octet-stream"}},
                    })
            paths[f"{base}/{{member}}"] = item
        if operations["read"] and relationships:
            relationship = {"name": "relationship", "in": "path", "required": True,
                            "schema": {"type": "string", "enum": relationships}}
            item = {"parameters": [id_parameter, relationship]}
            document = ref("RelationshipDocument")
            item["get"] = self._api_doc_jsonapi_operation(
                tag, f"{info.type}.relationship",
                env._("Read a relationship's linkage of a %(type)s", type=info.type),
                {**self._api_doc_jsonapi_ok(env._("The linkage."), document),
                 **errors(*READ_ERRORS)},
                parameters=[{"$ref": "#/components/parameters/include"}])
            if operations["write"]:
                for method, summary in (
                    ("patch", env._("Replace a relationship of a %(type)s", type=info.type)),
                    ("post", env._("Add to a to-many relationship of a %(type)s",
                                   type=info.type)),
                    ("delete", env._("Remove from a to-many relationship of a %(type)s",
                                     type=info.type)),
                ):
                    item[method] = self._api_doc_jsonapi_operation(
                        tag, f"{info.type}.relationship.{method}", summary,
                        {**self._api_doc_jsonapi_ok(env._("The linkage."), document),
                         **errors(*WRITE_ERRORS)},
                        body=self._api_doc_jsonapi_content(
                            ref("RelationshipRequest"), {"data": []}))
            paths[f"{base}/relationships/{{relationship}}"] = item
        return paths

    def _api_doc_jsonapi_execute_paths(self, info, operations, methods=None):
        env, tag = self.env, info.type
        if not any(operations.values()) or methods == []:
            return {}
        responses = {
            **self._api_doc_jsonapi_ok(env._("The method's result, or the records it "
                                             "answers."), ref("ExecuteResult")),
            **self._api_doc_error_responses(*WRITE_ERRORS),
        }
        request_schema = ref("ExecuteRequest")
        if methods is None:
            description = env._("Calls a public method as Odoo's RPC does, with the "
                                "caller's rights and record rules.")
        else:
            description = env._(
                "Calls one of the methods listed, as Odoo's RPC does: those whose "
                "arguments the API checks, and those its allow-list names (these run "
                "without the allow-list's field and domain checks).")
            request_schema = {"allOf": [request_schema], "properties": {"data": {
                "properties": {"method": {"enum": methods}}}}}
        model_example = {"method": "search_count", "args": [[]]}
        record_example = {"method": "read", "kwargs": {"fields": [
            name for name in ("display_name", "name") if name in info.fields][:1]}}
        if methods is not None:
            model_example = model_example if "search_count" in methods \
                else {"method": methods[0]}
            record_example = record_example if "read" in methods \
                else {"method": methods[0]}
        model_call = self._api_doc_jsonapi_operation(
            tag, f"{info.type}.execute", env._("Call a method of %(type)s", type=info.type),
            responses, description=description,
            body=self._api_doc_jsonapi_content(request_schema, {"data": model_example}))
        record_call = self._api_doc_jsonapi_operation(
            tag, f"{info.type}.record.execute",
            env._("Call a method on one %(type)s", type=info.type),
            responses, description=description,
            parameters=[{"$ref": "#/components/parameters/id"}],
            body=self._api_doc_jsonapi_content(request_schema, {"data": record_example}))
        return {f"/{info.type}/execute": {"post": model_call},
                f"/{info.type}/{{id}}/execute": {"post": record_call}}

    def _api_doc_jsonapi_global_paths(self, allowed, infos):
        env, tag = self.env, "JSON:API"
        errors = self._api_doc_error_responses
        readable = [name for name, operations in allowed.items() if operations["read"]]
        paths = {"/": {"get": self._api_doc_jsonapi_operation(
            tag, "root", env._("The API's meta information"),
            {**self._api_doc_jsonapi_ok(env._("The API's meta information."), ref("Root")),
             **errors(401, 406, 429)})}}
        if readable:
            export = {
                "type": "object",
                "required": ["model", "fields"],
                "properties": {
                    "model": {"type": "string", "enum": sorted(
                        readable + [infos[name].type for name in readable])},
                    "fields": {"type": "array", "minItems": 1, "items": {
                        "type": "object", "required": ["name"],
                        "properties": {"name": {"type": "string"},
                                       "label": {"type": "string"}}}},
                    "ids": {"type": "array", "items": int32(1)},
                    "domain": {"type": "array"},
                    "format": {"type": "string", "enum": list(EXPORT_FORMATS),
                               "default": "xlsx"},
                    "import_compat": {"type": "boolean"},
                    "context": {"type": "object"},
                },
            }
            first = readable[0]
            paths["/export"] = {"post": self._api_doc_jsonapi_operation(
                tag, "export", env._("Export records as Odoo does (XLSX or CSV)"),
                {**self._api_doc_jsonapi_ok(env._("The file in base64."), ref("ExportResult")),
                 **errors(*WRITE_ERRORS)},
                description=env._("Needs Odoo's export right. Field paths are written "
                                  "with slashes, e.g. country_id/name."),
                body=self._api_doc_jsonapi_content(export, {
                    "model": first, "format": "csv",
                    "fields": [{"name": "display_name", "label": "Name"}]}))}
            paths["/report"] = {"post": self._api_doc_jsonapi_operation(
                tag, "report", env._("Render a report"),
                {**self._api_doc_jsonapi_ok(env._("The report in base64."),
                                            ref("ReportResult")),
                 **errors(*WRITE_ERRORS)},
                body=self._api_doc_jsonapi_content(ref("ReportRequest"), {
                    "report_ref": "base.report_ir_model_overview", "res_ids": [1],
                    "converter": "html"}))}
        writable = [name for name, operations in allowed.items()
                    if operations["create"] or operations["write"] or operations["unlink"]]
        creatable = [name for name in writable if allowed[name]["create"]]
        if writable:
            example = None
            if creatable:
                example = {"atomic:operations": [{"op": "add", "data": (
                    self._api_doc_jsonapi_example(infos[creatable[0]])["data"])}]}
            paths["/operations"] = {"post": self._api_doc_jsonapi_operation(
                tag, "operations", env._("Run atomic operations"),
                {**self._api_doc_jsonapi_ok(env._("The result of each operation."),
                                            ref("AtomicResult"), media_type=ATOMIC_MEDIA_TYPE),
                 **errors(*WRITE_ERRORS)},
                description=env._("All the operations, or none: add, update and remove "
                                  "resources and relationships; later operations refer "
                                  "to resources added earlier by their lid."),
                body=self._api_doc_jsonapi_content(ref("AtomicRequest"), example,
                                                   media_type=ATOMIC_MEDIA_TYPE))}
        return paths

    # ------------------------------------------------------------------
    # Examples
    # ------------------------------------------------------------------

    def _api_doc_jsonapi_example(self, info):
        """Return an example request document that creates a resource."""
        attributes = {}
        for member, field in info.attributes.items():
            if is_required_on_create(field) or (member == "name" and not is_readonly(field)):
                attributes[member] = self._api_doc_jsonapi_example_value(field)
        data = {"type": info.type}
        if attributes:
            data["attributes"] = attributes
        return {"data": data}

    def _api_doc_jsonapi_example_value(self, field):
        values = {"boolean": True, "integer": 1, "float": 1.0, "monetary": 1.0,
                  "date": "2025-01-31", "datetime": "2025-01-31T12:00:00Z"}
        if field.type in values:
            return values[field.type]
        if field.type == "selection":
            schema = scalar_schema(field, self.env)
            return (schema.get("enum") or [None])[0]
        if field.type in HEAVY_TYPES:
            return "aGVsbG8="
        return self.env._("Example %(field)s", field=field.name)
