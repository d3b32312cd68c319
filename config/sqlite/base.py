"""SQLite, with its writers queued in this process instead of on SQLite's busy handler.

SQLite has one writer at a time. A second writer waits in SQLite's busy handler, which
sleeps and retries (1 ms, 2, 5, … up to 100 ms a try): under a burst of writes most of
the waiting is sleeping after the lock is already free. Here each write transaction
(`BEGIN IMMEDIATE`, decision 0001's settings) first takes a lock shared by this
process's threads, so the next writer starts the moment the previous one commits. Other
processes on the same file still meet SQLite's own lock and busy timeout.
"""

from __future__ import annotations

import threading
from collections import defaultdict

from django.db import OperationalError
from django.db.backends.sqlite3 import base

_locks: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)
_guard = threading.Lock()


def _lock_for(name) -> threading.Lock:
    with _guard:
        return _locks[str(name)]


class DatabaseWrapper(base.DatabaseWrapper):
    _holds_write_lock = False

    def _write_lock(self) -> threading.Lock:
        return _lock_for(self.settings_dict["NAME"])

    def _start_transaction_under_autocommit(self):
        if self.transaction_mode != "IMMEDIATE" or self.is_in_memory_db():
            return super()._start_transaction_under_autocommit()
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        if not self._write_lock().acquire(timeout=timeout):
            raise OperationalError("database is locked")
        self._holds_write_lock = True
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_write_lock()
            raise

    def _release_write_lock(self) -> None:
        if self._holds_write_lock:
            self._holds_write_lock = False
            self._write_lock().release()

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._release_write_lock()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release_write_lock()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._release_write_lock()
