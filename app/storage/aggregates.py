"""Thread aggregates: the list-row columns of a thread, rebuilt from its posts.

The thread list reads only the thread row (count, unread, snippet, worst
sentiment, last activity), so every write that changes a thread's posts calls
`recompute_thread` (or `recompute_threads` for many) inside its transaction.
Both read the posts of up to 500 threads per query as plain tuples and write
every thread back in one executemany: no model objects, no query per thread.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from app.core import models as m
from app.storage import tables as t
from app.storage.convert import LABEL_RANK

SNIPPET_CHARS = 200
CHUNK = 500
_SPACES = re.compile(r"\s+")
_NEUTRAL = m.SentimentLabel.NEUTRAL.value

# Column order of the rows `_fold` reads (times stay fixed-width UTC text).
_READ = (
    "SELECT thread_id, text, content_warning, created_at, is_own, deleted, read, label, "
    "corrected_label, compound, reasons, author_handle, author_name FROM post "
    "WHERE thread_id IN ({marks}) ORDER BY thread_id, created_at, id"
)
_WRITE = (
    "UPDATE thread SET post_count = {p}, last_activity = {p}, unread_count = {p}, "
    "snippet = {p}, author_handle = {p}, author_name = {p}, last_customer_at = {p}, "
    "last_own_at = {p}, worst_label = {p}, worst_rank = {p}, worst_compound = {p}, "
    "worst_reasons = {p} WHERE id = {p}"
)


def snippet_of(text: str, content_warning: str = "") -> str:
    """One line for the thread list; a content warning hides the text there too."""
    source = f"CW: {content_warning}" if content_warning else text
    return _SPACES.sub(" ", source).strip()[:SNIPPET_CHARS]


def recompute_thread(thread_id: int) -> None:
    """Rebuild one thread's list-row aggregates from its posts."""
    recompute_threads((thread_id,))


def recompute_threads(thread_ids: Iterable[int]) -> None:
    """Rebuild the aggregates of many threads: one read per 500 threads, one write."""
    ids = sorted(set(thread_ids))
    db = t.Thread._meta.database
    param = db.param
    values: list[tuple[Any, ...]] = []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        sql = _READ.format(marks=", ".join(param for _ in chunk))
        rows = db.execute_sql(sql, chunk).fetchall()
        values.extend(_fold(rows))
    if values:
        db.cursor().executemany(_WRITE.format(p=param), values)


def _fold(rows: Sequence[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Rows ordered by thread, created_at, id -> one UPDATE parameter tuple per thread."""
    out: list[tuple[Any, ...]] = []
    start = 0
    n = len(rows)
    while start < n:
        thread_id = rows[start][0]
        end = start
        while end < n and rows[end][0] == thread_id:
            end += 1
        out.append(aggregate(thread_id, rows[start:end]))
        start = end
    return out


def aggregate(thread_id: int, rows: Sequence[Sequence[Any]]) -> tuple[Any, ...]:
    """Rows in `_READ` column order (by created_at, id) -> the `_WRITE` parameters."""
    count = unread = 0
    last_live = last_customer = last_own = worst = None
    worst_key: tuple[int, float] | None = None
    for r in rows:
        if r[5]:  # deleted
            continue
        count += 1
        last_live = r
        if r[4]:  # own
            last_own = r
            continue
        last_customer = r
        if not r[6]:
            unread += 1
        key = (LABEL_RANK.get(r[8] or r[7], 2), r[9])
        if worst_key is None or key < worst_key:  # the first of equals wins, as min() does
            worst, worst_key = r, key
    latest = last_customer or last_live or rows[-1]
    if worst is not None:
        label = worst[8] or worst[7]
        sentiment = (label, LABEL_RANK.get(label, 2), worst[9], worst[10] or "[]")
    else:
        sentiment = (_NEUTRAL, LABEL_RANK[m.SentimentLabel.NEUTRAL], 0.0, "[]")
    return (
        count,
        (last_live or rows[-1])[3],
        unread,
        "" if latest[5] else snippet_of(latest[1], latest[2]),
        latest[11],
        latest[12],
        last_customer[3] if last_customer else None,
        last_own[3] if last_own else None,
        *sentiment,
        thread_id,
    )
