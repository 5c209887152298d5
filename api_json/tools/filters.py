"""Parse the ``filter`` query parameter into an Odoo domain, without ``eval``.

Three notations are accepted, and may be mixed:

- Odoo's own list: ``['|', ('a', '=', 1), ('b', '=', 2)]``;
- JSON arrays: ``[["is_company", "=", true]]``;
- prefix notation with bare ``AND``, ``OR`` and ``NOT`` tokens:
  ``[AND, OR, ('a', '=', 1), ('b', '=', 2), ('c', '=', 3)]``.

Literals: strings in single or double quotes, integers, floats, ``True``/``true``,
``False``/``false``, ``None``/``null``, lists and tuples. Anything else is a syntax error
that names what was found and where (a 0-based character position).

A filter is at most :data:`MAX_FILTER_LENGTH` characters long and nests lists at most
:data:`MAX_NESTING` levels deep, so that no input can exhaust the parser's stack; domains
sent in request bodies are held to the same depth.
"""

import ast
import re
from typing import Any

from odoo.osv.expression import TERM_OPERATORS

from odoo.addons.api_framework_base.tools.api_request import nesting_depth

LOGICAL_TOKENS = {"AND": "&", "OR": "|", "NOT": "!"}
LOGICAL_OPERATORS = {"&", "|", "!"}
NAMED_LITERALS = {
    "True": True, "true": True, "False": False, "false": False, "None": None, "null": None,
}
SUBDOMAIN_OPERATORS = {"any", "not any"}
MAX_FILTER_LENGTH = 20_000
MAX_NESTING = 32

TOKEN_PATTERN = re.compile(r"""
    (?P<space>\s+)
  | (?P<punct>[\[\](),])
  | (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
  | (?P<number>-?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
""", re.VERBOSE)


class FilterSyntaxError(ValueError):
    """A filter that cannot be read; ``position`` is the offending character offset."""

    def __init__(self, message: str, position: int | None = None):
        self.position = position
        if position is not None:
            message = f"{message} (at position {position})"
        super().__init__(message)


class Token:
    __slots__ = ("kind", "value", "position")

    def __init__(self, kind: str, value: Any, position: int):
        self.kind = kind
        self.value = value
        self.position = position

    def describe(self) -> str:
        return "the end of the filter" if self.kind == "end" else repr(self.value)


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens; raise :class:`FilterSyntaxError` on anything unknown."""
    tokens = []
    position = 0
    while position < len(text):
        match = TOKEN_PATTERN.match(text, position)
        if not match:
            raise FilterSyntaxError(f"unexpected character {text[position]!r}", position)
        kind = match.lastgroup
        raw = match.group()
        if kind == "string":
            tokens.append(Token("literal", _decode_string(raw, position), position))
        elif kind == "number":
            tokens.append(Token("literal", ast.literal_eval(raw), position))
        elif kind == "name":
            tokens.append(_name_token(raw, position))
        elif kind == "punct":
            tokens.append(Token("punct", raw, position))
        position = match.end()
    tokens.append(Token("end", None, len(text)))
    return tokens


def _decode_string(raw: str, position: int) -> str:
    try:
        # A single string literal: literal_eval never evaluates code.
        return ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        raise FilterSyntaxError(f"invalid string literal {raw}", position) from None


def _name_token(raw: str, position: int) -> Token:
    if raw in NAMED_LITERALS:
        return Token("literal", NAMED_LITERALS[raw], position)
    if raw in LOGICAL_TOKENS:
        return Token("literal", LOGICAL_TOKENS[raw], position)
    raise FilterSyntaxError(
        f"unknown name {raw!r}; use quotes for strings, or AND, OR, NOT, true, false, null",
        position)


class _Parser:
    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.index = 0
        self.depth = 0

    def peek(self) -> Token:
        return self.tokens[self.index]

    def take(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def value(self) -> Any:
        token = self.take()
        if token.kind == "literal":
            return token.value
        if token.kind == "punct" and token.value in "[(":
            if self.depth >= MAX_NESTING:
                raise FilterSyntaxError(
                    f"the filter nests lists more than {MAX_NESTING} levels deep",
                    token.position)
            closing = "]" if token.value == "[" else ")"
            self.depth += 1
            items = self.sequence(closing)
            self.depth -= 1
            return items if closing == "]" else tuple(items)
        raise FilterSyntaxError(f"expected a value but found {token.describe()}",
                                token.position)

    def sequence(self, closing: str) -> list:
        items = []
        while True:
            token = self.peek()
            if token.kind == "punct" and token.value == closing:
                self.take()
                return items
            items.append(self.value())
            token = self.take()
            if token.kind == "punct" and token.value == closing:
                return items
            if not (token.kind == "punct" and token.value == ","):
                raise FilterSyntaxError(
                    f"expected ',' or {closing!r} but found {token.describe()}", token.position)


def parse_literal(text: str) -> Any:
    """Parse ``text`` as one literal value (list, tuple, string, number, ...)."""
    if len(text) > MAX_FILTER_LENGTH:
        raise FilterSyntaxError(
            f"the filter is longer than {MAX_FILTER_LENGTH} characters")
    parser = _Parser(tokenize(text))
    value = parser.value()
    token = parser.peek()
    if token.kind != "end":
        raise FilterSyntaxError(f"unexpected {token.describe()} after the filter",
                                token.position)
    return value


def parse_domain(text: str) -> list:
    """Return the Odoo domain written in ``text``, checked for structure."""
    if not text.strip():
        return []
    value = parse_literal(text.strip())
    return normalize_terms(value)


def normalize_terms(value: Any, where: str = "the filter") -> list:
    """Check that ``value`` is a domain and return it with tuples for its leaves."""
    if nesting_depth(value, MAX_NESTING) > MAX_NESTING:
        raise FilterSyntaxError(f"{where} nests lists more than {MAX_NESTING} levels deep")
    return _normalize_terms(value, where)


def _normalize_terms(value: Any, where: str) -> list:
    if not isinstance(value, (list, tuple)):
        raise FilterSyntaxError(f"{where} must be a list of conditions")
    domain = []
    for index, item in enumerate(value):
        if isinstance(item, str):
            if item not in LOGICAL_OPERATORS:
                raise FilterSyntaxError(
                    f"element {index} of {where} is {item!r}, which is neither a condition "
                    "nor AND, OR, NOT ('&', '|', '!')")
            domain.append(item)
            continue
        domain.append(_normalize_leaf(item, index, where))
    _check_arity(domain, where)
    return domain


def _normalize_leaf(item: Any, index: int, where: str) -> tuple:
    if not isinstance(item, (list, tuple)) or len(item) != 3:
        raise FilterSyntaxError(
            f"element {index} of {where} must be a condition (field, operator, value)")
    path, operator, value = item
    if not isinstance(path, str) or not path:
        raise FilterSyntaxError(f"the field of condition {index} of {where} must be a string")
    if not isinstance(operator, str) or operator.lower() not in TERM_OPERATORS:
        raise FilterSyntaxError(
            f"the operator {operator!r} of condition {index} of {where} is not one of "
            f"{', '.join(sorted(TERM_OPERATORS))}")
    operator = operator.lower()
    if operator in SUBDOMAIN_OPERATORS:
        value = _normalize_terms(value, f"the value of condition {index} of {where}")
    elif isinstance(value, tuple):
        value = list(value)
    return (path, operator, value)


def _check_arity(domain: list, where: str) -> None:
    expected = 1
    for item in domain:
        if expected == 0:
            expected = 1  # implicit AND between top-level terms
        if item in ("&", "|"):
            expected += 1
        elif item != "!":
            expected -= 1
    if domain and expected != 0:
        raise FilterSyntaxError(
            f"{where} has AND/OR/NOT operators missing {expected} operand(s)")


def domain_paths(domain: list):
    """Yield ``(path, subdomain or None)`` for each condition of a normalized domain."""
    for item in domain:
        if isinstance(item, tuple):
            yield item[0], item[2] if item[1] in SUBDOMAIN_OPERATORS else None


SHORTHAND_OPERATORS = {
    "eq": "=", "ne": "!=", "lt": "<", "le": "<=", "lte": "<=", "gt": ">", "ge": ">=",
    "gte": ">=", "like": "like", "ilike": "ilike", "not_like": "not like",
    "not_ilike": "not ilike", "in": "in", "not_in": "not in", "child_of": "child_of",
    "parent_of": "parent_of", "=like": "=like", "=ilike": "=ilike",
}
LIST_OPERATORS = {"in", "not in", "child_of", "parent_of"}


def shorthand_operator(name: str | None) -> str:
    """Return the Odoo operator of a ``filter[field][op]`` shorthand, '=' by default."""
    if name is None:
        return "="
    operator = SHORTHAND_OPERATORS.get(name, name if name in TERM_OPERATORS else None)
    if operator is None or operator in SUBDOMAIN_OPERATORS:
        raise FilterSyntaxError(
            f"unknown operator {name!r}; use one of {', '.join(sorted(SHORTHAND_OPERATORS))}")
    return operator
