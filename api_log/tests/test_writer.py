"""The bounded queue that writes logs off the request path."""

import threading

from odoo.tests import BaseCase, tagged
from odoo.tools import mute_logger

from ..tools.writer import LogWriter


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
