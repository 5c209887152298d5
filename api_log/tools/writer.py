"""Write request logs off the request path, in their own transactions.

A request only appends its log (a dict of plain values) to a bounded in-process queue; a
daemon thread of the same process takes the queue in batches (waiting half a second
for a batch to fill) and inserts them with a cursor of its own, one transaction per
database and batch. So a slow or failing log
write never delays nor breaks the response, and a log survives its request's rollback.

- Prefork (``--workers=N``): each worker process starts its own thread on its first log;
  ``os.register_at_fork`` gives a forked child a fresh, empty queue and new locks; the
  pending logs are written when a worker exits normally (``atexit``).
- Threaded mode: one queue and one thread serve every request thread.
- A full queue drops the new log with a warning instead of growing without limit.
- Tests (registry in test mode) bypass the queue: see ``api.api._api_log_submit``.
"""

from __future__ import annotations

import atexit
import collections
import logging
import os
import threading
import time
from collections.abc import Callable

_logger = logging.getLogger(__name__)

MAX_QUEUE_SIZE = 10000
BATCH_SIZE = 200
IDLE_WAKEUP_SECONDS = 5.0
# The writer waits this long after a first log so that the next ones join its batch:
# one transaction for many logs costs the server far less than one for each.
BATCH_DELAY_SECONDS = 0.5


class LogWriter:
    """A bounded queue of ``(database name, values)`` drained by a background thread.

    :param write: ``write(dbname, vals_list)`` inserts one batch in its own transaction
    """

    def __init__(self, write: Callable[[str, list], None], max_size: int = MAX_QUEUE_SIZE,
                 batch_size: int = BATCH_SIZE):
        self.write = write
        self.max_size = max_size
        self.batch_size = batch_size
        self._reset()

    def _reset(self):
        self._lock = threading.Lock()
        self._flush_lock = threading.Lock()
        self._wakeup = threading.Event()
        self._entries = collections.deque()
        self._thread = None
        self.dropped = 0
        self.failed = 0

    def __len__(self):
        return len(self._entries)

    def enqueue(self, dbname: str, vals: dict, background: bool = True) -> bool:
        """Queue one log; return False when the queue is full and the log was dropped."""
        with self._lock:
            full = len(self._entries) >= self.max_size
            if full:
                self.dropped += 1
                dropped = self.dropped
            else:
                self._entries.append((dbname, vals))
                if background:
                    self._ensure_thread()
        if full:
            if dropped == 1 or not dropped % 1000:
                _logger.warning("API log queue full (%s entries): %s request logs dropped "
                                "so far", self.max_size, dropped)
            return False
        if background:
            self._wakeup.set()
        return True

    def flush(self) -> int:
        """Write every queued log now, in the calling thread; return how many were sent."""
        sent = 0
        with self._flush_lock:
            while True:
                batch = self._pop_batch()
                if not batch:
                    return sent
                sent += len(batch)
                self._write_batch(batch)

    def _pop_batch(self):
        with self._lock:
            count = min(self.batch_size, len(self._entries))
            return [self._entries.popleft() for _index in range(count)]

    def _write_batch(self, batch):
        by_database = collections.defaultdict(list)
        for dbname, vals in batch:
            by_database[dbname].append(vals)
        for dbname, vals_list in by_database.items():
            try:
                self.write(dbname, vals_list)
            except Exception:
                self.failed += len(vals_list)
                _logger.exception("Could not write %s API request logs of database %s",
                                  len(vals_list), dbname)

    def _ensure_thread(self):
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(
                target=self._run, name="api_log writer", daemon=True)
            self._thread.start()

    def _run(self):
        while True:
            self._wakeup.wait(IDLE_WAKEUP_SECONDS)
            self._wakeup.clear()
            if len(self._entries) < self.batch_size:
                time.sleep(BATCH_DELAY_SECONDS)
            try:
                self.flush()
            except Exception:
                _logger.exception("API log writer failed; it goes on with the next logs")

    def after_fork(self):
        """Start afresh in a forked worker: the parent's thread and locks are not ours."""
        self._reset()

    def at_exit(self):
        if self._entries:
            self.flush()


def _write_with_registry(dbname, vals_list):
    # Imported here: this module is also used without a loaded Odoo registry.
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    # The request that queued the log loaded the registry. ``Registry(dbname)``, which a
    # new environment calls too, waits for the registries' lock, held by whichever thread
    # loads or updates any registry of the process for as long as that takes (and by the
    # main thread while a server preloads its databases, tests included); only a registry
    # not loaded or not ready yet is worth that wait.
    registry = Registry.registries.get(dbname)
    if registry is None or not registry.ready:
        registry = Registry(dbname)
    with registry.cursor() as cr:
        cr.transaction = api.Transaction(registry)
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["api.log"]._api_log_write(vals_list)


WRITER = LogWriter(_write_with_registry)
os.register_at_fork(after_in_child=WRITER.after_fork)
atexit.register(WRITER.at_exit)
