"""JSON Schemas of the JSON:API protocol (``api_json``) shared by every model.

The names follow ``api_json``'s conventions, imported from it when the protocol is
installed: a model's type is its name with dots replaced by hyphens (``res.partner`` is
``res-partner``), the Odoo field ``type`` is the member ``odoo_type``, fields whose names
are not valid member names are not served.
"""

from __future__ import annotations

from .openapi import Schema, int32, ref

MEDIA_TYPE = "application/vnd.api+json"
ATOMIC_EXT = "https://jsonapi.org/ext/atomic"
ATOMIC_MEDIA_TYPE = f'{MEDIA_TYPE}; ext="{ATOMIC_EXT}"'
# The operators of the ``filter[<member>][<operator>]`` shorthand (api_json/tools/filters.py).
SHORTHAND_OPERATORS = ("eq", "ne", "lt", "le", "gt", "ge", "like", "ilike", "not_like",
                       "not_ilike", "in", "not_in", "child_of", "parent_of")
GRANULARITIES = ("day", "week", "month", "quarter", "year")
AGGREGATE_FUNCTIONS = ("sum", "avg", "min", "max")
EXPORT_FORMATS = ("xlsx", "csv")
REPORT_CONVERTERS = ("pdf", "html", "text")


# An id in a request document: a string of digits or a number.
REQUEST_ID = {"anyOf": [{"type": "string", "pattern": "^[1-9][0-9]{0,8}$"}, int32(1)]}


def naming():
    """Return api_json's naming module (``type_of``, ``member_of``)."""
    from odoo.addons.api_json.tools import naming as jsonapi_naming

    return jsonapi_naming


def error_document_schema() -> Schema:
    """A JSON:API error document, as api_json renders every error."""
    source = {
        "type": "object",
        "properties": {
            "pointer": {"type": "string"},
            "parameter": {"type": "string"},
            "header": {"type": "string"},
        },
        "additionalProperties": False,
    }
    error = {
        "type": "object",
        "required": ["status", "code", "title", "detail"],
        "properties": {
            "id": {"type": "string"},
            "status": {"type": "string", "pattern": "^[1-5][0-9][0-9]$"},
            "code": {"type": "string"},
            "title": {"type": "string"},
            "detail": {"type": "string"},
            "source": source,
            "meta": {"type": "object",
                     "description": "meta.traceback, only when the API's debug flag is on."},
        },
        "additionalProperties": False,
    }
    return {
        "type": "object",
        "required": ["errors"],
        "properties": {
            "errors": {"type": "array", "minItems": 1, "items": error},
            "jsonapi": ref("JsonApi"),
        },
        "additionalProperties": False,
    }


def common_schemas() -> dict[str, Schema]:
    """The schemas every JSON:API document refers to, by component name."""
    link = {"type": "string", "format": "uri"}
    identifier = {
        "type": "object",
        "required": ["type", "id"],
        "properties": {"type": {"type": "string"}, "id": {"type": "string"}},
        "additionalProperties": False,
    }
    request_identifier = {
        "type": "object",
        "required": ["type"],
        "properties": {
            "type": {"type": "string"},
            "id": REQUEST_ID,
            "lid": {"type": "string",
                    "description": "A local id given by an earlier atomic operation."},
        },
        "anyOf": [{"required": ["id"]}, {"required": ["lid"]}],
    }
    resource = {
        "type": "object",
        "required": ["type", "id"],
        "properties": {
            "type": {"type": "string"},
            "id": {"type": "string"},
            "attributes": {"type": "object"},
            "relationships": {"type": "object"},
            "links": ref("Links"),
        },
        "additionalProperties": False,
    }
    linkage = {"anyOf": [{"type": "null"}, ref("ResourceIdentifier"),
                         {"type": "array", "items": ref("ResourceIdentifier")}]}
    api_meta = {
        "type": "object",
        "properties": {
            "version": {"type": "string"},
            "author": {"type": "object", "properties": {
                "name": {"type": "string"}, "email": {"type": "string"}}},
            "documentation": {"type": "string"},
        },
    }
    return {
        "JsonApi": {"type": "object", "properties": {"version": {"const": "1.1"}}},
        "Links": {"type": "object", "additionalProperties": link},
        "ApiMeta": api_meta,
        "ResourceIdentifier": identifier,
        "RequestIdentifier": request_identifier,
        "Resource": resource,
        "Included": {"type": "array", "items": ref("Resource"),
                     "description": "The included resources, each once."},
        "RelatedDocument": {
            "type": "object",
            "required": ["data"],
            "properties": {
                "data": {"anyOf": [{"type": "null"}, ref("Resource"),
                                   {"type": "array", "items": ref("Resource")}]},
                "included": ref("Included"),
                "links": ref("Links"),
                "jsonapi": ref("JsonApi"),
            },
            "additionalProperties": False,
        },
        "RelationshipDocument": {
            "type": "object",
            "required": ["data"],
            "properties": {"data": linkage, "included": ref("Included"),
                           "links": ref("Links"), "jsonapi": ref("JsonApi")},
            "additionalProperties": False,
        },
        "RelationshipRequest": {
            "type": "object",
            "required": ["data"],
            "properties": {"data": {"anyOf": [
                {"type": "null"}, ref("RequestIdentifier"),
                {"type": "array", "items": ref("RequestIdentifier")}]}},
            "description": "null or one identifier for a to-one relationship (PATCH only), "
                           "a list of identifiers for a to-many one.",
        },
        "NestedResource": {
            "type": "object",
            "required": ["type"],
            "properties": {
                "type": {"type": "string"}, "id": REQUEST_ID,
                "lid": {"type": "string"}, "attributes": {"type": "object"},
                "relationships": {"type": "object"},
            },
            "description": "An identifier links an existing record; with attributes, the "
                           "record is created (no id) or updated (with its id).",
        },
        "ExecuteRequest": _execute_request(),
        "ExecuteResult": {
            "type": "object",
            "properties": {
                "data": {"type": "array", "items": ref("ResourceIdentifier"),
                         "description": "When the method answers records."},
                "meta": {"type": "object", "required": ["result"],
                         "properties": {"result": {"description": "The method's result."}}},
                "jsonapi": ref("JsonApi"),
            },
            "additionalProperties": False,
        },
        "FileUpload": {
            "type": "object",
            "required": ["meta"],
            "properties": {"meta": {"type": "object", "required": ["content"], "properties": {
                "content": {"type": "string", "contentEncoding": "base64"}}}},
        },
        "ExportResult": _meta_document({
            "format": {"type": "string", "enum": list(EXPORT_FORMATS)},
            "mimetype": {"type": "string"},
            "filename": {"type": "string"},
            "count": {"type": "integer", "minimum": 0},
            "content": {"type": "string", "contentEncoding": "base64"},
        }),
        "ReportRequest": {
            "type": "object",
            "required": ["report_ref"],
            "properties": {
                "report_ref": {"type": "string",
                               "description": "XML id or technical name of the report."},
                "res_ids": {"type": "array", "items": int32(1)},
                "converter": {"type": "string", "enum": list(REPORT_CONVERTERS),
                              "default": "pdf"},
                "data": {"type": "object"},
            },
        },
        "ReportResult": _meta_document({
            "report_name": {"type": "string"},
            "converter": {"type": "string", "enum": list(REPORT_CONVERTERS)},
            "mimetype": {"type": "string"},
            "content": {"type": "string", "contentEncoding": "base64"},
        }),
        "AtomicRequest": _atomic_request(),
        "AtomicResult": {
            "type": "object",
            "required": ["atomic:results"],
            "properties": {
                "atomic:results": {"type": "array", "items": {
                    "type": "object",
                    "properties": {"data": ref("Resource")},
                    "additionalProperties": False,
                }},
                "jsonapi": ref("JsonApi"),
            },
        },
        "Root": {
            "type": "object",
            "required": ["meta"],
            "properties": {
                "meta": {"type": "object", "properties": {"api": ref("ApiMeta")}},
                "links": ref("Links"),
                "jsonapi": ref("JsonApi"),
            },
            "additionalProperties": False,
        },
    }


def _meta_document(properties: dict) -> Schema:
    return {
        "type": "object",
        "required": ["meta"],
        "properties": {
            "meta": {"type": "object", "required": sorted(properties),
                     "properties": properties},
            "jsonapi": ref("JsonApi"),
        },
        "additionalProperties": False,
    }


def _execute_request() -> Schema:
    call = {
        "type": "object",
        "required": ["method"],
        "properties": {
            "method": {"type": "string", "pattern": "^[a-zA-Z][a-zA-Z0-9_]*$",
                       "description": "A public method of the model."},
            "args": {"type": "array"},
            "kwargs": {"type": "object"},
            "ids": {"type": "array", "items": int32(1),
                    "description": "The records to call the method on, at /<type>/execute "
                                   "(none: an empty recordset, or the model)."},
        },
    }
    return {"type": "object", "required": ["data"], "properties": {"data": call}}


def _atomic_request() -> Schema:
    operation_ref = {
        "type": "object",
        "required": ["type"],
        "properties": {
            "type": {"type": "string"},
            "id": REQUEST_ID,
            "lid": {"type": "string"},
            "relationship": {"type": "string"},
        },
    }
    operation = {
        "type": "object",
        "required": ["op"],
        "properties": {
            "op": {"type": "string", "enum": ["add", "update", "remove"]},
            "ref": operation_ref,
            "data": {"description": "A resource object (add, update), or the linkage of "
                                    "a relationship operation."},
        },
    }
    return {
        "type": "object",
        "required": ["atomic:operations"],
        "properties": {"atomic:operations": {"type": "array", "minItems": 1,
                                             "items": operation}},
    }
