"""Request economy (issue 27): a sync asks the server only for what it does not know yet.

A real server allows 300 requests per 5 minutes and sits 50-200 ms away, so each
request saved is time the owner does not wait. The inbox must come out the same.
"""

from __future__ import annotations

import pytest

from app.core.models import ThreadStatus
from app.core.ports import ThreadQuery
from app.core.sync import FETCH_COST, JOB_RESERVE, SyncService
from tests.sync_support import client_for, mastodon_account, score


@pytest.fixture
def shop(store, mastodon_server):
    return mastodon_account(store, mastodon_server)


@pytest.fixture
def people(mastodon_server):
    return [
        mastodon_server.add_account(name, "town.example", display_name=name.title())
        for name in ("ann", "bob", "cy")
    ]


def sync(store, server, shop, **kw):
    service = SyncService(store, lambda account: client_for(server), score, **kw)
    report = service.sync_account(shop)
    assert report.ok, report.error_message
    return report


def contexts(server):
    return [r for r in server.requests_to("/api/v1/statuses/") if r.path.endswith("/context")]


def status_reads(server):
    return [
        r for r in server.requests_to("/api/v1/statuses/", "GET") if not r.path.endswith("/context")
    ]


def threads(store):
    """Each thread's post texts, oldest first, as the owner sees them."""
    return sorted(
        sorted(sp.post.text for sp in store.thread_posts(t.id))
        for t in store.list_threads(ThreadQuery(), 0, 1000)
    )


def test_a_post_nobody_answered_is_stored_without_asking_for_its_conversation(
    store, mastodon_server, shop, people
):
    ann, bob, _ = people
    mastodon_server.add_mention(ann, "Do you sell oat milk?")
    mastodon_server.add_mention(bob, "Lovely shop, thanks!")
    report = sync(store, mastodon_server, shop, refresh_limit=0)
    assert report.new_posts == 2 and len(report.new_thread_ids) == 2
    assert contexts(mastodon_server) == [] and status_reads(mastodon_server) == []
    assert threads(store) == [["@shop Do you sell oat milk?"], ["@shop Lovely shop, thanks!"]]
    assert all(
        t.status is ThreadStatus.NEEDS_REPLY for t in store.list_threads(ThreadQuery(), 0, 10)
    )


def test_the_refresh_does_not_spend_this_sync_on_posts_it_just_read(
    store, mastodon_server, shop, people
):
    mastodon_server.add_mention(people[0], "Do you sell oat milk?")
    sync(store, mastodon_server, shop)  # refresh on, as the app runs it
    assert contexts(mastodon_server) == []


def test_a_lone_post_that_gets_answered_later_is_found_by_the_refresh(
    store, mastodon_server, shop, people
):
    ann, bob, _ = people
    question = mastodon_server.add_mention(ann, "Do you sell oat milk?")
    sync(store, mastodon_server, shop, refresh_limit=0)
    mastodon_server.add_status(bob, "They do, the barista one", in_reply_to=question)
    sync(store, mastodon_server, shop)  # a later sync re-reads open threads in turn
    assert threads(store) == [["@shop Do you sell oat milk?", "They do, the barista one"]]


def test_one_fetch_brings_a_conversation_however_many_mentions_it_holds(
    store, mastodon_server, shop, people
):
    ann, bob, cy = people
    first = mastodon_server.add_mention(ann, "My order is late")
    second = mastodon_server.add_mention(bob, "Mine too", in_reply_to=first)
    mastodon_server.add_mention(cy, "Same here", in_reply_to=second)
    mastodon_server.add_status(ann, "Still waiting", in_reply_to=first)  # no mention
    sync(store, mastodon_server, shop, refresh_limit=0)
    assert len(contexts(mastodon_server)) == 1
    assert status_reads(mastodon_server) == []  # the notification carried the status
    assert threads(store) == [
        ["@shop Mine too", "@shop My order is late", "@shop Same here", "Still waiting"]
    ]


def test_a_sibling_under_a_parent_fetched_this_sync_is_not_fetched_again(
    store, mastodon_server, shop, people
):
    ann, bob, cy = people
    post = mastodon_server.add_status(ann, "Where can I get good bread around here?")
    mastodon_server.add_mention(bob, "Try @shop", in_reply_to=post)
    mastodon_server.add_mention(cy, "@shop for sure", in_reply_to=post)
    sync(store, mastodon_server, shop, refresh_limit=0)
    assert len(contexts(mastodon_server)) == 1
    assert threads(store) == [
        ["@shop for sure", "Try @shop", "Where can I get good bread around here?"]
    ]


def test_a_reply_under_a_stored_post_joins_its_thread_without_a_fetch(
    store, mastodon_server, shop, people
):
    ann, bob, _ = people
    question = mastodon_server.add_mention(ann, "Open on Sunday?")
    mastodon_server.add_status(bob, "I think so", in_reply_to=question)
    sync(store, mastodon_server, shop, refresh_limit=0)
    before = len(contexts(mastodon_server))
    mastodon_server.add_mention(ann, "Can you confirm?", in_reply_to=question)
    report = sync(store, mastodon_server, shop, refresh_limit=0)
    assert len(contexts(mastodon_server)) == before
    assert report.new_posts == 1 and not report.new_thread_ids
    assert threads(store) == [["@shop Can you confirm?", "@shop Open on Sunday?", "I think so"]]


def conversations(server, people, count):
    """`count` questions, each answered by another customer: one fetch each."""
    ann, bob, _ = people
    for n in range(count):
        question = server.add_mention(ann, f"Question {n}")
        server.add_status(bob, f"Answer {n}", in_reply_to=question)


def test_a_sync_stops_short_of_the_rate_limit_and_keeps_room_for_replies(
    store, mastodon_server, shop, people
):
    mastodon_server.rate_limit, mastodon_server.rate_window = 20, 300.0
    conversations(mastodon_server, people, 15)
    report = sync(store, mastodon_server, shop, refresh_limit=0)
    assert mastodon_server.throttled == 0
    assert report.conversations_waiting > 0  # the rest comes with the next sync
    reply_budget = 20 - len(mastodon_server.requests_to("/api/"))
    assert reply_budget >= JOB_RESERVE - FETCH_COST


def test_a_short_rate_limit_window_is_waited_out_without_a_429(
    store, mastodon_server, shop, people
):
    mastodon_server.rate_limit, mastodon_server.rate_window = 30, 2.0
    conversations(mastodon_server, people, 40)  # 42 requests: three windows
    report = sync(store, mastodon_server, shop, refresh_limit=0, max_rate_wait=5.0)
    assert mastodon_server.throttled == 0
    assert report.conversations_waiting == 0 and report.new_posts == 80
