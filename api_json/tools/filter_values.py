"""Values of filter conditions, checked against the field each condition compares.

Odoo hands most values of a domain to PostgreSQL as they come: a date that is no date, an
id beyond the integer column's range or a NUL character fail in the database (which logs
them at ERROR level), and a string compared to a number, or ``child_of`` on a field that is
not a relation, fail in the ORM. Each condition is checked here first, by the type of the
field it ends on, so that a filter Odoo cannot run is a 400 saying which value is wrong.

Dates and datetimes are rewritten in Odoo's own format (``YYYY-MM-DD`` and ``YYYY-MM-DD
HH:MM:SS[.ffffff]`` in UTC) from any ISO 8601 form; a datetime given with an offset is
converted to UTC.
"""

import math
import re
from datetime import date, datetime, timezone
from typing import Any

MAX_INT = 2**31 - 1  # ids and integer fields are PostgreSQL integers
INT4_RANGE = (-MAX_INT - 1, MAX_INT)
# Odoo rounds floats to their digits (value * 10**digits): beyond this, that overflows
MAX_NUMBER = 1e290
LIKE_OPERATORS = {"like", "not like", "ilike", "not ilike", "=like", "=ilike"}
PATTERN_OPERATORS = {"=like", "=ilike"}  # compare the column itself, as text
LIST_OPERATORS = {"in", "not in"}
HIERARCHY_OPERATORS = {"child_of", "parent_of"}
ORDER_OPERATORS = {"<", "<=", ">", ">="}
RELATIONAL_TYPES = {"many2one", "one2many", "many2many"}
INTEGER_TYPES = {"integer", "many2one_reference"}
NUMBER_TYPES = {"float", "monetary"}
DATE_TYPES = {"date", "datetime"}
TEXT_TYPES = {"char", "text", "html", "selection", "reference"}
DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")


class FilterValueError(ValueError):
    """A condition whose value the field cannot be compared with."""


def check_value(field, operator: str, value: Any) -> Any:
    """Return ``value`` as the ORM may compare it with ``field`` (the field a condition
    ends on); raise :class:`FilterValueError`, saying why, when it cannot be."""
    if operator in HIERARCHY_OPERATORS:
        if field.type not in RELATIONAL_TYPES and field.name != "id":
            raise FilterValueError(f"{operator!r} needs a relation or id")
        items = value if isinstance(value, list) else [value]
        if not (all(_is_id(item) for item in items)
                or all(isinstance(item, str) for item in items)):
            raise FilterValueError(f"{operator!r} takes ids, or names, not {_shown(value)}")
        for item in items:
            _check_text(item)
        return value
    if operator in LIST_OPERATORS:
        if not isinstance(value, list):
            raise FilterValueError(f"{operator!r} takes a list, not {_shown(value)}")
        if field.type in RELATIONAL_TYPES or field.name == "id":
            # ids only: Odoo compares a list's items with the column as they are
            nullable = field.type not in ("one2many", "many2many")
            for item in value:
                if not (_is_id(item, minimum=INT4_RANGE[0])
                        or (nullable and (item is None or item is False))):
                    raise FilterValueError(f"{operator!r} takes a list of record ids, not "
                                           f"{_shown(value)}")
            return value
        return [_scalar(field, item, "=") for item in value]
    if operator in LIKE_OPERATORS:
        if not isinstance(value, str):
            raise FilterValueError(f"{operator!r} takes a string, not {_shown(value)}")
        if operator in PATTERN_OPERATORS and field.type in (
                INTEGER_TYPES | NUMBER_TYPES | {"boolean"}) and field.name != "id":
            raise FilterValueError(f"{operator!r} compares text, not a {field.type} field")
        _check_text(value)
        return value
    return _scalar(field, value, operator)


def _scalar(field, value: Any, operator: str) -> Any:
    """Check one value compared with ``=``, ``!=``, ``=?`` or an order operator."""
    kind = field.type
    if isinstance(value, (list, tuple, dict)):
        raise FilterValueError(f"{_shown(value)} is a list: lists go with 'in' or 'not in'")
    if kind == "boolean":
        if value is not None and not isinstance(value, bool):
            raise FilterValueError(f"a boolean takes true, false or null, not {_shown(value)}")
        return value
    if value is None or value is False:
        if operator in ORDER_OPERATORS:
            raise FilterValueError(f"{operator!r} cannot compare with {value!r}")
        return value
    if kind in RELATIONAL_TYPES or field.name == "id":
        if isinstance(value, str) and field.name != "id":
            return _check_text(value)  # a name, searched as Odoo does
        if not _is_id(value, minimum=INT4_RANGE[0]):
            raise FilterValueError(f"a record id is expected, not {_shown(value)}")
        return value
    if kind in INTEGER_TYPES | NUMBER_TYPES:
        if not is_number(value):
            raise FilterValueError(f"a number is expected, not {_shown(value)}")
        if kind in INTEGER_TYPES and not INT4_RANGE[0] <= value <= INT4_RANGE[1]:
            raise FilterValueError(f"{value!r} is beyond the range of integers")
        return value
    if kind in DATE_TYPES:
        return _date_value(kind, value)
    if isinstance(value, str):
        return _check_text(value)
    if kind in TEXT_TYPES:  # search methods of computed text fields expect strings too
        raise FilterValueError(f"a string is expected, not {_shown(value)}")
    return value


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _is_id(value: Any, minimum: int = 1) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) \
        and minimum <= value <= INT4_RANGE[1]


def is_number(value: Any) -> bool:
    """Whether ``value`` is a number Odoo can round and PostgreSQL store."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(float(value)) and abs(value) <= MAX_NUMBER
    except OverflowError:
        return False


def _check_text(value: Any) -> Any:
    if isinstance(value, str) and "\x00" in value:
        raise FilterValueError("a string holds a NUL character")
    return value


def _date_value(kind: str, value: Any) -> str:
    """Return a date (``YYYY-MM-DD``, as written) or a datetime in UTC."""
    text = value.strip() if isinstance(value, str) else ""
    moment = None
    try:
        if DATE_ONLY.fullmatch(text):
            # kept as a day: Odoo reads it as the start or the end of that day
            return date.fromisoformat(text).isoformat()
        if text:
            moment = datetime.fromisoformat(text)
        if kind == "date" and moment is not None:
            return moment.date().isoformat()
        if moment is not None and moment.tzinfo is not None:
            moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    except (ValueError, OverflowError):
        moment = None
    if moment is None:
        example = "2024-05-31" if kind == "date" else "2024-05-31 13:45:00"
        raise FilterValueError(f"{_shown(value)} is not a {kind}, such as {example!r}")
    return moment.isoformat(sep=" ")
