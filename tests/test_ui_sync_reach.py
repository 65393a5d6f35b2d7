"""The status bar says how far back the inbox reaches, and that older mentions follow."""

from __future__ import annotations

import pytest

from tests.fixtures.ui import OFFSCREEN_NOISE
from tests.ui_sync_support import add_mentions, connect_account, open_window, wait_sync_done

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"), pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]


def test_a_capped_first_sync_says_older_mentions_follow_and_then_they_do(
    qtbot, ui_paths, app_store, keychain, mastodon_server
):
    shop = connect_account(app_store, keychain, mastodon_server)
    add_mentions(mastodon_server, 30)
    window = open_window(qtbot, ui_paths, app_store, keychain)
    window.scheduler.set_max_mentions(20)
    window.sync_action.trigger()
    wait_sync_done(qtbot, window)
    label = window.status.labels_by_account[shop.id]
    assert "Inbox goes back to" in label.text()
    assert "older mentions follow" in label.text()

    window.sync_action.trigger()
    wait_sync_done(qtbot, window)
    count = app_store.db.execute_sql("SELECT count(*) FROM post WHERE is_mention").fetchone()[0]
    assert count == 30  # the older ten came with the second sync
    label = window.status.labels_by_account[shop.id]
    assert "older mentions follow" not in label.text()
    assert "Inbox goes back to" in label.toolTip()
