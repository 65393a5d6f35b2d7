"""After Send, the open conversation shows the reply at once (issue 21 item 4); it says
"Reply waiting" until the reply is on the server, then Replied (issue 19 item 16).

The header said "1 post · Needs reply" while the row said "Replied · 2 posts", and
the reply was missing, until another conversation was opened and this one again.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt

from app.core import sentiment
from app.core.models import Author, Post, ThreadStatus
from tests.fixtures.ui import OFFSCREEN_NOISE

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"), pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]


def test_the_open_conversation_shows_the_reply_the_moment_it_is_queued(qtbot, answer_window):
    row = answer_window.open(lambda r: r.post_count == 1 and r.status is ThreadStatus.NEEDS_REPLY)
    pane = answer_window.window.conversation_pane
    composer = answer_window.pane.composer
    assert "1 post · Needs reply" in pane.subtitle.full_text()
    composer.editor.setPlainText("Thanks, Jess! See you at the weekend.")
    composer.editor.setFocus()
    qtbot.keyClick(composer.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    assert "2 posts · Needs reply · Reply waiting" in pane.subtitle.full_text()
    text = pane.view.toPlainText()
    assert "Thanks, Jess! See you at the weekend." in text and "Queued" in text

    # The sender delivers it: the server's post replaces the queued one, still shown.
    store = answer_window.store
    item = store.outbox_items(thread_id=row.id)[-1]
    account = next(a for a in store.accounts() if a.id == row.account_id)
    store.mark_sending(item.id)
    posted = Post(
        network=row.network,
        remote_id="sent-1",
        author=Author(row.network, account.remote_id, account.handle, account.display_name),
        text=item.text,
        created_at=datetime.now(UTC),
        parent_remote_id=item.parent_remote_id,
    )
    store.mark_sent(item.id, "sent-1", "https://toot.example/@juniperrye/sent-1")
    store.ingest(account.id, [posted], sentiment.score)
    composer.refresh_outbox()
    text = pane.view.toPlainText()
    assert text.count("Thanks, Jess! See you at the weekend.") == 1
    assert "Queued" not in text
    assert "2 posts · Replied" in pane.subtitle.full_text()


def test_a_conversation_with_a_reply_waiting_opens_with_the_reply_already_in_it(
    qtbot, main_window, ui_store
):
    """The owner queued a reply offline, looked elsewhere and came back: the reply is in
    the conversation as it opens, not drawn in a moment later by a second read."""
    model = main_window.thread_model
    target = next(
        i for i, r in enumerate(model.loaded_rows()) if r.status is ThreadStatus.NEEDS_REPLY
    )
    row = model.thread_at(target)
    customer = [p for p in ui_store.thread_posts(row.id) if not p.is_own][-1]
    ui_store.enqueue_reply(row.id, customer.post.remote_id, "A new loaf is on its way.", "k-1")
    main_window.select_row(0 if target else 1)

    seen: list[str] = []
    main_window.thread_opened.connect(
        lambda _id: seen.append(main_window.conversation_pane.view.toPlainText())
    )
    with qtbot.waitSignal(main_window.thread_opened):
        main_window.select_row(target)
    assert "A new loaf is on its way." in seen[-1] and "Queued" in seen[-1]
    assert "Reply waiting" in main_window.conversation_pane.subtitle.full_text()
