"""Replies go out once even after the unlucky cases a hostile tester found (issue 20):
a backup restored over replies that went out since, a kill -9 mid-send under a parent
that already holds a reply with the same words, and a sender that cannot use its lock.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.core.models import OutboxState
from app.core.outbox import OutboxSender
from app.storage.database import restore_last_backup
from app.storage.inbox_store import SqliteInboxStore
from app.storage.tables import OutboxItem, to_db_time
from tests.mastodon_server import MastodonServer
from tests.sync_support import client_for, mastodon_account, mention_thread, score
from tests.test_crash_kill9 import Worker, finish_outbox, integrity, kill_list  # noqa: F401


@pytest.fixture
def shop_db(tmp_path: Path, mastodon_server: MastodonServer) -> tuple[Path, Any, dict]:
    """A database file with the shop's account and a customer on the test server."""
    db_path = tmp_path / "data" / "shopkeep.sqlite3"
    store = SqliteInboxStore.open(db_path)
    account = mastodon_account(store, mastodon_server)
    store.close()
    return db_path, account, mastodon_server.add_account("ann", "town.example")


def test_restoring_a_backup_never_posts_a_waiting_reply_twice(
    shop_db: tuple[Path, Any, dict], mastodon_server: MastodonServer, tmp_path: Path
) -> None:
    """Three replies wait when the daily backup is taken; they go out; the owner restores
    the backup. They come back 'queued', but the server already has them: 3 posts, not 6."""
    db_path, account, customer = shop_db
    mastodon_server.honour_idempotency = False  # only asking the server can save us
    backups = tmp_path / "backups"
    store = SqliteInboxStore.open(db_path)
    sender = OutboxSender(store, score)
    for n in range(3):
        thread_id, parent = mention_thread(
            store, account, mastodon_server, customer, f"where is order {n}?"
        )
        sender.enqueue(account, thread_id, parent, f"Order {n} left this morning.")
    store.backup_now(backups)
    assert len(sender.send_pending(account, client_for(mastodon_server)).sent) == 3
    store.close()
    assert len(mastodon_server.posted) == 3

    restore_last_backup(db_path, backups)

    store = SqliteInboxStore.open(db_path)
    try:
        waiting = store.outbox_items(account_id=account.id)
        assert [i.state for i in waiting] == [OutboxState.QUEUED] * 3
        assert all(i.attempts > 0 for i in waiting)  # "check with the server first"
        report = OutboxSender(store, score).send_pending(account, client_for(mastodon_server))
        assert len(report.sent) == 3
        assert len(mastodon_server.posted) == 3
        posted = {s["id"] for s in mastodon_server.posted}
        assert {i.remote_id for i in store.outbox_items(account_id=account.id)} == posted
    finally:
        store.close()


def test_a_reply_queued_after_the_backup_is_still_sent_after_a_restore(
    shop_db: tuple[Path, Any, dict], mastodon_server: MastodonServer, tmp_path: Path
) -> None:
    """Asking first does not swallow a reply that never went out."""
    db_path, account, customer = shop_db
    backups = tmp_path / "backups"
    store = SqliteInboxStore.open(db_path)
    thread_id, parent = mention_thread(store, account, mastodon_server, customer, "open?")
    OutboxSender(store, score).enqueue(account, thread_id, parent, "Yes, until six.")
    store.backup_now(backups)
    store.close()
    restore_last_backup(db_path, backups)
    report, [item] = finish_outbox(db_path, account, mastodon_server)
    assert item.state is OutboxState.SENT and len(report.sent) == 1
    assert len(mastodon_server.posted) == 1


def test_kill_9_mid_send_records_this_reply_not_an_older_one_with_the_same_words(
    shop_db: tuple[Path, Any, dict],
    mastodon_server: MastodonServer,
    kill_list: list[Worker],  # noqa: F811
) -> None:
    """The owner answered "Thank you!" under a post yesterday and again today; the
    window is killed while the server holds today's reply. The next run must record
    today's reply, not yesterday's, and post nothing."""
    db_path, account, customer = shop_db
    mastodon_server.honour_idempotency = False
    store = SqliteInboxStore.open(db_path)
    sender = OutboxSender(store, score)
    thread_id, parent = mention_thread(store, account, mastodon_server, customer, "loved the cake!")
    sender.enqueue(account, thread_id, parent, "Thank you!")
    [first] = sender.send_pending(account, client_for(mastodon_server)).sent
    today = sender.enqueue(account, thread_id, parent, "Thank you!")
    store.close()
    mastodon_server.delay_after_store = 20.0  # stored, but the answer never comes back
    worker = Worker(
        "outbox", str(db_path), mastodon_server.url, mastodon_server.token, str(account.id)
    )
    kill_list.append(worker)
    worker.wait_for(lambda line: line == "ready")
    deadline = time.monotonic() + 20
    while len(mastodon_server.posted) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)  # polling the server for the condition
    assert len(mastodon_server.posted) == 2
    worker.kill()
    mastodon_server.delay_after_store = 0.0

    assert integrity(db_path) == "ok"
    report, items = finish_outbox(db_path, account, mastodon_server)
    assert report.sent == (today.id,)
    assert len(mastodon_server.posted) == 2  # found on the server, not sent a third time
    by_id = {i.id: i for i in items}
    assert by_id[today.id].remote_id == mastodon_server.posted[1]["id"]
    assert by_id[first].remote_id == mastodon_server.posted[0]["id"]


def test_an_older_reply_with_the_same_words_made_elsewhere_is_not_taken_for_ours(
    shop_db: tuple[Path, Any, dict], mastodon_server: MastodonServer
) -> None:
    """The owner wrote "Thanks!" from the website an hour ago; Shopkeep's own "Thanks!"
    never reached the server: it must be sent, not matched to the old one."""
    db_path, account, customer = shop_db
    mastodon_server.honour_idempotency = False
    store = SqliteInboxStore.open(db_path)
    try:
        thread_id, parent = mention_thread(store, account, mastodon_server, customer, "great bread")
        mastodon_server.add_status(
            mastodon_server.owner,
            "@ann Thanks!",
            in_reply_to=parent.remote_id,
            created_at=datetime.now(UTC) - timedelta(hours=1),
        )
        item = OutboxSender(store, score).enqueue(account, thread_id, parent, "Thanks!")
        store.mark_sending(item.id)  # a crash before the request left
        report = OutboxSender(store, score).send_pending(account, client_for(mastodon_server))
        assert report.sent == (item.id,)
        assert len(mastodon_server.posted) == 1
        assert store.outbox_item(item.id).remote_id == mastodon_server.posted[0]["id"]
    finally:
        store.close()


def _left_sending(store: SqliteInboxStore, item_id: int, ago: timedelta) -> None:
    """What another live sender (or a dead one, long ago) leaves in the row."""
    store.mark_sending(item_id)
    _age(store, item_id, ago)


def _age(store: SqliteInboxStore, item_id: int, ago: timedelta) -> None:
    with store.db.bind_ctx([OutboxItem]):
        OutboxItem.update(updated_at=to_db_time(datetime.now(UTC) - ago)).where(
            OutboxItem.id == item_id
        ).execute()


def test_without_a_usable_lock_a_reply_another_sender_holds_waits_for_its_lease(
    shop_db: tuple[Path, Any, dict], mastodon_server: MastodonServer
) -> None:
    """The lock file cannot be made (here: a folder sits where it goes), so a reply
    marked 'sending' a moment ago may be in a live process's hands: it is left alone
    until its lease runs out, then checked with the server and sent once."""
    db_path, account, customer = shop_db
    mastodon_server.honour_idempotency = False
    db_path.with_name(f"{db_path.name}.send-{account.id}.lock").mkdir()
    store = SqliteInboxStore.open(db_path)
    try:
        thread_id, parent = mention_thread(store, account, mastodon_server, customer, "hi")
        item = OutboxSender(store, score).enqueue(account, thread_id, parent, "Hello Ann!")
        _left_sending(store, item.id, timedelta(seconds=5))
        report = OutboxSender(store, score).send_pending(account, client_for(mastodon_server))
        assert report.sent == () and mastodon_server.posted == []
        assert store.outbox_item(item.id).state is OutboxState.SENDING

        _age(store, item.id, timedelta(hours=1))  # that sender is long gone
        report = OutboxSender(store, score).send_pending(account, client_for(mastodon_server))
        assert report.sent == (item.id,)
        assert len(mastodon_server.posted) == 1
        assert mastodon_server.requests_to(f"/api/v1/statuses/{parent.remote_id}/context")
    finally:
        store.close()


def test_the_outbox_row_keeps_when_it_last_changed(
    shop_db: tuple[Path, Any, dict], mastodon_server: MastodonServer
) -> None:
    """The lease reads `updated_at`: every state change moves it, and the item carries it."""
    db_path, account, customer = shop_db
    store = SqliteInboxStore.open(db_path)
    try:
        thread_id, parent = mention_thread(store, account, mastodon_server, customer, "hey")
        item = OutboxSender(store, score).enqueue(account, thread_id, parent, "Hey!")
        assert item.updated_at is not None
        _left_sending(store, item.id, timedelta(hours=1))
        stale = store.outbox_item(item.id).updated_at
        assert stale is not None and datetime.now(UTC) - stale > timedelta(minutes=59)
        store.retry(item.id)
        assert store.outbox_item(item.id).updated_at > stale
    finally:
        store.close()
