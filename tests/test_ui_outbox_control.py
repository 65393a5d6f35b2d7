"""The owner controls the outbox: a reply can be undone for a few seconds after Send,
edited or cancelled while it waits, and deleted from the server once sent. The
Outbox row and the conversation say why a reply has not gone out.

Against the local Mastodon-API server, in the app's own window.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton

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

SORRY = "So sorry, a new one is on its way."


def shop_posts(server: Any) -> list[dict[str, Any]]:
    with server.lock:
        return [s for s in server.statuses.values() if s["account"]["username"] == "shop"]


def ready_window(
    qtbot: Any, ui_paths: Any, app_store: Any, keychain: Any, server: Any, **kwargs: Any
) -> Any:
    connect_account(app_store, keychain, server)
    add_mentions(server, 2)
    window = open_window(qtbot, ui_paths, app_store, keychain, **kwargs)
    window.sync_action.trigger()
    wait_sync_done(qtbot, window)
    window.select_row(0)
    composer = window.answer_pane.composer
    qtbot.waitUntil(lambda: composer.current_thread is not None and composer.target is not None)
    qtbot.waitUntil(lambda: composer.account is not None)
    return window


def send(qtbot: Any, composer: Any, text: str = SORRY) -> None:
    composer.editor.setPlainText(text)
    composer.editor.setFocus()
    qtbot.keyClick(composer.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def confirm(qtbot: Any, parent: Any, button_text: str) -> str:
    """Press `button_text` in the confirmation that opened; returns the question asked."""

    def box() -> QMessageBox | None:
        found = [b for b in parent.findChildren(QMessageBox, "confirmBox") if b.isVisible()]
        return found[0] if found else None

    qtbot.waitUntil(lambda: box() is not None)
    question = box()
    assert question is not None
    said = f"{question.text()} {question.informativeText()} {question.windowTitle()}"
    button = next(b for b in question.findChildren(QPushButton) if b.text() == button_text)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    return said


def test_undo_send_keeps_the_reply_off_the_server_and_puts_it_back_in_the_editor(
    qtbot, ui_paths, app_store, keychain, mastodon_server
):
    window = ready_window(
        qtbot, ui_paths, app_store, keychain, mastodon_server, undo_send_seconds=120
    )
    composer = window.answer_pane.composer
    thread_id = composer.current_thread.id
    send(qtbot, composer)

    qtbot.waitUntil(lambda: composer.outbox.undo.isVisible())
    assert "Sending in" in composer.outbox.state_text
    window.scheduler.send_now()  # a sender runs inside the window: it must leave it alone
    qtbot.waitUntil(lambda: not window.scheduler.is_busy() and not window.runner.is_busy())
    assert shop_posts(mastodon_server) == []
    [item] = app_store.outbox_items(thread_id=thread_id)
    assert item.state is OutboxState.QUEUED

    qtbot.mouseClick(composer.outbox.undo, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: composer.editor.toPlainText() == SORRY)
    assert composer.editor.hasFocus()  # ready to change the words at once
    qtbot.waitUntil(lambda: app_store.outbox_items(thread_id=thread_id) == [])
    window.scheduler.send_now()
    qtbot.waitUntil(lambda: not window.scheduler.is_busy() and not window.runner.is_busy())
    assert shop_posts(mastodon_server) == []
    assert app_store.thread(thread_id).status is ThreadStatus.NEEDS_REPLY
    qtbot.waitUntil(lambda: app_store.get_draft(thread_id) is not None)  # the words are safe
    assert app_store.get_draft(thread_id).text == SORRY


def test_after_the_undo_window_the_reply_goes_out_by_itself(
    qtbot, ui_paths, app_store, keychain, mastodon_server
):
    window = ready_window(
        qtbot, ui_paths, app_store, keychain, mastodon_server, undo_send_seconds=1
    )
    composer = window.answer_pane.composer
    thread_id = composer.current_thread.id
    send(qtbot, composer)

    qtbot.waitUntil(lambda: len(shop_posts(mastodon_server)) == 1, timeout=20_000)
    qtbot.waitUntil(lambda: app_store.thread(thread_id).status is ThreadStatus.REPLIED)
    assert SORRY in shop_posts(mastodon_server)[0]["content"]


def test_a_failed_reply_says_why_on_its_row_and_can_be_edited_or_cancelled(
    qtbot, ui_paths, app_store, keychain, mastodon_server
):
    window = ready_window(qtbot, ui_paths, app_store, keychain, mastodon_server)
    mastodon_server.tokens.pop(mastodon_server.token)  # signed out on the server
    composer = window.answer_pane.composer
    thread_id = composer.current_thread.id

    def row() -> Any:
        return next(r for r in all_rows(window) if r.id == thread_id)

    def failed() -> bool:
        items = app_store.outbox_items(thread_id=thread_id)
        return bool(items) and items[0].state is OutboxState.FAILED

    send(qtbot, composer)
    qtbot.waitUntil(failed, timeout=10_000)
    reason = app_store.outbox_items(thread_id=thread_id)[0].last_error
    assert reason
    qtbot.waitUntil(lambda: row().reply_reason == reason, timeout=10_000)
    index = window.thread_model.index(window.thread_model.row_for_id(thread_id), 0)
    assert reason in index.data(Qt.ItemDataRole.AccessibleTextRole)
    qtbot.waitUntil(lambda: composer.outbox.edit.isVisible())
    view = window.answer_pane.pane.view
    qtbot.waitUntil(lambda: f"Not sent: {reason}" in view.toPlainText())  # the conversation too

    qtbot.mouseClick(composer.outbox.edit, Qt.MouseButton.LeftButton)  # Edit: back to the editor
    qtbot.waitUntil(lambda: composer.editor.toPlainText() == SORRY)
    qtbot.waitUntil(lambda: app_store.outbox_items(thread_id=thread_id) == [])

    send(qtbot, composer, SORRY + " Really.")
    qtbot.waitUntil(failed, timeout=10_000)
    qtbot.waitUntil(lambda: composer.outbox.cancel.isVisible())
    qtbot.mouseClick(composer.outbox.cancel, Qt.MouseButton.LeftButton)
    said = confirm(qtbot, composer, "Cancel reply")
    assert "will not be sent" in said
    qtbot.waitUntil(lambda: app_store.outbox_items(thread_id=thread_id) == [])
    qtbot.waitUntil(lambda: row().reply_state == "" and row().reply_reason == "")
    assert composer.editor.toPlainText() == ""
    assert shop_posts(mastodon_server) == []


def test_keep_it_in_the_cancel_question_keeps_the_reply(
    qtbot, ui_paths, app_store, keychain, mastodon_server
):
    window = ready_window(qtbot, ui_paths, app_store, keychain, mastodon_server)
    mastodon_server.tokens.pop(mastodon_server.token)
    composer = window.answer_pane.composer
    thread_id = composer.current_thread.id
    send(qtbot, composer)
    qtbot.waitUntil(lambda: composer.outbox.cancel.isVisible(), timeout=10_000)
    qtbot.mouseClick(composer.outbox.cancel, Qt.MouseButton.LeftButton)
    confirm(qtbot, composer, "Keep it")
    assert window.runner.wait_idle(5000)
    assert len(app_store.outbox_items(thread_id=thread_id)) == 1


def test_a_sent_reply_is_deleted_from_the_server_after_a_confirmation(
    qtbot, ui_paths, app_store, keychain, mastodon_server
):
    window = ready_window(qtbot, ui_paths, app_store, keychain, mastodon_server)
    composer = window.answer_pane.composer
    thread_id = composer.current_thread.id
    send(qtbot, composer)
    qtbot.waitUntil(lambda: len(shop_posts(mastodon_server)) == 1, timeout=10_000)
    remote_id = shop_posts(mastodon_server)[0]["id"]
    qtbot.waitUntil(lambda: app_store.thread(thread_id).status is ThreadStatus.REPLIED)
    qtbot.waitUntil(lambda: composer.outbox.delete.isVisible(), timeout=10_000)

    qtbot.mouseClick(composer.outbox.delete, Qt.MouseButton.LeftButton)
    said = confirm(qtbot, composer, "Delete from server")
    assert "Mastodon" in said and "cannot be undone" in said
    qtbot.waitUntil(lambda: shop_posts(mastodon_server) == [], timeout=10_000)
    qtbot.waitUntil(lambda: "Deleted from Mastodon" in composer.outbox.state_text)
    assert not composer.outbox.delete.isVisible()
    stored = [p for p in app_store.thread_posts(thread_id) if p.post.remote_id == remote_id]
    assert stored and stored[0].post.deleted
    assert app_store.thread(thread_id).status is ThreadStatus.NEEDS_REPLY  # no reply left
    view = window.answer_pane.pane.view
    qtbot.waitUntil(lambda: "Your reply was deleted from the server." in view.toPlainText())
