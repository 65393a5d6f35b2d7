"""Team mode's database: the inbox on a real PostgreSQL server (tests/run.sh starts one).

The storage suites run on both engines (their `store` is parametrised); this module
holds what is PostgreSQL's own: the schema made on connect, one migrator at a time,
search through the tsvector index finding what FTS5 finds, the send lock across
processes, and a calm error when the server is not there.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from app.core.errors import StorageError
from app.core.models import Folder, Network, ThreadStatus
from app.core.outbox import SendLock
from app.core.ports import ThreadQuery
from app.storage import pg_search, thread_queries
from app.storage import tables as t
from app.storage.inbox_store import SqliteInboxStore
from app.storage.migrations import latest_version, schema_version
from app.storage.postgres import MIGRATION_LOCK, open_postgres, open_team_store
from app.storage.raw_sql import execute
from tests.fixtures.storage import SHOP_BLUESKY, SHOP_MASTODON, KeywordScorer
from tests.waiting import wait_until

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parent.parent


def _schema(db) -> list[tuple[str, ...]]:
    """Every column and index of the public schema, as the server describes them."""
    columns = execute(
        db,
        """
        SELECT table_name, column_name, data_type, coalesce(column_default, '')
          FROM information_schema.columns WHERE table_schema = 'public'
         ORDER BY 1, 2""",
    ).fetchall()
    indexes = execute(
        db, "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1"
    ).fetchall()
    return [tuple(map(str, r)) for r in [*columns, *indexes]]


def test_a_new_team_database_gets_every_table_and_the_search_index(pg_store):
    db = pg_store.db
    assert schema_version(db) == latest_version()
    assert {"account", "post", "thread", "draft", "template", "outbox_item", "meta"} <= set(
        db.get_tables()
    )
    (index,) = execute(
        db, "SELECT indexdef FROM pg_indexes WHERE indexname = %s", (pg_search.INDEX_NAME,)
    ).fetchone()
    assert "USING gin" in index and "WHERE (NOT deleted)" in index


def test_opening_the_team_database_again_changes_nothing(pg_database):
    first = open_team_store(pg_database)
    before = _schema(first.db)
    first.close()
    again = open_team_store(pg_database)
    assert _schema(again.db) == before
    assert schema_version(again.db) == latest_version()
    again.close()


def test_a_login_that_does_not_own_the_tables_opens_the_inbox_too(pg_server, pg_database):
    """Only the owner may create or replace the search function and index: a login that
    was only granted use of the tables opens the inbox without trying to."""
    role = f"sam_{uuid.uuid4().hex[:8]}"
    owner = open_postgres(pg_database, bind=False)
    execute(owner, f'CREATE ROLE "{role}" LOGIN')
    execute(
        owner, f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"'
    )
    execute(owner, f'GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO "{role}"')
    owner.close()
    parts = urlsplit(pg_database)
    as_sam = parts._replace(netloc=f"{role}@{parts.hostname}:{parts.port}").geturl()
    try:
        sams = open_team_store(as_sam)
        sams.add_account(SHOP_MASTODON)
        assert sams.list_threads(ThreadQuery(search="parcel"), 0, 10) == []
        sams.close()
    finally:
        pg_server.drop(parts.path.lstrip("/"))  # the role's rights go with the database
        execute(pg_server.admin, f'DROP ROLE IF EXISTS "{role}"')


def test_a_second_laptop_waits_while_the_first_one_migrates(pg_server):
    """Two laptops opening a new team database at once: the second waits for the first's
    migration lock instead of creating the same tables beside it."""
    url = pg_server.create(f"shopkeep_empty_{os.getpid()}_{time.monotonic_ns()}")
    first = open_postgres(url, bind=False)
    execute(first, "SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))  # "migrating"
    second = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from app.storage.postgres import open_team_store; "
            "open_team_store(sys.argv[1]).close(); print('opened')",
            url,
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until(lambda: _waiting_for_advisory_lock(first), "the second laptop to wait")
        assert "post" not in first.get_tables()  # it made nothing while the lock was held
        execute(first, "SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))
        out, err = second.communicate(timeout=60)
        assert second.returncode == 0, err
        assert out.strip() == "opened"
        assert schema_version(first) == latest_version()
    finally:
        if second.poll() is None:
            second.kill()
            second.wait(timeout=10)
        first.close()
        pg_server.drop(url.rsplit("/", 1)[1])


def _waiting_for_advisory_lock(db) -> bool:
    (waiting,) = execute(
        db, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
    ).fetchone()
    return bool(waiting)


# ----------------------------------------------------------------- search

SEARCHES = [
    "croissant",
    "croissants",
    "CROISSANTS?",
    "@hal",
    "hal@town.example",
    "town",
    "cake late",
    "cake sunday",
    "ake",
    "nore",
    "you",
    "yo",
    "you!",
    "rye",
    "spelt",
    "Quinn",
    "quinn.bsky.social",
    "bsky",
    '"refund',
    "refund'); DROP TABLE post; --",
    "ord",
    "order 42",
    "42",
    "4",
    "don't",
    "dont",
    "can",
    "broken-hearted",
    "hearted",
    "ship",
    "!!!",
    "x" * 300,
    "number_7",
]


def _build_inbox(store: SqliteInboxStore, make_post) -> None:
    score = KeywordScorer()
    mastodon = store.add_account(SHOP_MASTODON)
    bluesky = store.add_account(SHOP_BLUESKY)
    store.ingest(
        mastodon.id,
        [
            make_post("a1", "My cake was broken and late", author="ann", minutes=10),
            make_post("h1", "Love the rye loaf", author="hal", minutes=20),
            make_post("n1", "Are you open on Sunday? Order 42 please", author="ned", minutes=30),
            make_post("r1", "Refund! Don't ignore me. Broken-hearted", author="rob", minutes=35),
            make_post("g1", "gone soon: spelt", author="gus", minutes=36),
            make_post("u1", "see number_7 please", author="uma", minutes=37),
        ],
        score,
    )
    store.ingest(
        bluesky.id,
        [
            make_post(
                "at://q/1",
                "Do you ship croissants?",
                author="quinn",
                minutes=40,
                network=Network.BLUESKY,
            ),
        ],
        score,
    )
    store.ingest(
        mastodon.id,
        [  # deleted posts are never found
            make_post("g1", "gone soon: spelt", author="gus", minutes=36, deleted=True),
        ],
        score,
    )


def _found(store: SqliteInboxStore) -> dict[str, list[str]]:
    return {
        q: [r.author_name for r in store.list_threads(ThreadQuery(search=q), 0, 50)]
        for q in SEARCHES
    }


def test_search_finds_what_fts5_finds(tmp_path, pg_database, make_post):
    """The same search box on both engines: the same threads, in the same order."""
    local = SqliteInboxStore.open(tmp_path / "shopkeep.sqlite3")
    _build_inbox(local, make_post)
    on_sqlite = _found(local)
    local.close()

    team = open_team_store(pg_database)
    _build_inbox(team, make_post)
    on_postgres = _found(team)
    team.close()

    assert on_postgres == on_sqlite
    assert on_sqlite["croissant"] == ["Quinn"]  # the last word is a prefix
    assert on_sqlite["spelt"] == []  # deleted
    assert on_sqlite["hal@town.example"] == ["Hal"]  # handles split into words


def _copies(db, table: str, source_id: int, count: int, **changed: str) -> None:
    """`count` copies of one row made on the server (`i` numbers them in `changed`)."""
    skipped = {"id", *pg_search.GENERATED_COLUMNS.get(table, ())}  # the server fills these
    columns = [c.name for c in db.get_columns(table) if c.name not in skipped]
    values = [changed.get(c, f"src.{c}") for c in columns]
    execute(
        db,
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} "
        f"FROM {table} AS src, generate_series(1, {count}) AS i WHERE src.id = %s",
        (source_id,),
    )


def _twenty_thousand_posts(store, shop_account, make_post, keyword_score) -> None:
    """20,000 posts about bread in 1,000 threads, one of them also about zanzibar."""
    db = store.db
    store.ingest(shop_account.id, [make_post("p0", "common words about bread")], keyword_score)
    (thread_id, post_id) = execute(db, "SELECT thread_id, id FROM post").fetchone()
    _copies(db, "thread", thread_id, 1000, root_remote_id="'r' || i")
    _copies(
        db,
        "post",
        post_id,
        20000,
        remote_id="'p' || i",
        thread_id=f"(SELECT min(id) + mod(i, 1000) FROM thread WHERE id > {thread_id})",
        text="'common words about bread number ' || i "
        "|| CASE WHEN i = 7777 THEN ' zanzibar' ELSE '' END",
    )
    execute(db, "ANALYZE")  # what autovacuum does after a big insert, within a minute:
    execute(db, "SELECT gin_clean_pending_list(%s)", (pg_search.INDEX_NAME,))  # and this


@pytest.mark.engines("postgres")  # `store` (which shop_account uses) on PostgreSQL
def test_a_rare_word_is_found_through_the_gin_index(store, shop_account, make_post, keyword_score):
    """20,000 posts in 1,000 threads: the search reads the tsvector index, not every post
    (the plan is the test's business, the timings bench's)."""
    db = store.db
    _twenty_thousand_posts(store, shop_account, make_post, keyword_score)
    assert len(store.list_threads(ThreadQuery(search="zanzibar"), 0, 100)) == 1
    hits = pg_search.matching_threads("zanzibar")
    assert hits is not None
    plan = "\n".join(r[0] for r in execute(db, "EXPLAIN " + hits.sql[1:-1], hits.params))
    assert f"Bitmap Index Scan on {pg_search.INDEX_NAME}" in plan, plan
    assert "Seq Scan on post" not in plan, plan
    # A common word walks the threads newest first and checks each one's posts: the
    # check reads the stored vector. On an expression index it recomputed each post's
    # vector (120 ms a page at 100,000 posts), and with no statistics of the
    # expression the planner walked every thread for a rare word (4 s; bench/README.md).
    select = thread_queries.select_threads(ThreadQuery(search="bread")).limit(100)
    sql, params = select.sql()
    plan = "\n".join(r[0] for r in execute(db, "EXPLAIN " + sql, params))
    assert "to_tsvector" not in plan and "regexp_replace" not in plan, plan
    # A rare word: its few hits first, then their threads by id, whatever the planner
    # guesses a word prefix matches (a fixed share of the posts: it walked every thread).
    select = thread_queries.select_threads(ThreadQuery(search="zanzibar")).limit(100)
    sql, params = select.sql()
    plan = "\n".join(r[0] for r in execute(db, "EXPLAIN " + sql, params))
    assert "Seq Scan on thread" not in plan and "Index Scan using thread_pkey" in plan, plan


class _Statements:
    """Counts the statements a database is sent (one each is a round trip to the server)."""

    def __init__(self, db) -> None:
        self.sent = 0
        self._send = db.execute_sql
        db.execute_sql = self

    def __call__(self, sql, params=None, *args, **kwargs):
        self.sent += 1
        return self._send(sql, params, *args, **kwargs)


@pytest.mark.engines("postgres")
def test_a_rare_word_is_searched_in_one_statement_that_counts_its_own_hits(
    store, shop_account, make_post, keyword_score
):
    """A rare word is one trip to the server after the snooze check: the count of hits
    that picks the plan is made inside the page's statement (its threads by id). A
    common word is told so by that count, without the page part running, and walks
    the threads newest first in a second statement."""
    db = store.db
    _twenty_thousand_posts(store, shop_account, make_post, keyword_score)
    for word, page, sent in (("zanzibar", 1, 2), ("bread", 100, 3), ("nowhere", 0, 2)):
        statements = _Statements(db)
        found = store.list_threads(ThreadQuery(search=word), 0, 100)
        del db.execute_sql
        assert len(found) == page, word
        assert statements.sent == sent, word  # snoozes due, the page (, the walk)

    def plan(word: str) -> str:
        statement = thread_queries.rare_word_statement(ThreadQuery(search=word), 0, 100)
        assert statement is not None
        sql, params = statement
        return "\n".join(r[0] for r in execute(db, "EXPLAIN ANALYZE " + sql, params))

    def ran(plan: str, node: str) -> list[bool]:
        """For each line of the plan naming `node`: whether it ran."""
        return ["never executed" not in line for line in plan.splitlines() if node in line]

    rare, common = plan("zanzibar"), plan("bread")
    assert not any(ran(rare, "Seq Scan on thread")), rare
    assert ran(rare, "Index Scan using thread_pkey") == [True], rare
    assert ran(common, "Index Scan using thread_pkey") == [False], common
    # Typing in the box asks again with other words: the statement is composed once.
    composed = thread_queries._first_rare_word_page.cache_info().hits
    for typed in ("zanz", "zanzi", "zanzibar"):
        thread_queries.rare_word_statement(ThreadQuery(search=typed), 0, 100)
    assert thread_queries._first_rare_word_page.cache_info().hits >= composed + 2
    # Pages further on and "angriest first" come out as the counted-first search gave them.
    for query in (
        ThreadQuery(search="bread", sort="sentiment"),
        ThreadQuery(search="bread"),
        ThreadQuery(search="zanzibar", sort="sentiment"),
        ThreadQuery(search="zanzibar", folder=Folder.DONE),
    ):
        for offset in (0, 100):
            one = [r[0] for r in thread_queries.page_rows(query, offset, 100)]
            before = thread_queries.select_threads(query).offset(offset).limit(100)
            assert one == [r.id for r in before], (query, offset)


@pytest.mark.engines("postgres")
def test_the_inbox_counts_read_small_indexes(store, shop_account, make_post, keyword_score):
    """Opening the inbox counts Complaints and unread threads: 5,000 threads here, and
    each count reads an index of exactly those threads, not every thread row."""
    db = store.db
    store.ingest(shop_account.id, [make_post("p0", "the cake was awful")], keyword_score)
    (thread_id,) = execute(db, "SELECT id FROM thread").fetchone()
    _copies(
        db,
        "thread",
        thread_id,
        5000,
        root_remote_id="'r' || i",
        status="CASE WHEN mod(i, 3) = 0 THEN 'done' ELSE 'needs_reply' END",
        unread_count="mod(i, 2)",
    )
    execute(db, "ANALYZE")
    unread_open = sum(1 for i in range(1, 5001) if i % 3 and i % 2)
    assert store.unread_threads() == unread_open + 1  # and the first thread
    for name, query in {
        "thread_open_negative": t.Thread.select(t.Thread.id).where(
            thread_queries.folder_condition(Folder.NEGATIVE, datetime.now(UTC))
        ),
        "thread_open_unread": t.Thread.select(t.Thread.id).where(
            (t.Thread.unread_count > 0)
            & t.Thread.status.in_((ThreadStatus.NEEDS_REPLY.value, ThreadStatus.REPLIED.value))
        ),
    }.items():
        sql, params = query.sql()
        plan = "\n".join(
            r[0] for r in execute(db, f"EXPLAIN SELECT count(*) FROM ({sql}) AS x", params)
        )
        assert f"Index Only Scan using {name}" in plan, plan


# ------------------------------------------------------------- send lock


@pytest.fixture
def lock_holder(pg_database) -> Iterator[subprocess.Popen[str]]:
    """Another process holding account 1's send lock until it is killed."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from app.storage.postgres import open_postgres; "
            "from app.storage import pg_locks\n"
            "with pg_locks.hold(open_postgres(sys.argv[1]), pg_locks.SEND_LOCKS, 1) as ours:\n"
            "    print('held' if ours else 'refused', flush=True); sys.stdin.read()",
            pg_database,
        ],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    yield holder
    if holder.poll() is None:
        holder.kill()
    holder.communicate(timeout=10)


def test_a_killed_sender_on_another_laptop_frees_its_accounts_send_lock(pg_database, lock_holder):
    assert lock_holder.stdout is not None
    assert lock_holder.stdout.readline().strip() == "held"
    store = open_team_store(pg_database)
    with store.sending_lock(1) as ours, store.sending_lock(2) as other_account:
        # ours on the server: 'sending' items still wait out their lease (see test_team_claims)
        assert (ours, other_account) == (SendLock.OTHERS, SendLock.SERVER)

    os.kill(lock_holder.pid, signal.SIGKILL)
    lock_holder.wait(timeout=10)

    def free() -> bool:
        with store.sending_lock(1) as now_ours:
            return now_ours

    wait_until(free, "the server to drop the dead holder's lock")
    store.close()


# --------------------------------------------------------------- errors


def test_an_unreachable_team_database_is_a_calm_error_without_the_password():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(StorageError) as caught:
        open_team_store(f"postgresql://shop@127.0.0.1:{port}/inbox", password="s3cret-pw")
    assert "could not reach the team database" in caught.value.user_message
    assert "s3cret-pw" not in str(caught.value) + caught.value.user_message


@pytest.mark.parametrize("required", [True, False], ids=["run.sh", "by hand"])
def test_a_postgres_test_without_a_server_fails_under_the_test_script(required):
    """tests/run.sh says the server is required: a missing one fails the test; by hand
    (no run.sh, not CI) it is skipped with the reason."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SHOPKEEP_TEST_PG_DSN", "SHOPKEEP_TEST_POSTGRES", "CI")
    }
    if required:
        env["SHOPKEEP_TEST_POSTGRES"] = "required"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-q",
            "-rs",
            "tests/test_storage_threads.py::test_folders_and_counts[postgres]",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if required:
        assert result.returncode == 1, result.stdout
        assert "1 error" in result.stdout and "no PostgreSQL server" in result.stdout
        assert "skipped" not in result.stdout
    else:
        assert result.returncode == 0, result.stdout
        assert "1 skipped" in result.stdout and "tests/run.sh starts" in result.stdout
