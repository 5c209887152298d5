import datetime
import logging
import math

from odoo import api, fields, models, tools

_logger = logging.getLogger(__name__)


class ApiAuthFailure(models.Model):
    """Recent authentication failures per client, shared by every worker and server.

    Failures are counted in a sliding window. Once a client reaches the threshold, every
    call from it is answered 429 with ``Retry-After`` until the lock-out ends. Failures are
    written with their own cursor, so that the rollback of the failed request keeps them.
    """

    _name = "api.auth.failure"
    _description = "API Authentication Failures"
    _log_access = False

    client_key = fields.Char(required=True, index=True)
    failure_count = fields.Integer(default=0)
    window_start = fields.Datetime(required=True)
    locked_until = fields.Datetime()

    _sql_constraints = [
        ("client_key_unique", "unique(client_key)", "One row per client."),
    ]

    def _get_settings(self):
        params = self.env["ir.config_parameter"].sudo()
        return (
            int(params.get_param("api_framework.auth_failure_threshold", 10)),
            int(params.get_param("api_framework.auth_failure_window", 60)),
            int(params.get_param("api_framework.auth_lockout_seconds", 60)),
        )

    @api.model
    def _retry_after(self, client_key):
        """Return the seconds the client must wait, or 0 when it is not locked out."""
        locked_until = self._locked_clients().get(client_key)
        if not locked_until:
            return 0
        remaining = (locked_until - datetime.datetime.utcnow()).total_seconds()
        return math.ceil(remaining) if remaining > 0 else 0

    @api.model
    @tools.ormcache()
    def _locked_clients(self):
        """Return ``{client key: locked until}`` of the clients locked out now.

        Cached per worker, so that calls cost no query; a new lock-out clears the cache in
        every worker and server through Odoo's registry signalling.
        """
        self.env.cr.execute("""
            SELECT client_key, locked_until
              FROM api_auth_failure
             WHERE locked_until > (now() AT TIME ZONE 'UTC')
        """)
        return dict(self.env.cr.fetchall())

    @api.model
    def _register_failure(self, client_key):
        """Count one failure for the client at once, in a transaction of its own."""
        return _count_failure(self.env.registry, client_key, *self._get_settings())

    @api.model
    def _register_failure_after_transaction(self, client_key):
        """Count one failure for the client once the current transaction has ended.

        A failed request rolls its transaction back, so the count goes through a cursor of
        its own; opening it only after the rollback (or the commit) keeps the count also
        where cursors nest, as they do in Odoo's HTTP tests.
        """
        settings = self._get_settings()
        registry = self.env.registry
        pending = [client_key]

        def register():
            if not pending:
                return
            key = pending.pop()
            try:
                _count_failure(registry, key, *settings)
            except Exception:
                _logger.exception("Could not count an API authentication failure of %s", key)

        self.env.cr.postrollback.add(register)
        self.env.cr.postcommit.add(register)

    def write(self, vals):
        result = super().write(vals)
        self.env.registry.clear_cache()
        return result

    def unlink(self):
        # a manager unlocks a client by deleting its row
        result = super().unlink()
        self.env.registry.clear_cache()
        return result

    @api.autovacuum
    def _gc_auth_failures(self):
        self.env.cr.execute("""
            DELETE FROM api_auth_failure
             WHERE (locked_until IS NULL OR locked_until < (now() AT TIME ZONE 'UTC'))
               AND window_start < (now() AT TIME ZONE 'UTC') - interval '1 day'
        """)


def _count_failure(registry, client_key, threshold, window, lockout):
    """Add one failure of ``client_key`` in a transaction of its own; lock the client out
    for ``lockout`` seconds once ``threshold`` failures fall within ``window`` seconds.
    Return the failures counted in the current window."""
    with registry.cursor() as cr:
        cr.execute("""
            INSERT INTO api_auth_failure (client_key, failure_count, window_start)
                 VALUES (%(key)s, 1, now() AT TIME ZONE 'UTC')
            ON CONFLICT (client_key) DO UPDATE SET
                failure_count = CASE
                    WHEN api_auth_failure.window_start
                         < (now() AT TIME ZONE 'UTC') - make_interval(secs => %(window)s)
                    THEN 1 ELSE api_auth_failure.failure_count + 1 END,
                window_start = CASE
                    WHEN api_auth_failure.window_start
                         < (now() AT TIME ZONE 'UTC') - make_interval(secs => %(window)s)
                    THEN now() AT TIME ZONE 'UTC' ELSE api_auth_failure.window_start END
            RETURNING failure_count
        """, {"key": client_key, "window": window})
        count = cr.fetchone()[0]
        if count >= threshold:
            cr.execute("""
                UPDATE api_auth_failure
                   SET locked_until = (now() AT TIME ZONE 'UTC') + make_interval(secs => %s),
                       failure_count = 0,
                       window_start = now() AT TIME ZONE 'UTC'
                 WHERE client_key = %s
            """, [lockout, client_key])
            _logger.warning("API clients at %s locked out for %ss after %s failed "
                            "authentications", client_key, lockout, count)
    if count >= threshold:
        registry.clear_cache()
        registry.signal_changes()
    return count
