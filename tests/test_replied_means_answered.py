"""Replied means answered: a thread counts as replied once the reply is on the server.

Issue 19, failure 16: the conversation was marked Replied when the reply was
queued, so a reply that later failed (signed out) left the customer unanswered
with nothing in Needs reply. Now a queued or failed reply keeps the thread in
Needs reply, marked "reply waiting" or "reply failed".
"""

from __future__ import annotations

from app.core.models import Folder, OutboxState, ThreadStatus
from app.core.outbox import OutboxSender
from app.core.ports import ThreadQuery
from tests.sync_support import client_for, mastodon_account, mention_thread, score


def needs_reply(store) -> list[int]:
    return [r.id for r in store.list_threads(ThreadQuery(folder=Folder.NEEDS_REPLY), 0, 100)]


def test_a_reply_that_fails_leaves_the_customer_in_needs_reply_marked_failed(
    store, mastodon_server
):
    shop = mastodon_account(store, mastodon_server)
    ann = mastodon_server.add_account("ann", "town.example", display_name="Ann")
    thread_id, parent = mention_thread(
        store, shop, mastodon_server, ann, "My order never came, what now?"
    )
    outbox = OutboxSender(store, score)
    item = outbox.enqueue(shop, thread_id, parent, "So sorry Ann, sending a new one today.")

    queued = store.thread(thread_id)
    assert queued.status is ThreadStatus.NEEDS_REPLY and queued.reply_state == "waiting"
    assert thread_id in needs_reply(store)

    token = mastodon_server.token
    mastodon_server.tokens.pop(token)  # the owner was signed out on the server
    report = outbox.send_pending(shop, client_for(mastodon_server, token))
    assert report.failed == (item.id,)
    failed = store.thread(thread_id)
    assert failed.status is ThreadStatus.NEEDS_REPLY and failed.reply_state == "failed"
    assert thread_id in needs_reply(store)

    mastodon_server.tokens[token] = mastodon_server.owner["id"]  # signed in again
    outbox.retry(item.id)
    report = outbox.send_pending(shop, client_for(mastodon_server, token))
    assert report.sent == (item.id,)
    assert store.outbox_item(item.id).state is OutboxState.SENT
    answered = store.thread(thread_id)
    assert answered.status is ThreadStatus.REPLIED and answered.reply_state == ""
    assert thread_id not in needs_reply(store)
