"""SyncService against the local Mastodon server and a real SQLite store."""

from __future__ import annotations

import threading

import pytest

from app.core.errors import RateLimited, ServerUnreachable
from app.core.in_flight import IN_FLIGHT
from app.core.models import AccountState, OutboxState, ThreadStatus
from app.core.outbox import OutboxSender
from app.core.ports import ThreadQuery
from app.core.sync import MENTIONS_CURSOR, SyncService, SyncStep
from app.core.sync_work import CONVERSATION
from tests.mastodon_server import MastodonServer
from tests.sync_support import (
    bring_back,
    client_for,
    mastodon_account,
    mention_thread,
    score,
    take_offline,
)


@pytest.fixture
def shop(store, mastodon_server):
    return mastodon_account(store, mastodon_server)


@pytest.fixture
def ann(mastodon_server):
    return mastodon_server.add_account("ann", "town.example", display_name="Ann")


def service_for(store, servers, **kw):
    """clients_for_account: one client per account, on the server with that URL."""
    by_url = {s.url: s for s in servers}
    return SyncService(store, lambda account: client_for(by_url[account.server]), score, **kw)


def all_texts(store):
    return [
        sp.post.text
        for t in store.list_threads(ThreadQuery(), 0, 1000)
        for sp in store.thread_posts(t.id)
    ]


def test_first_sync_stores_mentions_with_their_conversations(store, mastodon_server, shop, ann):
    bob = mastodon_server.add_account("bob", "far.example")
    root = mastodon_server.add_status(bob, "Anyone tried the new sourdough?")
    mastodon_server.add_mention(ann, "Yes! Best bread in town", in_reply_to=root)
    mastodon_server.add_mention(ann, "Also: are you open on Monday?")
    steps = []
    report = service_for(store, [mastodon_server]).sync_account(
        shop, lambda a, step, done, total: steps.append(step)
    )
    assert report.ok and report.error_message == ""
    assert report.new_posts == 3 and len(report.new_thread_ids) == 2
    texts = all_texts(store)
    assert any("sourdough" in t for t in texts)  # the ancestor came with the conversation
    assert store.cursor(shop.id, MENTIONS_CURSOR)
    assert steps[0] is SyncStep.CONNECT and steps[-1] is SyncStep.DONE
    assert {SyncStep.MENTIONS, SyncStep.THREADS, SyncStep.REFRESH} <= set(steps)
    # Re-syncing the same data changes nothing.
    again = service_for(store, [mastodon_server]).sync_account(shop)
    assert again.ok and again.new_posts == 0 and again.new_thread_ids == ()


def test_cursor_is_saved_only_after_the_posts(store, mastodon_server, shop, ann):
    mastodon_server.add_mention(ann, "first")

    class CrashingStore:
        def __init__(self, inner):
            self._inner = inner

        def __getattr__(self, name):
            return getattr(self._inner, name)

        def store_mentions(self, *args, **kw):
            raise RuntimeError("power cut")

    service = SyncService(CrashingStore(store), lambda a: client_for(mastodon_server), score)
    with pytest.raises(RuntimeError):
        service.sync_account(shop)
    assert store.cursor(shop.id, MENTIONS_CURSOR) is None  # nothing stored, nothing skipped
    report = service_for(store, [mastodon_server]).sync_account(shop)
    assert report.new_posts == 1


def test_open_conversations_are_refreshed_without_a_notification(store, mastodon_server, shop, ann):
    mention = mastodon_server.add_mention(ann, "Where is my parcel?")
    service_for(store, [mastodon_server]).sync_account(shop)
    # Ann follows up without @-mentioning the shop: no notification, only the thread shows it.
    mastodon_server.add_status(ann, "Hello?? Still waiting", in_reply_to=mention)
    report = service_for(store, [mastodon_server]).sync_account(shop)
    assert report.new_posts == 1 and report.updated_thread_ids
    assert any("Still waiting" in t for t in all_texts(store))


def test_refresh_is_bounded_per_sync(store, mastodon_server, shop, ann):
    for n in range(5):
        mastodon_server.add_mention(ann, f"question {n}")
    service_for(store, [mastodon_server]).sync_account(shop)
    before = len(mastodon_server.requests_to("/api/v1/statuses"))
    service_for(store, [mastodon_server], refresh_limit=2).sync_account(shop)
    contexts = [
        r
        for r in mastodon_server.requests_to("/api/v1/statuses")[before:]
        if r.path.endswith("/context")
    ]
    assert len(contexts) == 2


def test_short_rate_limit_is_waited_out(store, mastodon_server, shop, ann):
    mastodon_server.add_mention(ann, "hello")
    mastodon_server.respond_next(
        "/api/v1/notifications", 429, {"error": "slow down"}, headers={"Retry-After": "1"}
    )
    report = service_for(store, [mastodon_server], max_rate_wait=5).sync_account(shop)
    assert report.ok and report.new_posts == 1


def test_long_rate_limit_stops_this_account_and_not_the_others(store, mastodon_server, shop, ann):
    other = MastodonServer(domain="cafe.test").start()
    try:
        cafe = mastodon_account(store, other)
        customer = other.add_account("cy", "town.example")
        other.add_mention(customer, "Lovely coffee")
        mastodon_server.add_mention(ann, "hello")
        mastodon_server.respond_next(
            "/api/v1/notifications", 429, {"error": "slow down"}, headers={"Retry-After": "600"}
        )
        reports = service_for(store, [mastodon_server, other]).sync_all([shop, cafe])
    finally:
        other.stop()
    limited, fine = reports
    assert isinstance(limited.error, RateLimited) and "10 minutes" in limited.error_message
    assert fine.ok and fine.new_posts == 1


def test_offline_account_is_reported_and_marked_unreachable(store, mastodon_server, shop, ann):
    take_offline(mastodon_server)
    try:
        report = service_for(store, [mastodon_server]).sync_account(shop)
    finally:
        bring_back(mastodon_server)
    assert isinstance(report.error, ServerUnreachable)
    assert report.account_state is AccountState.UNREACHABLE
    assert store.account(shop.id).state is AccountState.UNREACHABLE
    assert "could not be reached" in store.account(shop.id).last_error
    assert service_for(store, [mastodon_server]).sync_account(shop).ok
    assert store.account(shop.id).state is AccountState.CONNECTED


def test_a_crashing_account_does_not_stop_the_others(store, mastodon_server, shop, ann):
    other = MastodonServer(domain="cafe.test").start()
    try:
        cafe = mastodon_account(store, other)
        mastodon_server.add_mention(ann, "hi")

        def clients(account):
            if account.id == cafe.id:
                raise ValueError("a bug in a client")
            return client_for(mastodon_server)

        reports = SyncService(store, clients, score).sync_all([cafe, shop])
    finally:
        other.stop()
    assert not reports[0].ok and "log file" in reports[0].error_message
    assert reports[1].ok and reports[1].new_posts == 1


def test_cancel_between_conversations(store, mastodon_server, shop, ann):
    for n in range(12):  # each with a reply: a conversation to fetch
        question = mastodon_server.add_mention(ann, f"q{n}")
        mastodon_server.add_status(ann, f"and more {n}", in_reply_to=question)
    cancel = threading.Event()

    def progress(account, step, done, total):
        if step is SyncStep.THREADS and done == 1:
            cancel.set()

    report = service_for(store, [mastodon_server]).sync_account(shop, progress, cancel)
    assert report.cancelled and not report.ok and not report.complete
    contexts = [
        r for r in mastodon_server.requests_to("/api/v1/statuses") if r.path.endswith("/context")
    ]
    # Fetches already on the wire finish (at most IN_FLIGHT at once); no new one starts.
    assert 1 <= len(contexts) <= IN_FLIGHT
    # The mentions themselves are saved; the rest of the work happens next time.
    assert sum(text.startswith("@shop q") for text in all_texts(store)) == 12
    assert store.job_count(shop.id, CONVERSATION) == 12 - len(contexts)
    assert service_for(store, [mastodon_server]).sync_all([shop], cancel=cancel)[0].cancelled


def test_sync_pushes_the_outbox(store, mastodon_server, shop, ann):
    thread_id, parent = mention_thread(store, shop, mastodon_server, ann, "Got gluten-free?")
    outbox = OutboxSender(store, score)
    item = outbox.enqueue(shop, thread_id, parent, "Yes, every Friday!")
    report = service_for(store, [mastodon_server], outbox=outbox).sync_account(shop)
    assert report.ok and report.sent_items == 1
    assert store.outbox_item(item.id).state is OutboxState.SENT
    assert store.thread(thread_id).status is ThreadStatus.REPLIED
    assert len(mastodon_server.posted) == 1


def test_deleted_mention_is_skipped_not_an_error(store, mastodon_server, shop, ann):
    mastodon_server.add_mention(ann, "keep me")
    gone = mastodon_server.add_mention(ann, "delete me")
    mastodon_server.respond_next(
        f"/api/v1/statuses/{gone['id']}", 404, {"error": "Record not found"}, times=5
    )
    report = service_for(store, [mastodon_server]).sync_account(shop)
    assert report.ok and report.new_posts == 2
