"""Query parameters of JSON:API requests, parsed into plain values.

Only the syntax is checked here; field names are checked against the model by the
handler, which knows the caller's access.
"""

import re
from dataclasses import dataclass, field

from odoo.addons.api_framework_base.tools import ApiError

from .filter_values import MAX_INT

FAMILY_PATTERN = re.compile(r"^([A-Za-z_][\w-]*)((?:\[[^\[\]]*\])*)$")
BRACKETS = re.compile(r"\[([^\[\]]*)\]")


@dataclass
class Page:
    """Which slice of a collection a request asks for."""

    style: str = "number"  # number, offset or cursor
    offset: int = 0
    limit: int = 80
    number: int = 1
    after: int | None = None


@dataclass
class QueryParams:
    """The JSON:API query parameters of one request."""

    fields: dict[str, list[str]] = field(default_factory=dict)
    include: list[list[str]] = field(default_factory=list)
    sort: list[tuple[str, bool]] = field(default_factory=list)
    page: dict[str, str] = field(default_factory=dict)
    filter: str | None = None
    filter_terms: list[tuple[str, str | None, str]] = field(default_factory=list)
    group_by: list[str] = field(default_factory=list)
    aggregates: list[str] | None = None


def _bad(detail: str, parameter: str) -> ApiError:
    return ApiError(400, detail, code="invalid_parameter", source={"parameter": parameter})


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def parse_query(args) -> QueryParams:
    """Parse the query string ``args`` (a werkzeug MultiDict)."""
    params = QueryParams()
    for key, value in args.items(multi=True):
        if "\x00" in key or "\x00" in value:
            # PostgreSQL cannot hold NUL characters: refused before any query is built.
            raise _bad(f"The query parameter {key!r} holds a NUL character.", key)
        match = FAMILY_PATTERN.match(key)
        if not match:
            raise _bad(f"The query parameter {key!r} is malformed.", key)
        family, keys = match.group(1), BRACKETS.findall(match.group(2))
        _parse_one(params, key, family, keys, value)
    return params


def _parse_one(params: QueryParams, key: str, family: str, keys: list[str],
               value: str) -> None:
    if family == "fields":
        if len(keys) != 1 or not keys[0]:
            raise _bad("Sparse fieldsets are written fields[<type>]=a,b.", key)
        params.fields[keys[0]] = _split(value)
    elif family == "include" and not keys:
        params.include = [path.split(".") for path in _split(value)]
    elif family == "sort" and not keys:
        params.sort = [(name.lstrip("-"), name.startswith("-")) for name in _split(value)]
    elif family == "page":
        if len(keys) != 1:
            raise _bad("Pagination is written page[number], page[size], page[offset], "
                       "page[limit] or page[after].", key)
        params.page[keys[0]] = value
    elif family == "filter":
        if not keys:
            params.filter = value
        elif len(keys) <= 2 and keys[0]:
            params.filter_terms.append((keys[0], keys[1] if len(keys) == 2 else None, value))
        else:
            raise _bad("Filters are written filter=<domain>, filter[field]=value or "
                       "filter[field][operator]=value.", key)
    elif family == "group_by" and not keys:
        params.group_by = _split(value)
    elif family == "aggregates" and not keys:
        params.aggregates = _split(value)
    elif family in ("fields", "include", "sort", "group_by", "aggregates"):
        raise _bad(f"The query parameter {key!r} is malformed.", key)
    elif re.fullmatch(r"[a-z]+", family) and family not in ("context", "debug"):
        # Implementation-specific parameters need a non a-z character (JSON:API 1.1).
        raise _bad(f"The query parameter {key!r} is not supported.", key)


def _positive_int(page: dict, name: str, minimum: int = 1) -> int | None:
    raw = page.get(name)
    if raw is None:
        return None
    # ASCII digits only: int() also reads '٣' and '1_0'
    value = int(raw) if raw.isascii() and raw.isdigit() else minimum - 1
    if not minimum <= value <= MAX_INT:  # pages and ids within PostgreSQL's integers
        raise _bad(f"page[{name}] must be an integer from {minimum} to {MAX_INT}.",
                   f"page[{name}]")
    return value


def parse_page(page: dict, default_size: int, max_size: int) -> Page:
    """Return the requested :class:`Page`, within the API's default and maximum sizes."""
    unknown = set(page) - {"number", "size", "offset", "limit", "after"}
    if unknown:
        name = sorted(unknown)[0]
        raise _bad(f"page[{name}] is not supported.", f"page[{name}]")
    size = _positive_int(page, "size") or _positive_int(page, "limit") or default_size
    if size > max_size:
        parameter = "page[size]" if "size" in page else "page[limit]"
        raise _bad(f"The page size may not exceed {max_size}.", parameter)
    if "after" in page:
        if {"number", "offset"} & set(page):
            raise _bad("page[after] cannot be combined with page[number] or page[offset].",
                       "page[after]")
        return Page(style="cursor", limit=size, after=_positive_int(page, "after", 0))
    if "offset" in page or "limit" in page:
        if "number" in page:
            raise _bad("page[number] cannot be combined with page[offset].", "page[number]")
        offset = _positive_int(page, "offset", 0) or 0
        return Page(style="offset", offset=offset, limit=size)
    number = _positive_int(page, "number") or 1
    return Page(style="number", offset=(number - 1) * size, limit=size, number=number)
