"""Storing mentions: threads form, sentiment rolls up, re-syncing changes nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from app.core.models import Folder, SentimentLabel, ThreadStatus
from app.core.ports import ThreadQuery
from tests.fixtures.storage import T0

# Every test here runs on SQLite and on PostgreSQL (team mode): tests/fixtures/storage.py.
pytestmark = pytest.mark.engines("sqlite", "postgres")


def test_round_trip_keeps_every_field(store, shop_account, make_post, keyword_score):
    from app.core.models import MediaLink

    post = make_post(
        "110",
        "Where is my order? It is late",
        url="https://town.example/@ann/110",
        visibility="unlisted",
        content_warning="order trouble",
        media=(MediaLink("photo of the box", "https://town.example/m/1.jpg"),),
        mentions=("@cornerbakery@example.social",),
        language="en",
        raw_json='{"id": "110"}',
    )
    result = store.ingest(shop_account.id, [post], keyword_score)

    (stored,) = store.thread_posts(result.new_thread_ids[0])
    assert stored.post == post
    assert stored.sentiment.label == SentimentLabel.NEGATIVE
    assert stored.post.created_at.tzinfo is not None
    assert not stored.is_own


def test_three_mentions_in_two_threads_angry_one_first_by_sentiment(
    store, shop_account, make_post, keyword_score
):
    posts = [
        make_post("1", "I love your sourdough", author="ann", minutes=0),
        make_post("2", "thanks again, great bread", author="ann", parent="1", minutes=5),
        make_post("3", "My cake arrived broken, awful", author="bob", minutes=1),
    ]
    result = store.ingest(shop_account.id, posts, keyword_score)

    assert result.new_posts == 3
    assert len(result.new_thread_ids) == 2
    by_activity = store.list_threads(ThreadQuery(), 0, 100)
    assert [r.author_handle for r in by_activity] == ["@ann@town.example", "@bob@town.example"]
    by_anger = store.list_threads(ThreadQuery(sort="sentiment"), 0, 100)
    assert by_anger[0].author_handle == "@bob@town.example"
    assert by_anger[0].worst_label == SentimentLabel.NEGATIVE
    assert by_anger[0].reasons == ("negative word: awful", "negative word: broken")


def test_ingesting_the_same_posts_twice_changes_nothing(
    store, shop_account, make_post, keyword_score
):
    posts = [
        make_post("1", "hello", minutes=0),
        make_post("2", "awful service", parent="1", minutes=1),
        make_post("3", "sorry!", parent="2", own=True, minutes=2),
    ]
    store.ingest(shop_account.id, posts, keyword_score)
    before = (store.list_threads(ThreadQuery(), 0, 10), store.thread_posts(1))
    calls = len(keyword_score.calls)

    again = store.ingest(shop_account.id, list(reversed(posts)), keyword_score)

    assert again.new_posts == 0
    assert again.new_thread_ids == again.updated_thread_ids == ()
    assert again.new_negative_post_ids == ()
    assert len(keyword_score.calls) == calls  # nothing rescored
    assert (store.list_threads(ThreadQuery(), 0, 10), store.thread_posts(1)) == before


def test_thread_aggregates_worst_sentiment_last_activity_unread(
    store, shop_account, make_post, keyword_score
):
    store.ingest(
        shop_account.id,
        [
            make_post("1", "lovely croissants", minutes=0),
            make_post("2", "but the worst coffee, awful", author="cy", parent="1", minutes=3),
            make_post("3", "perfect", parent="2", minutes=7),
        ],
        keyword_score,
    )
    (row,) = store.list_threads(ThreadQuery(), 0, 10)
    assert row.post_count == 3
    assert row.worst_label == SentimentLabel.NEGATIVE
    assert row.last_activity == make_post("x", minutes=7).created_at
    assert row.unread
    assert row.snippet == "perfect"  # latest customer words

    store.mark_read(row.id)
    assert not store.thread(row.id).unread


def test_shop_reply_is_not_counted_as_customer_sentiment(
    store, shop_account, make_post, keyword_score
):
    store.ingest(
        shop_account.id,
        [
            make_post("1", "thanks for the bread", minutes=0),
            make_post("2", "Sorry it was late and broken, awful of us", own=True, parent="1"),
        ],
        keyword_score,
    )
    (row,) = store.list_threads(ThreadQuery(), 0, 10)
    assert row.worst_label == SentimentLabel.POSITIVE
    assert row.status == ThreadStatus.REPLIED
    assert store.ingest(shop_account.id, [], keyword_score).new_posts == 0


def test_new_customer_post_reopens_a_done_thread(store, shop_account, make_post, keyword_score):
    first = store.ingest(shop_account.id, [make_post("1", "hi", minutes=0)], keyword_score)
    thread_id = first.new_thread_ids[0]
    store.ingest(
        shop_account.id, [make_post("2", "hi!", own=True, parent="1", minutes=1)], keyword_score
    )
    assert store.thread(thread_id).status == ThreadStatus.REPLIED
    store.set_status(thread_id, ThreadStatus.DONE)

    result = store.ingest(
        shop_account.id, [make_post("3", "one more thing", parent="2", minutes=9)], keyword_score
    )

    assert result.updated_thread_ids == (thread_id,)
    assert store.thread(thread_id).status == ThreadStatus.NEEDS_REPLY
    assert store.thread(thread_id).unread


def test_old_customer_post_fetched_late_does_not_reopen(
    store, shop_account, make_post, keyword_score
):
    store.ingest(
        shop_account.id,
        [
            make_post("1", "hi", minutes=0),
            make_post("3", "answered", own=True, parent="1", minutes=5),
        ],
        keyword_score,
    )
    store.ingest(
        shop_account.id, [make_post("2", "and hello", parent="1", minutes=2)], keyword_score
    )
    (row,) = store.list_threads(ThreadQuery(), 0, 10)
    assert row.status == ThreadStatus.REPLIED
    assert not row.unread


def test_reply_arriving_before_its_parent_ends_up_in_one_thread(
    store, shop_account, make_post, keyword_score
):
    first = store.ingest(
        shop_account.id,
        [make_post("2", "still waiting, late", parent="1", minutes=4)],
        keyword_score,
    )
    orphan_thread = first.new_thread_ids[0]

    second = store.ingest(
        shop_account.id,
        [
            make_post("1", "ordered a cake", parent="0", minutes=0),
            make_post("0", "menu?", minutes=-5),
        ],
        keyword_score,
    )

    threads = store.list_threads(ThreadQuery(), 0, 10)
    assert len(threads) == 1
    assert threads[0].post_count == 3
    assert threads[0].worst_label == SentimentLabel.NEGATIVE
    assert orphan_thread in second.removed_thread_ids or threads[0].id == orphan_thread
    assert [p.post.remote_id for p in store.thread_posts(threads[0].id)] == ["0", "1", "2"]


def test_bluesky_root_groups_posts_in_any_order(store, shop_bsky_account, make_post, keyword_score):
    from app.core.models import Network

    root = "at://did:plc:ann/app.bsky.feed.post/1"
    posts = [
        make_post(f"at://x/{i}", "hi", network=Network.BLUESKY, parent=root, root=root, minutes=i)
        for i in range(3, 0, -1)
    ]
    store.ingest(shop_bsky_account.id, posts, keyword_score)
    store.ingest(
        shop_bsky_account.id,
        [make_post(root, "the first post", network=Network.BLUESKY, minutes=0)],
        keyword_score,
    )
    (row,) = store.list_threads(ThreadQuery(), 0, 10)
    assert row.post_count == 4


def test_edited_post_is_rescored_and_reported(store, shop_account, make_post, keyword_score):
    original = make_post("1", "nice bread")
    store.ingest(shop_account.id, [original], keyword_score)
    keyword_score.calls.clear()

    edited = replace(
        original, text="actually awful bread", edited_at=original.created_at + timedelta(hours=1)
    )
    result = store.ingest(shop_account.id, [edited], keyword_score)

    assert keyword_score.calls == ["actually awful bread"]
    assert result.new_posts == 0
    assert len(result.updated_thread_ids) == 1
    (stored,) = store.thread_posts(result.updated_thread_ids[0])
    assert result.new_negative_post_ids == (stored.id,)
    assert stored.post.edited_at == edited.edited_at
    assert store.thread(stored.thread_id).worst_label == SentimentLabel.NEGATIVE


def test_deleted_post_is_marked_and_leaves_the_aggregate(
    store, shop_account, make_post, keyword_score
):
    angry = make_post("2", "awful", parent="1", minutes=1)
    store.ingest(shop_account.id, [make_post("1", "great"), angry], keyword_score)

    store.ingest(shop_account.id, [replace(angry, deleted=True, text="")], keyword_score)

    (row,) = store.list_threads(ThreadQuery(), 0, 10)
    assert row.worst_label == SentimentLabel.POSITIVE
    assert row.post_count == 1
    posts = store.thread_posts(row.id)
    assert posts[1].post.deleted and posts[1].post.text == "awful"  # kept, marked
    assert store.count_threads(ThreadQuery(search="awful")) == 0


def test_new_negative_posts_are_reported_for_notifications(
    store, shop_account, make_post, keyword_score
):
    result = store.ingest(
        shop_account.id,
        [make_post("1", "terrible"), make_post("2", "love it", author="bo")],
        keyword_score,
    )
    assert len(result.new_negative_post_ids) == 1
    post = store.post(result.new_negative_post_ids[0])
    assert post.post.remote_id == "1"


def test_correcting_a_label_wins_over_the_score(store, shop_account, make_post, keyword_score):
    result = store.ingest(
        shop_account.id, [make_post("1", "great, thanks. late again")], keyword_score
    )
    (post,) = store.thread_posts(result.new_thread_ids[0])
    assert post.label == SentimentLabel.POSITIVE

    previous = store.correct_label(post.id, SentimentLabel.NEGATIVE)

    assert previous is None
    assert store.post(post.id).label == SentimentLabel.NEGATIVE
    assert store.folder_counts()[Folder.NEGATIVE] == 1
    assert store.correct_label(post.id, None) == SentimentLabel.NEGATIVE
    assert store.folder_counts()[Folder.NEGATIVE] == 0


def test_posts_are_kept_per_account(
    store, shop_account, shop_bsky_account, make_post, keyword_score
):
    """Mastodon status ids are server-local, so the same id on two accounts is two posts."""
    from app.core.models import AccountInfo, Network

    other = store.add_account(
        AccountInfo(Network.MASTODON, "https://other.example", "@shop@other.example", "77")
    )
    store.ingest(shop_account.id, [make_post("5", "hi")], keyword_score)
    store.ingest(other.id, [make_post("5", "hi")], keyword_score)
    assert store.count_threads(ThreadQuery()) == 2
    assert store.count_threads(ThreadQuery(account_id=other.id)) == 1


def test_the_store_implements_every_inbox_store_call():
    from app.core.ports import InboxStore
    from app.storage.inbox_store import SqliteInboxStore

    wanted = {n for n in vars(InboxStore) if not n.startswith("_")}
    assert wanted <= set(dir(SqliteInboxStore))


def test_storage_never_imports_qt():
    import subprocess
    import sys

    code = (
        "import sys, app.storage.inbox_store, app.storage.demo, app.storage.migrations;"
        "assert not [m for m in sys.modules if m.startswith('PySide6')]"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def _insert_trigger(store) -> list[str]:
    sql = "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'post_fts_ai'"
    return [row[0] for row in store.db.execute_sql(sql).fetchall()]


@pytest.mark.engines("sqlite")
def test_posts_written_one_by_one_after_a_sync_are_still_found_by_search(
    store, shop_account, make_post, keyword_score
):
    """A sync indexes its posts in bulk with the per-row trigger set aside; the trigger is
    back once the batch is stored, for every other writer (demo data, a restore)."""
    from app.storage.fts import create_fts

    before = _insert_trigger(store)
    posts = [make_post(str(i), f"parcel {i} is late", author=f"c{i}") for i in range(30)]
    store.ingest(shop_account.id, posts, keyword_score)

    assert _insert_trigger(store) == before != []
    create_fts(store.db)  # what a start-up runs: nothing to add, nothing doubled
    assert _insert_trigger(store) == before
    _write_one_post_by_hand(store, shop_account.id, "p-hand", "zanzibar cake")
    assert store.count_threads(ThreadQuery(search="zanzibar")) == 1
    assert store.count_threads(ThreadQuery(search="parcel")) == 30


@pytest.mark.engines("sqlite")
def test_a_batch_that_fails_while_storing_leaves_search_working(
    store, shop_account, make_post, keyword_score
):
    """A bad row makes the whole batch roll back: the indexing trigger set aside for the
    batch comes back with it, and nothing half-written is found."""
    import sqlite3

    good = [make_post(str(i), f"sourdough {i}", author=f"c{i}") for i in range(5)]
    bad = make_post("bad", "sourdough again", url=None)  # NOT NULL: the insert fails
    before = _insert_trigger(store)

    with pytest.raises(sqlite3.IntegrityError):
        store.ingest(shop_account.id, [*good, bad], keyword_score)

    assert _insert_trigger(store) == before != []
    assert store.count_threads(ThreadQuery(search="sourdough")) == 0
    store.ingest(shop_account.id, good, keyword_score)
    _write_one_post_by_hand(store, shop_account.id, "p-hand", "zanzibar cake")
    assert store.count_threads(ThreadQuery(search="sourdough")) == 5
    assert store.count_threads(ThreadQuery(search="zanzibar")) == 1


@pytest.mark.engines("sqlite")
def test_a_sync_that_brings_nothing_new_leaves_the_schema_alone(
    store, shop_account, make_post, keyword_score
):
    """Setting the trigger aside changes the schema, and every open window connection then
    reads it again: the usual sync that finds nothing new must not do that."""
    posts = [make_post(str(i), f"parcel {i} is late", author=f"c{i}") for i in range(30)]
    store.ingest(shop_account.id, posts, keyword_score)
    (version,) = store.db.execute_sql("PRAGMA schema_version").fetchone()

    store.ingest(shop_account.id, posts, keyword_score)

    assert store.db.execute_sql("PRAGMA schema_version").fetchone() == (version,)
    assert _insert_trigger(store) != []


def _write_one_post_by_hand(store, account_id: int, remote_id: str, text: str) -> None:
    """One INSERT the ordinary way, as any writer other than ingest does."""
    from app.storage import tables

    with store.db.atomic():
        thread = tables.Thread.create(
            account=account_id, network="mastodon", root_remote_id=remote_id,
            last_activity=T0, post_count=1,
        )  # fmt: skip
        tables.Post.create(
            account=account_id, thread=thread, network="mastodon", remote_id=remote_id,
            created_at=T0, text=text,
        )  # fmt: skip


def test_a_first_sync_is_stored_without_a_collector_pass_and_leaves_the_collector_on(
    store, shop_account, make_post, keyword_score
):
    """The rows of a big batch live until it is stored: a collector pass over them (and
    a full one over everything the app holds) is time the writer spends for nothing."""
    import gc

    passes: list[int] = []

    def count(phase: str, info: dict) -> None:
        if phase == "start":
            passes.append(info["generation"])

    posts = [
        make_post(str(i), f"parcel {i} is late" if i % 4 else f"thanks {i}", author=f"c{i % 90}")
        for i in range(2000)
    ]
    gc.callbacks.append(count)
    try:
        store.ingest(shop_account.id, posts, keyword_score)
    finally:
        gc.callbacks.remove(count)

    # none while storing; at most one once the batch is stored (young, or the middle
    # generation when the process's earlier passes make it due)
    assert passes in ([], [0], [1])
    assert gc.isenabled()
    assert store.count_threads(ThreadQuery(search="parcel")) == 1500


def test_a_failed_batch_leaves_the_collector_on_and_a_paused_one_paused(
    store, shop_account, make_post, keyword_score
):
    import gc

    with pytest.raises(Exception):  # noqa: B017  # whatever the store reports for it
        store.ingest(shop_account.id + 1000, [make_post("1", "hello")], keyword_score)
    assert gc.isenabled()

    gc.disable()  # someone else paused it: a batch does not switch it back on
    try:
        store.ingest(shop_account.id, [make_post("2", "hello")], keyword_score)
        assert not gc.isenabled()
    finally:
        gc.enable()
