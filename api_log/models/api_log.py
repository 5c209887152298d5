import json
import logging
from datetime import timedelta

from odoo import api, fields, models

from ..tools.writer import WRITER

_logger = logging.getLogger(__name__)

STATUS_CLASSES = [
    ("1xx", "1xx Informational"),
    ("2xx", "2xx Success"),
    ("3xx", "3xx Redirection"),
    ("4xx", "4xx Client Error"),
    ("5xx", "5xx Server Error"),
]


class ApiLog(models.Model):
    _name = "api.log"
    _description = "API Request Log"
    _order = "request_time desc, id desc"
    _rec_name = "request_id"

    request_time = fields.Datetime(
        string="Time", required=True, index=True, readonly=True,
        default=fields.Datetime.now)
    api_id = fields.Many2one("api.api", string="API", required=True, index=True,
                             ondelete="cascade", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    protocol = fields.Char(readonly=True)
    user_id = fields.Many2one("res.users", string="User", index=True, ondelete="set null",
                              readonly=True)
    identity = fields.Char(
        readonly=True,
        help="The login of the authenticated user, or what a failed call claimed to be, "
             "without its secret.")
    client_ip = fields.Char(string="Client IP", readonly=True)
    method = fields.Char(readonly=True)
    path = fields.Char(readonly=True, index=True)
    query_string = fields.Char(readonly=True)
    request_headers = fields.Text(readonly=True)
    request_body = fields.Text(readonly=True)
    status = fields.Integer(readonly=True, index=True)
    status_class = fields.Selection(
        STATUS_CLASSES, compute="_compute_status_class", store=True, index=True)
    response_headers = fields.Text(readonly=True)
    response_body = fields.Text(readonly=True)
    duration_ms = fields.Float(string="Duration (ms)", digits=(16, 1), readonly=True,
                               aggregator="avg")
    query_count = fields.Integer(string="SQL Queries", readonly=True, aggregator="avg")
    error_type = fields.Char(readonly=True)
    error_message = fields.Char(readonly=True)
    traceback = fields.Text(readonly=True)
    request_id = fields.Char(string="Request Id", readonly=True, index=True)
    request_body_display = fields.Text(
        string="Request Body (formatted)", compute="_compute_body_display")
    response_body_display = fields.Text(
        string="Response Body (formatted)", compute="_compute_body_display")

    @api.depends("status")
    def _compute_status_class(self):
        for log in self:
            hundreds = (log.status or 0) // 100
            log.status_class = f"{hundreds}xx" if 1 <= hundreds <= 5 else False

    @api.depends("request_body", "response_body")
    def _compute_body_display(self):
        for log in self:
            log.request_body_display = _pretty(log.request_body)
            log.response_body_display = _pretty(log.response_body)

    # ------------------------------------------------------------------
    # Writing, in a transaction of its own (see tools/writer.py)
    # ------------------------------------------------------------------

    @api.model
    def _api_log_write(self, vals_list):
        """Insert request logs given as plain values; unknown APIs and users are
        dropped or emptied first, since they may have been deleted meanwhile."""
        api_ids = {vals["api_id"] for vals in vals_list}
        existing_apis = set(self.env["api.api"].sudo().with_context(active_test=False)
                            .browse(api_ids).exists().ids)
        user_ids = {vals["user_id"] for vals in vals_list if vals.get("user_id")}
        existing_users = set(self.env["res.users"].sudo().with_context(active_test=False)
                             .browse(user_ids).exists().ids)
        clean = []
        for vals in vals_list:
            if vals["api_id"] not in existing_apis:
                continue
            if vals.get("user_id") and vals["user_id"] not in existing_users:
                vals = dict(vals, user_id=False)
            clean.append(vals)
        return self.sudo().create(clean)

    @api.model
    def _api_log_flush(self):
        """Write the logs still queued in this process now; return how many were sent."""
        return WRITER.flush()

    # ------------------------------------------------------------------
    # Retention
    # ------------------------------------------------------------------

    @api.model
    def _gc_api_log(self):
        """Delete the logs older than the retention of their API (scheduled action)."""
        self.env["api.log"].flush_model()
        apis = self.env["api.api"].sudo().with_context(active_test=False).search(
            [("log_retention_days", ">", 0)])
        now = fields.Datetime.now()
        deleted = 0
        for api_record in apis:
            limit = now - timedelta(days=api_record.log_retention_days)
            self.env.cr.execute(
                "DELETE FROM api_log WHERE api_id = %s AND request_time < %s",
                (api_record.id, limit))
            deleted += self.env.cr.rowcount
        if deleted:
            self.env["api.log"].invalidate_model()
            _logger.info("Deleted %s API request logs past their retention", deleted)
        return deleted


def _pretty(text):
    if not text or text[:1] not in "{[":
        return text or ""
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except ValueError:
        return text
