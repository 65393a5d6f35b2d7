"""Thread aggregates: the list-row columns of a thread, rebuilt from its posts.

The thread list reads only the thread row (count, unread, snippet, worst
sentiment, last activity), so every write that changes a thread's posts calls
`recompute_thread` inside its transaction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.core import models as m
from app.storage import tables as t
from app.storage.convert import label_rank

SNIPPET_CHARS = 200
_SPACES = re.compile(r"\s+")


def snippet_of(text: str, content_warning: str = "") -> str:
    """One line for the thread list; a content warning hides the text there too."""
    source = f"CW: {content_warning}" if content_warning else text
    return _SPACES.sub(" ", source).strip()[:SNIPPET_CHARS]


def recompute_thread(thread_id: int) -> None:
    """Rebuild one thread's list-row aggregates from its posts."""
    rows = list(
        t.Post.select(
            t.Post.id,
            t.Post.text,
            t.Post.content_warning,
            t.Post.created_at,
            t.Post.is_own,
            t.Post.deleted,
            t.Post.read,
            t.Post.label,
            t.Post.corrected_label,
            t.Post.compound,
            t.Post.reasons,
            t.Post.author_handle,
            t.Post.author_name,
        )
        .where(t.Post.thread == thread_id)
        .order_by(t.Post.created_at, t.Post.id)
    )
    if not rows:
        return
    live = [r for r in rows if not r.deleted]
    customers = [r for r in live if not r.is_own]
    own = [r for r in live if r.is_own]
    latest = customers[-1] if customers else (live[-1] if live else rows[-1])
    values: dict[str, object] = {
        "post_count": len(live),
        "last_activity": (live or rows)[-1].created_at,
        "unread_count": sum(1 for r in customers if not r.read),
        "snippet": "" if latest.deleted else snippet_of(latest.text, latest.content_warning),
        "author_handle": latest.author_handle,
        "author_name": latest.author_name,
        "last_customer_at": customers[-1].created_at if customers else None,
        "last_own_at": own[-1].created_at if own else None,
    }
    if customers:
        worst = min(customers, key=lambda r: (label_rank(_label(r)), r.compound))
        values.update(
            worst_label=_label(worst),
            worst_rank=label_rank(_label(worst)),
            worst_compound=worst.compound,
            worst_reasons=list(worst.reasons or ()),
        )
    else:
        values.update(
            worst_label=m.SentimentLabel.NEUTRAL.value,
            worst_rank=label_rank(m.SentimentLabel.NEUTRAL),
            worst_compound=0.0,
            worst_reasons=[],
        )
    t.Thread.update(**values).where(t.Thread.id == thread_id).execute()


def _label(row: t.Post) -> str:
    return str(row.corrected_label or row.label)


def recompute_threads(thread_ids: Iterable[int]) -> None:
    for thread_id in thread_ids:
        recompute_thread(thread_id)
