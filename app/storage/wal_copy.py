"""Copying SQLite's write-ahead log into the database file before a big batch, not in its commit.

SQLite copies the log back (a checkpoint, with two fsyncs) inside the commit that
finds it over 1,000 pages, and a 2,000-post batch writes more than that: each of
its commits took ~22 ms instead of ~6, at the end of the batch, when the scoring
workers are done and one core idles. A big batch now starts its scoring first,
then copies the log while the workers score its first posts (the writer only
waits there), and commits without a copy. The next write copies the log in its
own commit, as before, or the next big batch does it first.

A copy from another thread while the writer writes was tried and was slower: the
log never starts over while a writer keeps it busy, and the copying competed for
the two cores.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import peewee

from app.storage.raw_sql import sqlite_connection

DEFAULT_PAGES = 1000  # SQLite's own wal_autocheckpoint


@contextmanager
def log_copied_first(db: peewee.Database) -> Iterator[None]:
    """Copy the log now (outside any transaction); commits inside copy none."""
    target = db.obj if isinstance(db, peewee.DatabaseProxy) else db
    if not isinstance(target, peewee.SqliteDatabase) or target.in_transaction():
        yield
        return
    conn = sqlite_connection(target)
    # PASSIVE: copies what no reader still needs, never waits for the window's readers
    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA wal_autocheckpoint = {DEFAULT_PAGES}")
