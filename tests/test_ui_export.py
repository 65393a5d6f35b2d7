"""File → Export…: the current list (or everything) to CSV/JSON, with progress and cancel.

The app's own window over the demo shop; the export runs on a pool thread of a
threaded task runner, as in the app."""

from __future__ import annotations

import csv
import json
import threading

import pytest
from PySide6.QtCore import QCoreApplication, Qt

from app.core.models import SentimentLabel
from app.main import build_window
from app.storage.inbox_store import SqliteInboxStore
from app.ui.export_dialog import ExportDialog
from tests.fixtures.ui import OFFSCREEN_NOISE
from tests.ui_sync_support import all_rows

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"), pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]


@pytest.fixture
def demo_window(qtbot, ui_paths):
    store = SqliteInboxStore.open(ui_paths.database)
    window = build_window(ui_paths, store=store, demo=True)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    assert window.runner.wait_idle(3000)
    QCoreApplication.processEvents()  # start-up's results are shown before the test looks
    yield window
    window.runner.shutdown()
    store.close()


def open_export(qtbot, window) -> ExportDialog:
    assert window.export_action in window.menus["file"].actions()
    window.export_action.trigger()
    dialog = window.export_dialog
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_export_writes_a_csv_of_the_current_list(qtbot, demo_window, tmp_path):
    window = demo_window
    bar = window.filter_bar
    bar.sentiment.setCurrentIndex(bar.sentiment.findData(SentimentLabel.NEGATIVE))
    shown = {r.id for r in all_rows(window)}
    assert 1 < len(shown) < window.store.count_threads(type(window.query)())

    dialog = open_export(qtbot, window)
    assert f"({len(shown)} conversations shown)" in dialog.current.text()
    target = tmp_path / "complaints.csv"
    dialog.path.setText(str(target))
    progress = []
    dialog._relay.progressed.connect(progress.append)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.export_result is not None, timeout=10_000)

    assert not dialog.export_result.cancelled and dialog.export_result.threads == len(shown)
    rows = read_csv(target)
    assert {int(r["thread_id"]) for r in rows} == shown
    assert len(rows) == dialog.export_result.posts
    assert progress and progress[-1] == (len(shown), len(shown))
    assert "Saved" in dialog.message.text() and dialog.export_button.isEnabled()
    assert dialog.cancel_button.text() == "Close"
    dialog.reject()


def test_export_everything_as_json(qtbot, demo_window, tmp_path):
    window = demo_window
    window.filter_bar.sentiment.setCurrentIndex(2)  # the current list is narrower...
    dialog = open_export(qtbot, window)
    dialog.everything.setChecked(True)  # ...but the owner asks for everything
    dialog.json.setChecked(True)
    assert dialog.path.text().endswith(".json")
    target = tmp_path / "all.json"
    dialog.path.setText(str(target))
    dialog.start()
    qtbot.waitUntil(lambda: dialog.export_result is not None, timeout=10_000)
    data = json.loads(target.read_text(encoding="utf-8"))
    assert dialog.export_result.threads == window.store.count_threads(type(window.query)())
    assert (
        data["format"] == "shopkeep-export" and len(data["threads"]) == dialog.export_result.threads
    )
    dialog.reject()


def test_cancel_stops_the_export_and_writes_no_file(qtbot, demo_window, tmp_path):
    window = demo_window
    gate = threading.Event()
    real = window.store.thread_posts

    def slow_thread_posts(thread_id):
        gate.wait(5)  # the export waits here until the test pressed Cancel
        return real(thread_id)

    dialog = open_export(qtbot, window)
    dialog.store = type("Slow", (), {})()  # the dialog's store: the real one, but slow
    for name in ("accounts", "list_threads", "count_threads", "outbox_items", "contact_for_post"):
        setattr(dialog.store, name, getattr(window.store, name))
    dialog.store.thread_posts = slow_thread_posts
    target = tmp_path / "never.csv"
    dialog.path.setText(str(target))
    dialog.start()
    assert dialog.cancel_button.text() == "Cancel" and not dialog.export_button.isEnabled()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    gate.set()
    qtbot.waitUntil(lambda: dialog.export_result is not None, timeout=10_000)
    assert dialog.export_result.cancelled
    assert not target.exists() and list(tmp_path.glob(".never.csv*")) == []
    assert "cancelled" in dialog.message.text()
    dialog.reject()


def test_the_dialog_groups_its_choices_and_forgets_an_old_result(qtbot, demo_window, tmp_path):
    """Issue 21: "What" and "Format" read as one group of four; the last result stayed
    on screen after changing the format; the default folder might not exist."""
    from PySide6.QtWidgets import QGroupBox

    dialog = open_export(qtbot, demo_window)
    groups = {g.title(): g for g in dialog.findChildren(QGroupBox)}
    assert set(groups) == {"What", "Format"}
    assert dialog.current.parent() is groups["What"] and dialog.json.parent() is groups["Format"]
    from pathlib import Path

    assert Path(dialog.path.text()).parent.is_dir()  # an existing folder by default

    dialog.path.setText(str(tmp_path / "list.csv"))
    dialog.start()
    qtbot.waitUntil(lambda: dialog.export_result is not None, timeout=10_000)
    assert "Saved" in dialog.message.text()
    dialog.json.setChecked(True)
    assert dialog.message.text() == "" and dialog.export_result is None
    assert dialog.path.text().endswith("list.json")
    dialog.reject()
