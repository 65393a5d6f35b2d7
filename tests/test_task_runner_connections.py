"""The runner's jobs keep their thread's database connection (issue 27, the GUI stall).

On Qt's pool threads every job got a fresh Python thread state, so every job opened
its own SQLite connection and dropped it in a reference cycle; the cyclic collector
closed them later in passes of 7-20 ms that held the interpreter lock, the GUI
thread's too (~1,150 connections in a first sync of 5,000 mentions). The runner's
threads are Python threads now: a handful of connections, each used job after job.
"""

from __future__ import annotations

import gc
import sqlite3

import pytest

from app.storage.inbox_store import SqliteInboxStore
from app.storage.raw_sql import sqlite_connection
from app.ui.task_runner import TaskRunner
from tests.fixtures.ui import OFFSCREEN_NOISE

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"), pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]

JOBS = 60


def _abandoned_connections(ours: frozenset[int] = frozenset()) -> int:
    """Which of `ours` (connection ids) no one holds any more: only the cyclic collector
    would free them."""
    gc.set_debug(gc.DEBUG_SAVEALL)  # what a collection finds is kept, to be looked at
    try:
        gc.collect()
        return sum(isinstance(o, sqlite3.Connection) and id(o) in ours for o in gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()


def test_jobs_reuse_their_threads_connection_and_leave_none_to_the_collector(qtbot, tmp_path):
    store = SqliteInboxStore.open(tmp_path / "shopkeep.sqlite3")
    runner = TaskRunner(max_threads=4)
    seen: list[int] = []
    done: list[int] = []

    def read() -> int:
        store.accounts()  # a real read, on this thread's connection
        return id(sqlite_connection(store.db))

    _abandoned_connections()  # earlier tests' leftovers are not this test's
    for _ in range(JOBS):
        runner.run(read, lambda conn: (seen.append(conn), done.append(1)))
    for _ in range(JOBS // 3):
        runner.run(read, lambda conn: (seen.append(conn), done.append(1)), write=True)
    qtbot.waitUntil(lambda: len(done) == JOBS + JOBS // 3, timeout=20_000)
    # one connection per pool thread (4 readers, 1 writer), not one per job
    assert len(set(seen)) <= 5, len(set(seen))
    assert _abandoned_connections(frozenset(seen)) == 0  # none left for the collector
    runner.shutdown()
    store.close()
