"""Content negotiation of JSON:API 1.1 (``ext`` and ``profile`` media type parameters).

- A request body sent as ``application/vnd.api+json`` with a parameter other than ``ext``
  or ``profile``, or with an extension the server does not support, gives 415.
- An ``Accept`` header that lists the JSON:API media type only with other parameters, or
  only with unsupported extensions, gives 406.

Plain ``application/json`` bodies are accepted too, as a convenience for simple clients.
"""

from werkzeug.http import parse_options_header

from odoo.addons.api_framework_base.tools import ApiError

MEDIA_TYPE = "application/vnd.api+json"
ATOMIC_EXT = "https://jsonapi.org/ext/atomic"
SUPPORTED_EXTENSIONS = frozenset({ATOMIC_EXT})
ALLOWED_PARAMETERS = frozenset({"ext", "profile"})
JSON_BODY_TYPES = (MEDIA_TYPE, "application/json")


def _extensions(options: dict) -> set[str]:
    return set((options.get("ext") or "").split())


def check_content_type(header: str | None, extra_types=()) -> set[str]:
    """Return the extensions a request body uses; raise 415 when it cannot be read."""
    mimetype, options = parse_options_header(header or "")
    mimetype = mimetype.lower()
    if mimetype in extra_types:
        return set()
    if mimetype not in JSON_BODY_TYPES:
        raise ApiError(415, f"Unsupported media type {mimetype or 'none'!r}; send "
                            f"{MEDIA_TYPE}.", code="unsupported_media_type",
                       source={"header": "Content-Type"})
    if mimetype != MEDIA_TYPE:
        return set()
    unknown = set(options) - ALLOWED_PARAMETERS
    if unknown:
        raise ApiError(415, f"The media type parameter(s) {', '.join(sorted(unknown))} are "
                            "not allowed; only ext and profile are.",
                       code="unsupported_media_type", source={"header": "Content-Type"})
    extensions = _extensions(options)
    unsupported = extensions - SUPPORTED_EXTENSIONS
    if unsupported:
        raise ApiError(415, f"Unsupported extension(s): {', '.join(sorted(unsupported))}.",
                       code="unsupported_extension", source={"header": "Content-Type"})
    return extensions


def check_accept(header: str | None) -> None:
    """Raise 406 when ``Accept`` asks for JSON:API only in a form this server lacks."""
    instances = []
    for part in (header or "").split(","):
        mimetype, options = parse_options_header(part.strip())
        if mimetype.lower() == MEDIA_TYPE:
            options = {key.lower(): value for key, value in options.items() if key != "q"}
            instances.append(options)
    if not instances:
        return
    for options in instances:
        if set(options) <= ALLOWED_PARAMETERS \
                and _extensions(options) <= SUPPORTED_EXTENSIONS:
            return
    raise ApiError(406, f"No acceptable form of {MEDIA_TYPE} can be served: only the ext "
                        f"and profile parameters, and the extension {ATOMIC_EXT}, are "
                        "supported.", code="not_acceptable", source={"header": "Accept"})


def response_content_type(extensions=()) -> str:
    """Return the Content-Type of a response that uses ``extensions``."""
    if extensions:
        return f'{MEDIA_TYPE}; ext="{" ".join(sorted(extensions))}"'
    return MEDIA_TYPE
