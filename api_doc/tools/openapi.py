"""JSON Schemas of Odoo fields, as OpenAPI 3.1 (JSON Schema 2020-12) describes them.

Plain functions shared by the per-protocol document builders of ``api.api``: they read a
field's definition and never touch records.
"""

from __future__ import annotations

import re
from typing import Any

OPENAPI_VERSION = "3.1.0"

# Fields Odoo sets itself: read-only whatever their definition says.
MAGIC_FIELDS = {"id", "create_date", "create_uid", "write_date", "write_uid", "display_name",
                "__last_update"}
RELATIONAL_TYPES = {"many2one", "one2many", "many2many"}
# Field types whose values are costly to send: left out of default reads.
HEAVY_TYPES = {"binary", "image"}

Schema = dict[str, Any]

# Odoo's integer columns and record ids are PostgreSQL ``int4``.
INT32_MAX = 2**31 - 1


def int32(minimum: int = -(2**31)) -> Schema:
    """The schema of an ``int4`` value, from ``minimum``."""
    return {"type": "integer", "format": "int32", "minimum": minimum, "maximum": INT32_MAX}


def component_name(model_name: str, suffix: str = "") -> str:
    """Return a component key for ``model_name``, as OpenAPI allows them."""
    name = re.sub(r"[^A-Za-z0-9._-]", "_", model_name)
    return f"{name}.{suffix}" if suffix else name


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def scalar_schema(field, env) -> Schema:
    """Return the schema of a non-relational field's value (without the empty value)."""
    ftype = field.type
    if ftype in ("char", "text"):
        schema: Schema = {"type": "string"}
        if ftype == "char" and field.size:
            schema["maxLength"] = field.size
    elif ftype == "html":
        schema = {"type": "string", "contentMediaType": "text/html"}
    elif ftype == "integer":
        schema = int32()
    elif ftype in ("float", "monetary"):
        schema = {"type": "number"}
    elif ftype == "boolean":
        schema = {"type": "boolean"}
    elif ftype == "date":
        schema = {"type": "string", "format": "date"}
    elif ftype == "datetime":
        schema = {"type": "string", "format": "date-time"}
    elif ftype == "selection":
        keys = [key for key, _label in selection_items(field, env)]
        schema = {"type": "string", "enum": keys} if keys else {"type": "string"}
    elif ftype in HEAVY_TYPES:
        schema = {"type": "string", "contentEncoding": "base64"}
    elif ftype == "reference":
        schema = {"type": "string", "description": "model,id"}
    elif ftype == "many2one_reference":
        schema = int32(0)
    else:
        # json, properties and types added by other modules: any JSON value
        schema = {}
    return schema


def selection_items(field, env) -> list[tuple[str, str]]:
    """Return the ``(key, label)`` pairs of a selection field; never fails."""
    try:
        items = field._description_selection(env)
    except Exception:  # a dynamic selection that needs records or a context
        return []
    return [(str(key), str(label)) for key, label in items or () if key is not False]


def describe(field, env, schema: Schema) -> Schema:
    """Add the field's label, help and flags to ``schema``."""
    schema = dict(schema)
    title = field._description_string(env) if hasattr(field, "_description_string") \
        else field.string
    if title:
        schema["title"] = str(title)
    help_text = field._description_help(env) if hasattr(field, "_description_help") \
        else field.help
    if help_text:
        schema["description"] = str(help_text)
    if is_readonly(field):
        schema["readOnly"] = True
    if field.type == "selection":
        labels = selection_items(field, env)
        if labels:
            schema["x-enum-descriptions"] = {key: label for key, label in labels}
    if field.type in RELATIONAL_TYPES:
        schema["x-odoo-relation"] = field.comodel_name
    schema["x-odoo-type"] = field.type
    return schema


def is_readonly(field) -> bool:
    """Whether a write of the field is refused or ignored."""
    if field.name in MAGIC_FIELDS:
        return True
    if field.compute and not field.inverse and not field.store:
        return True
    return bool(field.readonly) and not field.inverse


def is_required_on_create(field) -> bool:
    """Whether a create must give a value: required, without default or computation."""
    return bool(field.required) and field.default is None and not field.compute \
        and not field.related and not is_readonly(field)


def nullable(schema: Schema, empty: Any = None) -> Schema:
    """Return ``schema`` that also accepts the empty value (``None`` or ``False``)."""
    empty_schema: Schema = {"type": "null"} if empty is None else {"const": empty}
    if not schema:
        return schema
    return {"anyOf": [schema, empty_schema]}


def error_schema() -> Schema:
    """The plain JSON error object of the foundation (``{"error": {...}}``)."""
    return {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["status", "code", "title", "message"],
                "properties": {
                    "status": {"type": "integer"},
                    "code": {"type": "string"},
                    "title": {"type": "string"},
                    "message": {"type": "string"},
                    "source": {"type": "object"},
                    "traceback": {"type": "string"},
                },
            },
        },
    }
