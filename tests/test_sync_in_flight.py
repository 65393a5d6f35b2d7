"""Latency hiding (issue 27): a few conversation fetches in flight, the ones the owner
wants first (complaints, then the newest) fetched and stored first.

A real server is 50-200 ms away; one conversation after another waits that long
each time for nothing. The sync keeps up to IN_FLIGHT fetches on the wire and
stores each conversation as it comes back, on one writer, so the inbox comes out
exactly as a one-at-a-time sync leaves it.
"""

from __future__ import annotations

import threading

import pytest

from app.core.in_flight import IN_FLIGHT
from app.core.models import ThreadStatus
from app.core.ports import ThreadQuery
from app.core.sync import JOB_RESERVE, SyncService
from app.core.sync_work import CONVERSATION
from app.storage.inbox_store import SqliteInboxStore
from tests.sync_support import client_for, mastodon_account, score


class StoreThatRemembers(SqliteInboxStore):
    """The real store, noting which mention each stored conversation was fetched for."""

    stored_order: list[str]

    def store_fetched(self, account_id, posts, score, *, done, checked=(), when):
        mentions = [p.text for p in posts if p.text.startswith("@shop")]
        if posts:
            self.stored_order.append(mentions[-1] if mentions else posts[0].text)
        return super().store_fetched(
            account_id, posts, score, done=done, checked=checked, when=when
        )


@pytest.fixture
def remembering_store(tmp_path):
    store = StoreThatRemembers.open(tmp_path / "inbox.sqlite3")
    store.stored_order = []
    yield store
    store.close()


@pytest.fixture
def people(mastodon_server):
    return [
        mastodon_server.add_account(name, "town.example", display_name=name.title())
        for name in ("ann", "bob")
    ]


def questions(server, people, texts):
    """One question per text, each answered by another customer: one fetch each.
    Their ids, by text."""
    ann, bob = people
    ids = {}
    for n, text in enumerate(texts):
        question = server.add_mention(ann, text)
        server.add_status(bob, f"Same question here ({n})", in_reply_to=question)
        ids[text] = question["id"]
    return ids


def contexts(server):
    return [r for r in server.requests_to("/api/v1/statuses/") if r.path.endswith("/context")]


def hold_first_contexts(server, count):
    """The first `count` conversation requests wait until all `count` have arrived, so they
    are on the wire together (or the wait runs out, for a client that sends one at a time).
    Returns the event "all arrived" and the paths in the order they arrived."""
    arrived: list[str] = []
    lock, together = threading.Lock(), threading.Event()

    def on_request(method, path):
        if not path.endswith("/context"):
            return
        with lock:
            arrived.append(path)
            first = len(arrived) <= count
            if len(arrived) == count:
                together.set()
        if first:
            together.wait(1.5)  # under the test client's 2 s read timeout

    server.on_request = on_request
    return together, arrived


def sync(store, server, shop, client=None, **kw):
    client = client or client_for(server)
    service = SyncService(store, lambda account: client, score, refresh_limit=0, **kw)
    report = service.sync_account(shop)
    assert report.ok, report.error_message
    return report


def inbox(store):
    """Each thread as the owner sees it: status and post texts."""
    return sorted(
        (t.status.value, sorted(sp.post.text for sp in store.thread_posts(t.id)))
        for t in store.list_threads(ThreadQuery(), 0, 1000)
    )


def test_conversations_are_fetched_a_few_at_a_time_never_more(store, mastodon_server, people):
    shop = mastodon_account(store, mastodon_server)
    questions(mastodon_server, people, [f"Question {n}" for n in range(12)])
    mastodon_server.latency = 0.02  # a little distance: the answers overlap
    together, _ = hold_first_contexts(mastodon_server, IN_FLIGHT)
    report = sync(store, mastodon_server, shop)
    assert together.is_set()  # IN_FLIGHT conversation requests were on the wire at once
    assert mastodon_server.max_in_flight == IN_FLIGHT  # and never more than that
    assert len(contexts(mastodon_server)) == 12  # one fetch per conversation, none twice
    assert report.new_posts == 24 and report.conversations_waiting == 0
    assert store.job_count(shop.id, CONVERSATION) == 0
    assert all(
        t.status is ThreadStatus.NEEDS_REPLY for t in store.list_threads(ThreadQuery(), 0, 20)
    )


def test_a_sync_in_flight_leaves_the_inbox_a_one_at_a_time_sync_leaves(
    tmp_path, mastodon_server, people
):
    ann, bob = people
    questions(mastodon_server, people, [f"Question {n}" for n in range(6)])
    post = mastodon_server.add_status(ann, "Where can I get good bread around here?")
    for n in range(3):  # replies to one parent: its first fetch spares the others
        mastodon_server.add_mention(bob, f"Try @shop ({n})", in_reply_to=post)
    talk = mastodon_server.add_mention(ann, "Long talk, part 0")
    for n in range(1, 5):  # a long thread: one fetch of its newest mention brings it all
        talk = mastodon_server.add_status(bob, f"Reply {n}", in_reply_to=talk)
        talk = mastodon_server.add_mention(ann, f"Long talk, part {n}", in_reply_to=talk)
    inboxes = []
    for width in (1, IN_FLIGHT):
        store = SqliteInboxStore.open(tmp_path / f"inbox-{width}.sqlite3")
        shop = mastodon_account(store, mastodon_server)
        client = client_for(mastodon_server)
        client.in_flight = width
        before = len(contexts(mastodon_server))
        sync(store, mastodon_server, shop, client)
        inboxes.append((inbox(store), len(contexts(mastodon_server)) - before))
        store.close()
    assert inboxes[0] == inboxes[1]
    assert inboxes[1][1] == 6 + 1 + 1  # the questions, the bread thread, the long talk


def test_complaints_then_the_newest_are_stored_first(remembering_store, mastodon_server, people):
    store = remembering_store
    shop = mastodon_account(store, mastodon_server)
    texts = [
        "@shop My order arrived broken and nobody answers. Terrible service!",  # the oldest
        *(f"@shop Question {n} about opening hours" for n in range(6)),
    ]
    questions(mastodon_server, people, [t.removeprefix("@shop ") for t in texts])
    client = client_for(mastodon_server)
    client.in_flight = 1  # one at a time: the order is exact
    sync(store, mastodon_server, shop, client)
    assert store.stored_order == [texts[0], *reversed(texts[1:])]


def test_with_fetches_in_flight_the_first_ones_are_the_complaint_and_the_newest(
    remembering_store, mastodon_server, people
):
    store = remembering_store
    shop = mastodon_account(store, mastodon_server)
    angry = "My order arrived broken and nobody answers. Terrible service!"
    calm = [f"Question {n} about opening hours" for n in range(8)]
    ids = questions(mastodon_server, people, [angry, *calm])
    together, arrived = hold_first_contexts(mastodon_server, IN_FLIGHT)
    sync(store, mastodon_server, shop)
    assert together.is_set()
    # A fifth can only start once one of the first came back, so these went out first:
    first = {path.split("/")[-2] for path in arrived[:IN_FLIGHT]}
    wanted = [angry, *reversed(calm)][:IN_FLIGHT]
    assert first == {ids[text] for text in wanted}
    assert len(store.stored_order) == 9


def test_fetches_in_flight_keep_the_reserve_and_never_see_a_429(store, mastodon_server, people):
    shop = mastodon_account(store, mastodon_server)
    mastodon_server.rate_limit, mastodon_server.rate_window = 30, 300.0
    mastodon_server.latency = 0.02
    questions(mastodon_server, people, [f"Question {n}" for n in range(40)])
    before = len(mastodon_server.requests_to("/api/"))  # signing in, before the limit
    report = sync(store, mastodon_server, shop)
    assert mastodon_server.throttled == 0
    assert mastodon_server.max_in_flight > 1
    assert report.conversations_waiting > 0  # the rest comes with the next sync
    assert 30 - (len(mastodon_server.requests_to("/api/")) - before) >= JOB_RESERVE


def test_the_refresh_of_open_threads_overlaps_too(store, mastodon_server, people):
    shop = mastodon_account(store, mastodon_server)
    ids = questions(mastodon_server, people, [f"Question {n}" for n in range(8)])
    sync(store, mastodon_server, shop)
    question = mastodon_server.statuses[ids["Question 3"]]
    mastodon_server.add_status(people[1], "Any news?", in_reply_to=question)  # no mention
    mastodon_server.max_in_flight = 0
    together, arrived = hold_first_contexts(mastodon_server, IN_FLIGHT)
    client = client_for(mastodon_server)
    service = SyncService(store, lambda account: client, score, refresh_limit=8)
    report = service.sync_account(shop)
    assert report.ok and report.refreshed_threads == 8 and report.new_posts == 1
    assert together.is_set() and len(arrived) == 8
    assert mastodon_server.max_in_flight == IN_FLIGHT


def test_answers_arriving_out_of_order_never_raise_what_is_left(mastodon_server, people):
    """With fetches in flight, an answer the server gave earlier can arrive later: within
    one window the lowest count it gave holds; a new window starts afresh."""
    ids = questions(mastodon_server, people, ["Open on Sunday?"])
    status = mastodon_server.statuses[ids["Open on Sunday?"]]
    window_end = "2099-01-01T00:00:00.000000+00:00"
    client = client_for(mastodon_server)
    for remaining, reset in (("50", window_end), ("60", window_end)):
        mastodon_server.respond_next(
            f"/api/v1/statuses/{status['id']}",
            body=status,
            headers={"X-RateLimit-Remaining": remaining, "X-RateLimit-Reset": reset},
        )
        client.status(status["id"])
    assert client.requests_left() == 50
    mastodon_server.respond_next(
        f"/api/v1/statuses/{status['id']}",
        body=status,
        headers={"X-RateLimit-Remaining": "299", "X-RateLimit-Reset": "2099-01-01T00:05:00Z"},
    )
    client.status(status["id"])
    assert client.requests_left() == 299
    client.close()


def test_a_cookie_the_server_sets_is_never_sent_back(mastodon_server, people):
    """Fetching threads share one session; the API signs in with a header, so its cookie
    jar stays empty (nothing for the threads to race on, nothing to leak to a proxy)."""
    ids = questions(mastodon_server, people, ["Open on Sunday?"])
    status = mastodon_server.statuses[ids["Open on Sunday?"]]
    mastodon_server.respond_next(
        f"/api/v1/statuses/{status['id']}",
        body=status,
        headers={"Set-Cookie": "__cf_bm=abc123; Path=/; HttpOnly"},
    )
    client = client_for(mastodon_server)
    client.status(status["id"])
    client.status(status["id"])
    client.close()
    second = mastodon_server.requests_to(f"/api/v1/statuses/{status['id']}")[-1]
    assert "Cookie" not in second.headers and "cookie" not in second.headers
