"""Raw SQL through peewee with types: its stubs leave `execute_sql` untyped, and the
PostgreSQL modules (pg_search, pg_locks, postgres) are checked with `mypy --strict`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import peewee

_EXECUTE: Callable[..., Any] = peewee.Database.execute_sql


def execute(db: peewee.Database, sql: str, params: Sequence[object] = ()) -> Any:
    """The driver's cursor after running `sql` with `params` (the engine's own marks)."""
    return _EXECUTE(db, sql, tuple(params))
