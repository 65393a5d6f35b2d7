"""Sync work is durable: nothing an interrupted sync left undone is lost.

Stories from issue 19: a 503 in the middle of the conversation fetches left 180
of 300 mentions without their parent for good, because the cursor was saved
before the conversations were fetched. Now the mentions page and the list of
conversations still to fetch are stored together, and the next sync starts
with what is left.
"""

from __future__ import annotations

import pytest

from app.core.errors import ServerError
from app.core.models import Network, ThreadStatus
from app.core.ports import ThreadQuery
from app.core.sync import SyncService
from app.core.sync_work import CONVERSATION, FREE_RETRIES
from tests.mastodon_server import MastodonServer
from tests.sync_support import client_for, mastodon_account, score

# Every test here that takes `store` runs on SQLite and on PostgreSQL (team mode).
pytestmark = pytest.mark.engines("sqlite", "postgres")


@pytest.fixture
def shop(store, mastodon_server):
    return mastodon_account(store, mastodon_server)


@pytest.fixture
def ann(mastodon_server):
    return mastodon_server.add_account("ann", "town.example", display_name="Ann")


@pytest.fixture
def bob(mastodon_server):
    return mastodon_server.add_account("bob", "far.example", display_name="Bob")


def sync(store, server: MastodonServer, shop, **kw):
    """One sync with the refresh off: only the durable work can bring conversations back."""
    kw.setdefault("refresh_limit", 0)
    return SyncService(store, lambda a: client_for(server), score, **kw).sync_account(shop)


def stored_ids(store) -> set[str]:
    return {r[0] for r in store.db.execute_sql("SELECT remote_id FROM post").fetchall()}


def conversations(server: MastodonServer, ann, bob, count: int) -> list[tuple[str, str]]:
    """`count` posts by Bob, each answered by Ann with an @mention of the shop."""
    pairs = []
    for n in range(count):
        root = server.add_status(bob, f"Has anyone tried cake number {n}?")
        reply = server.add_mention(ann, f"Yes, cake {n} is lovely", in_reply_to=root)
        pairs.append((root["id"], reply["id"]))
    return pairs


def test_a_503_in_the_middle_of_the_conversations_loses_none_of_them(
    store, mastodon_server, shop, ann, bob
):
    pairs = conversations(mastodon_server, ann, bob, 8)
    mastodon_server.fail_path, mastodon_server.fail_after = "/api/v1/statuses", 6  # 3 of 8
    first = sync(store, mastodon_server, shop)
    assert isinstance(first.error, ServerError)
    assert len(stored_ids(store)) < 16  # some conversations were cut off
    assert store.job_count(shop.id, CONVERSATION) > 0  # ...and written down as still to do

    mastodon_server.fail_after = None
    second = sync(store, mastodon_server, shop)
    assert second.ok and second.conversations_waiting == 0
    assert stored_ids(store) == {i for pair in pairs for i in pair}  # every parent arrived
    threads = store.list_threads(ThreadQuery(account_id=shop.id), 0, 100)
    assert len(threads) == 8 and all(t.post_count == 2 for t in threads)  # none split
    assert store.job_count(shop.id, CONVERSATION) == 0


def test_the_conversations_wait_when_the_budget_is_spent_and_follow_next_time(
    store, mastodon_server, shop, ann, bob
):
    pairs = conversations(mastodon_server, ann, bob, 5)
    first = sync(store, mastodon_server, shop, thread_budget=2)
    assert first.ok and first.conversations_waiting == 3
    second = sync(store, mastodon_server, shop, thread_budget=2)
    assert second.conversations_waiting == 1
    third = sync(store, mastodon_server, shop, thread_budget=2)
    assert third.conversations_waiting == 0
    assert stored_ids(store) == {i for pair in pairs for i in pair}


def test_a_conversation_the_server_cannot_serve_backs_off_and_never_blocks_the_rest(
    store, mastodon_server, shop, ann, bob
):
    pairs = conversations(mastodon_server, ann, bob, 3)
    broken = pairs[0][1]
    mastodon_server.respond_next(
        f"/api/v1/statuses/{broken}", 200, "<html>oops</html>", content_type="text/html", times=100
    )
    for attempt in range(1, FREE_RETRIES + 2):
        report = sync(store, mastodon_server, shop)
        assert report.ok and report.unreadable_conversations == 1
        [job] = store.due_jobs(shop.id, CONVERSATION, report.finished_at, 10) or [None]
        if attempt <= FREE_RETRIES:
            assert job is not None and job.attempts == attempt  # tried on every sync
    # Failed three times: it waits a while; the other conversations came in regardless.
    assert store.due_jobs(shop.id, CONVERSATION, report.finished_at, 10) == []
    assert store.job_count(shop.id, CONVERSATION) == 1
    assert {pairs[1][0], pairs[2][0]} <= stored_ids(store)
    requests = len(mastodon_server.requests_to(f"/api/v1/statuses/{broken}"))
    assert sync(store, mastodon_server, shop).unreadable_conversations == 0
    assert len(mastodon_server.requests_to(f"/api/v1/statuses/{broken}")) == requests


def test_a_thread_the_customer_writes_in_again_reopens_even_when_done(
    store, mastodon_server, shop, ann
):
    first = mastodon_server.add_mention(ann, "Is the cafe open on Monday?")
    sync(store, mastodon_server, shop)
    [row] = store.list_threads(ThreadQuery(account_id=shop.id), 0, 10)
    store.set_status(row.id, ThreadStatus.DONE)
    mastodon_server.add_mention(ann, "@shop sorry, one more: and Tuesday?", in_reply_to=first)
    assert sync(store, mastodon_server, shop).ok
    assert store.thread(row.id).status is ThreadStatus.NEEDS_REPLY
    assert store.thread(row.id).network is Network.MASTODON
