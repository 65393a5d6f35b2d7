"""A big first sync does not pay for SQLite's log copy at the end of each batch.

SQLite copies its write-ahead log into the database file inside the commit that finds
it over 1,000 pages: at the end of a big batch, when the scoring workers are done. A
big batch copies the log while the workers score its first posts, and commits without.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from app.storage.raw_sql import sqlite_connection
from app.storage.wal_copy import DEFAULT_PAGES, log_copied_first
from tests.fixtures.storage import KeywordScorer

# ~1,500 pages of log a batch (post rows, indexes, search index): over SQLite's 1,000
WORDS = " ".join(["the parcel came late and the box was broken"] * 30)


def _batch(make_post: Any, first: int, count: int) -> list[Any]:
    return [
        make_post(str(i), f"{WORDS} (order {i})", author=f"c{i % 50}", minutes=i)
        for i in range(first, first + count)
    ]


def _database_file(store: Any) -> Path:
    return Path(store.db.database)


def _posts_seen_by_another_process(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM post").fetchone()[0])
    finally:
        conn.close()


def test_a_big_batch_leaves_the_log_copy_to_the_next_one_and_loses_nothing(
    store: Any, shop_account: Any, make_post: Any, fresh_pool: None
) -> None:
    path = _database_file(store)
    store.ingest(shop_account.id, _batch(make_post, 0, 10), KeywordScorer())  # tables exist
    conn = sqlite_connection(store.db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size_before = path.stat().st_size

    first = store.ingest(shop_account.id, _batch(make_post, 10, 1500), KeywordScorer())

    assert first.new_posts == 1500
    assert path.stat().st_size == size_before  # committed to the log, not copied at commit
    assert _posts_seen_by_another_process(path) == 1510  # and there for everyone
    assert conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == DEFAULT_PAGES

    store.ingest(shop_account.id, _batch(make_post, 1510, 1500), KeywordScorer())

    assert path.stat().st_size > size_before  # the second batch copied the first one's log
    assert _posts_seen_by_another_process(path) == 3010


def test_the_usual_few_mentions_commit_as_before(
    store: Any, shop_account: Any, make_post: Any
) -> None:
    """A small batch is scored inline: no worker time to hide a copy behind."""
    path = _database_file(store)
    store.ingest(shop_account.id, _batch(make_post, 0, 10), KeywordScorer())
    conn = sqlite_connection(store.db)
    conn.execute("PRAGMA wal_autocheckpoint = 1")  # copy at every commit, to see it happen
    size_before = path.stat().st_size

    store.ingest(shop_account.id, _batch(make_post, 10, 30), KeywordScorer())

    assert path.stat().st_size > size_before
    assert conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1  # left as it was


def test_inside_a_transaction_nothing_is_copied_or_changed(store: Any) -> None:
    """A checkpoint cannot run inside a transaction: the batch then commits as before."""
    conn = sqlite_connection(store.db)
    with store.db.atomic(), log_copied_first(store.db):
        assert conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == DEFAULT_PAGES


def test_a_failed_batch_puts_the_commit_copy_back(store: Any) -> None:
    conn = sqlite_connection(store.db)
    try:
        with log_copied_first(store.db):
            assert conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
            raise RuntimeError("the batch failed")
    except RuntimeError:
        pass
    assert conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == DEFAULT_PAGES
