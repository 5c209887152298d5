"""API records and the request flow every published API goes through.

A request to ``/<endpoint>/<subpath>`` is matched by ``ir.http._match`` (see ir_http.py)
and handed to :meth:`ApiApi._api_serve`, which runs these steps in one transaction:

1. CORS preflight (``OPTIONS`` with ``Origin``) is answered without authentication, and
   so are custom routes declared with ``api_route(..., auth=False)``.
2. Throttling: a client with too many recent authentication failures gets 429.
3. Authentication: ``_api_auth_<auth_type>(api_request)`` returns the user, or raises an
   :class:`ApiError` 401 carrying a ``WWW-Authenticate`` header.
4. Authorization: the user must be among the API's users.
5. Context: lang, tz, allowed companies and custom keys from the request.
6. Custom routes declared with :func:`~..tools.routes.api_route`, then the protocol:
   ``_api_serve_<protocol>(api_request)`` returns a response.

Errors raised anywhere roll the transaction back and are rendered by
``_api_error_response_<protocol>(api_request, error)``.

Extending:

- an authentication addon adds a value to ``auth_type`` and implements
  ``_api_auth_<value>(self, api_request)`` returning a ``res.users`` record, and
  ``_api_auth_challenge_<value>(self)`` returning the ``WWW-Authenticate`` header value;
- a protocol addon adds a value to ``protocol`` and implements
  ``_api_serve_<value>(self, api_request)`` and ``_api_error_response_<value>(self,
  api_request, error)``. It calls methods through ``ApiRequest.call_method``; when it
  creates or writes records itself, it checks the values with
  ``ApiRequest.check_values`` and verifies the records written (tools/values_check.py).
"""

import json
import logging
import re
from types import MappingProxyType

import pytz
import werkzeug.exceptions

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, ValidationError
from odoo.http import Response, request
from odoo.osv import expression
from odoo.service.model import get_public_method

from ..tools.api_request import ApiRequest
from ..tools.errors import ApiError, format_traceback, to_api_error
from ..tools.redaction import CREDENTIAL_PARAMETERS
from ..tools.routes import build_route_map
from ..tools.serialization import json_dumps
from ..tools.values_check import ValuesCheck

_logger = logging.getLogger(__name__)

ENDPOINT_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")

# Path prefixes that Odoo serves itself and that an endpoint may never take, on top of
# the first segment of every route registered by installed modules.
RESERVED_ENDPOINTS = {
    "web", "json", "jsonrpc", "xmlrpc", "websocket", "longpolling", "odoo", "static",
    "api_framework_base", "mail", "website", "report", "ir", "base", "bus", "auth",
}

# Context keys a caller may never set: they change how Odoo itself behaves, not the data.
FORBIDDEN_CONTEXT_KEYS = {
    "uid", "su", "install_mode", "module", "import_file", "force_company", "bin_size",
    "active_test_disabled", "tracking_disable", "mail_notrack", "prefetch_fields",
}

# Models never served, whatever the access mode: they hold credentials.
DENIED_MODELS = {
    "res.users.apikeys", "res.users.apikeys.description", "res.users.identitycheck",
    "change.password.wizard", "change.password.user", "res.users.apikeys.show",
    "ir.config_parameter", "api.auth.failure",
}

# Fields never served, whatever the access mode.
DENIED_FIELDS = {
    "res.users": {"password", "new_password", "api_key_ids", "totp_secret", "signup_token"},
}

# Methods never called, whatever the access mode: they manage credentials (passwords,
# API keys, second factors, sign-up and reset tokens, devices). Methods Odoo guards with
# ``check_identity`` are refused as well, on any model.
DENIED_METHODS = {
    "res.users": {
        "change_password", "preference_change_password", "api_key_wizard",
        "action_revoke_all_devices", "authenticate", "check",
        # auth_signup, auth_totp, auth_totp_mail, auth_passkey
        "signup", "reset_password", "action_reset_password", "action_totp_disable",
        "action_totp_enable_wizard", "action_totp_invite", "action_create_passkey",
    },
    "res.partner": {"signup_prepare", "signup_cancel", "signup_get_auth_param"},
}

CUSTOM_ROUTE_MAPS = {}


class ApiApi(models.Model):
    _name = "api.api"
    _description = "API"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=False)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    endpoint = fields.Char(
        required=True, copy=False,
        help="URL slug the API answers at: /<endpoint> and /<endpoint>/...",
    )
    protocol = fields.Selection(
        selection=[], required=True,
        help="How calls and answers are shaped. Each protocol addon adds its own.",
    )
    auth_type = fields.Selection(
        selection=[], string="Authentication", required=True,
        help="How a call proves its user. Each authentication addon adds its own.",
    )
    access_mode = fields.Selection(
        selection=[
            ("user", "User"),
            ("custom", "Custom"),
            ("sudo", "Superuser"),
        ],
        required=True, default="user",
        help="User: the ORM runs as the authenticated user, with Odoo's access rights and "
             "record rules.\n"
             "Custom: as User, restricted further to the allowed models, operations, fields "
             "and domains below.\n"
             "Superuser: bypasses Odoo's access rights and record rules, within the allowed "
             "models below when any is set.",
    )
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("published", "Published"),
            ("cancelled", "Cancelled"),
        ],
        required=True, default="draft", copy=False, readonly=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company,
    )
    user_ids = fields.Many2many(
        "res.users", "api_api_res_users_rel", "api_id", "user_id", string="Allowed Users",
        help="Only these users can call the API.",
    )
    access_ids = fields.One2many("api.access", "api_id", string="Allowed Models")
    page_size_default = fields.Integer(
        string="Default Page Size", default=80,
        help="Records a search answers when the call sets no limit.",
    )
    page_size_max = fields.Integer(
        string="Maximum Page Size", default=1000,
        help="The largest limit a call may ask for, and the most records one read may name.",
    )
    cors_origins = fields.Char(
        string="CORS Allowed Origins",
        help="Origins allowed to call the API from a browser, separated by spaces or "
             "commas, such as https://app.example.com; * allows any origin.",
    )
    debug = fields.Boolean(
        help="Add the server traceback to error responses. Never turn it on in production.",
    )
    meta_version = fields.Char(string="Version", default="1.0")
    meta_author_name = fields.Char(string="Author")
    meta_author_email = fields.Char(string="Author E-mail")
    meta_doc_url = fields.Char(string="Documentation Link")
    description = fields.Text()
    url = fields.Char(compute="_compute_url", string="URL")

    _sql_constraints = [
        ("endpoint_unique", "unique(endpoint)", "Another API already uses this endpoint."),
        ("page_size_positive",
         "check(page_size_default > 0 and page_size_max >= page_size_default)",
         "Page sizes must be positive, and the maximum at least the default."),
    ]

    # ------------------------------------------------------------------
    # Fields and constraints
    # ------------------------------------------------------------------

    @api.depends("endpoint")
    def _compute_url(self):
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for record in self:
            record.url = f"{base_url}/{record.endpoint}" if record.endpoint else False

    @api.constrains("endpoint")
    def _check_endpoint(self):
        reserved = self._api_reserved_endpoints()
        for record in self:
            if not ENDPOINT_PATTERN.match(record.endpoint or ""):
                raise ValidationError(self.env._(
                    "The endpoint %(endpoint)s is not valid: use lowercase letters, digits, "
                    "'-' and '_', starting with a letter or a digit.",
                    endpoint=record.endpoint,
                ))
            if record.endpoint in reserved:
                raise ValidationError(self.env._(
                    "The endpoint %(endpoint)s is already used by Odoo or an installed module.",
                    endpoint=record.endpoint,
                ))

    @api.model
    def _api_reserved_endpoints(self):
        """Return the first path segments that Odoo and installed modules serve."""
        reserved = set(RESERVED_ENDPOINTS)
        reserved.update(self.env.registry._init_modules)
        routing_map = self.env["ir.http"].routing_map()
        for rule in routing_map.iter_rules():
            first = rule.rule.lstrip("/").split("/", 1)[0]
            if first and "<" not in first:
                reserved.add(first)
        return reserved

    # ------------------------------------------------------------------
    # Life cycle; every change that affects routing or cached config clears the caches
    # of all workers through Odoo's registry signalling.
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self._api_invalidate_caches()
        return records

    def write(self, vals):
        result = super().write(vals)
        self._api_invalidate_caches()
        return result

    def unlink(self):
        result = super().unlink()
        self._api_invalidate_caches()
        return result

    def _api_invalidate_caches(self):
        self.env.registry.clear_cache("routing")
        self.env.registry.clear_cache()

    def action_publish(self):
        for record in self:
            if not record.protocol or not record.auth_type:
                raise ValidationError(self.env._(
                    "Choose a protocol and an authentication before publishing."))
        self.write({"state": "published"})
        _logger.info("APIs %s published by %s", self.mapped("endpoint"), self.env.user.login)
        return True

    def action_unpublish(self):
        self.write({"state": "draft"})
        _logger.info("APIs %s unpublished by %s", self.mapped("endpoint"), self.env.user.login)
        return True

    def action_cancel(self):
        self.write({"state": "cancelled"})
        _logger.info("APIs %s cancelled by %s", self.mapped("endpoint"), self.env.user.login)
        return True

    def action_draft(self):
        return self.action_unpublish()

    # ------------------------------------------------------------------
    # Routing and cached configuration
    # ------------------------------------------------------------------

    @api.model
    @tools.ormcache(cache="routing")
    def _api_endpoint_map(self):
        """Return ``{endpoint: api id}`` for the published APIs, cached per worker."""
        self.flush_model(["endpoint", "state", "active"])
        self.env.cr.execute(
            "SELECT endpoint, id FROM api_api WHERE state = 'published' AND active")
        published = dict(self.env.cr.fetchall())
        reserved = self._api_reserved_endpoints()
        for endpoint in reserved.intersection(published):
            _logger.warning("API endpoint /%s is shadowed by an Odoo route and is not served",
                            endpoint)
            del published[endpoint]
        return published

    @api.model
    def _api_match_path(self, path):
        """Return ``(api id, subpath)`` when ``path`` lies below a published API."""
        endpoint, slash, rest = path.lstrip("/").partition("/")
        api_id = self._api_endpoint_map().get(endpoint)
        if not api_id:
            return None
        return api_id, slash + rest

    @tools.ormcache("self.id")
    def _api_config_snapshot(self):
        """Return the cache values of the API's stored columns, cached per worker.

        Any write on an API clears the cache in every worker, so the snapshot is as current
        as a read; it spares the query on ``api_api`` that every call would make.
        """
        names = [name for name, field in self._fields.items()
                 if field.store and field.column_type and name != "id"
                 and field.type != "binary" and not field.translate
                 and not field.company_dependent]
        self.fetch(names)
        return tuple((name, self.env.cache.get(self, self._fields[name])) for name in names)

    def _api_prime_cache(self):
        """Fill the record cache of this API from :meth:`_api_config_snapshot`."""
        self.ensure_one()
        for name, value in self._api_config_snapshot():
            self.env.cache.update(self, self._fields[name], [value])
        return self

    @tools.ormcache("self.id")
    def _api_allowed_logins(self):
        """Return ``{user id: login}`` of the active users allowed to call the API, cached
        per worker (changing a user's login or archiving it clears the registry cache)."""
        return MappingProxyType({user.id: user.login for user in self.user_ids if user.active})

    def _api_allowed_user_ids(self):
        """Return the ids of the active users allowed to call the API."""
        return self._api_allowed_logins().keys()

    @tools.ormcache("self.id")
    def _api_access_rules(self):
        """Return ``{model name: rule dict}`` of the allow-list, cached per worker."""
        return {
            rule.model_id.model: rule._api_rule_dict()
            for rule in self.access_ids.sudo() if rule.active
        }

    @api.model
    def _api_custom_route_map(self, auth=True):
        key = (self.env.registry.db_name, type(self), auth)
        route_map = CUSTOM_ROUTE_MAPS.get(key)
        if route_map is None:
            route_map = CUSTOM_ROUTE_MAPS[key] = build_route_map(type(self), auth=auth)
        return route_map

    # ------------------------------------------------------------------
    # Serving a request
    # ------------------------------------------------------------------

    def _api_serve(self, subpath):
        """Serve the current HTTP request for this published API."""
        self.ensure_one()
        api_request = ApiRequest(self, request.httprequest, subpath)
        request.api_request = api_request

        if self._api_is_cors_preflight(api_request):
            return self._api_cors_preflight_response(api_request)

        response = self._api_dispatch_custom_route(api_request, auth=False)
        if response is not None:
            self._api_finalize_response(api_request, response)
            return response

        self._api_check_throttle(api_request)
        user = self._api_authenticate(api_request)
        self._api_set_environment(api_request, user)

        response = self._api_dispatch_custom_route(api_request)
        if response is None:
            serve = getattr(self, f"_api_serve_{self.protocol}", None)
            if serve is None:
                raise ApiError(501, f"The protocol {self.protocol!r} is not installed.")
            response = serve(api_request)
        self._api_finalize_response(api_request, response)
        return response

    def _api_meta(self):
        """Return the API's meta information, as protocols add it to their responses."""
        meta = {"version": self.meta_version or ""}
        if self.meta_author_name or self.meta_author_email:
            meta["author"] = {"name": self.meta_author_name or "",
                              "email": self.meta_author_email or ""}
        if self.meta_doc_url:
            meta["documentation"] = self.meta_doc_url
        return meta

    def _api_finalize_response(self, api_request, response):
        """Add the headers every API response carries (CORS, request id)."""
        response.headers["X-Request-Id"] = api_request.request_id
        for name, value in self._api_cors_headers(api_request).items():
            response.headers[name] = value
        return response

    def _api_dispatch_custom_route(self, api_request, auth=True):
        route_map = self._api_custom_route_map(auth=auth)
        adapter = route_map.bind("", "/")
        try:
            (method_name, protocols), args = adapter.match(
                api_request.subpath or "/", method=api_request.method)
        except werkzeug.exceptions.NotFound:
            return None
        except werkzeug.exceptions.MethodNotAllowed:
            if not auth:
                return None
            raise ApiError(405, f"Method {api_request.method} is not allowed here.") from None
        if protocols and self.protocol not in protocols:
            return None
        result = getattr(self, method_name)(api_request, **args)
        if isinstance(result, Response):
            return result
        return self._api_json_response(result)

    @api.model
    def _api_json_response(self, payload, status=200, headers=None,
                           content_type="application/json"):
        """Return ``payload`` serialized as a JSON response."""
        body = "" if payload is None else json_dumps(payload)
        response = Response(body, status=status, headers=headers or {})
        response.mimetype = content_type
        response.headers["Content-Type"] = content_type
        return response

    # ------------------------------------------------------------------
    # Errors
    # ------------------------------------------------------------------

    @api.model
    def _api_handle_exception(self, api_request, exc):
        """Return the response for ``exc`` raised while serving ``api_request``.

        Runs after the transaction failed: it must not query the database.
        """
        error = to_api_error(exc)
        if error.status >= 500 and isinstance(exc, ApiError) and error.status != 500:
            # raised on purpose, e.g. 503 when a provider the API relies on is unreachable
            _logger.warning("API %s: %s %s answered %s: %s", api_request.api_name,
                            api_request.method, api_request.httprequest.path, error.status,
                            error.detail, exc_info=exc.__cause__)
        elif error.status >= 500:
            _logger.error("API %s: %s %s failed", api_request.api_name, api_request.method,
                          api_request.httprequest.path, exc_info=exc)
        elif error.status not in (401, 429):
            # the client's mistake: the traceback is kept for whoever debugs the call
            # (authentication failures are logged where they are counted, without one)
            _logger.info("API %s: %s %s answered %s: %s (request %s)", api_request.api_name,
                         api_request.method, api_request.httprequest.path, error.status,
                         error.detail, api_request.request_id, exc_info=exc)
        if api_request.debug:
            error.debug_traceback = format_traceback(exc)
        api_request.error = error
        api_request.exception = exc
        render = getattr(self, f"_api_error_response_{api_request.protocol}", None)
        response = render(api_request, error) if render else self._api_error_response_json(
            api_request, error)
        for name, value in error.extra_headers.items():
            response.headers[name] = value
        if error.status == 401 and "WWW-Authenticate" not in response.headers:
            response.headers["WWW-Authenticate"] = (
                api_request.challenge or f'Bearer realm="{api_request.api_name}"')
        response.headers["X-Request-Id"] = api_request.request_id
        for name, value in self._api_cors_headers(api_request).items():
            response.headers[name] = value
        return response

    @api.model
    def _api_error_response_json(self, api_request, error):
        """Render an error as a plain JSON object; protocols override it with their own."""
        body = {
            "error": {
                "status": error.status,
                "code": error.error_code,
                "title": error.title,
                "message": error.detail,
            }
        }
        if error.source:
            body["error"]["source"] = error.source
        if error.debug_traceback:
            body["error"]["traceback"] = error.debug_traceback
        return self._api_json_response(body, status=error.status)

    # ------------------------------------------------------------------
    # Authentication and throttling
    # ------------------------------------------------------------------

    def _api_authenticate(self, api_request):
        """Return the user the request proves, through the API's authentication type."""
        authenticate = getattr(self, f"_api_auth_{self.auth_type}", None)
        if authenticate is None:
            raise ApiError(501, f"The authentication {self.auth_type!r} is not installed.")
        # known before anything fails: error responses must not read the API again
        api_request.challenge = self._api_default_challenge(api_request)
        try:
            self._api_reject_query_credentials(api_request)
            user = authenticate(api_request)
            if not user:
                raise ApiError(401, "Authentication required.", code="unauthenticated")
            self._api_check_user_allowed(user)
        except ApiError as error:
            if error.status == 401:
                error.extra_headers.setdefault("WWW-Authenticate", api_request.challenge)
                self._api_register_auth_failure(api_request)
            raise
        api_request.user = user
        # known now: after a failed SQL statement the cursor reads nothing until rollback
        api_request.identity = self._api_allowed_logins().get(user.id) or user.login
        return user

    def _api_reject_query_credentials(self, api_request):
        """Credentials travel in headers only: a URL ends up in logs and browser history."""
        if CREDENTIAL_PARAMETERS.intersection(
                name.lower() for name in api_request.httprequest.args):
            raise ApiError(401, "Credentials are not accepted in the query string; "
                                "send them in a header.", code="credentials_in_query")

    def _api_check_user_allowed(self, user):
        # archived users are not in the cached set: archiving clears the registry cache
        if user.id not in self._api_allowed_user_ids():
            _logger.warning("API %s: user %s is not allowed to call it", self.endpoint,
                            user.login)
            raise ApiError(401, "This user is not allowed to call this API.",
                           code="user_not_allowed")

    def _api_default_challenge(self, api_request):
        challenge = getattr(self, f"_api_auth_challenge_{api_request.api.auth_type}", None)
        if challenge:
            return challenge()
        return f'Bearer realm="{api_request.api_name}"'

    def _api_client_key(self, api_request):
        """Identify a client for throttling: its address."""
        return api_request.client_ip or "unknown"

    def _api_check_throttle(self, api_request):
        retry_after = self.env["api.auth.failure"]._retry_after(
            self._api_client_key(api_request))
        if retry_after:
            raise ApiError(429, "Too many failed authentication attempts; retry later.",
                           code="too_many_attempts", headers={"Retry-After": str(retry_after)})

    def _api_register_auth_failure(self, api_request):
        _logger.warning("API %s: authentication failed from %s", self.endpoint,
                        api_request.client_ip)
        self.env["api.auth.failure"]._register_failure_after_transaction(
            self._api_client_key(api_request))

    # ------------------------------------------------------------------
    # Environment and context
    # ------------------------------------------------------------------

    def _api_set_environment(self, api_request, user):
        context = self._api_request_context(api_request, user)
        request.update_env(user=user.id, context=context)
        env = request.env
        if self.access_mode == "sudo":
            env = env(su=True)
        api_request.env = env

    def _api_request_context(self, api_request, user):
        """Return the context for the call: the user's own, merged with what the request
        passes in the ``X-Odoo-Context`` header or the ``context`` parameter, and
        ``Accept-Language``."""
        context = dict(user.with_user(user).context_get())
        headers = api_request.httprequest.headers
        accept_language = headers.get("Accept-Language")
        if accept_language:
            lang = self._api_match_language(accept_language)
            if lang:
                context["lang"] = lang

        raw = headers.get("X-Odoo-Context") or api_request.httprequest.args.get("context")
        if raw:
            try:
                requested = json.loads(raw)
            except ValueError:
                raise ApiError(400, "The context is not a JSON object.", code="invalid_context",
                               source={"parameter": "context"}) from None
            if not isinstance(requested, dict):
                raise ApiError(400, "The context is not a JSON object.", code="invalid_context",
                               source={"parameter": "context"})
            context.update(self._api_validate_context(requested, user))

        if "allowed_company_ids" not in context:
            company_id = self.company_id.id
            if company_id not in user._get_company_ids():
                company_id = user.company_id.id
            context["allowed_company_ids"] = [company_id]
        return context

    def _api_validate_context(self, requested, user):
        validated = {}
        for key, value in requested.items():
            if not isinstance(key, str) or not key.isidentifier() or key.startswith("_") \
                    or key in FORBIDDEN_CONTEXT_KEYS:
                raise ApiError(400, f"The context key {key!r} cannot be set.",
                               code="invalid_context", source={"parameter": "context"})
            if key == "lang":
                if not isinstance(value, str) \
                        or value not in dict(self.env["res.lang"].get_installed()):
                    raise ApiError(400, f"The language {value!r} is not installed.",
                                   code="invalid_context", source={"parameter": "context"})
            elif key == "tz":
                if not isinstance(value, str) or value not in pytz.all_timezones_set:
                    raise ApiError(400, f"The time zone {value!r} is not known.",
                                   code="invalid_context", source={"parameter": "context"})
            elif key == "allowed_company_ids":
                if not isinstance(value, list) or not value or not all(
                        type(company_id) is int for company_id in value):
                    raise ApiError(400, "allowed_company_ids must be a list of company ids.",
                                   code="invalid_context", source={"parameter": "context"})
                if not set(value) <= set(user._get_company_ids()):
                    raise ApiError(403, "The user may not work in some of these companies.",
                                   code="company_not_allowed", source={"parameter": "context"})
            validated[key] = value
        return validated

    def _api_match_language(self, accept_language):
        installed = [code for code, _name in self.env["res.lang"].get_installed()]
        by_prefix = {code.split("_")[0].lower(): code for code in reversed(installed)}
        for part in accept_language.split(","):
            tag = part.split(";")[0].strip().replace("-", "_")
            if not tag or tag == "*":
                continue
            for code in installed:
                if code.lower() == tag.lower():
                    return code
            if tag.split("_")[0].lower() in by_prefix:
                return by_prefix[tag.split("_")[0].lower()]
        return None

    # ------------------------------------------------------------------
    # CORS
    # ------------------------------------------------------------------

    def _api_allowed_origin(self, api_request):
        origin = api_request.httprequest.headers.get("Origin")
        allowed = api_request.cors_origins.replace(",", " ").split()
        if not origin or not allowed:
            return None
        if "*" in allowed:
            return "*"
        return origin if origin in allowed else None

    def _api_cors_headers(self, api_request):
        origin = self._api_allowed_origin(api_request)
        if not origin:
            return {}
        headers = {
            "Access-Control-Allow-Origin": origin,
            "Access-Control-Expose-Headers": "X-Request-Id, Location, ETag, Retry-After, "
                                             "WWW-Authenticate",
        }
        if origin != "*":
            headers["Vary"] = "Origin"
        return headers

    def _api_is_cors_preflight(self, api_request):
        headers = api_request.httprequest.headers
        return (api_request.method == "OPTIONS" and headers.get("Origin")
                and headers.get("Access-Control-Request-Method"))

    def _api_cors_preflight_response(self, api_request):
        response = Response(status=204)
        headers = self._api_cors_headers(api_request)
        if headers:
            headers.update({
                "Access-Control-Allow-Methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS",
                "Access-Control-Allow-Headers": api_request.httprequest.headers.get(
                    "Access-Control-Request-Headers", "Content-Type, Authorization"),
                "Access-Control-Max-Age": "600",
            })
        response.headers.extend(headers)
        response.headers["X-Request-Id"] = api_request.request_id
        return response

    # ------------------------------------------------------------------
    # Access modes
    # ------------------------------------------------------------------

    def _api_get_model(self, api_request, model_name, operation):
        """Return ``model_name`` in the call's environment, once the access mode allows
        ``operation`` (read, create, write, unlink or call) on it."""
        if model_name not in self.env or model_name in self._api_denied_models() \
                or self.env[model_name]._abstract or self.env[model_name]._transient:
            raise ApiError(404, f"The model {model_name!r} does not exist.",
                           code="unknown_model")
        if self._api_uses_allow_list():
            rule = self._api_access_rules().get(model_name)
            if rule is None:
                raise ApiError(404, f"The model {model_name!r} does not exist.",
                               code="unknown_model")
            if not rule["operations"].get(operation):
                raise ApiError(403, f"This API does not allow {operation} on {model_name}.",
                               code="operation_not_allowed")
        self._api_check_operation(api_request, model_name, operation)
        model = api_request.env[model_name]
        if self.access_mode != "sudo":
            access = "read" if operation == "call" else operation
            if not model.has_access(access) and not self._api_self_writable(model, access):
                raise AccessError(self.env._(
                    "You are not allowed to %(operation)s %(model)s records.",
                    operation=access, model=model_name,
                ))
        return model

    @api.model
    def _api_self_writable(self, model, operation):
        """Whether Odoo itself decides if ``model`` may be written without the right to:
        users write their own ``SELF_WRITEABLE_FIELDS`` (name, signature, tz...) with no
        write right on res.users. The ORM then checks the right unless every value is one
        of those fields on the caller's own record, as in Odoo's RPC."""
        return operation == "write" and hasattr(type(model), "SELF_WRITEABLE_FIELDS")

    def _api_check_operation(self, api_request, model_name, operation):
        """Hook: raise an :class:`ApiError` when the credential of the call does not allow
        ``operation`` on ``model_name`` (e.g. an OAuth2 token whose scope is read-only).
        It can only restrict further what the access mode and the user's rights allow."""

    @api.model
    def _api_denied_models(self):
        """Hook: return the models never served in any access mode, because they hold
        credentials; authentication addons add their own."""
        return DENIED_MODELS

    @api.model
    def _api_denied_fields(self):
        """Hook: return ``{model name: field names}`` never served in any access mode."""
        return DENIED_FIELDS

    def _api_field_allowed(self, api_request, model, field_name, operation):
        field = model._fields.get(field_name)
        if field is None or field_name in self._api_denied_fields().get(model._name, ()):
            return False
        if not field.is_accessible(api_request.env(su=False)):
            return False
        rule = self._api_rule(model._name)
        if rule and rule["fields"] and field_name not in rule["fields"] and field_name != "id":
            return False
        return True

    def _api_readable_fields(self, api_request, model):
        """Return the fields served when the caller names none: those it may read, less
        the relations to models it may not read, whose ids Odoo would refuse as well."""
        names = []
        for name, field in model._fields.items():
            if not self._api_field_allowed(api_request, model, name, "read"):
                continue
            if field.relational and not self._api_comodel_readable(api_request, field):
                continue
            names.append(name)
        return names

    def _api_display_name_served(self, api_request, field):
        """Whether a many2one answers ``[id, display name]`` rather than its id alone.

        Where an allow-list applies, the name is a record's own data: it is served only
        when the API serves the related model for reading without an access domain (a
        name could otherwise show a record the API does not serve)."""
        if field.comodel_name in self._api_denied_models():
            return False
        if not self._api_uses_allow_list():
            return True
        rule = self._api_access_rules().get(field.comodel_name)
        return bool(rule and rule["operations"]["read"] and not rule["domain"])

    def _api_comodel_readable(self, api_request, field):
        if field.comodel_name in self._api_denied_models():
            return False
        if self.access_mode == "sudo":
            return True
        return api_request.env[field.comodel_name].has_access("read")

    def _api_check_fields(self, api_request, model, field_names, operation):
        for name in field_names:
            if name not in model._fields:
                raise ApiError(400, f"The field {name!r} does not exist on {model._name}.",
                               code="unknown_field", source={"parameter": name})
            if not self._api_field_allowed(api_request, model, name, operation):
                raise ApiError(403, f"The field {name!r} of {model._name} is not accessible.",
                               code="field_not_allowed", source={"parameter": name})
        return field_names

    def _api_check_method_name(self, method_name):
        """Refuse names that are never callable, before anything else is looked at."""
        if not isinstance(method_name, str) or method_name.startswith("_"):
            raise ApiError(403, f"Private methods such as {method_name!r} cannot be called.",
                           code="private_method")

    def _api_check_method(self, api_request, model, method_name):
        """Return the public method ``method_name`` of ``model`` once the access mode lets
        call it.

        Methods that manage credentials are never called. In the User mode every other
        public method runs, as through Odoo's RPC. Where an allow-list applies, and in the
        Superuser mode always, only the methods whose arguments the framework checks
        (:data:`CHECKED_METHODS`) run, and those a manager names in the model's rule: these
        run with the user's or superuser's rights, without field or domain checks."""
        self._api_check_method_name(method_name)
        try:
            method = get_public_method(model, method_name)
        except AttributeError:
            raise ApiError(404, f"The method {method_name!r} does not exist on "
                                f"{model._name}.", code="unknown_method") from None
        except AccessError:
            raise ApiError(403, f"The method {method_name!r} cannot be called remotely.",
                           code="private_method") from None
        if self._api_is_credential_method(model, method_name):
            raise ApiError(403, f"{model._name}.{method_name} manages credentials and is "
                                "never called through an API.", code="method_not_allowed")
        if self.access_mode != "user" and method_name not in CHECKED_METHODS:
            rule = self._api_rule(model._name)
            if not rule or not rule["methods"] or method_name not in rule["methods"]:
                raise ApiError(403, f"This API does not allow calling {method_name!r}.",
                               code="method_not_allowed")
        return method

    @api.model
    def _api_denied_methods(self):
        """Hook: return ``{model name: method names}`` never called in any access mode,
        because they manage credentials; authentication addons add their own."""
        return DENIED_METHODS

    @api.model
    def _api_is_credential_method(self, model, method_name):
        if method_name in self._api_denied_methods().get(model._name, ()):
            return True
        # Odoo asks for the password again before these (res_users.check_identity)
        return any(getattr(cls.__dict__.get(method_name), "__has_check_identity", False)
                   for cls in type(model).__mro__)

    def _api_check_domain(self, api_request, model, domain):
        """Refuse a malformed domain, or one that filters on a field the caller may not
        read: filtering on a field reveals its values as well as reading it does."""
        if not isinstance(domain, (list, tuple)):
            raise ApiError(400, "A domain must be a list.", code="invalid_domain")
        for leaf in domain:
            if leaf in expression.DOMAIN_OPERATORS:
                continue
            if not isinstance(leaf, (list, tuple)) or len(leaf) != 3 \
                    or not isinstance(leaf[1], str):
                raise ApiError(400, f"Invalid domain term {leaf!r}.", code="invalid_domain")
            path, operator, value = leaf
            if not isinstance(path, str):
                if tuple(leaf) in (expression.TRUE_LEAF, expression.FALSE_LEAF):
                    continue
                raise ApiError(400, f"Invalid domain term {leaf!r}.", code="invalid_domain")
            comodel = self._api_check_path(api_request, model, path)
            if comodel is not None:
                self._api_check_relation_filter(api_request, comodel, path, operator, value)
                if operator in ("any", "not any") and isinstance(value, (list, tuple)):
                    self._api_check_domain(api_request, comodel, value)

    def _api_check_relation_filter(self, api_request, comodel, path, operator, value):
        """Refuse comparing the relation ``path`` (to ``comodel``) with anything but ids
        where its model is served only in part: a subdomain, or a name that Odoo looks up
        among all its records, would tell about those the API hides."""
        by_ids = operator not in ("any", "not any") and all(
            item is False or (isinstance(item, int) and not isinstance(item, bool))
            for item in (value if isinstance(value, (list, tuple)) else [value]))
        if not by_ids:
            self._api_check_traversal(api_request, comodel, path)

    def _api_check_path(self, api_request, model, path):
        """Check each field of a dotted ``path``; return the model it ends on, if any."""
        current = model
        for name in path.split("."):
            if current is None:
                raise ApiError(400, f"The path {path!r} is not valid.", code="invalid_domain")
            if current is not model:
                self._api_check_traversal(api_request, current, path)
            self._api_check_fields(api_request, current, [name], "read")
            field = current._fields[name]
            current = None
            if field.relational:
                if field.comodel_name in self._api_denied_models() or (
                        self._api_uses_allow_list()
                        and field.comodel_name not in self._api_access_rules()):
                    raise ApiError(403, f"The path {path!r} leads outside this API.",
                                   code="field_not_allowed", source={"parameter": path})
                # reading through a relation reads its model: the credential must allow it
                self._api_check_operation(api_request, field.comodel_name, "read")
                current = api_request.env[field.comodel_name]
        return current

    def _api_check_traversal(self, api_request, comodel, path):
        """Refuse a path that looks into the fields of ``comodel`` records when the API
        serves only some of them: a filter through it would tell about the others."""
        if self._api_access_domain(api_request, comodel):
            raise ApiError(403, f"The path {path!r} looks into {comodel._name} records, which "
                                "this API serves only in part; filter on the ids, or on "
                                f"{comodel._name} itself.", code="field_not_allowed",
                           source={"parameter": path})

    def _api_check_order(self, api_request, model, order):
        """Refuse ordering by a field the caller may not read."""
        names = []
        for part in order.split(","):
            words = part.split()
            if words:
                names.append(words[0].split(":")[0].split(".")[0])
        self._api_check_fields(api_request, model, names, "read")
        for name in names:
            self._api_check_order_field(api_request, model._fields[name], name)

    def _api_check_order_field(self, api_request, field, source):
        """Refuse ordering by a many2one whose names the API does not serve: Odoo sorts
        by the related records' own order (their names), which the order would reveal."""
        if field.type == "many2one" and not self._api_display_name_served(api_request, field):
            raise ApiError(403, f"Ordering by {field.name!r} sorts by {field.comodel_name} "
                                "records this API does not serve whole.",
                           code="field_not_allowed", source={"parameter": source})

    def _api_rule(self, model_name):
        """Return the allow-list rule of ``model_name`` when the access mode uses one."""
        if not self._api_uses_allow_list():
            return None
        return self._api_access_rules().get(model_name)

    def _api_uses_allow_list(self):
        return self.access_mode == "custom" or (
            self.access_mode == "sudo" and bool(self._api_access_rules()))

    def _api_access_domain(self, api_request, model):
        rule = self._api_rule(model._name)
        return list(rule["domain"]) if rule and rule["domain"] else []

    def _api_check_records(self, api_request, records, operation):
        ids = set(records.ids)
        if not ids:
            return records
        domain = [("id", "in", list(ids))] + self._api_access_domain(api_request, records)
        found = records.with_context(active_test=False).search(domain)
        missing = ids - set(found.ids)
        if missing:
            raise ApiError(404, f"Records {sorted(missing)} of {records._name} do not exist.",
                           code="record_not_found")
        return records

    def _api_records_outside(self, api_request, records):
        """Return the ids of ``records`` outside their model's access domain (none, and no
        query, when the model has no access domain)."""
        domain = self._api_access_domain(api_request, records)
        if not records or not domain:
            return set()
        found = records.with_context(active_test=False).search(
            [("id", "in", records.ids)] + domain)
        return set(records.ids) - set(found.ids)

    def _api_check_written(self, api_request, records):
        """Raise 403 when created or written ``records`` lie outside the access domain:
        the API could never read them back. The transaction then rolls back."""
        outside = self._api_records_outside(api_request, records)
        if outside:
            raise ApiError(403, f"Records {sorted(outside)} of {records._name} would lie "
                                "outside this API's access domain.",
                           code="outside_access_domain")
        return records

    def _api_check_values(self, api_request, model, values, operation, records=None):
        """Check the values ``operation`` (create or write) gives to ``model`` or to
        ``records``, nested relations included; return the :class:`ValuesCheck` whose
        ``verify(records)`` checks the records once written."""
        return ValuesCheck(api_request).check(model, values, operation, records)

    def _api_check_context_defaults(self, api_request, model):
        """Refuse ``default_<field>`` context keys of ``model`` for fields the API does not
        let create, and for fields no access mode serves."""
        if any(isinstance(key, str) and key.startswith("default_")
               for key in model.env.context):
            ValuesCheck(api_request).check_defaults(model)


# Methods whose operation for the allow-list is known; every other public method is "call".
READ_METHODS = {
    "search", "search_read", "search_count", "search_fetch", "read", "read_group",
    "web_read_group", "fields_get", "name_search", "default_get", "check_access_rights",
    "has_access", "web_search_read", "web_read", "export_data",
}
WRITE_METHODS = {
    "create": "create", "write": "write", "update": "write", "unlink": "unlink",
    "copy": "create",
}
# The methods whose arguments and results the framework checks (api_method_call.py): the
# only ones that run where an allow-list applies or as superuser, unless a rule names more.
CHECKED_METHODS = frozenset(READ_METHODS) | frozenset(WRITE_METHODS)


def method_operation(method_name):
    """Return the allow-list operation that calling ``method_name`` needs."""
    if method_name in READ_METHODS:
        return "read"
    return WRITE_METHODS.get(method_name, "call")
