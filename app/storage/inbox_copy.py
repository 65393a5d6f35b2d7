"""Copying a whole inbox from one database to another, and proving nothing was lost.

Moving into team mode copies the laptop's SQLite inbox into the team's PostgreSQL
database; going back copies the team inbox into a fresh SQLite file; the offline copy
of the team inbox is the same copy. Every table of tables.py goes across (posts,
threads, drafts, templates, notes, corrections, outbox, accounts, sync cursors and
jobs, meta), with its ids, so nothing that points at a row points elsewhere after.

Engine-agnostic by construction: the column lists come from the peewee models, each
value is put in one canonical form (times as UTC text, booleans, floats), and the rows
go through plain SQL on the two database objects handed in. No model is ever re-bound
(`bind_ctx` re-binds a model for every thread, and the window keeps reading meanwhile).

Proof: while it copies, every row's canonical form feeds a SHA-256; afterwards the
target is read back on its own and must give the same row counts and the same digest.
The copy is one transaction on the target: a failure leaves it as it was.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import peewee

from app.core.errors import StorageError
from app.storage import fts, pg_search
from app.storage.database import is_sqlite, write_transaction
from app.storage.migrations import SCHEMA_KEY, latest_version
from app.storage.raw_sql import execute
from app.storage.tables import ALL_TABLES, BaseModel, DbMeta, to_db_time

log = logging.getLogger(__name__)

PAGE = 500  # rows read and written per statement
# Tables whose rows are the inbox itself: a target holding any of these is not empty.
INBOX_TABLES = ("account", "thread", "post", "outbox_item", "draft", "contact")

Progress = Callable[[int, int], None]
_sort_models: Callable[[list[type[BaseModel]]], list[type[BaseModel]]] = (
    peewee.sort_models  # type: ignore[attr-defined]  # not in peewee's stubs
)  # rows copied so far, rows in all


@dataclass(frozen=True, slots=True)
class InboxSummary:
    """What an inbox holds, in a form two engines agree on: rows per table and a digest."""

    counts: Mapping[str, int]
    digest: str

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


class CopyMismatch(StorageError):
    """The target, read back, did not hold what was copied into it."""

    user_message = (
        "The copy did not match the inbox it was made from, so Shopkeep kept using the "
        "inbox it had. Nothing was changed there. Please try again; if it happens again, "
        "keep the log file for whoever helps you."
    )


class TargetNotEmpty(StorageError):
    user_message = (
        'The team database already holds an inbox. Use "Join" to work on it, or ask '
        "whoever set it up for an empty database to move this inbox into."
    )


def copied_models() -> list[type[BaseModel]]:
    """Every table, parents before children (foreign keys hold at every insert)."""
    return list(_sort_models(list(ALL_TABLES)))


def _table(model: type[BaseModel]) -> str:
    return str(model._meta.table_name)


def _columns(model: type[BaseModel]) -> list[peewee.Field]:
    return list(model._meta.sorted_fields)


def _canonical(field: peewee.Field, value: Any) -> Any:
    """One form for a value whichever engine it came from (times, flags, numbers)."""
    if value is None:
        return None
    if isinstance(field, peewee.DateTimeField):
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return to_db_time(value)
    if isinstance(field, peewee.BooleanField):
        return bool(value)
    if isinstance(field, peewee.FloatField):
        return float(value)
    if isinstance(field, peewee.IntegerField | peewee.ForeignKeyField):
        return int(value)
    if isinstance(value, memoryview | bytes):
        return bytes(value).decode("utf-8")
    return value


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _rows(db: peewee.Database, model: type[BaseModel]) -> Iterator[list[Any]]:
    """The table's rows in canonical form, in primary-key order, a page at a time."""
    fields = _columns(model)
    names = ", ".join(_quoted(f.column_name) for f in fields)
    key = model._meta.primary_key
    table = _quoted(_table(model))
    if not isinstance(key, peewee.AutoField | peewee.IntegerField):
        # a small table keyed by text (meta): both engines' collations must not decide
        got = execute(db, f"SELECT {names} FROM {table}").fetchall()
        yield from sorted([_canonical(f, v) for f, v in zip(fields, r, strict=True)] for r in got)
        return
    at = fields.index(key)
    last: int | None = None
    mark = db.param
    while True:
        where = f" WHERE {_quoted(key.column_name)} > {mark}" if last is not None else ""
        sql = f"SELECT {names} FROM {table}{where} ORDER BY {_quoted(key.column_name)} LIMIT {PAGE}"
        page = execute(db, sql, (last,) if last is not None else ()).fetchall()
        for raw in page:
            yield [_canonical(f, v) for f, v in zip(fields, raw, strict=True)]
        if len(page) < PAGE:
            return
        last = int(page[-1][at])


def _feed(digest: Any, table: str, row: Sequence[Any]) -> None:
    digest.update(json.dumps([table, *row], ensure_ascii=False, default=str).encode("utf-8"))
    digest.update(b"\n")


def _counts(db: peewee.Database) -> dict[str, int]:
    counts: dict[str, int] = {}
    for model in copied_models():
        (n,) = execute(db, f"SELECT COUNT(*) FROM {_quoted(_table(model))}").fetchone()
        counts[_table(model)] = int(n)
    return counts


def summarize(db: peewee.Database) -> InboxSummary:
    """Rows per table and the digest of every row, read from `db` alone."""
    digest = hashlib.sha256()
    counts: dict[str, int] = {}
    with _snapshot(db):
        for model in copied_models():
            n = 0
            for row in _rows(db, model):
                _feed(digest, _table(model), row)
                n += 1
            counts[_table(model)] = n
    return InboxSummary(counts, digest.hexdigest())


class _Snapshot:
    """A read transaction that sees one moment of the database from start to end."""

    def __init__(self, db: peewee.Database) -> None:
        self.db = db
        self.tx: Any = None

    def __enter__(self) -> None:
        if self.db.in_transaction():
            return
        self.tx = self.db.atomic()
        self.tx.__enter__()
        if not is_sqlite(self.db):  # READ COMMITTED would see other laptops' writes midway
            execute(self.db, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")

    def __exit__(self, *exc: object) -> None:
        if self.tx is not None:
            self.tx.__exit__(*exc)


def _snapshot(db: peewee.Database) -> _Snapshot:
    return _Snapshot(db)


def read_meta_value(db: peewee.Database, key: str) -> str | None:
    """A `meta` row read with plain SQL (no model re-bound)."""
    if not db.table_exists(_table(DbMeta)):
        return None
    row = execute(db, f"SELECT value FROM meta WHERE key = {db.param}", (key,)).fetchone()
    return None if row is None else str(row[0])


def inbox_rows(db: peewee.Database) -> int:
    """How many rows of the inbox proper (accounts, threads, posts…) `db` holds."""
    total = 0
    for name in INBOX_TABLES:
        if db.table_exists(name):
            (n,) = execute(db, f"SELECT COUNT(*) FROM {_quoted(name)}").fetchone()
            total += int(n)
    return total


def create_schema(db: peewee.Database) -> None:
    """Every table and index of this version on an empty database, and its search index.

    What `migrate` makes for a new database, without re-binding the models; the
    schema version arrives with the copied `meta` rows."""
    for model in copied_models():
        peewee.SchemaManager(model, database=db).create_all(safe=True)
    if is_sqlite(db):
        fts.create_fts(db)
    else:
        pg_search.create_search_index(db)


def copy_inbox(
    source: peewee.Database,
    target: peewee.Database,
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> InboxSummary:
    """Copy every row of `source` into `target` (which holds no inbox), then check it.

    One snapshot of the source, one transaction on the target. Raises TargetNotEmpty,
    CopyMismatch, or the engines' own errors; in each case the target keeps what it had
    before (its schema, made here, stays) and the source is never written.
    """
    version = read_meta_value(source, SCHEMA_KEY)
    if version is not None and int(version) != latest_version():
        raise StorageError(
            f"source inbox at schema v{version}, this program writes v{latest_version()}",
            user_message="Open this inbox once with this version of Shopkeep, then try again.",
        )
    if not target.table_exists(_table(DbMeta)):
        with target.atomic():
            create_schema(target)
    if inbox_rows(target):
        raise TargetNotEmpty(f"target holds {inbox_rows(target)} inbox rows")
    digest = hashlib.sha256()
    counts: dict[str, int] = {}
    models = copied_models()
    with _snapshot(source):
        total = sum(_counts(source).values())
        done = 0
        with write_transaction(target):
            for model in reversed(models):  # leftovers of an empty target (meta, templates)
                execute(target, f"DELETE FROM {_quoted(_table(model))}")
            for model in models:
                counts[_table(model)] = 0
                for page in _pages(_rows(source, model)):
                    if cancel is not None and cancel.is_set():
                        raise StorageError("copy cancelled", user_message="The move was stopped.")
                    _insert(target, model, page)
                    for row in page:
                        _feed(digest, _table(model), row)
                    counts[_table(model)] += len(page)
                    done += len(page)
                    if progress is not None:
                        progress(done, total)
            _after_insert(target, models)
    copied = InboxSummary(counts, digest.hexdigest())
    found = summarize(target)
    if found != copied:
        differs = [k for k in copied.counts if copied.counts[k] != found.counts.get(k)]
        raise CopyMismatch(f"copy check failed: tables {differs or 'same counts, other rows'}")
    log.info(
        "Copied the inbox: %d rows in %d tables, digest %s",
        copied.rows,
        len(counts),
        copied.digest[:12],
    )
    return copied


def _pages(rows: Iterator[list[Any]]) -> Iterator[list[list[Any]]]:
    page: list[list[Any]] = []
    for row in rows:
        page.append(row)
        if len(page) == PAGE:
            yield page
            page = []
    if page:
        yield page


def _insert(db: peewee.Database, model: type[BaseModel], rows: list[list[Any]]) -> None:
    """One multi-row INSERT per page (psycopg2's executemany sends a statement a row)."""
    fields = _columns(model)
    names = ", ".join(_quoted(f.column_name) for f in fields)
    one = "(" + ", ".join(db.param for _ in fields) + ")"
    per = max(1, min(len(rows), 30000 // max(1, len(fields))))  # SQLite's variable limit
    for start in range(0, len(rows), per):
        chunk = rows[start : start + per]
        sql = f"INSERT INTO {_quoted(_table(model))} ({names}) VALUES " + ", ".join(
            one for _ in chunk
        )
        execute(db, sql, [v for row in chunk for v in row])


def _after_insert(db: peewee.Database, models: Sequence[type[BaseModel]]) -> None:
    """SQLite: the search index from the posts. PostgreSQL: each id sequence past the
    copied ids, so the next new row does not collide with a copied one."""
    if is_sqlite(db):
        fts.rebuild_fts(db)
        return
    for model in models:
        key = model._meta.primary_key
        if not isinstance(key, peewee.AutoField):
            continue
        table, column = _table(model), key.column_name
        execute(
            db,
            f"SELECT setval(pg_get_serial_sequence(%s, %s), "
            f"COALESCE(MAX({_quoted(column)}), 1), MAX({_quoted(column)}) IS NOT NULL) "
            f"FROM {_quoted(table)}",
            (table, column),
        )
