"""JSON encoding of ORM values, shared by the protocols."""

import base64
import datetime
import json
import re
from decimal import Decimal

from odoo.models import BaseModel
from odoo.tools import frozendict

BASE64_TEXT = re.compile(rb"[A-Za-z0-9+/=\r\n]+")


def json_default(value):
    """Encode what :mod:`json` does not know: dates in ISO 8601 (UTC for datetimes),
    bytes in base64, recordsets as lists of ids.

    The ORM reads binary fields as base64 already: such bytes pass as they are, as Odoo's
    own RPC answers them; other bytes are encoded in base64."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo:
            value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return value.isoformat(timespec="seconds") + "Z"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        if BASE64_TEXT.fullmatch(value):
            return value.decode()
        return base64.b64encode(value).decode()
    if isinstance(value, BaseModel):
        return value.ids
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if isinstance(value, frozendict):
        return dict(value)
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "__html__"):
        return str(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def json_dumps(value, pretty=False):
    """Serialize ``value`` to a JSON string with :func:`json_default`."""
    if pretty:
        return json.dumps(value, default=json_default, ensure_ascii=False, indent=2)
    return json.dumps(value, default=json_default, ensure_ascii=False, separators=(",", ":"))
