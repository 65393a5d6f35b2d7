"""The raw writes behind `ingest`: prepared statements on the transaction's connection.

Peewee builds a query object per call (hundreds of microseconds); ingest writes
thousands of rows per batch, so it binds plain parameter tuples instead. Values
are converted exactly as the peewee fields would (UTC text times, compact JSON).
Runs inside the store's transaction; `RETURNING` needs SQLite >= 3.35 (or PostgreSQL).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import peewee

from app.core import models as m
from app.storage import drafts
from app.storage import tables as t
from app.storage.convert import LABEL_RANK, media_json
from app.storage.database import is_sqlite
from app.storage.fts import index_post_range, pause_insert_trigger
from app.storage.raw_sql import cursor, execute

CHUNK = 500  # values per IN (...): well under SQLite's bound-variable limit

POST_COLUMNS = (
    "account_id", "thread_id", "contact_id", "network", "remote_id", "author_remote_id",
    "author_handle", "author_name", "text", "created_at", "url", "parent_remote_id",
    "root_remote_id", "is_mention", "is_own", "visibility", "content_warning", "media",
    "mentions", "language", "cid", "edited_at", "deleted", "raw_json", "compound", "label",
    "reasons", "sentiment_language", "corrected_label", "read", "unavailable",
)  # fmt: skip
THREAD_AT = POST_COLUMNS.index("thread_id")
READ_AT = POST_COLUMNS.index("read")


def db() -> peewee.Database:
    """The models' database (the proxy, which hands every call to the open database)."""
    database: peewee.Database = t.Post._meta.database
    return database


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
    """`t.to_db_time`; an aware UTC time (what parsers hand over) skips strftime."""
    if value is None:
        return None
    if value.tzinfo is UTC:
        return value.isoformat(" ", "microseconds")[:26]  # same text, a third of the time
    return t.to_db_time(value)


def media_text(media: tuple[m.MediaLink, ...]) -> str:
    """What JSONTextField stores for `media_json(media)`."""
    return to_json(media_json(media)) if media else "[]"


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
        found.extend(execute(db(), query, [first, *chunk]).fetchall())
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


_CONTACT = ("network", "key", "remote_id", "handle", "display_name", "note", "is_demo", "id")


def insert_contact(
    author: m.Author, key: str, is_demo: bool, contact_id: int | None = None
) -> ContactRow:
    """Insert now (returns the new id), or with `contact_id` only describe it: the caller
    queues it (`contact_params`) for `insert_contacts`."""
    if contact_id is None:
        sql = (
            f"INSERT INTO contact ({', '.join(_CONTACT[:-1])}) "
            f"VALUES ({marks(len(_CONTACT) - 1)}) RETURNING id"
        )
        (contact_id,) = execute(db(), sql, contact_params(author, key, is_demo)).fetchone()
    return ContactRow(contact_id, author.handle, author.display_name)


def contact_params(author: m.Author, key: str, is_demo: bool) -> list[Any]:
    return [author.network.value, key, author.remote_id, author.handle,
            author.display_name, "", is_demo]  # fmt: skip


def insert_contacts(queued: Sequence[tuple[ContactRow, list[Any]]]) -> None:
    """Queued new contacts, with the handle / name they ended the batch with."""
    if not queued:
        return
    rows = [(*p[:3], c.handle, c.display_name, *p[5:], c.id) for c, p in queued]
    cursor(db()).executemany(
        f"INSERT INTO contact ({', '.join(_CONTACT)}) VALUES ({marks(len(_CONTACT))})", rows
    )


def rename_contact(contact: ContactRow, handle: str, display_name: str) -> None:
    p = db().param
    execute(
        db(),
        f"UPDATE contact SET handle = {p}, display_name = {p} WHERE id = {p}",
        (handle, display_name, contact.id),
    )
    contact.handle, contact.display_name = handle, display_name


_NEW_THREAD = (
    "account_id", "network", "root_remote_id", "last_activity", "status", "worst_label",
    "worst_rank", "worst_compound", "worst_reasons", "unread_count", "post_count", "snippet",
    "author_handle", "author_name", "is_demo",
)  # fmt: skip
# A thread born in this batch goes in once, complete: its aggregates are folded in
# memory from its queued posts (aggregates.aggregate gives the last 13 values).
_FULL_THREAD = (
    "account_id", "network", "root_remote_id", "status", "snoozed_until", "is_demo",
    "post_count", "last_activity", "unread_count", "snippet", "author_handle", "author_name",
    "last_customer_at", "last_own_at", "worst_label", "worst_rank", "worst_compound",
    "worst_reasons", "id",
)  # fmt: skip


def next_id(table: str) -> int | None:
    """SQLite only: the id the table would hand out next (what INTEGER PRIMARY KEY picks).

    Inside the write transaction nobody else inserts, so a batch numbers its new rows
    itself and writes them with one executemany. None elsewhere: rows go in one by one.
    """
    if not is_sqlite(db()):
        return None
    (top,) = execute(db(), f"SELECT max(id) FROM {table}").fetchone()
    return int(top or 0) + 1


def insert_thread(
    account: t.Account, key: str, at: datetime, status: str, thread_id: int | None = None
) -> ThreadState:
    """Insert now (returns the new id), or with `thread_id` only describe it: the caller
    queues it for `insert_full_threads` (or `insert_queued_threads`, when needed early)."""
    if thread_id is None:
        sql = (
            f"INSERT INTO thread ({', '.join(_NEW_THREAD)}) "
            f"VALUES ({marks(len(_NEW_THREAD))}) RETURNING id"
        )
        (thread_id,) = execute(db(), sql, _new_thread(account, key, at, status)).fetchone()
    return ThreadState(thread_id, status, None, None, None)


def _new_thread(account: t.Account, key: str, at: datetime, status: str) -> tuple[Any, ...]:
    unscored = m.SentimentLabel.UNSCORED.value
    return (account.id, account.network, key, t.to_db_time(at), status, unscored,
            LABEL_RANK[m.SentimentLabel.UNSCORED], 0.0, "[]", 0, 0, "", "", "",
            bool(account.is_demo))  # fmt: skip


def insert_queued_threads(account: t.Account, queued: dict[int, tuple[str, datetime, str]]) -> None:
    """Queued new threads (id -> key, first time, status) go in now, aggregates empty."""
    if not queued:
        return
    cols = (*_NEW_THREAD, "id")
    cursor(db()).executemany(
        f"INSERT INTO thread ({', '.join(cols)}) VALUES ({marks(len(cols))})",
        [(*_new_thread(account, key, at, status), i) for i, (key, at, status) in queued.items()],
    )
    queued.clear()


def insert_full_threads(rows: Sequence[tuple[Any, ...]]) -> None:
    """New threads with their aggregates, in `_FULL_THREAD` column order."""
    if rows:
        cursor(db()).executemany(
            f"INSERT INTO thread ({', '.join(_FULL_THREAD)}) VALUES ({marks(len(_FULL_THREAD))})",
            rows,
        )


def mark_read_until(until: Mapping[int, datetime]) -> None:
    """The shop answered: each thread's stored posts up to then count as read."""
    if not until:
        return
    p = db().param
    cursor(db()).executemany(
        f"UPDATE post SET read = TRUE WHERE thread_id = {p} AND NOT read AND created_at <= {p}",
        [(thread_id, t.to_db_time(at)) for thread_id, at in until.items()],
    )


def insert_posts(
    account_id: int, rows: Sequence[list[Any]], first_id: int | None
) -> dict[str, int]:
    """One executemany for the part's new posts; returns remote id -> new post id.

    With `first_id` (SQLite) the rows carry their own ids (first_id, first_id + 1, ...)
    as the last value, so the ids need no lookup by remote id. Their full-text rows
    are written once per batch (`start_bulk` / `finish_bulk`).
    """
    if not rows:
        return {}
    remote_at = POST_COLUMNS.index("remote_id")
    cols = (*POST_COLUMNS, "id") if first_id is not None else POST_COLUMNS
    sql = f"INSERT INTO post ({', '.join(cols)}) VALUES ({marks(len(cols))})"
    cursor(db()).executemany(sql, rows)
    if first_id is not None:
        return {r[remote_at]: r[-1] for r in rows}
    return dict(
        pairs(
            "SELECT remote_id, id FROM post WHERE account_id = {p} AND remote_id IN ({marks})",
            account_id,
            [r[remote_at] for r in rows],
        )
    )


def start_bulk() -> int | None:
    """SQLite: set the per-row full-text trigger aside for a batch; the id its first new
    post will get (None elsewhere: PostgreSQL has no FTS5 table to keep in step)."""
    if not is_sqlite(db()):
        return None
    pause_insert_trigger(db(), True)
    return next_id("post")


def finish_bulk(first_id: int | None) -> None:
    """Index the batch's new posts (every id from `first_id` on) in one statement, and put
    the trigger back. One statement per batch, not per part: FTS5 writes a segment per
    statement, and more segments mean more merging later."""
    if first_id is None:
        return
    after = next_id("post")
    if after is not None and after > first_id:
        index_post_range(db(), first_id, after - 1)
    pause_insert_trigger(db(), False)


def save_statuses(states: Sequence[ThreadState]) -> None:
    if not states:
        return
    p = db().param
    cursor(db()).executemany(
        f"UPDATE thread SET status = {p}, snoozed_until = {p} WHERE id = {p}",
        [(s.status, db_time(s.snoozed_until), s.id) for s in states],
    )


def move_thread(source_id: int, target_id: int) -> None:
    """Posts, outbox and draft of `source` go to `target`; then `source` is dropped."""
    p = db().param
    for table in ("post", "outbox_item"):
        execute(
            db(),
            f"UPDATE {table} SET thread_id = {p} WHERE thread_id = {p}",
            (target_id, source_id),
        )
    drafts.merge_drafts(source_id, target_id)  # never lose typed text, even mid-save
    execute(db(), f"DELETE FROM thread WHERE id = {p}", (source_id,))
