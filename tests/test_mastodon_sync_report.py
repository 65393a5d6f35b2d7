"""A whole sync against odd servers: what the owner is told, and what is stored."""

from __future__ import annotations

import json

from app.cli.sync import describe
from app.core.outbox import OutboxSender
from app.core.ports import ThreadQuery
from app.core.sync import SyncService
from tests.mastodon_server import MastodonServer
from tests.sync_support import client_for, mastodon_account, score


def test_one_unreadable_status_among_200_mentions_blocks_nothing(store) -> None:
    server = MastodonServer(one_bad_status=True).start()
    try:
        shop = mastodon_account(store, server)
        ann = server.add_account("ann", "town.example", display_name="Ann")
        for i in range(200):
            server.add_mention(ann, f"question number {i}")
        service = SyncService(store, lambda account: client_for(server), score)

        report = service.sync_account(shop)

        assert report.ok and report.unreadable_posts == 1
        assert len(store.list_threads(ThreadQuery(), 0, 1000)) == 200
        assert "1 post could not be read" in describe(report)
        again = service.sync_account(shop)  # the bad one is not asked for again and again
        assert again.ok and again.unreadable_posts == 0 and again.new_posts == 0
    finally:
        server.stop()


def test_a_whole_sync_and_reply_on_every_kind_of_server(
    store, personality_server: MastodonServer
) -> None:
    server = personality_server
    shop = mastodon_account(store, server)
    ann = server.add_account("ann", "town.example", display_name="Ann")
    bob = server.add_account("bob", "else.example", display_name="Bob")
    asked = [server.add_mention((ann, bob)[i % 2], f"question {i}")["id"] for i in range(45)]
    root = server.add_status(ann, "Our teapot arrived today")
    mention = server.add_mention(
        bob, "@ann@town.example same here, is your lid cracked too?", in_reply_to=root
    )
    outbox = OutboxSender(store, score)
    service = SyncService(store, lambda account: client_for(server), score, outbox=outbox)

    first = service.sync_account(shop)

    assert first.ok, first.error
    assert first.unreadable_posts == (1 if server.one_bad_status else 0)
    stored = {
        sp.post.remote_id: (t.id, sp.post)
        for t in store.list_threads(ThreadQuery(), 0, 1000)
        for sp in store.thread_posts(t.id)
    }
    assert set(asked) | {root["id"], mention["id"]} <= set(stored)
    thread_id, parent = stored[mention["id"]]
    assert stored[root["id"]][0] == thread_id  # one conversation, parent and mention together

    outbox.enqueue(shop, thread_id, parent, "So sorry! A new lid is on its way to you both.")
    second = service.sync_account(shop)

    assert second.ok and second.sent_items == 1, second.error
    (sent,) = [
        json.loads(r.body)
        for r in server.requests_to("/api/v1/statuses", "POST")
        if json.loads(r.body).get("status")
    ]
    assert sent["in_reply_to_id"] == mention["id"]
    assert sent["status"].startswith("@bob@else.example @ann@town.example So sorry!")
    assert len(server.posted) == 1 and server.posted[0]["in_reply_to_id"] == mention["id"]
    third = service.sync_account(shop)
    assert third.ok and third.new_posts == 0 and third.sent_items == 0
    assert len(server.posted) == 1


def test_an_unreadable_reply_inside_a_conversation_is_counted_in_the_report(store) -> None:
    server = MastodonServer().start()
    try:
        shop = mastodon_account(store, server)
        ann = server.add_account("ann", "town.example", display_name="Ann")
        bob = server.add_account("bob", "else.example", display_name="Bob")
        mention = server.add_mention(ann, "is the cafe dog friendly?")
        good = server.add_status(bob, "@ann it is!", in_reply_to=mention)
        odd = server.add_status(bob, "@ann and cats?", in_reply_to=mention)
        context = server.context(mention["id"])
        context["descendants"] = [good, {**odd, "account": None}]  # one reply unreadable
        server.respond_next(f"/api/v1/statuses/{mention['id']}/context", 200, context)
        service = SyncService(store, lambda account: client_for(server), score)

        report = service.sync_account(shop)

        assert report.ok and report.unreadable_posts == 1
        assert "1 post could not be read" in describe(report)
        stored = {
            sp.post.remote_id
            for t in store.list_threads(ThreadQuery(), 0, 10)
            for sp in store.thread_posts(t.id)
        }
        assert stored == {mention["id"], good["id"]}
    finally:
        server.stop()
