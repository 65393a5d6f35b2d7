"""A conversation read as the pane draws it: its row, its posts and the shop's replies
still in the outbox. Read again after a reply is queued, after a sync changed the open
thread and after a merge; each runs it on a worker. No Qt here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.core.models import OutboxItem, StoredPost, ThreadRow

if TYPE_CHECKING:  # the window imports this at start-up; the ports bring more modules
    from app.ui.ports import OpenThreadStore

Conversation = tuple[ThreadRow, list[StoredPost], list[OutboxItem]]


def read_conversation(
    store: OpenThreadStore, thread_id: int, row: ThreadRow | None = None
) -> Conversation | None:
    """`row`: the thread's row when the caller has it already. None: the thread is gone."""
    row = row or store.thread(thread_id)
    if row is None:
        return None
    return row, store.thread_posts(thread_id), store.outbox_items(thread_id=thread_id)
