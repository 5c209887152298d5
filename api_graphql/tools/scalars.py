"""Custom scalars of the generated schemas: ``Any`` (free JSON), ``Date`` and ``DateTime``.

``Any`` carries domains, contexts, method parameters and x2many command lists: it accepts
every GraphQL literal (lists and objects recursively, variables inside them included) and
serializes every JSON value. Dates travel as ISO 8601 strings; datetimes are UTC, written
``2023-06-12T10:22:57Z`` on output and accepted with a space or a ``T`` on input.
"""

from __future__ import annotations

import datetime
from typing import Any as AnyType

from graphql import (
    BooleanValueNode,
    EnumValueNode,
    FloatValueNode,
    GraphQLError,
    GraphQLScalarType,
    IntValueNode,
    ListValueNode,
    NullValueNode,
    ObjectValueNode,
    StringValueNode,
    ValueNode,
    VariableNode,
)

__all__ = ["GraphQLAnyScalar", "GraphQLDateScalar", "GraphQLDateTimeScalar",
           "parse_any_literal", "to_json_value"]


def to_json_value(value: AnyType) -> AnyType:
    """Return ``value`` with ORM values turned into JSON-friendly ones."""
    from odoo.models import BaseModel  # local: keep the module importable without Odoo

    if isinstance(value, BaseModel):
        return value.ids
    if isinstance(value, dict):
        return {str(key): to_json_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_json_value(item) for item in value]
    if isinstance(value, datetime.datetime):
        return serialize_datetime(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return value.decode("ascii", "replace")
    if hasattr(value, "__html__"):
        return str(value)
    return value


def parse_any_literal(node: ValueNode, variables: dict[str, AnyType] | None = None) -> AnyType:
    """Return the Python value of a GraphQL literal, variables resolved."""
    if isinstance(node, NullValueNode):
        return None
    if isinstance(node, VariableNode):
        return (variables or {}).get(node.name.value)
    if isinstance(node, IntValueNode):
        return int(node.value)
    if isinstance(node, FloatValueNode):
        return float(node.value)
    if isinstance(node, (StringValueNode, EnumValueNode)):
        return node.value
    if isinstance(node, BooleanValueNode):
        return node.value
    if isinstance(node, ListValueNode):
        return [parse_any_literal(item, variables) for item in node.values]
    if isinstance(node, ObjectValueNode):
        return {field.name.value: parse_any_literal(field.value, variables)
                for field in node.fields}
    raise GraphQLError(f"Cannot parse {node.kind} as Any.", node)


GraphQLAnyScalar = GraphQLScalarType(
    name="Any",
    description="Any JSON value: domains, contexts, method parameters, command lists.",
    serialize=to_json_value,
    parse_value=lambda value: value,
    parse_literal=parse_any_literal,
)


def serialize_datetime(value: AnyType) -> str:
    if isinstance(value, str):
        return value
    if value.tzinfo:
        value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return value.isoformat(timespec="seconds") + "Z"


def parse_datetime(value: AnyType) -> str:
    """Return ``value`` as the naive UTC string the ORM writes."""
    if not isinstance(value, str):
        raise GraphQLError(f"DateTime cannot represent a non-string value: {value!r}")
    text = value.strip().replace("T", " ")
    offset = datetime.timezone.utc
    if text.endswith("Z"):
        text = text[:-1]
    try:
        parsed = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise GraphQLError(f"DateTime expects ISO 8601, such as 2023-06-12T10:22:57Z, "
                           f"not {value!r}.") from None
    if parsed.tzinfo:
        parsed = parsed.astimezone(offset).replace(tzinfo=None)
    return parsed.replace(microsecond=0).strftime("%Y-%m-%d %H:%M:%S")


def parse_date(value: AnyType) -> str:
    if not isinstance(value, str):
        raise GraphQLError(f"Date cannot represent a non-string value: {value!r}")
    try:
        return datetime.date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError:
        raise GraphQLError(f"Date expects ISO 8601, such as 2023-06-12, not {value!r}.") \
            from None


def _parse_string_literal(parse):
    def parse_literal(node: ValueNode, _variables=None) -> AnyType:
        if not isinstance(node, StringValueNode):
            raise GraphQLError("Dates and datetimes are written as strings.", node)
        return parse(node.value)
    return parse_literal


GraphQLDateScalar = GraphQLScalarType(
    name="Date",
    description="A date in ISO 8601, such as 2023-06-12.",
    serialize=lambda value: value if isinstance(value, str) else value.isoformat(),
    parse_value=parse_date,
    parse_literal=_parse_string_literal(parse_date),
)

GraphQLDateTimeScalar = GraphQLScalarType(
    name="DateTime",
    description="A UTC instant in ISO 8601, such as 2023-06-12T10:22:57Z.",
    serialize=serialize_datetime,
    parse_value=parse_datetime,
    parse_literal=_parse_string_literal(parse_datetime),
)
