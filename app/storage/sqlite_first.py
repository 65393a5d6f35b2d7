"""Importing peewee without its PostgreSQL drivers, for a window on this laptop's file.

peewee imports psycopg2 (libpq, libssl, Python's ssl) as it is imported itself: ~10 ms
of a window's start that only team mode uses. Imported here first, peewee finds no
driver; a team database opened later is a pg_driver.PostgresDatabase, whose adapter
imports psycopg2 on its first connection. No peewee import here: this must run first.
"""

from __future__ import annotations

import importlib
import sys

DRIVERS = ("psycopg2", "psycopg")  # what peewee tries to import; hidden while it does


def load_peewee_sqlite_first() -> None:
    """Import peewee with the PostgreSQL drivers hidden, unless peewee is imported already."""
    if "peewee" in sys.modules:
        return
    hidden = [name for name in DRIVERS if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # makes `import name` fail
    try:
        importlib.import_module("peewee")
    finally:
        for name in hidden:
            del sys.modules[name]  # importable again, for pg_driver's first connection
