"""Every open conversation stays fresh: the refresh reaches all threads not Done.

Issue 19: only the 20 newest Needs-reply threads of the last 14 days were re-read,
so with 121 open threads a reply without an @mention, an edit and a deletion in
an older one never arrived. Now each sync re-reads the threads checked longest
ago, `refresh_limit` of them, so N open threads are all re-read within
N / refresh_limit syncs, at a bounded cost per sync.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest

from app.core.models import ThreadStatus
from app.core.ports import ThreadQuery
from app.core.sync import SyncService
from tests.mastodon_server import MastodonServer
from tests.sync_support import client_for, mastodon_account, score

OPEN_THREADS = 12
PER_SYNC = 3


@pytest.fixture
def shop(store, mastodon_server):
    return mastodon_account(store, mastodon_server)


@pytest.fixture
def ann(mastodon_server):
    return mastodon_server.add_account("ann", "town.example", display_name="Ann")


def sync(store, server: MastodonServer, shop):
    service = SyncService(store, lambda a: client_for(server), score, refresh_limit=PER_SYNC)
    report = service.sync_account(shop)
    assert report.ok, report.error
    return report


def edit(server: MastodonServer, status: dict, text: str) -> None:
    """The customer edits a post on the server (Mastodon 3.5+)."""
    with server.lock:
        status["content"] = server.render(text, [])
        status["edited_at"] = datetime.now(UTC).isoformat(timespec="milliseconds")


def post(store, remote_id: str):
    """The stored post with this server id (None when it never arrived)."""
    return next(
        (
            sp
            for row in store.list_threads(ThreadQuery(), 0, 1000)
            for sp in store.thread_posts(row.id)
            if sp.post.remote_id == remote_id
        ),
        None,
    )


def context_requests(server: MastodonServer) -> int:
    return len([r for r in server.requests_to("/api/v1/statuses") if r.path.endswith("/context")])


def test_changes_in_the_oldest_open_threads_arrive_within_a_bounded_number_of_syncs(
    store, mastodon_server, shop, ann
):
    mentions = [
        mastodon_server.add_mention(ann, f"Question {n}: do you deliver on day {n}?")
        for n in range(OPEN_THREADS)
    ]
    answers = {
        n: mastodon_server.add_status(
            mastodon_server.owner, "@ann yes we do", in_reply_to=mentions[n]
        )
        for n in range(0, OPEN_THREADS, 2)
    }  # the shop answered half (from its phone)
    second = mastodon_server.add_status(ann, "also, gift wrap?", in_reply_to=mentions[3])
    sync(store, mastodon_server, shop)
    rows = store.list_threads(ThreadQuery(account_id=shop.id), 0, 100)
    assert len(rows) == OPEN_THREADS
    assert {r.status for r in rows} == {ThreadStatus.REPLIED, ThreadStatus.NEEDS_REPLY}

    # In the oldest threads: a follow-up without @mention (in an answered one), an edit,
    # and a reply the customer deleted.
    follow_up = mastodon_server.add_status(ann, "thanks, and on Sunday?", in_reply_to=answers[0])
    edit(mastodon_server, mentions[1], "@shop Question 1, edited: do you deliver at night?")
    mastodon_server.delete_status(second["id"])

    before = context_requests(mastodon_server)
    syncs = math.ceil(OPEN_THREADS / PER_SYNC) + 1
    reports = [sync(store, mastodon_server, shop) for _ in range(syncs)]

    assert post(store, follow_up["id"]) is not None  # the reply without a mention arrived
    assert "at night" in post(store, mentions[1]["id"]).post.text  # the edit arrived
    assert post(store, second["id"]).post.deleted  # the deletion arrived
    thread_of_follow_up = post(store, follow_up["id"]).thread_id
    assert store.thread(thread_of_follow_up).status is ThreadStatus.NEEDS_REPLY  # reopened
    # The cost stays bounded: at most PER_SYNC conversations re-read per sync.
    assert all(r.refreshed_threads <= PER_SYNC for r in reports)
    assert context_requests(mastodon_server) - before <= PER_SYNC * syncs


def test_the_refresh_goes_round_every_open_thread_oldest_checked_first(
    store, mastodon_server, shop, ann
):
    for n in range(OPEN_THREADS):
        mastodon_server.add_mention(ann, f"Hello {n}")
    sync(store, mastodon_server, shop)
    done = store.list_threads(ThreadQuery(account_id=shop.id), 0, 1)[0]
    store.set_status(done.id, ThreadStatus.DONE)
    seen: set[str] = set()
    for _ in range(math.ceil((OPEN_THREADS - 1) / PER_SYNC)):
        before = len(mastodon_server.requests)
        sync(store, mastodon_server, shop)
        seen |= {
            r.path.split("/")[4]
            for r in mastodon_server.requests[before:]
            if r.path.endswith("/context")
        }
    open_roots = {
        sp.post.remote_id
        for row in store.list_threads(ThreadQuery(), 0, 100)
        if row.status is not ThreadStatus.DONE
        for sp in store.thread_posts(row.id)
    }
    assert seen == open_roots  # each open thread once, the Done one never


def test_a_reply_a_trimmed_context_leaves_out_is_asked_about_not_assumed_deleted(
    store, mastodon_server, shop, ann
):
    mention = mastodon_server.add_mention(ann, "Do you bake wedding cakes?")
    follow = mastodon_server.add_status(ann, "three tiers, lemon", in_reply_to=mention)
    sync(store, mastodon_server, shop)
    assert not post(store, follow["id"]).post.deleted

    trimmed = {"ancestors": [], "descendants": []}  # some servers cut long contexts short
    mastodon_server.respond_next(f"/api/v1/statuses/{mention['id']}/context", 200, trimmed, times=2)
    sync(store, mastodon_server, shop)
    assert not post(store, follow["id"]).post.deleted  # the server still has it

    mastodon_server.delete_status(follow["id"])
    sync(store, mastodon_server, shop)
    assert post(store, follow["id"]).post.deleted


def test_a_thread_the_server_cannot_serve_never_holds_up_the_others(
    store, mastodon_server, shop, ann
):
    broken = mastodon_server.add_mention(ann, "first question")
    fine = [mastodon_server.add_mention(ann, f"question {n}") for n in range(4)]
    sync(store, mastodon_server, shop)
    later = [
        mastodon_server.add_status(ann, f"and also {n}?", in_reply_to=m) for n, m in enumerate(fine)
    ]
    mastodon_server.respond_next(
        f"/api/v1/statuses/{broken['id']}",
        200,
        "<html>oops</html>",
        content_type="text/html",
        times=1000,
    )
    reports = [
        SyncService(
            store, lambda a: client_for(mastodon_server), score, refresh_limit=2
        ).sync_account(shop)
        for _ in range(3)
    ]
    assert all(r.ok for r in reports), [r.error for r in reports]
    assert all(post(store, p["id"]) is not None for p in later)  # every other thread came
    assert sum(r.unreadable_conversations for r in reports) >= 1


def test_the_refresh_spends_less_when_the_servers_rate_limit_runs_low(
    store, mastodon_server, shop, ann
):
    for n in range(OPEN_THREADS):
        mastodon_server.add_mention(ann, f"Hello {n}")
    SyncService(store, lambda a: client_for(mastodon_server), score).sync_account(shop)
    mastodon_server.rate_budget = 41  # the mentions call leaves 40: 30 kept, 5 threads re-read
    report = SyncService(store, lambda a: client_for(mastodon_server), score).sync_account(shop)
    assert report.ok and report.refreshed_threads == 5
    mastodon_server.rate_budget = 20  # below the reserve: nothing is re-read
    report = SyncService(store, lambda a: client_for(mastodon_server), score).sync_account(shop)
    assert report.ok and report.refreshed_threads == 0
