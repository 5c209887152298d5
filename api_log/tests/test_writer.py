"""The bounded queue that writes logs off the request path."""

import threading
import time
import unittest
import uuid
from unittest.mock import patch

from odoo import SUPERUSER_ID, api, fields
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name
from odoo.tools import mute_logger

from ..models import api_api as api_api_module
from ..tools.writer import LogWriter, _write_with_registry


@tagged("post_install", "-at_install")
class TestLogWriter(BaseCase):

    def test_full_queue_drops_new_logs(self):
        written = []
        writer = LogWriter(lambda dbname, vals_list: written.extend(vals_list), max_size=2)
        self.assertTrue(writer.enqueue("db", {"n": 1}, background=False))
        self.assertTrue(writer.enqueue("db", {"n": 2}, background=False))
        with self.assertLogs("odoo.addons.api_log.tools.writer", "WARNING"):
            self.assertFalse(writer.enqueue("db", {"n": 3}, background=False))
        self.assertEqual(writer.dropped, 1)
        self.assertEqual(writer.flush(), 2)
        self.assertEqual(written, [{"n": 1}, {"n": 2}])
        self.assertEqual(len(writer), 0)

    def test_batches_are_grouped_by_database(self):
        calls = []
        writer = LogWriter(lambda dbname, vals_list: calls.append((dbname, len(vals_list))),
                           batch_size=3)
        for index in range(4):
            writer.enqueue("a" if index % 2 else "b", {"n": index}, background=False)
        writer.flush()
        self.assertEqual(calls, [("b", 2), ("a", 1), ("a", 1)])

    def test_failing_write_is_reported_not_raised(self):
        def fail(dbname, vals_list):
            raise RuntimeError("database is gone")
        writer = LogWriter(fail)
        writer.enqueue("db", {"n": 1}, background=False)
        with mute_logger("odoo.addons.api_log.tools.writer"):
            self.assertEqual(writer.flush(), 1)
        self.assertEqual(writer.failed, 1)

    def test_background_thread_writes_without_the_caller_waiting(self):
        done = threading.Event()
        release = threading.Event()

        def slow_write(dbname, vals_list):
            release.wait(10)
            done.set()
        writer = LogWriter(slow_write)
        writer.enqueue("db", {"n": 1})
        # The enqueue returned while the write is still blocked.
        self.assertFalse(done.is_set())
        release.set()
        self.assertTrue(done.wait(10))


@tagged("post_install", "-at_install")
class TestLogWriterWithRealCursors(BaseCase):
    """The production path after the request: ``_api_log_submit`` on a real cursor, the
    post-commit hook, the writer thread and its own cursor, and what reached the database
    seen from yet another cursor.

    Outside ``HttpCase`` the registry is not in test mode, so every cursor here is a real,
    separate transaction; what the test commits (an API and its logs) it deletes at the
    end. The HTTP side of the same path, in a real server, is checked by
    ``api_log/tests/check_production_logging.py``.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        if cls.registry.in_test_mode():
            raise unittest.SkipTest("the registry is in test mode: cursors are not real")
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            api_fields = env["api.api"]._fields
            cls.api_id = env["api.api"].create({
                "name": "Writer check", "endpoint": f"writer-check-{uuid.uuid4().hex[:8]}",
                "protocol": api_fields["protocol"].get_values(env)[0],
                "auth_type": api_fields["auth_type"].get_values(env)[0],
            }).id
        cls.addClassCleanup(cls._delete_api)

    @classmethod
    def _delete_api(cls):
        with cls.registry.cursor() as cr:
            api.Environment(cr, SUPERUSER_ID, {})["api.api"].browse(cls.api_id).unlink()

    def _vals(self, label):
        return {"api_id": self.api_id, "request_time": fields.Datetime.now(), "method": "POST",
                "path": f"/writer-check/{label}", "status": 200,
                "request_id": f"writer-check-{label}-{uuid.uuid4().hex}"}

    def _logged(self, request_ids, expected, timeout=15.0):
        """Return the request ids of ``request_ids`` logged, waiting for ``expected``."""
        deadline = time.monotonic() + timeout
        while True:
            with self.registry.cursor() as cr:
                cr.execute("SELECT request_id FROM api_log WHERE request_id IN %s",
                           [tuple(request_ids)])
                found = {row[0] for row in cr.fetchall()}
            if found >= expected or time.monotonic() > deadline:
                return found
            time.sleep(0.2)

    def test_committed_and_failed_calls_are_written_by_the_thread_rolled_back_ones_not(self):
        threads = []

        def write(dbname, vals_list):
            threads.append(threading.current_thread().name)
            _write_with_registry(dbname, vals_list)

        writer = LogWriter(write)
        committed, failed, rolled_back = (self._vals(label) for label in
                                          ("committed", "failed", "rolled-back"))
        with patch.object(api_api_module, "WRITER", writer):
            with self.registry.cursor() as cr:
                submit = api.Environment(cr, SUPERUSER_ID, {})["api.api"]._api_log_submit
                submit(rolled_back, failed=False)
                submit(failed, failed=True)  # queued at once: its transaction is lost
                cr.rollback()
                submit(committed, failed=False)
                # the successful call waits for its transaction to commit
            request_ids = {vals["request_id"] for vals in (committed, failed, rolled_back)}
            expected = {committed["request_id"], failed["request_id"]}
            self.assertEqual(self._logged(request_ids, expected), expected)
            # The rolled back call was never queued: nothing is left to write.
            self.assertEqual(len(writer), 0)
            self.assertEqual(writer.flush(), 0)
        self.assertTrue(threads)
        self.assertEqual(set(threads), {"api_log writer"})
        self.assertEqual((writer.failed, writer.dropped), (0, 0))
