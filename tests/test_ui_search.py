"""The search box and the filter bar narrow the thread list (FTS5 and SQL in the store).

The app's own window (build_window) over the demo shop in a temp data folder."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from app.core.models import Network, SentimentLabel, ThreadStatus
from app.main import build_window
from app.storage.inbox_store import SqliteInboxStore
from tests.fixtures.ui import OFFSCREEN_NOISE
from tests.ui_sync_support import all_rows

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"), pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]


@pytest.fixture
def demo_window(qtbot, ui_paths):
    store = SqliteInboxStore.open(ui_paths.database)
    window = build_window(ui_paths, store=store, demo=True, synchronous=True)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.runner.shutdown()
    store.close()


def search(qtbot, window, text):
    window.focus_search()
    window.search_box.clear()
    qtbot.keyClicks(window.search_box, text)
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)


def texts(window, row):
    return " ".join(sp.post.text for sp in window.store.thread_posts(row.id)).lower()


def test_search_box_finds_a_word_in_any_stored_post(qtbot, demo_window):
    window = demo_window
    everything = len(all_rows(window))
    assert everything > 20
    search(qtbot, window, "stollen")
    rows = all_rows(window)
    assert len(rows) == 1 and "stollen" in texts(window, rows[0])

    search(qtbot, window, "refund")  # in replies and mentions alike, any thread
    rows = all_rows(window)
    assert 1 < len(rows) < everything
    assert all("refund" in texts(window, r) for r in rows)

    search(qtbot, window, "zzzznothing")
    assert window.thread_model.rowCount() == 0
    assert "zzzznothing" in window.thread_view.empty_text

    qtbot.keyClick(window.search_box, Qt.Key.Key_Escape)  # Esc clears the search
    assert len(all_rows(window)) == everything


def test_typing_searches_by_itself_after_a_pause(qtbot, demo_window):
    window = demo_window
    window.focus_search()
    qtbot.keyClicks(window.search_box, "cardamom")
    qtbot.waitUntil(lambda: window.query.search == "cardamom", timeout=2000)
    rows = all_rows(window)
    assert rows and all("cardamom" in texts(window, r) for r in rows)


def test_filters_narrow_by_network_sentiment_status_and_date(qtbot, demo_window):
    window = demo_window
    bar = window.filter_bar
    everything = all_rows(window)

    bar.network.setCurrentIndex(bar.network.findData(Network.BLUESKY))
    rows = all_rows(window)
    assert rows and len(rows) < len(everything)
    assert {r.network for r in rows} == {Network.BLUESKY}

    bar.sentiment.setCurrentIndex(bar.sentiment.findData(SentimentLabel.NEGATIVE))
    rows = all_rows(window)
    assert rows and all(
        r.network is Network.BLUESKY and r.worst_label is SentimentLabel.NEGATIVE for r in rows
    )

    bar.network.setCurrentIndex(0)  # any network, still complaints only
    complaints = all_rows(window)
    assert len(complaints) > len(rows)
    assert {r.worst_label for r in complaints} == {SentimentLabel.NEGATIVE}

    bar.status.setCurrentIndex(bar.status.findData(ThreadStatus.NEEDS_REPLY))
    rows = all_rows(window)
    assert all(
        r.status is ThreadStatus.NEEDS_REPLY and r.worst_label is SentimentLabel.NEGATIVE
        for r in rows
    )

    bar.reset()
    assert len(all_rows(window)) == len(everything)

    bar.date.setCurrentIndex(bar.date.findText("Today"))
    recent = all_rows(window)
    newest = max(r.last_activity for r in everything)
    assert all(newest - r.last_activity < timedelta(days=1, minutes=5) for r in recent)
    assert 0 < len(recent) < len(everything)
    assert window.filter_bar.clear.isEnabled()


def test_account_filter_follows_the_side_pane(qtbot, demo_window):
    window = demo_window
    bar = window.filter_bar
    accounts = window.accounts
    assert bar.account.count() == len(accounts) + 1
    bluesky = next(a for a in accounts if a.network is Network.BLUESKY)
    bar.account.setCurrentIndex(bar.account.findData(bluesky.id))
    assert {r.account_id for r in all_rows(window)} == {bluesky.id}
    # Choosing a folder on the left shows every account again, and the combo follows.
    window.folder_view.setCurrentIndex(
        window.folder_model.index(window.folder_model.row_of_folder(window.query.folder))
    )
    row = window.folder_model.row_of_folder(window.query.folder)
    window.folder_view.setCurrentIndex(window.folder_model.index(row + 1))
    window.folder_view.setCurrentIndex(window.folder_model.index(row))
    assert window.query.account_id is None
    assert bar.account.currentIndex() == 0


def test_filters_that_match_nothing_say_so_not_no_mentions_yet(qtbot, demo_window):
    """Issue 21 item 6: with 31 mentions stored, an empty filtered list said
    "No mentions yet. They appear here after the first sync."."""
    window = demo_window
    bar = window.filter_bar
    bar.sentiment.setCurrentIndex(bar.sentiment.findData(SentimentLabel.POSITIVE))
    bar.status.setCurrentIndex(bar.status.findData(ThreadStatus.SNOOZED))
    assert window.thread_model.rowCount() == 0
    assert window.store.count_threads(window.query.__class__()) > 20
    assert "No conversations match these filters" in window.thread_view.empty_text
    assert "first sync" not in window.thread_view.empty_text
    search(qtbot, window, "croissant")
    assert "“croissant” with these filters" in window.thread_view.empty_text
    bar.clear.click()
    search(qtbot, window, "")
    assert window.thread_model.rowCount() > 20
