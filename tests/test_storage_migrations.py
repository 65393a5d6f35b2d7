"""Schema versions: a new file starts at the latest, old ones step forward once."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.core.errors import StorageError
from app.core.ports import ThreadQuery
from app.storage import pg_search
from app.storage.database import is_sqlite, open_database
from app.storage.migrations import MIGRATIONS, latest_version, migrate, schema_version
from app.storage.tables import Account

# Every test here runs on SQLite and on PostgreSQL (team mode): tests/fixtures/storage.py.
pytestmark = pytest.mark.engines("sqlite", "postgres")


def _v1_only():
    return [m for m in MIGRATIONS if m[0] == 1]


def test_a_fresh_database_is_created_at_the_latest_version(store):
    assert schema_version(store.db) == latest_version()
    tables = set(store.db.get_tables())
    assert {"account", "post", "thread", "draft", "template", "outbox_item"} <= tables
    if is_sqlite(store.db):
        assert "post_fts" in tables
    else:
        assert pg_search.INDEX_NAME in {i.name for i in store.db.get_indexes("post")}


@pytest.mark.engines("sqlite")  # PostgreSQL's twin: test_storage_postgres.py
def test_migrating_twice_changes_nothing(store):
    before = store.db.execute_sql("SELECT sql FROM sqlite_master ORDER BY name").fetchall()
    assert migrate(store.db) == latest_version()
    after = store.db.execute_sql("SELECT sql FROM sqlite_master ORDER BY name").fetchall()
    assert before == after


def test_v1_database_gets_the_v2_step_once(empty_db):
    calls = []

    def v2_add_column(db):
        calls.append(schema_version(db))
        db.execute_sql("ALTER TABLE account ADD COLUMN color TEXT NOT NULL DEFAULT ''")

    db = empty_db
    assert migrate(db, _v1_only()) == 1
    with db.bind_ctx([Account]):
        Account.create(network="mastodon", server="s", handle="h", remote_id="1")
    db.close()  # the program stops; a newer one opens the same database

    steps = [*_v1_only(), (2, v2_add_column)]
    assert migrate(db, steps) == 2
    assert migrate(db, steps) == 2
    assert calls == [1]  # ran once, on the v1 file
    assert schema_version(db) == 2
    assert db.execute_sql("SELECT handle, color FROM account").fetchall() == [("h", "")]


def test_a_failing_step_leaves_the_old_version_intact(empty_db):
    def v2_broken(db):
        db.execute_sql("ALTER TABLE account ADD COLUMN half TEXT")
        raise RuntimeError("bug in migration")

    db = empty_db
    migrate(db, _v1_only())
    with pytest.raises(RuntimeError):
        migrate(db, [*_v1_only(), (2, v2_broken)])
    assert schema_version(db) == 1
    columns = [c.name for c in db.get_columns("account")]
    assert "half" not in columns  # rolled back with the step


def test_a_database_from_a_newer_program_is_refused(empty_db):
    db = empty_db
    migrate(db, [*_v1_only(), (2, lambda db: None)])
    with pytest.raises(StorageError) as caught:
        migrate(db, _v1_only())
    assert "newer Shopkeep" in caught.value.user_message


@pytest.mark.engines("sqlite")  # reopens the SQLite file
def test_a_v3_database_gets_the_durable_sync_tables_and_keeps_its_threads(
    store, shop_account, make_post
):
    from pathlib import Path

    from app.core import sentiment
    from app.storage.inbox_store import SqliteInboxStore

    [thread_id] = store.ingest(
        shop_account.id, [make_post("1", "where is my cake")], sentiment.score
    ).new_thread_ids
    path = Path(store.db.database)
    store.close()
    db = open_database(path)
    db.execute_sql("DROP TABLE sync_job")  # the schema as version 3 left it
    db.execute_sql("ALTER TABLE thread DROP COLUMN checked_at")
    db.execute_sql("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    db.close()

    reopened = SqliteInboxStore.open(path)
    try:
        assert schema_version(reopened.db) == latest_version()
        assert "sync_job" in reopened.db.get_tables()
        far = datetime(2100, 1, 1, tzinfo=UTC)  # never re-read: first in line
        assert reopened.threads_to_refresh(shop_account.id, 10, far) == [thread_id]
        assert reopened.job_count(shop_account.id, "conversation") == 0
    finally:
        reopened.close()


def test_a_v8_database_learns_why_posts_are_unavailable_and_marks_the_blocked_ones(
    store, shop_bsky_account, make_post
):
    """Before v9, a post hidden by a block was stored deleted, its raw JSON replaced by
    the blockedPost node: the conversation called it deleted. The upgrade adds the column
    and marks those posts blocked; a truly deleted one stays deleted."""
    from app.core import sentiment
    from app.core.models import Network, Unavailable
    from app.storage.migrations import write_meta

    hidden, gone, live = (
        make_post(f"at://did:plc:{who}/app.bsky.feed.post/3kaaaaaaaa00{n}", text, author=who,
                  minutes=n, network=Network.BLUESKY)
        for n, who, text in ((1, "cat", "my order never came"), (2, "dan", "me too"),
                             (3, "eve", "mine came"))
    )  # fmt: skip
    store.ingest(shop_bsky_account.id, [hidden, gone, live], sentiment.score)
    old_blocked = (
        '{"$type":"app.bsky.feed.defs#blockedPost","author":{"did":"did:plc:cat"},'
        '"blocked":true,"uri":"' + hidden.remote_id + '"}'
    )
    old_gone = '{"$type":"app.bsky.feed.defs#notFoundPost","notFound":true,"uri":"x"}'
    q = store.db.param
    for remote_id, raw in ((hidden.remote_id, old_blocked), (gone.remote_id, old_gone)):
        store.db.execute_sql(
            f"UPDATE post SET deleted = {q}, raw_json = {q} WHERE remote_id = {q}",
            (True, raw, remote_id),
        )
    store.db.execute_sql("ALTER TABLE post DROP COLUMN unavailable")  # as v8 left it
    write_meta(store.db, "schema_version", 8)

    assert migrate(store.db) == latest_version()

    assert "unavailable" in {c.name for c in store.db.get_columns("post")}
    posts = {
        sp.post.remote_id: sp.post
        for row in store.list_threads(ThreadQuery(), 0, 10)
        for sp in store.thread_posts(row.id)
    }
    assert posts[hidden.remote_id].unavailable is Unavailable.BLOCKED
    assert posts[hidden.remote_id].text == "my order never came"
    assert posts[gone.remote_id].deleted and posts[gone.remote_id].unavailable is None
    assert not posts[live.remote_id].deleted and posts[live.remote_id].unavailable is None
