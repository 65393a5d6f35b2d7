"""Outbox rules against the local Mastodon server: once, in order, through outages."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta

import pytest

from app.core.errors import TooLong
from app.core.models import Account, Author, Network, OutboxState, Post, ThreadStatus
from app.core.outbox import (
    LEASE,
    NothingToRetry,
    OutboxSender,
    check_length,
    new_idempotency_key,
    new_tid,
    send_options,
)
from app.net.bluesky_parse import tid_datetime
from app.storage import tables as t
from tests.sync_support import (
    bring_back,
    client_for,
    mastodon_account,
    mention_thread,
    score,
    take_offline,
)

# Every test here that takes `store` runs on SQLite and on PostgreSQL (team mode).
pytestmark = pytest.mark.engines("sqlite", "postgres")

TID_RE = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")


@pytest.fixture
def shop(store, mastodon_server):
    return mastodon_account(store, mastodon_server)


@pytest.fixture
def customer(mastodon_server):
    return mastodon_server.add_account("ann", "town.example", display_name="Ann")


@pytest.fixture
def sender(store):
    return OutboxSender(store, score)


def crashed_long_ago(item_id):
    """The crash was longer ago than the lease. In team mode the send lock lives on the
    server, and a 'sending' item waits out its lease whoever holds it: its laptop may
    only have lost the database (tests/test_team_claims.py shows the wait)."""
    t.OutboxItem.update(updated_at=datetime.now(UTC) - LEASE - timedelta(minutes=1)).where(
        t.OutboxItem.id == item_id
    ).execute()


def posted_texts(server):
    return [s["content"] for s in server.posted]


# ---------------------------------------------------------------- keys and limits


def test_tids_are_valid_sortable_and_carry_their_time():
    before = datetime.now(UTC)
    tids = [new_tid() for _ in range(500)]
    assert all(TID_RE.match(t) for t in tids)
    assert tids == sorted(tids) and len(set(tids)) == len(tids)
    tick = timedelta(milliseconds=1)  # float microseconds, rounded either way
    assert before - tick <= tid_datetime(tids[0]) <= datetime.now(UTC) + tick
    # The spec's fixed example layout: time 0 and clock 0 is all '2's.
    assert new_tid(now_us=0, clock_id=0) == "2" * 13
    assert tid_datetime(new_tid(now_us=1_700_000_000_123_456, clock_id=5)) == datetime(
        2023, 11, 14, 22, 13, 20, 123456, tzinfo=UTC
    )


def test_keys_per_network():
    assert TID_RE.match(new_idempotency_key(Network.BLUESKY))
    key = new_idempotency_key(Network.MASTODON)
    assert re.fullmatch(r"[0-9a-f]{32}", key) and key != new_idempotency_key(Network.MASTODON)


def _account(network, max_chars=500, handle="@shop"):
    return Account(
        id=1,
        network=network,
        server="https://x.example",
        handle=handle,
        remote_id="1",
        max_chars=max_chars,
    )


def _parent(handle="@ann@town.example", mentions=(), cw=""):
    return Post(
        Network.MASTODON,
        "9",
        Author(Network.MASTODON, "2", handle),
        "hi",
        datetime.now(UTC),
        mentions=mentions,
        content_warning=cw,
    )


def test_length_is_checked_before_queueing():
    check_length(_account(Network.MASTODON), "x" * 500)
    with pytest.raises(TooLong) as info:
        check_length(_account(Network.MASTODON), "x" * 501)
    assert "501" in info.value.user_message and "500" in info.value.user_message
    # Links weigh 23 on Mastodon, so a long URL still fits.
    check_length(_account(Network.MASTODON), "x" * 470 + " https://example.com/" + "a" * 80)
    # The @-mention the client will add counts too ('@ann ' = 5).
    with pytest.raises(TooLong):
        check_length(_account(Network.MASTODON), "x" * 496, _parent())
    check_length(_account(Network.MASTODON), "x" * 495, _parent())
    check_length(_account(Network.MASTODON), "@ann " + "x" * 495, _parent())
    # Bluesky: 300 graphemes whatever the account says, and 3000 bytes.
    check_length(_account(Network.BLUESKY, 300), "é" * 300)
    with pytest.raises(TooLong):
        check_length(_account(Network.BLUESKY, 3000), "x" * 301)
    with pytest.raises(TooLong):
        check_length(_account(Network.BLUESKY), "")


# ---------------------------------------------------------------- sending


def test_enqueue_chooses_the_key_now_and_sends_once(store, mastodon_server, shop, customer, sender):
    thread_id, parent = mention_thread(store, shop, mastodon_server, customer, "Where is my order?")
    item = sender.enqueue(shop, thread_id, parent, "It left today, sorry for the wait!")
    assert item.state is OutboxState.QUEUED and item.idempotency_key
    client = client_for(mastodon_server)
    report = sender.send_pending(shop, client)
    assert report.sent == (item.id,) and report.error is None
    done = store.outbox_item(item.id)
    assert done.state is OutboxState.SENT and done.remote_id and done.url
    assert len(mastodon_server.posted) == 1
    post_req = mastodon_server.requests_to("/api/v1/statuses", "POST")[0]
    assert post_req.headers["Idempotency-Key"] == item.idempotency_key
    assert store.thread(thread_id).status is ThreadStatus.REPLIED
    own = [sp for sp in store.thread_posts(thread_id) if sp.post.remote_id == done.remote_id]
    assert own and own[0].is_own
    # Sending again does nothing.
    assert sender.send_pending(shop, client).sent == ()
    assert len(mastodon_server.posted) == 1


def test_offline_waits_queued_then_sends_exactly_once(
    store, mastodon_server, shop, customer, sender
):
    thread_id, parent = mention_thread(store, shop, mastodon_server, customer, "Open today?")
    item = sender.enqueue(shop, thread_id, parent, "Yes, until six!")
    client = client_for(mastodon_server)
    take_offline(mastodon_server)
    try:
        for _ in range(2):
            report = sender.send_pending(shop, client)
            assert report.sent == () and report.waiting == 1
            assert "could not be reached" in report.error.user_message
            assert store.outbox_item(item.id).state is OutboxState.QUEUED
    finally:
        bring_back(mastodon_server)
    report = sender.send_pending(shop, client)
    assert report.sent == (item.id,)
    assert len(mastodon_server.posted) == 1
    assert store.outbox_item(item.id).state is OutboxState.SENT


def test_dropped_answer_after_the_server_stored_it_is_not_sent_twice(
    store, mastodon_server, shop, customer, sender
):
    """The server stored the reply but the answer never came: find_reply, not a resend."""
    mastodon_server.honour_idempotency = False  # only find_reply can save us here
    thread_id, parent = mention_thread(store, shop, mastodon_server, customer, "Refund please")
    item = sender.enqueue(shop, thread_id, parent, "Refund is on its way.")
    mastodon_server.drop_after_store = 1
    client = client_for(mastodon_server)
    first = sender.send_pending(shop, client)
    assert first.sent == () and first.waiting == 1
    assert store.outbox_item(item.id).state is OutboxState.QUEUED
    assert len(mastodon_server.posted) == 1  # the server has it
    second = sender.send_pending(shop, client)
    assert second.sent == (item.id,)
    assert len(mastodon_server.posted) == 1
    sent = store.outbox_item(item.id)
    assert sent.remote_id == mastodon_server.posted[0]["id"]


def test_restart_with_item_left_sending_does_not_double_post(
    store, mastodon_server, shop, customer
):
    """A crash after the POST: the item is still 'sending' and the server already has it."""
    mastodon_server.honour_idempotency = False
    thread_id, parent = mention_thread(store, shop, mastodon_server, customer, "Hello?")
    item = OutboxSender(store, score).enqueue(shop, thread_id, parent, "Hello Ann!")
    store.mark_sending(item.id)
    client = client_for(mastodon_server)
    client.reply(parent, item.text, item.idempotency_key)  # what the crashed process did
    crashed_long_ago(item.id)
    assert len(mastodon_server.posted) == 1
    restarted = OutboxSender(store, score)  # a new process
    report = restarted.send_pending(shop, client_for(mastodon_server))
    assert report.sent == (item.id,)
    assert len(mastodon_server.posted) == 1
    assert store.outbox_item(item.id).state is OutboxState.SENT


def test_restart_with_item_left_sending_that_never_arrived_is_sent(
    store, mastodon_server, shop, customer
):
    thread_id, parent = mention_thread(store, shop, mastodon_server, customer, "Hello?")
    item = OutboxSender(store, score).enqueue(shop, thread_id, parent, "Hello Ann!")
    store.mark_sending(item.id)  # crashed before the request left
    crashed_long_ago(item.id)
    report = OutboxSender(store, score).send_pending(shop, client_for(mastodon_server))
    assert report.sent == (item.id,)
    assert len(mastodon_server.posted) == 1
    assert mastodon_server.requests_to("/api/v1/statuses/" + parent.remote_id + "/context")


def test_items_go_out_in_order_per_account(store, mastodon_server, shop, customer, sender):
    queued = []
    for n in range(4):
        thread_id, parent = mention_thread(store, shop, mastodon_server, customer, f"question {n}")
        queued.append(sender.enqueue(shop, thread_id, parent, f"answer number {n}"))
    report = sender.send_pending(shop, client_for(mastodon_server))
    assert report.sent == tuple(i.id for i in queued)
    texts = posted_texts(mastodon_server)
    assert [next(f"answer number {n}" in t for _ in [0]) for n, t in enumerate(texts)] == [True] * 4


def test_a_waiting_item_holds_back_the_ones_after_it(
    store, mastodon_server, shop, customer, sender
):
    items = []
    for n in range(2):
        thread_id, parent = mention_thread(store, shop, mastodon_server, customer, f"q{n}")
        items.append(sender.enqueue(shop, thread_id, parent, f"reply {n}"))
    mastodon_server.respond_next("/api/v1/statuses", 503, {"error": "busy"}, method="POST")
    report = sender.send_pending(shop, client_for(mastodon_server))
    assert report.sent == () and report.waiting == 2
    assert mastodon_server.posted == []
    report = sender.send_pending(shop, client_for(mastodon_server))
    assert report.sent == tuple(i.id for i in items)
    assert ["reply 0" in t for t in posted_texts(mastodon_server)] == [True, False]


def test_concurrent_passes_never_send_one_item_twice(store, mastodon_server, shop, customer):
    """The scheduler's sync and a "Send now" click run at once: each reply goes once."""
    mastodon_server.honour_idempotency = False
    mastodon_server.delay["/api/v1/statuses"] = 0.05
    sender = OutboxSender(store, score)
    items = []
    for n in range(3):
        thread_id, parent = mention_thread(store, shop, mastodon_server, customer, f"q{n}")
        items.append(sender.enqueue(shop, thread_id, parent, f"r{n}"))
    workers = [
        threading.Thread(target=sender.send_pending, args=(shop, client_for(mastodon_server)))
        for _ in range(4)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join(30)
    sender.send_pending(shop, client_for(mastodon_server))
    assert len(mastodon_server.posted) == 3
    assert all(store.outbox_item(i.id).state is OutboxState.SENT for i in items)


def test_an_item_already_claimed_is_not_sent_by_another_pass(
    store, mastodon_server, shop, customer, sender
):
    """queued->sending checks the previous state: a stale snapshot cannot claim it again."""
    thread_id, parent = mention_thread(store, shop, mastodon_server, customer, "q")
    item = sender.enqueue(shop, thread_id, parent, "r")
    store.mark_sending(item.id)  # another worker claimed it after our snapshot
    assert sender._claim(item) is None  # our snapshot still says 'queued'
    assert mastodon_server.posted == []


def test_a_stale_claim_is_taken_over_by_one_sender_only(
    store, mastodon_server, shop, customer, sender
):
    """Two senders that both see a 'sending' item whose lease ran out: the first takes it,
    the second finds it freshly claimed. (The takeover used to be two transactions,
    sending -> queued -> sending, and two senders without a lock file could both win.)"""
    thread_id, parent = mention_thread(store, shop, mastodon_server, customer, "q")
    item = sender.enqueue(shop, thread_id, parent, "r")
    store.mark_sending(item.id)
    crashed_long_ago(item.id)
    first = store.claim_outbox_item(item.id, LEASE)
    second = store.claim_outbox_item(item.id, LEASE)
    assert first is not None and first.state is OutboxState.SENDING and first.attempts == 2
    assert second is None


def test_a_fresh_claim_is_left_to_its_sender_until_its_lease_runs_out(
    store, mastodon_server, shop, customer, sender
):
    thread_id, parent = mention_thread(store, shop, mastodon_server, customer, "q")
    item = sender.enqueue(shop, thread_id, parent, "r")
    store.mark_sending(item.id)  # a live sender somewhere, mid-request
    assert store.claim_outbox_item(item.id, LEASE) is None
    assert store.claim_outbox_item(item.id, None) is not None  # a lock proved it orphaned


def test_revoked_token_fails_with_a_plain_reason_and_retry_requeues(
    store, mastodon_server, shop, customer, sender
):
    thread_id, parent = mention_thread(store, shop, mastodon_server, customer, "Hi")
    item = sender.enqueue(shop, thread_id, parent, "Hi Ann")
    mastodon_server.tokens.pop(mastodon_server.token)  # revoked on the server
    report = sender.send_pending(shop, client_for(mastodon_server))
    assert report.failed == (item.id,)
    failed = store.outbox_item(item.id)
    assert failed.state is OutboxState.FAILED
    assert "sign in again" in failed.last_error.lower()
    new_token = mastodon_server.issue_token(mastodon_server.owner)
    assert sender.retry(item.id).state is OutboxState.QUEUED
    with pytest.raises(NothingToRetry):
        sender.retry(item.id)
    report = sender.send_pending(shop, client_for(mastodon_server, new_token))
    assert report.sent == (item.id,) and len(mastodon_server.posted) == 1


def test_deleted_parent_fails_that_item_and_the_next_still_goes(
    store, mastodon_server, shop, customer, sender
):
    gone_thread, gone_parent = mention_thread(store, shop, mastodon_server, customer, "one")
    ok_thread, ok_parent = mention_thread(store, shop, mastodon_server, customer, "two")
    gone = sender.enqueue(shop, gone_thread, gone_parent, "answer one")
    ok = sender.enqueue(shop, ok_thread, ok_parent, "answer two")
    mastodon_server.delete_status(gone_parent.remote_id)
    report = sender.send_pending(shop, client_for(mastodon_server))
    assert report.failed == (gone.id,) and report.sent == (ok.id,)
    assert store.outbox_item(gone.id).last_error


# ---------------------------------------------------------------- undo send, private, delete


def test_a_reply_in_its_undo_window_waits_and_holds_back_the_ones_after_it(
    store, mastodon_server, shop, customer, sender
):
    now = datetime.now(UTC)
    first_id, first_parent = mention_thread(store, shop, mastodon_server, customer, "one")
    second_id, second_parent = mention_thread(store, shop, mastodon_server, customer, "two")
    held = store.enqueue_reply(
        first_id,
        first_parent.remote_id,
        "answer one",
        new_idempotency_key(Network.MASTODON),
        payload=send_options(now, 600),
    )
    store.enqueue_reply(
        second_id, second_parent.remote_id, "answer two", new_idempotency_key(Network.MASTODON)
    )
    report = sender.send_pending(shop, client_for(mastodon_server))
    assert report.sent == () and report.waiting == 2 and mastodon_server.posted == []
    assert store.thread(first_id).status is ThreadStatus.NEEDS_REPLY
    assert store.cancel_outbox_item(held.id)  # Undo: it never leaves
    report = sender.send_pending(shop, client_for(mastodon_server))
    assert len(report.sent) == 1 and len(mastodon_server.posted) == 1
    assert "answer two" in posted_texts(mastodon_server)[0]


def test_a_reply_whose_undo_window_is_over_goes_out_privately_when_chosen(
    store, mastodon_server, shop, customer, sender
):
    thread_id, parent = mention_thread(store, shop, mastodon_server, customer, "a secret")
    past = datetime.now(UTC) - timedelta(minutes=5)
    item = store.enqueue_reply(
        thread_id,
        parent.remote_id,
        "Just between us",
        new_idempotency_key(Network.MASTODON),
        payload=send_options(past, 10, private=True),
    )
    report = sender.send_pending(shop, client_for(mastodon_server))
    assert report.sent == (item.id,)
    assert mastodon_server.posted[0]["visibility"] == "direct"


def test_a_deleted_reply_reads_as_deleted_and_the_thread_needs_a_reply_again(
    store, mastodon_server, shop, customer, sender
):
    thread_id, parent = mention_thread(store, shop, mastodon_server, customer, "Where?")
    item = sender.enqueue(shop, thread_id, parent, "On its way!")
    sender.send_pending(shop, client_for(mastodon_server))
    sent = store.outbox_item(item.id)
    assert store.thread(thread_id).status is ThreadStatus.REPLIED
    client_for(mastodon_server).delete_post(sent.remote_id)
    store.mark_reply_deleted(item.id)
    own = [p for p in store.thread_posts(thread_id) if p.post.remote_id == sent.remote_id]
    assert own and own[0].post.deleted
    assert store.thread(thread_id).status is ThreadStatus.NEEDS_REPLY
    assert "deleted_at" in store.outbox_item(item.id).payload
