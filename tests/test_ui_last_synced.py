""" "Last synced 2 min ago" per account in the status bar (issue 22): set when a sync of
that account finishes well, and re-said as time passes while the window stays open."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.ui.chrome import SYNCED_TICK_MS, synced_words
from tests.mastodon_server import MastodonServer
from tests.ui_sync_support import add_mentions, connect_account, open_window, wait_sync_done


@pytest.fixture
def cafe_server():
    server = MastodonServer(domain="cafe.test").start()
    try:
        yield server
    finally:
        server.stop()


class Clock:
    """The status bar's idea of now, moved by the test instead of waited for."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


def test_each_account_says_when_it_last_synced_and_the_age_moves_on(
    qtbot, ui_paths, app_store, keychain, mastodon_server, cafe_server
):
    shop = connect_account(app_store, keychain, mastodon_server)
    cafe = connect_account(app_store, keychain, cafe_server)
    add_mentions(mastodon_server, 2)
    add_mentions(cafe_server, 2)
    cafe_server.tokens.pop(cafe_server.token)  # the cafe's sync fails: no "Last synced"
    window = open_window(qtbot, ui_paths, app_store, keychain)
    status = window.status
    assert "Last synced" not in status.labels_by_account[shop.id].text()

    window.sync_action.trigger()
    wait_sync_done(qtbot, window)
    qtbot.waitUntil(lambda: "Last synced" in status.labels_by_account[shop.id].text())
    synced_at = window.scheduler.last_reports[shop.id].finished_at
    clock = Clock()
    status.clock = clock
    clock.now = synced_at + timedelta(minutes=2, seconds=10)
    status.synced_timer.timeout.emit()  # what the timer does every half minute
    assert status.labels_by_account[shop.id].text().endswith("· Last synced 2 min ago")
    assert "Last synced" not in status.labels_by_account[cafe.id].text()
    assert status.synced_timer.isActive() and status.synced_timer.interval() == SYNCED_TICK_MS

    clock.now = synced_at + timedelta(hours=3, minutes=1)
    status.synced_timer.timeout.emit()
    assert status.labels_by_account[shop.id].text().endswith("· Last synced 3 h ago")
    assert (
        status.labels_by_account[shop.id].accessibleName()
        == status.labels_by_account[shop.id].text()
    )


def test_the_words_for_how_long_ago():
    then = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
    assert synced_words(then, then + timedelta(seconds=20)) == "Last synced just now"
    assert synced_words(then, then + timedelta(minutes=2, seconds=59)) == "Last synced 2 min ago"
    assert synced_words(then, then + timedelta(hours=5)) == "Last synced 5 h ago"
    assert synced_words(then, then + timedelta(days=2, hours=1)) == "Last synced 2 d ago"
    assert synced_words(then, then - timedelta(minutes=1)) == "Last synced just now"
