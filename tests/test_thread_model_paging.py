"""Scrolling a long thread list: pages read ahead off the GUI thread, rows the collector skips.

The store here is a stand-in with thousands of threads (the demo shop has 31); the
TaskRunner is the real one, with its pool threads.
"""

from __future__ import annotations

import dataclasses
import gc
import threading
from datetime import UTC, datetime, timedelta

import pytest

from app.core.ports import ThreadQuery
from app.ui.task_runner import TaskRunner
from app.ui.thread_model import PAGE_SIZE, ThreadListModel
from tests.fixtures.ui import OFFSCREEN_NOISE

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"), pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]


class ManyThreads:
    """Thousands of threads, newest first, and which thread read each page."""

    def __init__(self, template, n):
        self.now = datetime.now(UTC)
        self.rows = [
            dataclasses.replace(
                template,
                id=i + 1,
                last_activity=self.now - timedelta(minutes=2 * i),
                reasons=("said 'late'",),
            )
            for i in range(n)
        ]
        self.readers: list[str] = []

    def list_threads(self, query, offset, limit, *, after=None):
        self.readers.append(threading.current_thread().name)
        start = [r.id for r in self.rows].index(after.id) + 1 if after is not None else 0
        return self.rows[start + offset : start + offset + limit]

    def add(self, row):
        """A sync stored a thread: it takes its place in the store's order."""
        self.rows.append(row)
        self.rows.sort(key=lambda r: (-r.last_activity.timestamp(), -r.id))


@pytest.fixture
def threaded_runner(qapp):
    runner = TaskRunner(max_threads=2)
    yield runner
    runner.shutdown()


def test_scrolling_down_finds_the_next_page_already_read_off_the_gui_thread(
    ui_store, qtbot, threaded_runner
):
    template = ui_store.list_threads(ThreadQuery(), 0, 1)[0]
    store = ManyThreads(template, PAGE_SIZE * 2 + 17)
    model = ThreadListModel(store, runner=threaded_runner)
    model.set_query(ThreadQuery())
    assert model.rowCount() == PAGE_SIZE  # the first page is shown at once
    qtbot.waitUntil(lambda: not threaded_runner.is_busy())

    model.fetchMore()  # the view reached the end of the list
    assert model.rowCount() == PAGE_SIZE * 2
    qtbot.waitUntil(lambda: not threaded_runner.is_busy())
    model.fetchMore()
    assert model.rowCount() == PAGE_SIZE * 2 + 17
    assert not model.canFetchMore()

    gui = threading.current_thread().name
    assert store.readers[0] == gui
    assert len(store.readers) == 3 and gui not in store.readers[1:]
    assert [r.id for r in model.loaded_rows()] == [r.id for r in store.rows]


def test_a_thread_synced_while_the_next_page_was_read_ahead_still_shows(
    ui_store, qtbot, threaded_runner
):
    template = ui_store.list_threads(ThreadQuery(), 0, 1)[0]
    store = ManyThreads(template, PAGE_SIZE * 3)
    model = ThreadListModel(store, runner=threaded_runner)
    model.set_query(ThreadQuery())
    qtbot.waitUntil(lambda: not threaded_runner.is_busy())  # page two read ahead

    # A sync stores a thread that belongs on page two, and tells the list about it.
    last_shown = model.thread_at(model.rowCount() - 1)
    synced = dataclasses.replace(
        template, id=90_001, last_activity=last_shown.last_activity - timedelta(minutes=1)
    )
    store.add(synced)
    assert model.insert_threads([synced]) == 0  # past the loaded rows: left for the page

    model.fetchMore()
    assert model.row_for_id(90_001) == PAGE_SIZE
    assert [r.id for r in model.loaded_rows()] == [r.id for r in store.rows[: PAGE_SIZE * 2]]


def test_loaded_rows_add_nothing_for_the_cycle_collector_to_walk(ui_store, qtbot):
    """A full collection walks every tracked object on the GUI thread: 39k loaded rows
    made it a 15-40 ms frame. The rows a list keeps are not among them."""
    template = ui_store.list_threads(ThreadQuery(), 0, 1)[0]
    store = ManyThreads(template, PAGE_SIZE * 10)
    model = ThreadListModel(store)
    model.set_query(ThreadQuery())
    gc.collect()
    before = len(gc.get_objects())
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == PAGE_SIZE * 10
    assert model.thread_at(PAGE_SIZE * 5).reasons == ()  # read on demand, not kept
    gc.collect()
    # 2,000 rows kept as tracked objects would add 2,000 or more; a few dozen come and
    # go with whatever else the process is doing (a test before this one, a thread)
    assert len(gc.get_objects()) - before < PAGE_SIZE
