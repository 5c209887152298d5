"""Turn GraphQL input values into the values Odoo's ``create`` and ``write`` take.

Many2one fields take an id or null; x2many fields take a list of ids (replacing the
relation), Odoo's command lists such as ``[[0, 0, {...}]]`` (with the nested values
checked the same way), or null (clearing the relation).
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

from odoo.fields import Command

from odoo.addons.api_framework_base.tools import ApiError

from .scalars import parse_datetime

if TYPE_CHECKING:
    from odoo.fields import Field
    from odoo.models import BaseModel

    from .context import GraphQLRequestContext

__all__ = ["prepare_values"]


def prepare_values(ctx: GraphQLRequestContext, model: BaseModel, values: Any,
                   operation: str) -> dict[str, Any]:
    """Return ``values`` ready for ``create`` or ``write`` on ``model``."""
    if not isinstance(values, dict):
        raise ApiError(400, f"Values of {model._name} are an object.", code="invalid_values")
    for name in values:
        ctx.check_field(model, name, operation)
    result = {}
    for name, value in values.items():
        field = model._fields[name]
        if field.type == "many2one":
            result[name] = _record_id(name, value)
        elif field.type in ("one2many", "many2many"):
            result[name] = _x2many_commands(ctx, model.env[field.comodel_name], name, value)
        elif value is None and field.type != "boolean":
            result[name] = False
        elif field.type == "datetime" and isinstance(value, str):
            result[name] = parse_datetime(value)
        else:
            _check_scalar(model, field, value)
            result[name] = value
    return result


def _check_scalar(model: BaseModel, field: Field, value: Any) -> None:
    """Refuse with 400 the values the ORM would fail on with a server error: a selection
    key it does not offer, a binary that is not base64."""
    if value is False:
        return
    if field.type == "selection" and value not in field.get_values(model.env):
        raise ApiError(400, f"{value!r} is not a value of {field.name}.",
                       code="invalid_values")
    if field.type in ("binary", "image"):
        try:
            text = value.decode() if isinstance(value, bytes) else value
            base64.b64decode("".join(text.split()), validate=True)
        except (AttributeError, UnicodeDecodeError, ValueError):
            raise ApiError(400, f"{field.name} takes a base64 string.",
                           code="invalid_values") from None


def _record_id(name: str, value: Any) -> int | bool:
    if value is None or value is False:
        return False
    if isinstance(value, dict) and "id" in value:
        value = value["id"]
    if isinstance(value, bool):
        raise ApiError(400, f"{name} takes a record id.", code="invalid_values")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ApiError(400, f"{name} takes a record id, not {value!r}.",
                       code="invalid_values") from None


def _x2many_commands(ctx: GraphQLRequestContext, comodel: BaseModel, name: str,
                     value: Any) -> list:
    if value is None or value is False:
        return [Command.clear()]
    if not isinstance(value, list):
        raise ApiError(400, f"{name} takes a list of ids or of commands.",
                       code="invalid_values")
    if all(not isinstance(item, (list, dict)) for item in value):
        return [Command.set([_record_id(name, item) for item in value])]
    commands = []
    for item in value:
        if not isinstance(item, list) or not item or item[0] not in range(7) \
                or isinstance(item[0], bool):
            raise ApiError(400, f"{name}: {item!r} is not an Odoo command such as "
                                "[0, 0, {...}].", code="invalid_values")
        code = item[0]
        if code in (0, 1):
            if len(item) != 3:
                raise ApiError(400, f"{name}: command {code} is [{code}, id, values].",
                               code="invalid_values")
            operation = "create" if code == 0 else "write"
            vals = prepare_values(ctx, comodel, item[2], operation)
            commands.append((code, 0 if code == 0 else _record_id(name, item[1]), vals))
        elif code == 6:
            ids = item[2] if len(item) == 3 else []
            if not isinstance(ids, list):
                raise ApiError(400, f"{name}: command 6 is [6, 0, ids].", code="invalid_values")
            commands.append(Command.set([_record_id(name, id_) for id_ in ids]))
        elif code == 5:
            commands.append(Command.clear())
        else:
            if len(item) < 2:
                raise ApiError(400, f"{name}: command {code} needs an id.",
                               code="invalid_values")
            commands.append((code, _record_id(name, item[1]), 0))
    return commands
