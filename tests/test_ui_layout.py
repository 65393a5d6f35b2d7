"""The window holds its layout: panes stay put, nothing is clipped, it fits 1024×700.

The app's own window (build_window) over the demo shop, offscreen. Issue 21,
items 1 and 10.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QApplication

from app.main import build_window
from app.storage.inbox_store import SqliteInboxStore
from tests.fixtures.ui import OFFSCREEN_NOISE
from tests.ui_layout_support import app_look, clipped_widgets, pane_rects

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"), pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]


@pytest.fixture(autouse=True)
def styled(qapp):
    """Measured in the app's own look (Fusion, its font and stylesheet)."""
    with app_look(qapp):
        yield


@pytest.fixture
def app_window(qtbot, ui_paths):
    store = SqliteInboxStore.open(ui_paths.database)
    window = build_window(ui_paths, store=store, demo=True, synchronous=True)
    qtbot.addWidget(window)
    yield window
    window.runner.shutdown()
    store.close()


def show_at(qtbot, window, width, height):
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.width() == width and window.height() == height)
    QApplication.processEvents()


def all_loaded(window):
    model = window.thread_model
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    return model.rowCount()


@pytest.mark.parametrize("size", [(1024, 700), (1440, 900)])
def test_panes_do_not_move_when_another_conversation_opens(qtbot, app_window, size):
    window = app_window
    show_at(qtbot, window, *size)
    window.select_row(0)
    QApplication.processEvents()
    before = pane_rects(window)
    for row in range(min(all_loaded(window), 16)):  # long and short names and headers
        window.select_row(row)
        qtbot.waitUntil(
            lambda r=row: (
                window.conversation_pane.current_thread is not None
                and window.conversation_pane.current_thread.id == window.current_thread().id
            )
        )
        QApplication.processEvents()
        assert pane_rects(window) == before, f"a pane moved when row {row} opened"


def test_the_window_fits_1024_by_700_with_nothing_clipped(qtbot, app_window):
    window = app_window
    assert window.minimumSizeHint().width() <= 1024
    assert window.minimumSizeHint().height() <= 700
    show_at(qtbot, window, 1024, 700)
    assert window.width() == 1024
    for row in range(6):
        window.select_row(row)
        QApplication.processEvents()
        assert clipped_widgets(window, meant_to_elide=(window.filter_bar.account,)) == []
    view = window.thread_view
    assert not view.horizontalScrollBar().isVisible()
    rect = view.visualRect(window.thread_model.index(0))
    assert rect.right() < view.viewport().width()  # the age at the row's right end shows


def test_the_filters_show_their_whole_words_at_the_narrowest_window(qtbot, app_window):
    window = app_window
    show_at(qtbot, window, window.minimumSizeHint().width(), 700)
    bar = window.filter_bar
    for combo in (bar.network, bar.sentiment, bar.status, bar.date):
        for i in range(combo.count()):
            combo.setCurrentIndex(i)
            QApplication.processEvents()
            text = combo.currentText()
            assert combo.fontMetrics().horizontalAdvance(text) < combo.width() - 20, text
        combo.setCurrentIndex(0)
