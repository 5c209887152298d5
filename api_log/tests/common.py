"""Test helpers of api_log: finding the log of a response, checking no secret reached it."""

from odoo.addons.api_framework_base.tests.common import ApiHttpCase

LOG_TEXT_FIELDS = ["identity", "query_string", "request_headers", "request_body",
                   "response_headers", "response_body", "error_message", "traceback"]


class LogCase(ApiHttpCase):
    """Finding the log of a response and checking that no secret reached it."""

    def log_of(self, response):
        request_id = response.headers["X-Request-Id"]
        self.env["api.log"]._api_log_flush()
        log = self.env["api.log"].search([("request_id", "=", request_id)])
        self.assertEqual(len(log), 1, f"one log expected for request {request_id}")
        return log

    def assertNotLogged(self, response):
        self.env["api.log"]._api_log_flush()
        self.assertFalse(self.env["api.log"].search_count(
            [("request_id", "=", response.headers["X-Request-Id"])]))

    def assertNoSecret(self, logs, secrets):
        for log in logs:
            for name in LOG_TEXT_FIELDS:
                for secret in secrets:
                    self.assertNotIn(secret, log[name] or "",
                                     f"{secret!r} found in {name} of {log.path}")
