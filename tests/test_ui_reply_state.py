"""In the window: a reply not yet on the server keeps its conversation in Needs reply,
and the row says "Reply waiting", then "Reply failed" when it could not go out."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.core.models import OutboxState, ThreadStatus
from tests.fixtures.ui import OFFSCREEN_NOISE
from tests.ui_sync_support import (
    add_mentions,
    all_rows,
    connect_account,
    open_window,
    wait_sync_done,
)

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"), pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]


def test_a_reply_that_fails_shows_reply_failed_and_stays_in_needs_reply(
    qtbot, ui_paths, app_store, keychain, mastodon_server
):
    connect_account(app_store, keychain, mastodon_server)
    add_mentions(mastodon_server, 2)
    window = open_window(qtbot, ui_paths, app_store, keychain)
    window.sync_action.trigger()
    wait_sync_done(qtbot, window)
    mastodon_server.tokens.pop(mastodon_server.token)  # signed out on the server

    window.select_row(0)
    composer = window.answer_pane.composer
    qtbot.waitUntil(lambda: composer.current_thread is not None and composer.target is not None)
    thread_id = composer.current_thread.id
    composer.editor.setPlainText("So sorry, a new one is on its way.")
    composer.editor.setFocus()
    qtbot.keyClick(composer.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    def row():
        return next(r for r in all_rows(window) if r.id == thread_id)

    def failed() -> bool:
        items = app_store.outbox_items(thread_id=thread_id)
        return bool(items) and items[0].state is OutboxState.FAILED

    qtbot.waitUntil(failed, timeout=10_000)
    qtbot.waitUntil(lambda: row().reply_state == "failed", timeout=10_000)
    assert row().status is ThreadStatus.NEEDS_REPLY
    index = window.thread_model.index(window.thread_model.row_for_id(thread_id), 0)
    spoken = index.data(Qt.ItemDataRole.AccessibleTextRole)
    assert "Reply failed" in spoken and "Needs reply" in spoken
