"""Offline and back: the Offline mark, saved threads still readable and answerable, the
reply waiting in the outbox, and, when the server returns, the reply sent exactly once
and the sync resuming by itself. The real window, a threaded runner, a local server."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, Qt

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


@pytest.fixture
def synced(qtbot, ui_paths, app_store, keychain, mastodon_server):
    """A window whose account has synced three mentions; probes every 0.2-0.4 s."""
    connect_account(app_store, keychain, mastodon_server)
    add_mentions(mastodon_server, 3)
    window = open_window(qtbot, ui_paths, app_store, keychain)
    window.scheduler.probe_delays = (0.2, 0.4)
    window.sync_action.trigger()
    wait_sync_done(qtbot, window)
    assert window.thread_model.rowCount() == 3
    return window


def reply_from_composer(qtbot, window, text):
    """Open the first thread and send `text` with Ctrl+Enter, as the owner would."""
    window.select_row(0)
    composer = window.answer_pane.composer
    qtbot.waitUntil(lambda: composer.current_thread is not None and composer.target is not None)
    row = composer.current_thread
    composer.editor.setPlainText(text)
    composer.editor.setFocus()
    qtbot.keyClick(composer.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    return row


def test_offline_mark_reply_waits_then_goes_exactly_once(qtbot, synced, app_store, mastodon_server):
    window = synced
    offline_marks = []
    window.scheduler.offline_changed.connect(offline_marks.append)
    mastodon_server.go_offline()
    window.sync_action.trigger()
    qtbot.waitUntil(lambda: window.status.offline_label.isVisible(), timeout=10_000)
    assert offline_marks == [True]
    assert "Offline" in window.status.offline_label.text()

    # Everything already synced is still there and can be read and answered.
    assert window.thread_model.rowCount() == 3
    row = reply_from_composer(qtbot, window, "Thank you, see you on Saturday!")
    qtbot.waitUntil(lambda: len(app_store.outbox_items(thread_id=row.id)) == 1)
    conversation = window.conversation_pane
    assert conversation.current_thread is not None and conversation.current_thread.id == row.id
    item = app_store.outbox_items(thread_id=row.id)[0]
    assert window.runner.wait_idle(10_000)  # send_now ran: offline, so the reply waits
    QCoreApplication.processEvents()
    assert app_store.outbox_item(item.id).state is OutboxState.QUEUED
    assert mastodon_server.posted == []
    assert window.status.offline_label.isVisible()

    mastodon_server.come_back()  # the probe finds the server, sends the reply, resyncs
    qtbot.waitUntil(lambda: not window.status.offline_label.isVisible(), timeout=10_000)
    qtbot.waitUntil(
        lambda: app_store.outbox_item(item.id).state is OutboxState.SENT, timeout=10_000
    )
    wait_sync_done(qtbot, window)
    assert offline_marks == [True, False]
    assert len(mastodon_server.posted) == 1
    assert "see you on Saturday" in mastodon_server.posted[0]["content"]

    # More syncs never send it again; the thread shows as replied without a reset.
    resets = []
    window.thread_model.modelReset.connect(lambda: resets.append(1))
    window.sync_action.trigger()
    wait_sync_done(qtbot, window)
    assert len(mastodon_server.posted) == 1
    assert resets == []
    replied = next(r for r in all_rows(window) if r.id == row.id)
    assert replied.status is ThreadStatus.REPLIED


def test_online_a_queued_reply_goes_out_at_once(qtbot, synced, app_store, mastodon_server):
    window = synced
    row = reply_from_composer(qtbot, window, "Yes, we open at eight tomorrow.")
    qtbot.waitUntil(lambda: len(mastodon_server.posted) == 1, timeout=10_000)  # no F5
    item = app_store.outbox_items(thread_id=row.id)[0]
    qtbot.waitUntil(lambda: app_store.outbox_item(item.id).state is OutboxState.SENT)
    assert not window.scheduler.is_busy()  # send_now did not need a whole sync
    assert window.runner.wait_idle(3000)
    QCoreApplication.processEvents()  # the send's results reach the window before it closes


def test_probes_back_off_while_the_server_stays_away(qtbot, synced, mastodon_server):
    window = synced
    scheduler = window.scheduler
    scheduler.probe_delays = (0.1, 0.2, 0.3)
    mastodon_server.go_offline()
    window.sync_action.trigger()
    qtbot.waitUntil(lambda: scheduler.offline, timeout=10_000)
    before = len(mastodon_server.requests)
    intervals = []
    scheduler._probe_timer.timeout.connect(
        lambda: intervals.append(scheduler._probe_timer.interval())
    )
    qtbot.waitUntil(lambda: len(intervals) >= 3, timeout=10_000)
    assert intervals[:3] == [100, 200, 300]  # a growing interval, capped
    assert len(mastodon_server.requests) == before  # nothing reached the server (it is down)
    assert window.status.offline_label.isVisible()
    mastodon_server.come_back()
    qtbot.waitUntil(lambda: not scheduler.offline, timeout=10_000)
    wait_sync_done(qtbot, window)
