"""Turn request and response data into text that is safe and small enough to log.

Secrets are replaced by :data:`MASK` before anything is cut or stored: credential headers
(``x-api-key``, ``Authorization``, ``password``, cookies), and in bodies and query strings
every member whose name holds ``password``, ``secret``, ``token``, ``api_key``... as well as
OAuth authorization codes; the query strings and fragments of URLs in other headers
(``Location``, ``Referer``, ``Refresh``...); in HTML, the values of form fields and meta
tags named so (a CSRF token); in GraphQL requests, the literals typed in the document (see
:mod:`.graphql_masking`). Bodies are cut at a length; binary content is summarised.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import re
from collections.abc import Iterable

from werkzeug.datastructures import MultiDict
from werkzeug.urls import url_decode, url_encode

from odoo.addons.api_framework_base.tools.redaction import CREDENTIAL_PARAMETERS

MASK = "********"

# Headers whose whole value is a credential; Authorization keeps its scheme.
SECRET_HEADERS = frozenset({
    "x-api-key", "api-key", "apikey", "authorization", "proxy-authorization", "cookie",
    "set-cookie", "password", "x-password", "x-auth-token", "x-access-token",
    "x-refresh-token", "x-client-secret",
})
# Any member or header whose lowered name contains one of these is a secret.
SECRET_NAME_PARTS = ("password", "passwd", "secret", "token", "api_key", "apikey", "api-key",
                     "authorization", "cookie", "private_key", "session_id", "assertion")
# An OAuth exchange or redirect carries one of these next to its one-time ``code``.
OAUTH_MARKERS = frozenset({"grant_type", "redirect_uri", "client_id", "state",
                           "response_type", "code_verifier", "code_challenge"})
OAUTH_SECRETS = frozenset({"code", "code_verifier"})

TEXT_MEDIA_PARTS = ("json", "xml", "x-www-form-urlencoded", "javascript", "graphql", "yaml",
                    "csv", "html")
# Above this size a JSON body is masked with patterns instead of being parsed.
MAX_PARSED_BYTES = 1024 * 1024

_NAME_PATTERN = r"[\w.-]*(?:password|passwd|secret|token|api_key|apikey|api-key)[\w.-]*"
_PAIR_PATTERN = re.compile(
    r"""(?ix)
    (["']?""" + _NAME_PATTERN + r"""["']?\s*[:=]\s*)
    ("(?:[^"\\]|\\.)*"|'[^']*'|[^\s,&;}<"']+)
    """)
_OAUTH_CODE_PATTERN = re.compile(r"(?i)((?:^|[?&\s{,])[\"']?code[\"']?\s*[:=]\s*)"
                                 r"(\"[^\"]*\"|[^\s,&;}\"']+)")
_XML_PATTERN = re.compile(r"(?is)(<(" + _NAME_PATTERN + r")(?:\s[^>]*)?>)[^<]*(</\2>)")
# The query string or fragment of a URL in a header value (Location, Refresh, Link...).
_URL_PARAMETERS_PATTERN = re.compile(r"([?#])([^\s<>\"'#]*=[^\s<>\"'#]*)")
# An HTML start tag and its attributes.
_TAG_PATTERN = re.compile(r"<[A-Za-z][^<>]*>")
_ATTRIBUTE_PATTERN = re.compile(r"""([^\s"'<>/=]+)(\s*=\s*)("[^"]*"|'[^']*'|[^\s"'=<>`]+)""")
# Attributes that name an HTML field, and those that hold its value.
_NAMING_ATTRIBUTES = frozenset({"name", "id", "type", "property", "itemprop", "http-equiv"})
_VALUE_ATTRIBUTES = frozenset({"value", "content"})


def _maybe_secret(text: str) -> bool:
    """Tell quickly whether ``text`` may hold a secret member: without any of these
    names it is logged as it is, without parsing (a regex is far slower here)."""
    lowered = text.lower()
    return "code" in lowered or any(part in lowered for part in SECRET_NAME_PARTS)


@functools.lru_cache(maxsize=4096)
def is_secret_name(name: str, oauth: bool = False) -> bool:
    """Tell whether a header, field or parameter called ``name`` holds a secret.

    ``oauth`` says the name sits next to OAuth parameters, where ``code`` is a secret too.
    """
    lowered = str(name).lower()
    if any(part in lowered for part in SECRET_NAME_PARTS):
        return True
    return oauth and lowered in OAUTH_SECRETS


def _looks_oauth(names: Iterable[str]) -> bool:
    # OAuth 2.0 parameter names are lowercase.
    return not OAUTH_MARKERS.isdisjoint(names)


def mask_header_value(name: str, value: str) -> str:
    """Return ``value`` with its secret replaced; ``Authorization`` keeps its scheme."""
    lowered = name.lower()
    if lowered in ("authorization", "proxy-authorization"):
        scheme, _sep, rest = value.partition(" ")
        return f"{scheme} {MASK}" if rest else MASK
    if lowered in SECRET_HEADERS or is_secret_name(lowered):
        return MASK
    return mask_url_parameters(value)


def mask_url_parameters(text: str) -> str:
    """Mask the credential parameters of the query strings and fragments of the URLs in
    ``text``, a header value such as ``Location`` or ``Refresh``: the parameters
    :func:`mask_query_string` masks, and ``code`` always (an OAuth redirection may carry
    its code without any other OAuth parameter)."""
    if "=" not in text or ("?" not in text and "#" not in text):
        return text
    return _URL_PARAMETERS_PATTERN.sub(_mask_url_parameters_match, text)


def _mask_url_parameters_match(match: re.Match) -> str:
    masked = mask_query_string(match.group(2), oauth=True)
    # Keep the text as it was sent unless something was masked.
    return match.group(0) if MASK not in masked else match.group(1) + masked


def format_headers(headers: Iterable[tuple[str, str]]) -> str:
    """Return the headers as ``Name: value`` lines, secrets masked."""
    return "\n".join(f"{name}: {mask_header_value(name, value)}" for name, value in headers)


def mask_structure(value):
    """Return a copy of decoded JSON where every secret member is masked."""
    if isinstance(value, dict):
        oauth = _looks_oauth(value)
        return {
            key: (MASK if is_secret_name(str(key), oauth) and item not in (None, "", False)
                  else mask_structure(item))
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [mask_structure(item) for item in value]
    return value


def mask_form(pairs: MultiDict, oauth: bool | None = None) -> MultiDict:
    """Return form or query parameters with their secrets masked; ``oauth`` says whether
    ``code`` is a secret (by default: when OAuth parameters come with it)."""
    if oauth is None:
        oauth = _looks_oauth(pairs.keys())
    return MultiDict([
        (key, MASK if is_secret_name(key, oauth) and value else value)
        for key, value in pairs.items(multi=True)
    ])


def mask_query_string(query_string: str, protocol: str | None = None,
                      oauth: bool | None = None) -> str:
    """Return a URL query string with its secret parameters masked, including every
    parameter the APIs refuse as a credential in a URL (``username``, ``key``...), and for
    the ``graphql`` protocol the literals of the document in ``query`` (and ``variables``)."""
    if not query_string:
        return ""
    masked = MultiDict([
        (key, MASK if key.lower() in CREDENTIAL_PARAMETERS and value else value)
        for key, value in mask_form(url_decode(query_string), oauth).items(multi=True)
    ])
    if protocol == "graphql":
        from . import graphql_masking

        masked = graphql_masking.mask_graphql_pairs(masked)
    return url_encode(masked, sort=False).replace("%2A", "*")


def mask_text(text: str) -> str:
    """Mask ``name=value``, ``"name": value`` and ``<name>value</name>`` secrets in
    text that could not be parsed, such as a cut or malformed document, and in HTML the
    fields named as secrets (``<input name="csrf_token" value="...">``)."""
    if not _maybe_secret(text):
        return text
    if "<" in text:
        text = _TAG_PATTERN.sub(_mask_tag, text)
    text = _PAIR_PATTERN.sub(lambda match: match.group(1) + _quoted_mask(match.group(2)),
                             text)
    text = _XML_PATTERN.sub(lambda match: match.group(1) + MASK + match.group(3), text)
    if _looks_oauth(set(re.findall(r"[\w-]+", text[:4096]))):
        text = _OAUTH_CODE_PATTERN.sub(
            lambda match: match.group(1) + _quoted_mask(match.group(2)), text)
    return text


def _quoted_mask(original: str) -> str:
    quote = original[:1]
    return f"{quote}{MASK}{quote}" if quote in ("'", '"') else MASK


def _mask_tag(match: re.Match) -> str:
    """Mask, in one HTML start tag, the value of a field named as a secret
    (``name="csrf_token"``, ``type="password"``, ``<meta name="csrf-token" content=...>``)
    and every attribute named so (``data-api-key="..."``)."""
    tag = match.group(0)
    if not _maybe_secret(tag):
        return tag
    attributes = _ATTRIBUTE_PATTERN.findall(tag)
    named_secret = any(name.lower() in _NAMING_ATTRIBUTES and is_secret_name(value.strip("'\""))
                       for name, _equal, value in attributes)

    def replace(attribute: re.Match) -> str:
        name = attribute.group(1).lower()
        if (named_secret and name in _VALUE_ATTRIBUTES) or (
                name not in _NAMING_ATTRIBUTES and is_secret_name(name)):
            quote = attribute.group(3)[0] if attribute.group(3)[0] in "\"'" else '"'
            return f"{attribute.group(1)}{attribute.group(2)}{quote}{MASK}{quote}"
        return attribute.group(0)

    return _ATTRIBUTE_PATTERN.sub(replace, tag)


def is_text_media(mimetype: str) -> bool:
    """Tell whether a body of this media type is text that can be logged as such."""
    mimetype = (mimetype or "").lower()
    return mimetype.startswith("text/") or any(part in mimetype for part in TEXT_MEDIA_PARTS)


def binary_summary(size: int, mimetype: str) -> str:
    return f"<binary {size} bytes, {mimetype or 'unknown type'}>"


def cut(text: str, length: int) -> str:
    """Return ``text`` cut to its first ``length`` characters, saying so."""
    if length <= 0 or len(text) <= length:
        return text
    return f"{text[:length]}\n... [cut: {len(text)} characters, {length} kept]"


def body_to_text(data: bytes, mimetype: str, length: int, protocol: str | None = None) -> str:
    """Return a logged body: masked, cut at ``length`` characters; binary summarised.

    ``protocol`` is the API's for request bodies: a GraphQL request has its document
    masked too."""
    if not data:
        return ""
    mimetype = (mimetype or "").lower()
    if mimetype and not is_text_media(mimetype):
        return binary_summary(len(data), mimetype)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return binary_summary(len(data), mimetype)
    if not mimetype and "\x00" in text:
        return binary_summary(len(data), mimetype)
    return cut(mask_body_text(text, mimetype, protocol), length)


def mask_body_text(text: str, mimetype: str, protocol: str | None = None) -> str:
    """Mask the secrets of a whole text body according to its media type (and for a
    GraphQL request, its protocol)."""
    if protocol == "graphql" or mimetype == "application/graphql":
        from . import graphql_masking

        return graphql_masking.mask_graphql_body(text, mimetype)
    if not _maybe_secret(text):
        return text
    if "x-www-form-urlencoded" in mimetype:
        return mask_query_string(text)
    if ("json" in mimetype or not mimetype) and len(text) <= MAX_PARSED_BYTES:
        try:
            decoded = json.loads(text)
        except ValueError:
            return mask_text(text)
        return json.dumps(mask_structure(decoded), ensure_ascii=False, default=str)
    return mask_text(text)


def multipart_to_text(form: MultiDict, files: MultiDict, length: int) -> str:
    """Describe a parsed multipart body: its fields masked, its files summarised."""
    described = {key: value for key, value in mask_form(form).items()}
    for key, storage in files.items(multi=True):
        size = _stream_size(storage)
        described[key] = f"<file {storage.filename!r}, {size or 0} bytes, " \
                         f"{storage.mimetype or 'unknown type'}>"
    return cut(json.dumps(described, ensure_ascii=False, default=str), length)


def _stream_size(storage):
    stream = storage.stream
    try:
        position = stream.tell()
        stream.seek(0, 2)
        size = stream.tell()
        stream.seek(position)
    except (AttributeError, OSError, ValueError):
        size = storage.content_length
    return size


def guess_identity(headers) -> str:
    """Name the identity a request claims, without its secret, for failed calls."""
    authorization = headers.get("Authorization", "")
    scheme, _sep, value = authorization.partition(" ")
    if scheme.lower() == "basic" and value:
        try:
            login = base64.b64decode(value.strip()).decode("utf-8").partition(":")[0]
        except (binascii.Error, UnicodeDecodeError, ValueError):
            login = ""
        return login[:128] or "Basic credentials"
    for name in ("username", "login", "x-username", "x-login"):
        if headers.get(name):
            return headers[name][:128]
    key = headers.get("x-api-key")
    if key:
        return f"API key ...{key[-4:]}" if len(key) >= 16 else "API key (malformed)"
    if scheme:
        return f"{scheme} credentials"
    return ""
