"""Log every served call of an API, through the base's two response hooks.

``_api_finalize_response`` (success, inside the request transaction) and
``_api_handle_exception`` (failure, after the transaction failed) build the log's values
without any query, then hand them over to be written in a transaction of their own:

- success: queued when the request's transaction commits (a retried or rolled-back
  attempt queues nothing), then written by the writer thread (tools/writer.py);
- failure: queued at once, the request's own transaction being lost anyway.

"Errors Only" logs the calls :meth:`ApiApi._api_log_is_error` tells failed: those that
raised, those answered with a 4xx or 5xx status, and those whose body reports errors with
a 2xx status, as GraphQL does (see :meth:`ApiApi._api_log_reported_errors`).

With the registry in test mode (HttpCase), no thread runs and requests share the test
transaction: a failed call's log is written by the request itself once its savepoint is
rolled back; a successful call's log stays queued (test cursors ignore post-commit hooks
and roll read-only savepoints back) until ``env["api.log"]._api_log_flush()`` writes it.
"""

import functools
import json
import logging
import threading
from collections import namedtuple
from datetime import timedelta

from werkzeug.urls import url_encode

from odoo import api, fields, models, tools
from odoo.http import request

from odoo.addons.api_framework_base.tools.errors import format_traceback

from ..tools import masking
from ..tools.writer import WRITER

_logger = logging.getLogger(__name__)

# Request bodies larger than this are summarised without being read.
MAX_READ_BYTES = 8 * 1024 * 1024
# Response bodies larger than this are not read for the errors they report.
MAX_ERRORS_SCAN_BYTES = 1024 * 1024
ERROR_MESSAGE_LENGTH = 1000

LogSettings = namedtuple(
    "LogSettings", "api_id mode bodies tail_length company_id protocol")


class ApiApi(models.Model):
    _inherit = "api.api"

    log_mode = fields.Selection(
        [("off", "Off"), ("errors", "Errors Only"), ("all", "All Requests")],
        string="Logging", required=True, default="errors",
        help="Which calls are logged: none, those that failed (answered with a 4xx or 5xx "
             "status, or reporting errors in their body as GraphQL does), or all of them.")
    log_bodies = fields.Boolean(
        string="Log Bodies", default=True,
        help="Keep request and response bodies, secrets masked, in the logs.")
    log_tail_length = fields.Integer(
        string="Body Length Kept", default=4096,
        help="Bodies are cut after this many characters; 0 keeps them whole.")
    log_retention_days = fields.Integer(
        string="Log Retention (days)", default=30,
        help="Logs older than this are deleted every day; 0 keeps them forever.")
    log_count = fields.Integer(compute="_compute_log_count", string="Logs")

    _sql_constraints = [
        ("log_tail_length_positive", "check(log_tail_length >= 0)",
         "The body length kept in logs cannot be negative."),
        ("log_retention_days_positive", "check(log_retention_days >= 0)",
         "The log retention cannot be negative."),
    ]

    def _compute_log_count(self):
        counts = dict(self.env["api.log"]._read_group(
            [("api_id", "in", self.ids)], ["api_id"], ["__count"]))
        for record in self:
            record.log_count = counts.get(record, 0)

    def action_open_logs(self):
        """Open the request logs of this API."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("api_log.api_log_action")
        action["domain"] = [("api_id", "=", self.id)]
        action["context"] = {"search_default_group_day": 0}
        return action

    @tools.ormcache("self.id")
    def _api_log_settings(self):
        """Return this API's logging settings, cached per worker."""
        return LogSettings(self.id, self.log_mode, self.log_bodies, self.log_tail_length,
                           self.company_id.id, self.protocol)

    # ------------------------------------------------------------------
    # Hooks of the request flow
    # ------------------------------------------------------------------

    def _api_serve(self, subpath):
        # Read the settings while the transaction is sound: the error hook cannot query.
        try:
            request.api_log_settings = self._api_log_settings()
        except Exception:
            _logger.exception("API %s: could not read its logging settings", self.endpoint)
        return super()._api_serve(subpath)

    def _api_finalize_response(self, api_request, response):
        response = super()._api_finalize_response(api_request, response) or response
        self._api_log_request(api_request, response, None)
        return response

    @api.model
    def _api_handle_exception(self, api_request, exc):
        response = super()._api_handle_exception(api_request, exc)
        self._api_log_request(api_request, response, exc)
        return response

    # ------------------------------------------------------------------
    # Building and submitting a log
    # ------------------------------------------------------------------

    @api.model
    def _api_log_request(self, api_request, response, exc):
        """Log a served request when the API's settings ask for it; never raises."""
        try:
            settings = getattr(request, "api_log_settings", None)
            if settings is None or settings.api_id != api_request.api.id:
                return
            if settings.mode == "off" or (
                    settings.mode == "errors"
                    and not self._api_log_is_error(api_request, response, exc)):
                return
            vals = self._api_log_values(api_request, response, exc, settings)
            self._api_log_submit(vals, failed=exc is not None)
        except Exception:
            _logger.exception("API %s: could not log request %s", api_request.api_name,
                              api_request.request_id)

    @api.model
    def _api_log_is_error(self, api_request, response, exc):
        """Hook: tell whether a call failed, for the "Errors Only" logging mode.

        A call failed when it raised (GraphQL answers a failed mutation with 200), when it
        is answered with a 4xx or 5xx status, or when its body reports errors
        (:meth:`_api_log_reported_errors`).
        """
        if exc is not None or response.status_code >= 400:
            return True
        return bool(self._api_log_reported_errors(api_request, response))

    @api.model
    def _api_log_reported_errors(self, api_request, response):
        """Hook: return the errors a response reports in its body despite a status below
        400, as a list of dicts with a ``message`` (empty when it reports none).

        A protocol that answers errors with 200 (GraphQL over ``application/json``) says
        so by setting ``api_request.has_errors`` to True or False; while it is unset,
        a JSON object body with a non-empty top-level ``errors`` list reports errors
        (the convention GraphQL and JSON:API share).
        """
        cached = getattr(api_request, "_api_log_reported", None)
        if cached is not None:
            return cached
        flag = getattr(api_request, "has_errors", None)
        errors = [] if flag is False else _body_errors(response)
        if flag and not errors:
            errors = [{"message": "The response reports errors."}]
        api_request._api_log_reported = errors
        return errors

    @api.model
    def _api_log_values(self, api_request, response, exc, settings):
        """Return the values of the log of ``api_request``, secrets masked; no query."""
        httprequest = api_request.httprequest
        elapsed = api_request.elapsed_ms()
        user = api_request.user
        vals = {
            "request_time": fields.Datetime.now() - timedelta(milliseconds=elapsed),
            "api_id": settings.api_id,
            "company_id": settings.company_id,
            "protocol": settings.protocol,
            "user_id": user.id if user else False,
            "identity": api_request.identity or masking.guess_identity(httprequest.headers),
            "client_ip": api_request.client_ip,
            "method": httprequest.method,
            "path": httprequest.path,
            "query_string": masking.mask_query_string(
                httprequest.query_string.decode("latin-1"), protocol=settings.protocol),
            "request_headers": masking.format_headers(httprequest.headers.items()),
            "status": response.status_code,
            "response_headers": masking.format_headers(response.headers.items()),
            "duration_ms": round(elapsed, 1),
            "query_count": getattr(threading.current_thread(), "query_count", 0),
            "request_id": api_request.request_id,
        }
        if settings.bodies:
            vals["request_body"] = self._api_log_request_body(
                httprequest, settings.tail_length, settings.protocol)
            vals["response_body"] = self._api_log_response_body(
                response, settings.tail_length)
        if exc is not None:
            error = api_request.error
            vals["error_type"] = f"{type(exc).__module__}.{type(exc).__qualname__}"
            vals["error_message"] = masking.mask_text(
                str(error.detail if error else exc)[:ERROR_MESSAGE_LENGTH])
            vals["traceback"] = masking.mask_text(format_traceback(exc))
        elif response.status_code < 400:
            reported = self._api_log_reported_errors(api_request, response)
            if reported:
                vals.update(_reported_error_values(reported))
        return vals

    @api.model
    def _api_log_request_body(self, httprequest, tail_length, protocol=None):
        mimetype = httprequest.mimetype or ""
        length = httprequest.content_length or 0
        if mimetype and not masking.is_text_media(mimetype) \
                and mimetype != "multipart/form-data":
            return masking.binary_summary(length, mimetype)
        if length > MAX_READ_BYTES:
            return f"<body of {length} bytes, not kept>"
        if mimetype == "multipart/form-data":
            return masking.multipart_to_text(httprequest.form, httprequest.files,
                                             tail_length)
        data = httprequest.get_data(cache=True, parse_form_data=False)
        if not data and length and "x-www-form-urlencoded" in mimetype:
            # Already parsed into the form by the protocol.
            return masking.cut(
                masking.mask_query_string(url_encode(httprequest.form), protocol=protocol),
                tail_length)
        return masking.body_to_text(data, mimetype, tail_length, protocol)

    @api.model
    def _api_log_response_body(self, response, tail_length):
        if response.direct_passthrough or response.is_streamed:
            return f"<streamed body, {response.mimetype or 'unknown type'}>"
        return masking.body_to_text(response.get_data(), response.mimetype, tail_length)

    @api.model
    def _api_log_submit(self, vals, failed):
        """Hand the log over to be written in its own transaction (see module doc)."""
        registry = self.env.registry
        if registry.in_test_mode():
            WRITER.enqueue(registry.db_name, vals, background=False)
            if failed:
                self.env.cr.postrollback.add(_flush_in_test)
            return
        enqueue = functools.partial(_enqueue, registry.db_name, vals)
        if failed:
            enqueue()
        else:
            self.env.cr.postcommit.add(enqueue)


def _body_errors(response):
    """Return the non-empty top-level ``errors`` list of a JSON object body, or []."""
    if response.direct_passthrough or response.is_streamed \
            or "json" not in (response.mimetype or ""):
        return []
    data = response.get_data()
    if b'"errors"' not in data or len(data) > MAX_ERRORS_SCAN_BYTES:
        return []
    try:
        body = json.loads(data)
    except (ValueError, RecursionError):
        return []
    errors = body.get("errors") if isinstance(body, dict) else None
    if not isinstance(errors, list):
        return []
    return [error if isinstance(error, dict) else {"message": str(error)}
            for error in errors]


def _reported_error_values(errors):
    """Return the error type (the first error's code) and message of reported errors."""
    extensions = errors[0].get("extensions")
    code = extensions.get("code") if isinstance(extensions, dict) else None
    message = "; ".join(str(error.get("message", "")) for error in errors[:10])
    return {
        "error_type": str(code or "reported errors")[:ERROR_MESSAGE_LENGTH],
        "error_message": masking.mask_text(message[:ERROR_MESSAGE_LENGTH]),
    }


def _enqueue(dbname, vals):
    try:
        WRITER.enqueue(dbname, vals)
    except Exception:
        _logger.exception("Could not queue the log of API request %s", vals.get("request_id"))


def _flush_in_test():
    try:
        WRITER.flush()
    except Exception:
        _logger.exception("Could not write the queued API request logs")
