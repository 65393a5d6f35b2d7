"""Raw SQL and plain rows through peewee with types: its stubs leave `execute_sql` untyped
and type `.tuples()` as model objects, and app/storage is checked with `mypy --strict`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, cast

import peewee

_EXECUTE: Callable[..., Any] = peewee.Database.execute_sql


def execute(db: peewee.Database, sql: str, params: Sequence[object] = ()) -> Any:
    """The driver's cursor after running `sql` with `params` (the engine's own marks)."""
    return _EXECUTE(db, sql, tuple(params))


def tuples(query: peewee.Query) -> Iterator[tuple[Any, ...]]:
    """The rows of a peewee query as plain tuples: its stubs say `.tuples()` still yields
    model objects, so unpacking a row would not type-check."""
    return iter(cast("Iterable[tuple[Any, ...]]", query.tuples()))


def dicts(query: peewee.Query) -> Iterator[dict[str, Any]]:
    """The rows of a peewee query as dicts by column name (typed, like `tuples`)."""
    return iter(cast("Iterable[dict[str, Any]]", query.dicts()))
