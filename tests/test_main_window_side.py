"""The side pane while a sync streams in: one count read at a time, the latest counts shown.

A sync asks for the side pane after every batch it stores (four times a second).
Each read counts every folder off the GUI thread and repaints the side pane when it
lands; asks made while a read is on its way are folded into one more read.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest

from app.core.models import Folder, ThreadStatus
from app.core.ports import ThreadQuery
from app.ui.folder_model import FolderRoles
from app.ui.main_window import MainWindow
from app.ui.task_runner import TaskRunner
from tests.fixtures.ui import OFFSCREEN_NOISE

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"), pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]


class SlowCounts:
    """The real store, whose folder counts wait at a gate (a read on its way)."""

    def __init__(self, store: Any) -> None:
        self._store = store
        self.gate = threading.Event()
        self.gate.set()
        self.reads = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def folder_counts(self) -> dict[Folder, int]:
        self.reads += 1
        assert self.gate.wait(10)
        return self._store.folder_counts()


def test_side_pane_asks_during_a_read_become_one_more_read_with_the_latest_counts(qtbot, ui_store):
    store = SlowCounts(ui_store)
    runner = TaskRunner(max_threads=4)
    window = MainWindow(store, runner)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.start()
    qtbot.waitUntil(lambda: not runner.is_busy())
    store.reads = 0

    store.gate.clear()  # the next read is slow
    window.refresh_side()
    thread = ui_store.list_threads(ThreadQuery(folder=Folder.NEEDS_REPLY), 0, 1)[0]
    for _batch in range(5):  # a sync stores batches meanwhile, each asking again
        window.refresh_side()
    ui_store.set_status(thread.id, ThreadStatus.DONE)  # the last batch changed a count
    window.refresh_side()
    store.gate.set()
    qtbot.waitUntil(lambda: not runner.is_busy() and store.reads == 2)

    def shown(folder: Folder) -> int:
        model = window.folder_model
        return model.index(model.row_of_folder(folder)).data(FolderRoles.CountRole)

    assert shown(Folder.DONE) == ui_store.folder_counts()[Folder.DONE]
    assert shown(Folder.NEEDS_REPLY) == ui_store.folder_counts()[Folder.NEEDS_REPLY]
    qtbot.waitUntil(lambda: not runner.is_busy())
    assert store.reads == 2
    runner.shutdown()
