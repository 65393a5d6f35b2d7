"""Reading stored posts: one thread's, a page of threads' at once, one by id."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from app.core import models as m
from app.storage import convert
from app.storage import tables as t
from app.storage.database import database_proxy

CHUNK = 500  # ids per IN (...): well under SQLite's bound-variable limit


def _rows(select: Any) -> list[tuple[Any, ...]]:
    sql, params = select.sql()
    rows: list[tuple[Any, ...]] = database_proxy.execute_sql(sql, params).fetchall()
    return rows


@functools.lru_cache(maxsize=4)
def _thread_posts_sql(param: str) -> str:
    """Built once per engine (`param`: its parameter mark): peewee spends ~1 ms composing
    a 29-column SELECT."""
    select = (
        t.Post.select(*convert.POST_COLUMNS)
        .where(t.Post.thread == 0)
        .order_by(t.Post.created_at, t.Post.id)
    )
    return str(select.sql()[0])


def thread_posts(thread_id: int) -> list[m.StoredPost]:
    """Oldest first; each post's `parent_remote_id` links it to the one it answers."""
    sql = _thread_posts_sql(str(database_proxy.param))
    rows = database_proxy.execute_sql(sql, (thread_id,)).fetchall()
    return [convert.stored_post(r) for r in rows]


def posts_for_threads(thread_ids: Iterable[int]) -> dict[int, list[m.StoredPost]]:
    """`thread_posts` for many threads in one query per 500 ids.

    Every asked id is a key (a thread without posts maps to []); each list is
    ordered as `thread_posts` orders it.
    """
    ids = list(dict.fromkeys(thread_ids))
    found: dict[int, list[m.StoredPost]] = {i: [] for i in ids}
    for start in range(0, len(ids), CHUNK):
        select = (
            t.Post.select(*convert.POST_COLUMNS)
            .where(t.Post.thread.in_(ids[start : start + CHUNK]))
            .order_by(t.Post.thread, t.Post.created_at, t.Post.id)
        )
        for row in _rows(select):
            post = convert.stored_post(row)
            found[post.thread_id].append(post)
    return found


def get(post_id: int) -> m.StoredPost | None:
    rows = _rows(t.Post.select(*convert.POST_COLUMNS).where(t.Post.id == post_id))
    return convert.stored_post(rows[0]) if rows else None


def by_contacts(contact_ids: list[int], limit: int) -> list[tuple[Any, ...]]:
    """Raw POST_COLUMNS rows written by these contacts, newest first."""
    return _rows(
        t.Post.select(*convert.POST_COLUMNS)
        .where(t.Post.contact.in_(contact_ids))
        .order_by(t.Post.created_at.desc(), t.Post.id.desc())
        .limit(limit)
    )
