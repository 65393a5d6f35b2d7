"""What the user does to a thread: mark it read / unread, change its status, correct a label.

Each runs inside the transaction the store opens.
"""

from __future__ import annotations

from datetime import datetime

from app.core import models as m
from app.storage import tables as t
from app.storage.aggregates import recompute_thread

S = m.ThreadStatus


def mark_read(thread_id: int) -> None:
    t.Post.update(read=True).where((t.Post.thread == thread_id) & ~t.Post.read).execute()
    t.Thread.update(unread_count=0).where(t.Thread.id == thread_id).execute()


def mark_unread(thread_id: int) -> None:
    """Mark the latest customer post unread again."""
    latest = (
        t.Post.select(t.Post.id)
        .where((t.Post.thread == thread_id) & ~t.Post.is_own & ~t.Post.deleted)
        .order_by(t.Post.created_at.desc(), t.Post.id.desc())
        .first()
    )
    if latest is not None:
        t.Post.update(read=False).where(t.Post.id == latest.id).execute()
        recompute_thread(thread_id)


def set_status(
    thread_id: int, status: m.ThreadStatus, snoozed_until: datetime | None
) -> m.ThreadStatus:
    """Change a thread's status; returns the previous one."""
    row = t.Thread.get_by_id(thread_id)
    previous = m.ThreadStatus(row.status)
    t.Thread.update(
        status=status.value,
        snoozed_until=snoozed_until if status == S.SNOOZED else None,
    ).where(t.Thread.id == thread_id).execute()
    return previous


def correct_label(post_id: int, label: m.SentimentLabel | None) -> m.SentimentLabel | None:
    """Set (None: clear) the user's label on a post; returns the previous one."""
    row = t.Post.get_by_id(post_id)
    previous = m.SentimentLabel(row.corrected_label) if row.corrected_label else None
    value = label.value if label is not None else None
    t.Post.update(corrected_label=value).where(t.Post.id == post_id).execute()
    recompute_thread(row.thread_id)
    return previous
