"""Raw SQL and plain rows through peewee with types: its stubs leave `execute_sql`,
`execute`, `cursor` and `connection` untyped and type `.tuples()` as model objects, and
app/storage is checked with `mypy --strict`. Each door here names the type peewee really
hands back, so the callers stay checked."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Protocol, cast

import peewee


class Cursor(Protocol):
    """What the callers use of a DB-API cursor (sqlite3's or psycopg2's). Rows are
    tuples of whatever the columns hold, so a row is `Any`, as in typeshed's sqlite3."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def executemany(self, sql: str, rows: Iterable[Sequence[object]], /) -> object: ...


# The casts name what peewee's untyped methods return; they are looked up on the object
# given (a proxy forwards them to its database), never bound to the base class.
_Execute = Callable[[str, tuple[object, ...]], Cursor]


def execute(db: peewee.Database, sql: str, params: Sequence[object] = ()) -> Cursor:
    """The driver's cursor after running `sql` with `params` (the engine's own marks)."""
    return cast(_Execute, db.execute_sql)(sql, tuple(params))


def execute_query(db: peewee.Database, query: peewee.Node) -> Cursor:
    """Run a peewee query or DDL node (e.g. `index.safe()`) that has no `.execute()`."""
    return cast(Callable[[peewee.Node], Cursor], db.execute)(query)


def cursor(db: peewee.Database) -> Cursor:
    """A cursor on this thread's connection (inside its transaction), for `executemany`."""
    return cast(Callable[[], Cursor], db.cursor)()


def sqlite_connection(db: peewee.SqliteDatabase) -> sqlite3.Connection:
    """This thread's sqlite3 connection (for PRAGMAs on it and `backup`)."""
    return cast(Callable[[], sqlite3.Connection], db.connection)()


def tuples(query: peewee.Query) -> Iterator[tuple[Any, ...]]:
    """The rows of a peewee query as plain tuples: its stubs say `.tuples()` still yields
    model objects, so unpacking a row would not type-check."""
    return iter(cast("Iterable[tuple[Any, ...]]", query.tuples()))


def dicts(query: peewee.Query) -> Iterator[dict[str, Any]]:
    """The rows of a peewee query as dicts by column name (typed, like `tuples`)."""
    return iter(cast("Iterable[dict[str, Any]]", query.dicts()))
