"""How Odoo model and field names become JSON:API member names, and back.

JSON:API member names (resource types included) may not contain a dot, and a resource
object may not have attributes or relationships named ``id`` or ``type``:

- the type of a model is its name with every dot replaced by a hyphen
  (``res.partner`` -> ``res-partner``); URLs and request documents accept both spellings;
- an Odoo field named ``type`` is exposed as ``odoo_type`` (``id`` is the resource id);
- fields whose name is not a valid member name are not exposed.
"""

import re

TYPE_SEPARATOR = "-"
RENAMED_FIELDS = {"type": "odoo_type"}
FIELDS_BY_MEMBER = {member: field for field, member in RENAMED_FIELDS.items()}
MEMBER_PATTERN = re.compile(r"^[a-zA-Z0-9](?:[-\w]*[a-zA-Z0-9])?$")


def type_of(model_name: str) -> str:
    """Return the JSON:API type of the model ``model_name``."""
    return model_name.replace(".", TYPE_SEPARATOR)


def model_of(type_name: str, known_models) -> str:
    """Return the model name a type (or a model name) designates in ``known_models``."""
    if type_name in known_models:
        return type_name
    return type_name.replace(TYPE_SEPARATOR, ".")


def same_type(type_name: str, model_name: str) -> bool:
    """Tell whether ``type_name`` designates ``model_name`` in either spelling."""
    return type_name in (model_name, type_of(model_name))


def member_of(field_name: str) -> str | None:
    """Return the member name of a field, or None when the field cannot be a member."""
    if field_name == "id":
        return None
    member = RENAMED_FIELDS.get(field_name, field_name)
    return member if MEMBER_PATTERN.match(member) else None


def field_of(member: str, model_fields) -> str:
    """Return the field name of ``member`` on a model whose fields are ``model_fields``."""
    field_name = FIELDS_BY_MEMBER.get(member)
    if field_name and field_name in model_fields and member not in model_fields:
        return field_name
    return member
