"""Opening a conversation re-reads it from the server in the background: a reply the
customer wrote without @-mentioning the shop shows while the owner reads the thread."""

from __future__ import annotations

import pytest

from app.core.ports import ThreadQuery
from tests.fixtures.ui import OFFSCREEN_NOISE
from tests.ui_sync_support import connect_account, open_window, wait_sync_done

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"), pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]


def test_opening_a_conversation_brings_what_the_customer_wrote_since(
    qtbot, ui_paths, app_store, keychain, mastodon_server
):
    connect_account(app_store, keychain, mastodon_server)
    ann = mastodon_server.add_account("ann", "town.example", display_name="Ann")
    mention = mastodon_server.add_mention(ann, "Is my cake ready?")
    window = open_window(qtbot, ui_paths, app_store, keychain)
    window.sync_action.trigger()
    wait_sync_done(qtbot, window)
    [row] = app_store.list_threads(ThreadQuery(), 0, 10)

    mastodon_server.add_status(ann, "hello?? still waiting", in_reply_to=mention)  # no @shop
    window.select_row(0)
    pane = window.conversation_pane

    def shown() -> list[str]:
        return [sp.post.text for sp in pane.posts] if pane.current_thread is not None else []

    qtbot.waitUntil(lambda: any("still waiting" in text for text in shown()), timeout=10_000)
    assert pane.current_thread.id == row.id
