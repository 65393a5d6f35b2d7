"""A small, fixed history of four conversations whose report is worked out by hand.

T0 is Wednesday 2024-05-01 09:00 UTC (tests/fixtures/storage.py).
"""

from __future__ import annotations

from typing import Any

from app.core.models import SentimentLabel


def build_history(store: Any, account: Any, make_post: Any, score: Any) -> Any:
    """Four conversations the owner had in early May 2024."""
    posts = [
        # Ann complains twice before one answer: one wait of 40 minutes, a complaint.
        make_post("a1", "the cake was late", author="ann", minutes=0),
        make_post("a2", "still here", author="ann", minutes=10, parent="a1"),
        make_post("a3", "So sorry Ann, on its way", own=True, minutes=40, parent="a2"),
        # Bob thanks the shop; the owner answers the next day: 25 hours.
        make_post("b1", "thanks, lovely bread", author="bob", minutes=60),
        make_post("b2", "Thank you Bob!", own=True, minutes=60 + 25 * 60, parent="b1"),
        # Cat complains and is still waiting; then complains again elsewhere.
        make_post("c1", "awful service", author="cat", minutes=120),
        make_post("d1", "terrible again", author="cat", minutes=180),
        # Dan's neutral question, corrected by the owner to a complaint, answered in 5 min.
        make_post("e1", "where is my order", author="dan", minutes=200),
        make_post("e2", "Checking now, Dan", own=True, minutes=205, parent="e1"),
    ]
    store.ingest(account.id, posts, score)
    store.correct_label(post_id("e1"), SentimentLabel.NEGATIVE)
    return store


def post_id(remote_id: str) -> int:
    from app.storage import tables as t

    return int(t.Post.get(t.Post.remote_id == remote_id).id)
