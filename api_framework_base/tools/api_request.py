"""The state of one API call, handed to authentication, protocols and custom routes."""

import json
import time
import uuid

from .errors import ApiError

JSON_MEDIA_TYPES = ("application/json", "application/vnd.api+json", "application/graphql")


MAX_JSON_DEPTH = 64


def nesting_depth(value, limit=MAX_JSON_DEPTH):
    """Return how deep lists, tuples and objects nest in ``value``, counted without
    recursion; counting stops once past ``limit``."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, (list, tuple)):
            depth += 1
            deepest = max(deepest, depth)
            if deepest > limit:
                return deepest
            stack.extend((child, depth) for child in item)
    return deepest


def check_nesting(value, what="The request body"):
    """Raise 400 when ``value`` nests deeper than :data:`MAX_JSON_DEPTH`: no sane call
    does, and the ORM, GraphQL and the protocols walk values recursively."""
    if nesting_depth(value) > MAX_JSON_DEPTH:
        raise ApiError(400, f"{what} nests lists and objects more than {MAX_JSON_DEPTH} "
                            "levels deep.", code="invalid_json")
    return value


def _reject_constant(name):
    """NaN and Infinity are not JSON, though Python's decoder accepts them."""
    raise ValueError(f"{name} is not a JSON value")


class ApiRequest:
    """What a protocol needs to serve one call of a published API.

    Attributes set by the base before the protocol runs:

    - ``api``: the ``api.api`` record (in superuser mode: read its configuration only)
    - ``httprequest``: the werkzeug request
    - ``subpath``: the path below the API's endpoint, ``""`` or starting with ``/``
    - ``user``: the authenticated ``res.users`` record, once authentication succeeded
    - ``env``: the environment the ORM runs in for this call: the user's own, or superuser
      in "sudo" access mode; with the request's context
    - ``request_id``: a unique id, also sent back in the ``X-Request-Id`` header
    """

    def __init__(self, api, httprequest, subpath):
        self.api = api
        self.httprequest = httprequest
        self.subpath = subpath
        self.protocol = api.protocol
        self.debug = api.debug
        self.api_name = api.name
        # read now: error responses carry CORS headers too, and must not read the API again
        self.cors_origins = api.cors_origins or ""
        self.user = None
        self.env = None
        self._identity = None
        self.request_id = httprequest.headers.get("X-Request-Id") or uuid.uuid4().hex
        self.started = time.perf_counter()
        self.error = None
        # set by protocols that answer errors with a 2xx status (GraphQL): logs count them
        self.has_errors = None
        self.challenge = None
        self._json_body = None

    # ------------------------------------------------------------------
    # Request data
    # ------------------------------------------------------------------

    @property
    def identity(self):
        """Who the call claims or proved to be: the user's login once authenticated."""
        if self._identity is None and self.user is not None:
            self._identity = self.user.login
        return self._identity

    @identity.setter
    def identity(self, value):
        self._identity = value

    @property
    def method(self):
        return self.httprequest.method

    @property
    def base_url(self):
        """The absolute URL of the API's root, without a trailing slash."""
        return self.httprequest.host_url.rstrip("/") + "/" + self.api.endpoint

    @property
    def client_ip(self):
        return self.httprequest.remote_addr or ""

    def get_json_body(self, media_types=JSON_MEDIA_TYPES, required=True):
        """Return the decoded JSON body; 415 for another media type, 400 when malformed."""
        if self._json_body is not None:
            return self._json_body
        raw = self.httprequest.get_data(cache=True)
        if not raw:
            if required:
                raise ApiError(400, "The request body is empty; a JSON document is expected.",
                               code="empty_body")
            return None
        mimetype = self.httprequest.mimetype
        if mimetype and mimetype not in media_types:
            raise ApiError(415, f"Unsupported media type {mimetype!r}; "
                                f"send one of {', '.join(media_types)}.",
                           code="unsupported_media_type")
        try:
            self._json_body = json.loads(raw, parse_constant=_reject_constant)
        except RecursionError:
            raise ApiError(400, "The request body is nested too deeply.",
                           code="invalid_json") from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise ApiError(400, f"The request body is not valid JSON: {exc}",
                           code="invalid_json") from None
        check_nesting(self._json_body)
        return self._json_body

    # ------------------------------------------------------------------
    # Access mode helpers, see api.api
    # ------------------------------------------------------------------

    def get_model(self, model_name, operation="read"):
        """Return ``model_name`` in the call's environment once the access mode allows
        ``operation`` on it (one of read, create, write, unlink, call)."""
        return self.api._api_get_model(self, model_name, operation)

    def check_fields(self, model, field_names, operation="read"):
        """Raise unless every field is known and allowed for ``operation``."""
        return self.api._api_check_fields(self, model, field_names, operation)

    def readable_fields(self, model):
        """Return the names of the fields of ``model`` that the caller may read."""
        return self.api._api_readable_fields(self, model)

    def check_method(self, model, method_name):
        """Return the public method ``method_name`` once the access mode allows calling it."""
        return self.api._api_check_method(self, model, method_name)

    def check_method_name(self, method_name):
        """Raise 403 for a private method name, before the model is even looked up."""
        return self.api._api_check_method_name(method_name)

    def call_method(self, model, method_name, args, kwargs, records=None):
        """Call a public method as Odoo's RPC does, within the access mode; see
        ``api.api._api_call_method``."""
        return self.api._api_call_method(self, model, method_name, args, kwargs, records)

    def check_path(self, model, path):
        """Raise unless every field of the dotted ``path`` may be read through this API."""
        return self.api._api_check_path(self, model, path)

    def check_relation_filter(self, comodel, path, operator, value):
        """Raise 403 when a filter compares the relation ``path`` (to ``comodel``) with
        names or a subdomain while the API serves ``comodel`` only in part."""
        self.api._api_check_relation_filter(self, comodel, path, operator, value)

    def check_export_path(self, model, path):
        """Raise unless the export path ``path`` (``partner_id/country_id/name``, as
        Odoo's ``export_data`` takes it) reads only what this API serves: each field on
        the way, and records of relations only where their model is served whole."""
        segments = []
        for name in path.split("/"):
            if name in ("id", ".id"):
                break
            segments.append(name)
        if segments:
            self.check_path(model, ".".join(segments))
        if self.api._api_uses_allow_list():
            self.api._api_call_check_export_path(self, model, path)

    def check_domain(self, model, domain):
        """Raise 400 for a malformed domain, 403 when it filters on a hidden field."""
        return self.api._api_check_domain(self, model, domain)

    def check_order(self, model, order):
        """Raise unless every field of an ``order`` string may be read."""
        return self.api._api_check_order(self, model, order)

    def access_domain(self, model):
        """Return the domain that restricts ``model``'s records for this API, or ``[]``."""
        return self.api._api_access_domain(self, model)

    def check_records(self, records, operation="read"):
        """Raise 404 unless all ``records`` exist and lie within the access domain."""
        return self.api._api_check_records(self, records, operation)

    def check_values(self, model, values, operation="create", records=None):
        """Check values before ``create`` (``values`` a dict or a list of dicts) or
        ``write`` (on ``records``) and return the check to verify once they are written::

            check = api_request.check_values(model, values, "write", records)
            records.write(values)
            check.verify(records)

        Raises 400 for malformed values, 403 for a field not allowed for the operation, a
        relation leading outside the API, or a command whose operation the API does not
        allow on the related model (create, write, delete; link and set read), 404 when a
        command names records outside that model's access domain; then ``verify`` raises
        403 when the records written, or lines created or updated through them, lie
        outside their access domains. Fields and models never served are refused at
        every level in every mode, and so are ``default_<field>`` context keys for fields
        not allowed. See ``tools/values_check.py``."""
        return self.api._api_check_values(self, model, values, operation, records)

    def check_written(self, records):
        """Raise 403 when created or written ``records`` lie outside the access domain."""
        return self.api._api_check_written(self, records)

    def check_context_defaults(self, model):
        """Raise 403 for ``default_<field>`` keys of ``model``'s context naming a field the
        API does not let create (``check_values`` does it for the models it creates on)."""
        return self.api._api_check_context_defaults(self, model)

    def elapsed_ms(self):
        return (time.perf_counter() - self.started) * 1000.0
