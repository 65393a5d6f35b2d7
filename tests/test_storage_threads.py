"""The thread list: smart folders, filters, sort, counts and full-text search."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.core.models import Folder, Network, SentimentLabel, ThreadStatus
from app.core.ports import ThreadQuery
from app.storage import thread_queries
from app.storage.fts import create_fts, fts_query, rebuild_fts
from tests.fixtures.storage import T0

# Every test here runs on SQLite and on PostgreSQL (team mode): tests/fixtures/storage.py.
pytestmark = pytest.mark.engines("sqlite", "postgres")


@pytest.fixture
def inbox(store, shop_account, shop_bsky_account, make_post, keyword_score):
    """Four threads: angry (Mastodon), happy, neutral-then-done, a Bluesky question."""
    store.ingest(
        shop_account.id,
        [
            make_post("a1", "My cake was broken and late", author="ann", minutes=10),
            make_post("h1", "Love the rye loaf", author="hal", minutes=20),
            make_post("n1", "Are you open on Sunday?", author="ned", minutes=30),
        ],
        keyword_score,
    )
    store.ingest(
        shop_bsky_account.id,
        [make_post("at://q/1", "Do you ship croissants?", author="quinn", minutes=40,
                   network=Network.BLUESKY)],
        keyword_score,
    )  # fmt: skip
    ids = {r.author_name: r.id for r in store.list_threads(ThreadQuery(), 0, 100)}
    store.set_status(ids["Ned"], ThreadStatus.DONE)
    return ids


def names(rows):
    return [r.author_name for r in rows]


def test_all_folder_newest_first(store, inbox):
    assert names(store.list_threads(ThreadQuery(), 0, 10)) == ["Quinn", "Ned", "Hal", "Ann"]


def test_paging_with_offset_and_limit(store, inbox):
    assert names(store.list_threads(ThreadQuery(), 1, 2)) == ["Ned", "Hal"]


def test_sentiment_sort_puts_the_angriest_first(store, inbox):
    rows = store.list_threads(ThreadQuery(sort="sentiment"), 0, 10)
    assert rows[0].author_name == "Ann"
    assert rows[-1].author_name == "Hal"


def test_folders_and_counts(store, inbox):
    counts = store.folder_counts()
    assert counts[Folder.ALL] == 4
    assert counts[Folder.NEEDS_REPLY] == 3
    assert counts[Folder.NEGATIVE] == 1
    assert counts[Folder.DONE] == 1
    assert counts[Folder.DRAFTS] == counts[Folder.OUTBOX] == counts[Folder.SENT] == 0
    for folder, n in counts.items():
        assert store.count_threads(ThreadQuery(folder=folder)) == n
    assert names(store.list_threads(ThreadQuery(folder=Folder.DONE), 0, 10)) == ["Ned"]


def test_negative_folder_leaves_out_done_threads(store, inbox):
    store.set_status(inbox["Ann"], ThreadStatus.DONE)
    assert store.count_threads(ThreadQuery(folder=Folder.NEGATIVE)) == 0


def test_set_status_returns_the_previous_one_for_undo(store, inbox):
    assert store.set_status(inbox["Ann"], ThreadStatus.DONE) == ThreadStatus.NEEDS_REPLY
    assert store.set_status(inbox["Ann"], ThreadStatus.NEEDS_REPLY) == ThreadStatus.DONE


def test_snoozed_thread_leaves_needs_reply_until_it_wakes(store, inbox):
    from datetime import UTC, datetime

    soon = datetime.now(UTC) + timedelta(hours=2)
    store.set_status(inbox["Ann"], ThreadStatus.SNOOZED, snoozed_until=soon)
    assert "Ann" not in names(store.list_threads(ThreadQuery(folder=Folder.NEEDS_REPLY), 0, 10))

    assert store.thread(inbox["Ann"]).status == ThreadStatus.SNOOZED

    store.set_status(inbox["Ann"], ThreadStatus.SNOOZED, snoozed_until=T0)  # already due
    assert store.wake_snoozed(now=T0 - timedelta(hours=1)) == []
    assert "Ann" in names(store.list_threads(ThreadQuery(folder=Folder.NEEDS_REPLY), 0, 10))
    assert store.thread(inbox["Ann"]).status == ThreadStatus.NEEDS_REPLY
    assert store.thread(inbox["Ann"]).snoozed_until is None


def test_filters_account_network_label_status_dates(store, inbox, shop_bsky_account):
    assert names(store.list_threads(ThreadQuery(network=Network.BLUESKY), 0, 10)) == ["Quinn"]
    acct = ThreadQuery(account_id=shop_bsky_account.id)
    assert names(store.list_threads(acct, 0, 10)) == ["Quinn"]
    neg = ThreadQuery(label=SentimentLabel.NEGATIVE)
    assert names(store.list_threads(neg, 0, 10)) == ["Ann"]
    done = ThreadQuery(status=ThreadStatus.DONE)
    assert names(store.list_threads(done, 0, 10)) == ["Ned"]
    window = ThreadQuery(since=T0 + timedelta(minutes=15), until=T0 + timedelta(minutes=35))
    assert names(store.list_threads(window, 0, 10)) == ["Ned", "Hal"]


def test_search_finds_threads_by_text_and_author(store, inbox):
    assert names(store.list_threads(ThreadQuery(search="croissant"), 0, 10)) == ["Quinn"]
    assert names(store.list_threads(ThreadQuery(search="@hal"), 0, 10)) == ["Hal"]
    assert names(store.list_threads(ThreadQuery(search="cake late"), 0, 10)) == ["Ann"]
    assert store.count_threads(ThreadQuery(search="cake sunday")) == 0
    both = ThreadQuery(search="you", folder=Folder.NEEDS_REPLY)
    assert names(store.list_threads(both, 0, 10)) == ["Quinn"]  # Ned's is done


def test_search_text_is_sanitised(store, inbox):
    for nasty in ['"', "AND", "cake OR", "NEAR(", "*", "a:b", "-cake", "^", "(((", "'; DROP"]:
        store.list_threads(ThreadQuery(search=nasty), 0, 10)  # never an FTS syntax error
    assert fts_query('@ann "refund') == '"ann" "refund"*'
    assert fts_query("cake ") == '"cake"'
    assert fts_query("!!!") is None
    # no word to index: matched as text (no post says "!!!"), never "no filter, show all"
    assert store.count_threads(ThreadQuery(search="!!!")) == 0
    assert store.count_threads(ThreadQuery(search="?")) == 2


def test_search_follows_edits(store, shop_account, make_post, keyword_score, inbox):
    from dataclasses import replace

    hal = make_post("h1", "Love the rye loaf", author="hal", minutes=20)
    store.ingest(shop_account.id, [replace(hal, text="Love the spelt loaf")], keyword_score)
    assert store.count_threads(ThreadQuery(search="rye")) == 0
    assert store.count_threads(ThreadQuery(search="spelt")) == 1


@pytest.mark.engines("sqlite")  # SQLite's plan, triggers and FTS5 table
def test_rare_word_search_over_100k_posts_is_fast(store, shop_account):
    """Bulk-load 100k posts in 5k threads: a rare-word search starts from the full-text
    index and the first page walks the activity index, so neither reads every row
    (measured: < 20 ms each; the figures are bench's job, the plan is the test's)."""
    from app.storage import tables

    bulk_insert(
        store.db,
        tables.Thread,
        (
            {"account": shop_account.id, "network": "mastodon", "root_remote_id": f"r{i}",
             "last_activity": T0 + timedelta(seconds=i)}
            for i in range(5000)
        ),
    )  # fmt: skip
    store.db.execute_sql("DROP TRIGGER post_fts_ai")  # bulk load, then index in one go
    bulk_insert(
        store.db,
        tables.Post,
        (
            {"account": shop_account.id, "thread": 1 + i % 5000, "network": "mastodon",
             "remote_id": f"p{i}", "created_at": T0,
             "text": f"common words about bread number {i}" + (" zanzibar" * (i == 77777))}
            for i in range(100_000)
        ),
    )  # fmt: skip
    rebuild_fts(store.db)
    create_fts(store.db)
    query = ThreadQuery(search="zanzibar")
    assert len(store.list_threads(query, 0, 100)) == 1
    search = _plan(store, query)
    scans = [step for step in search if step.startswith("SCAN ")]  # reads of whole tables
    assert len(scans) == 1 and scans[0].startswith("SCAN post_fts VIRTUAL TABLE INDEX"), search
    first_page = _plan(store, ThreadQuery())
    # One index walk in activity order; per row only index lookups (the reply state).
    assert first_page[0] == "SCAN t1 USING INDEX thread_last_activity", first_page
    assert not [s for s in first_page[1:] if s.startswith("SCAN ") or "TEMP B-TREE" in s], (
        first_page
    )


def _plan(store, query):
    """SQLite's plan for the thread list's query: how it finds rows, not how long it took."""
    sql, params = thread_queries.select_threads(query).limit(100).sql()
    return [row[3] for row in store.db.execute_sql("EXPLAIN QUERY PLAN " + sql, params)]


def bulk_insert(db, model, rows):
    """executemany with the models' defaults filled in (peewee's query builder is slow)."""
    fields = [f for f in model._meta.sorted_fields if f.name != "id"]
    base = [f.db_value(f.default() if callable(f.default) else f.default) for f in fields]
    index = {f.name: i for i, f in enumerate(fields)}

    def values(row):
        out = list(base)
        for name, value in row.items():
            out[index[name]] = fields[index[name]].db_value(value)
        return out

    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        model._meta.table_name,
        ", ".join(f.column_name for f in fields),
        ", ".join("?" * len(fields)),
    )
    with db.atomic():
        db.connection().executemany(sql, (values(r) for r in rows))


def test_posts_for_threads_matches_thread_posts(
    store, inbox, shop_account, make_post, keyword_score
):
    store.ingest(
        shop_account.id,
        [make_post("a2", "Still broken", author="ann", minutes=50, parent="a1", root="a1")],
        keyword_score,
    )
    ids = list(inbox.values())
    found = store.posts_for_threads([*ids, 999_999])
    assert set(found) == {*ids, 999_999} and found[999_999] == []
    for thread_id in ids:
        assert found[thread_id] == store.thread_posts(thread_id)
    assert len(found[inbox["Ann"]]) == 2
    assert store.posts_for_threads([]) == {}
