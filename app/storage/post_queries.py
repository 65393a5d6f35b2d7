"""Reading stored posts: one thread's, a page of threads' at once, one by id."""

from __future__ import annotations

from collections.abc import Iterable

from app.core import models as m
from app.storage import convert
from app.storage import tables as t

CHUNK = 500  # ids per IN (...): well under SQLite's bound-variable limit


def thread_posts(thread_id: int) -> list[m.StoredPost]:
    """Oldest first; each post's `parent_remote_id` links it to the one it answers."""
    rows = t.Post.select().where(t.Post.thread == thread_id).order_by(t.Post.created_at, t.Post.id)
    return [convert.stored_post(r) for r in rows]


def posts_for_threads(thread_ids: Iterable[int]) -> dict[int, list[m.StoredPost]]:
    """`thread_posts` for many threads in one query per 500 ids.

    Every asked id is a key (a thread without posts maps to []); each list is
    ordered as `thread_posts` orders it.
    """
    ids = list(dict.fromkeys(thread_ids))
    found: dict[int, list[m.StoredPost]] = {i: [] for i in ids}
    for start in range(0, len(ids), CHUNK):
        rows = (
            t.Post.select()
            .where(t.Post.thread.in_(ids[start : start + CHUNK]))
            .order_by(t.Post.thread, t.Post.created_at, t.Post.id)
        )
        for row in rows:
            found[row.thread_id].append(convert.stored_post(row))
    return found


def get(post_id: int) -> m.StoredPost | None:
    row = t.Post.get_or_none(t.Post.id == post_id)
    return convert.stored_post(row) if row else None
