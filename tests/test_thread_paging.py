"""Scrolling a long inbox: each page continues after the last row shown.

The list reads 200 threads at a time. With OFFSET, SQLite walked and dropped
every earlier row (about 100 ms a page at row 30,000 of "angriest first", on the
GUI thread); now a page starts after the last row it has, on an index in the
list's own order, so a deep page costs what the first does.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pytest

from app.core.models import Folder, ThreadStatus
from app.core.ports import ThreadQuery
from app.storage import thread_queries
from app.storage.inbox_store import SqliteInboxStore
from app.storage.migrations import SCHEMA_KEY, latest_version, schema_version
from app.storage.tables import DbMeta

# Every test here that takes `store` runs on SQLite and on PostgreSQL (team mode).
pytestmark = pytest.mark.engines("sqlite", "postgres")

MOODS = ("late again, where is my order", "thanks, lovely bread", "open on Sunday?")


@pytest.fixture
def busy_inbox(store, shop_account, make_post):
    """120 customer threads: mixed moods, ties in time and score, some marked done."""

    def score(text):
        from app.core.sentiment import score as real

        return real(text)

    posts = [
        make_post(str(i), MOODS[i % 3] + f" #{i % 7}", author=f"c{i}", minutes=i // 4)
        for i in range(120)
    ]
    result = store.ingest(shop_account.id, posts, score)
    for thread_id in result.new_thread_ids[::5]:
        store.set_status(thread_id, ThreadStatus.DONE)
    return store


def _walk(store, query, page_size):
    rows, last = [], None
    while True:
        page = store.list_threads(query, 0, page_size, after=last)
        rows += page
        if len(page) < page_size:
            return rows
        last = page[-1]


@pytest.mark.parametrize("sort", ["activity", "sentiment"])
@pytest.mark.parametrize("folder", [Folder.ALL, Folder.NEEDS_REPLY, Folder.NEGATIVE, Folder.DONE])
def test_paging_after_the_last_row_shows_every_thread_once_in_order(busy_inbox, folder, sort):
    query = dataclasses.replace(ThreadQuery(), folder=folder, sort=sort)
    everything = busy_inbox.list_threads(query, 0, 1000)
    assert everything, "the arrangement has threads in every folder tested"
    paged = _walk(busy_inbox, query, page_size=7)
    assert [r.id for r in paged] == [r.id for r in everything]


def _plan(db_path: Path, query: ThreadQuery, after) -> str:
    select = (
        thread_queries.select_threads(query)
        .where(thread_queries.after_condition(query.sort, after))
        .limit(200)
    )
    sql, params = select.sql()
    with sqlite3.connect(db_path) as conn:
        return " / ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params))


@pytest.mark.engines("sqlite")  # SQLite's query plan
@pytest.mark.parametrize("folder", [Folder.ALL, Folder.NEEDS_REPLY, Folder.NEGATIVE])
def test_an_angriest_first_page_walks_an_index_instead_of_sorting(busy_inbox, tmp_path, folder):
    query = dataclasses.replace(ThreadQuery(), folder=folder, sort="sentiment")
    after = busy_inbox.list_threads(query, 0, 10)[-1]
    plan = _plan(tmp_path / "data" / "shopkeep.sqlite3", query, after)
    assert "TEMP B-TREE" not in plan, plan
    assert "angriest" in plan, plan


def _index_names(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}


def test_an_older_database_gets_the_index_on_upgrade(tmp_path):
    path = tmp_path / "old.sqlite3"
    SqliteInboxStore.open(path).close()
    with sqlite3.connect(path) as conn:  # the schema as version 2 left it
        conn.executescript(f"""
            DROP INDEX thread_angriest;
            CREATE INDEX thread_worst_rank_worst_compound_last_activity
                ON thread (worst_rank, worst_compound, last_activity);
            UPDATE {DbMeta._meta.table_name} SET value = '2' WHERE key = '{SCHEMA_KEY}';
        """)
    assert "thread_angriest" not in _index_names(path)

    store = SqliteInboxStore.open(path)
    assert schema_version(store.db) == latest_version()
    store.close()
    names = _index_names(path)
    assert "thread_angriest" in names
    assert "thread_worst_rank_worst_compound_last_activity" not in names
