"""Mask the secrets a GraphQL request writes into its document.

Variables are masked as any JSON member is, by name; but a client may also type values
into the query itself::

    mutation { callResUsers(method: "change_password", args: ["old", "new"]) }
    mutation { createResUsers(values: {login: "ann", password: "..."}) }

The document is parsed with graphql-core, and in its original text (the log shows what
was sent, layout and comments included) these literals are replaced by a quoted mask:

- every string, integer and float literal within an argument or an input object field
  whose name is a secret's (``password``, ``newPassword``, ``client_secret``,
  ``apiKey``...);
- every literal among the other arguments of a call to a credential method: ``method`` or
  ``method_name`` naming one (``change_password``, ``authenticate``..., or a method given
  by a variable, which cannot be told), or a field whose own name is a secret's;
- the variables such places refer to (``values: {password: $p}`` masks ``p``), in the
  ``variables`` object and as default values in the document.

A document that does not parse has every string literal masked, found by graphql-core's
lexer; where even the lexer stops, the rest of the text is replaced by a mask. A JSON body
that does not decode and may hold a secret is not kept.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

from werkzeug.datastructures import MultiDict

from .masking import MASK, SECRET_NAME_PARTS, is_secret_name, mask_query_string, mask_structure

try:
    from graphql import GraphQLError
    from graphql.language import Lexer, Source, TokenKind, Visitor, parse, visit
except ImportError:  # graphql-core comes with api_graphql; without it, a pattern
    # masks every string literal
    parse = None
    Visitor = object

__all__ = ["mask_graphql_body", "mask_graphql_document", "mask_graphql_pairs",
           "mask_graphql_request", "may_hold_secret"]

MASKED_LITERAL = f'"{MASK}"'
# Methods whose arguments are credentials although their names do not say so.
CREDENTIAL_METHODS = frozenset({"authenticate", "check", "check_credentials", "login",
                                "signup"})
# The arguments that name the method a call mutation runs.
METHOD_ARGUMENTS = frozenset({"method", "method_name"})
_QUICK_PARTS = SECRET_NAME_PARTS + tuple(CREDENTIAL_METHODS)
# Documents up to this length keep their masking in a cache: clients repeat their queries.
CACHED_LENGTH = 8192
_STRING_PATTERN = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|"(?:[^"\\\n]|\\.)*"')


def may_hold_secret(text: str) -> bool:
    """Tell quickly whether ``text`` names a secret or a credential method at all: when
    it does not, it is logged as it is, without being parsed."""
    lowered = text.lower()
    return any(part in lowered for part in _QUICK_PARTS)


def mask_graphql_document(query: str) -> tuple[str, frozenset[str]]:
    """Return ``query`` with its secret literals masked, and the names of the variables
    used in secret places."""
    if not may_hold_secret(query):
        return query, frozenset()
    if len(query) <= CACHED_LENGTH:
        return _mask_document_cached(query)
    return _mask_document(query)


def mask_graphql_request(data: Any) -> Any:
    """Return a decoded GraphQL-over-HTTP request (``{"query", "variables",
    "operationName"}``, or a list of them) with its secrets masked."""
    if isinstance(data, list):
        return [mask_graphql_request(item) for item in data]
    masked = mask_structure(data)
    if not isinstance(data, dict) or not isinstance(data.get("query"), str):
        return masked
    masked["query"], names = mask_graphql_document(data["query"])
    if names and isinstance(masked.get("variables"), dict):
        masked["variables"] = _mask_variables(masked["variables"], names)
    return masked


def mask_graphql_pairs(pairs: MultiDict) -> MultiDict:
    """Return the parameters of a GraphQL GET (or form) request with the document in
    ``query`` and the JSON object in ``variables`` masked."""
    if "query" not in pairs and "variables" not in pairs:
        return pairs
    names: set[str] = set()
    queries = {}
    for query in pairs.getlist("query"):
        queries[query], used = mask_graphql_document(query)
        names.update(used)
    masked = MultiDict()
    for key, value in pairs.items(multi=True):
        if key == "query":
            value = queries[value]
        elif key == "variables" and value:
            value = _mask_variables_text(value, names)
        masked.add(key, value)
    return masked


def mask_graphql_body(text: str, mimetype: str) -> str:
    """Return the body of a GraphQL request with its secrets masked."""
    if not may_hold_secret(text):
        return text
    if mimetype == "application/graphql":
        return mask_graphql_document(text)[0]
    if "x-www-form-urlencoded" in mimetype:
        return mask_query_string(text, protocol="graphql")
    try:
        decoded = json.loads(text)
    except (ValueError, RecursionError):
        return f"<GraphQL request of {len(text)} characters that is not JSON, not kept: " \
               "it may hold secrets>"
    return json.dumps(mask_graphql_request(decoded), ensure_ascii=False, default=str)


# ----------------------------------------------------------------------
# Masking a document
# ----------------------------------------------------------------------

@functools.lru_cache(maxsize=256)
def _mask_document_cached(query: str) -> tuple[str, frozenset[str]]:
    return _mask_document(query)


def _mask_document(query: str) -> tuple[str, frozenset[str]]:
    if parse is None:
        return _STRING_PATTERN.sub(MASKED_LITERAL, query), frozenset()
    try:
        document = parse(query)
    except (GraphQLError, RecursionError):
        return _mask_strings(query), frozenset()
    collector = _SecretCollector()
    visit(document, collector)
    for definition in document.definitions:
        for variable in getattr(definition, "variable_definitions", None) or ():
            if variable.default_value and variable.variable.name.value in collector.variables:
                visit(variable.default_value, _SecretCollector(collector.spans, secret=True))
    return _replace_spans(query, collector.spans), frozenset(collector.variables)


def _mask_strings(query: str) -> str:
    """Mask every string literal of a document that does not parse."""
    lexer = Lexer(Source(query))
    spans = []
    try:
        token = lexer.advance()
        while token.kind != TokenKind.EOF:
            if token.kind in (TokenKind.STRING, TokenKind.BLOCK_STRING):
                spans.append((token.start, token.end))
            token = lexer.advance()
    except GraphQLError:
        end = lexer.token.end
        return _replace_spans(query[:end], spans) + f" {MASK} (the rest is not GraphQL)"
    return _replace_spans(query, spans)


def _replace_spans(text: str, spans: list[tuple[int, int]]) -> str:
    if not spans:
        return text
    parts, position = [], 0
    for start, end in sorted(spans):
        parts.append(text[position:start])
        parts.append(MASKED_LITERAL)
        position = end
    parts.append(text[position:])
    return "".join(parts)


def _mask_variables(variables: dict, names: frozenset[str] | set[str]) -> dict:
    return {name: MASK if name in names and value not in (None, "") else value
            for name, value in variables.items()}


def _mask_variables_text(text: str, names: set[str]) -> str:
    if not names and not may_hold_secret(text):
        return text
    try:
        decoded = json.loads(text)
    except (ValueError, RecursionError):
        return MASK
    masked = mask_structure(decoded)
    if isinstance(masked, dict):
        masked = _mask_variables(masked, names)
    return json.dumps(masked, ensure_ascii=False, default=str)


def _is_credential_call(node: Any) -> bool:
    """Whether the arguments of a field are credentials: its name is a secret's, or it
    calls a credential method."""
    if is_secret_name(node.name.value):
        return True
    for argument in node.arguments or ():
        if argument.name.value not in METHOD_ARGUMENTS:
            continue
        if argument.value.kind != "string_value":
            return True  # a variable: the method cannot be told from the document
        method = argument.value.value
        return is_secret_name(method) or method.lower() in CREDENTIAL_METHODS
    return False


class _SecretCollector(Visitor):
    """Collect the spans of the literals in secret places, and the variables used there.

    ``secret`` starts the walk inside a secret place (a default value to mask whole).
    """

    def __init__(self, spans: list | None = None, secret: bool = False):
        super().__init__()
        self.spans: list[tuple[int, int]] = spans if spans is not None else []
        self.variables: set[str] = set()
        self._depth = int(secret)  # > 0 within a secret place
        self._calls: list[bool] = []  # per field or directive: its arguments are secret
        self._opened: list[bool] = []  # per argument or object field: it is a secret place

    def enter_field(self, node, *_args):
        self._calls.append(_is_credential_call(node))

    def leave_field(self, node, *_args):
        self._calls.pop()

    def enter_directive(self, node, *_args):
        self._calls.append(False)

    def leave_directive(self, node, *_args):
        self._calls.pop()

    def enter_argument(self, node, *_args):
        name = node.name.value
        call = bool(self._calls) and self._calls[-1] and name not in METHOD_ARGUMENTS
        self._open(call or is_secret_name(name))

    def leave_argument(self, node, *_args):
        self._close()

    def enter_object_field(self, node, *_args):
        self._open(is_secret_name(node.name.value))

    def leave_object_field(self, node, *_args):
        self._close()

    def enter_string_value(self, node, *_args):
        if self._depth and node.loc is not None:
            self.spans.append((node.loc.start, node.loc.end))

    enter_int_value = enter_float_value = enter_string_value

    def enter_variable(self, node, *_args):
        if self._depth:
            self.variables.add(node.name.value)

    def _open(self, secret: bool):
        self._opened.append(secret)
        self._depth += secret

    def _close(self):
        self._depth -= self._opened.pop()
