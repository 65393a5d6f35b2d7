"""The raw writes behind `ingest`: prepared statements on the transaction's connection.

Peewee builds a query object per call (hundreds of microseconds); ingest writes
thousands of rows per batch, so it binds plain parameter tuples instead. Values
are converted exactly as the peewee fields would (UTC text times, compact JSON).
Runs inside the store's transaction; `RETURNING` needs SQLite >= 3.35 (or PostgreSQL).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import peewee

from app.core import models as m
from app.storage import tables as t
from app.storage.convert import LABEL_RANK
from app.storage.database import is_sqlite
from app.storage.fts import index_posts, pause_insert_trigger

CHUNK = 500  # values per IN (...): well under SQLite's bound-variable limit

POST_COLUMNS = (
    "account_id", "thread_id", "contact_id", "network", "remote_id", "author_remote_id",
    "author_handle", "author_name", "text", "created_at", "url", "parent_remote_id",
    "root_remote_id", "is_mention", "is_own", "visibility", "content_warning", "media",
    "mentions", "language", "cid", "edited_at", "deleted", "raw_json", "compound", "label",
    "reasons", "sentiment_language", "read",
)  # fmt: skip
THREAD_AT = POST_COLUMNS.index("thread_id")
READ_AT = POST_COLUMNS.index("read")


def db() -> peewee.Database:
    return t.Post._meta.database  # type: ignore[no-any-return]


def chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


def marks(n: int) -> str:
    return _marks(db().param, n)


@functools.lru_cache(maxsize=64)
def _marks(param: str, n: int) -> str:
    return ", ".join(param for _ in range(n))


_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def to_json(value: Any) -> str:
    """What JSONTextField stores."""
    return "[]" if value == [] else _ENCODE(value)


@functools.lru_cache(maxsize=4096)
def json_list(items: tuple[str, ...]) -> str:
    """`to_json(list(items))`, remembered: mentions and reasons repeat a lot."""
    return to_json(list(items))


def db_time(value: datetime | None) -> str | None:
    return None if value is None else t.to_db_time(value)


@dataclass(slots=True)
class ThreadState:
    """The columns ingest decides on in memory and writes once per batch."""

    id: int
    status: str
    snoozed_until: datetime | None
    last_customer_at: datetime | None
    last_own_at: datetime | None


@dataclass(slots=True)
class ContactRow:
    id: int
    handle: str
    display_name: str


def pairs(sql: str, first: Any, keys: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Rows of `sql` (one `{first}` parameter, then `IN ({marks})`) over chunks of `keys`."""
    found: list[tuple[Any, ...]] = []
    for chunk in chunks(keys):
        query = sql.format(p=db().param, marks=marks(len(chunk)))
        found.extend(db().execute_sql(query, [first, *chunk]).fetchall())
    return found


def load_threads(thread_ids: Sequence[int]) -> dict[int, ThreadState]:
    when = t.Thread.last_own_at.python_value
    rows = pairs(
        "SELECT id, status, snoozed_until, last_customer_at, last_own_at FROM thread "
        "WHERE id > {p} AND id IN ({marks})",
        0,
        sorted(set(thread_ids)),
    )
    return {r[0]: ThreadState(r[0], r[1], when(r[2]), when(r[3]), when(r[4])) for r in rows}


def load_contacts(network: str, keys: Sequence[str]) -> dict[str, ContactRow]:
    rows = pairs(
        "SELECT key, id, handle, display_name FROM contact "
        "WHERE network = {p} AND key IN ({marks})",
        network,
        sorted(set(keys)),
    )
    return {key: ContactRow(*rest) for key, *rest in rows}


def insert_contact(author: m.Author, key: str, is_demo: bool) -> ContactRow:
    sql = (
        "INSERT INTO contact (network, key, remote_id, handle, display_name, note, is_demo) "
        f"VALUES ({marks(7)}) RETURNING id"
    )
    params = (author.network.value, key, author.remote_id, author.handle,
              author.display_name, "", is_demo)  # fmt: skip
    (contact_id,) = db().execute_sql(sql, params).fetchone()
    return ContactRow(contact_id, author.handle, author.display_name)


def rename_contact(contact: ContactRow, handle: str, display_name: str) -> None:
    p = db().param
    db().execute_sql(
        f"UPDATE contact SET handle = {p}, display_name = {p} WHERE id = {p}",
        (handle, display_name, contact.id),
    )
    contact.handle, contact.display_name = handle, display_name


_NEW_THREAD = (
    "account_id", "network", "root_remote_id", "last_activity", "status", "worst_label",
    "worst_rank", "worst_compound", "worst_reasons", "unread_count", "post_count", "snippet",
    "author_handle", "author_name", "is_demo",
)  # fmt: skip


def insert_thread(account: t.Account, key: str, at: datetime, status: str) -> ThreadState:
    unscored = m.SentimentLabel.UNSCORED.value
    params = (account.id, account.network, key, t.to_db_time(at), status, unscored,
              LABEL_RANK[m.SentimentLabel.UNSCORED], 0.0, "[]", 0, 0, "", "", "",
              bool(account.is_demo))  # fmt: skip
    sql = (
        f"INSERT INTO thread ({', '.join(_NEW_THREAD)}) "
        f"VALUES ({marks(len(_NEW_THREAD))}) RETURNING id"
    )
    (thread_id,) = db().execute_sql(sql, params).fetchone()
    return ThreadState(thread_id, status, None, None, None)


def mark_read_until(thread_id: int, until: datetime) -> None:
    """The shop answered: the thread's stored posts up to then count as read."""
    p = db().param
    db().execute_sql(
        f"UPDATE post SET read = 1 WHERE thread_id = {p} AND NOT read AND created_at <= {p}",
        (thread_id, t.to_db_time(until)),
    )


def insert_posts(account_id: int, rows: Sequence[list[Any]]) -> dict[str, int]:
    """One executemany for the batch's new posts; returns remote id -> new post id."""
    if not rows:
        return {}
    sql = f"INSERT INTO post ({', '.join(POST_COLUMNS)}) VALUES ({marks(len(POST_COLUMNS))})"
    bulk_fts = is_sqlite(db().obj)
    if bulk_fts:
        pause_insert_trigger(db(), True)
    db().cursor().executemany(sql, rows)
    remote_at = POST_COLUMNS.index("remote_id")
    ids = dict(
        pairs(
            "SELECT remote_id, id FROM post WHERE account_id = {p} AND remote_id IN ({marks})",
            account_id,
            [r[remote_at] for r in rows],
        )
    )
    if bulk_fts:
        pause_insert_trigger(db(), False)
        index_posts(db(), sorted(ids.values()))
    return ids


def save_statuses(states: Sequence[ThreadState]) -> None:
    if not states:
        return
    p = db().param
    db().cursor().executemany(
        f"UPDATE thread SET status = {p}, snoozed_until = {p} WHERE id = {p}",
        [(s.status, db_time(s.snoozed_until), s.id) for s in states],
    )


def move_thread(source_id: int, target_id: int) -> None:
    """Posts, outbox and draft of `source` go to `target`; then `source` is dropped."""
    p = db().param
    for table in ("post", "outbox_item"):
        db().execute_sql(
            f"UPDATE {table} SET thread_id = {p} WHERE thread_id = {p}", (target_id, source_id)
        )
    src_draft = t.Draft.get_or_none(t.Draft.thread == source_id)
    if src_draft is not None:
        dst_draft = t.Draft.get_or_none(t.Draft.thread == target_id)
        if dst_draft is None:
            t.Draft.update(thread=target_id).where(t.Draft.id == src_draft.id).execute()
        else:  # never lose typed text
            dst_draft.text = f"{dst_draft.text}\n\n{src_draft.text}".strip()
            dst_draft.save()
            src_draft.delete_instance()
    db().execute_sql(f"DELETE FROM thread WHERE id = {p}", (source_id,))
