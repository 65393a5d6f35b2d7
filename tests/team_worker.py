"""One laptop of a team, in a subprocess: the app's own sync and outbox on a shared
PostgreSQL database (tests/test_team_claims.py).

Every command opens the team database as Shopkeep does (`open_team_store`), talks to
the local Mastodon test server with its own token (so the test can tell the laptops'
requests apart), prints one line per step, flushed at once, and waits for a line on
stdin where the test must line several laptops up ("go"). Run as
`python -m tests.team_worker COMMAND DSN SERVER TOKEN ACCOUNT_ID ...` from the root.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from datetime import timedelta

from app.core.models import OutboxState, Post
from app.core.outbox import OutboxSender
from app.core.sync import SyncService
from app.net.mastodon import MastodonClient
from app.storage.inbox_store import SqliteInboxStore
from app.storage.postgres import open_team_store
from tests.crash_worker import StallBeforeMarkSent, quick_score, say


class Laptop:
    """The team store, the account and a client, as one Shopkeep process has them."""

    def __init__(self, dsn: str, server: str, token: str, account_id: str) -> None:
        self.store = open_team_store(dsn)
        account = self.store.account(int(account_id))
        assert account is not None
        self.account = account
        self.client = MastodonClient(server, token, page_pause=0.0, timeout=(5.0, 30.0))

    def pending(self) -> int:
        return len(
            self.store.outbox_items(
                (OutboxState.QUEUED, OutboxState.SENDING), account_id=self.account.id
            )
        )


def go() -> None:
    say("ready")
    sys.stdin.readline()  # the test lines the laptops up, then says go


def run_sync(dsn: str, server: str, token: str, account_id: str) -> None:
    """One full sync of the account (mentions, conversations, outbox), started on "go"."""
    laptop = Laptop(dsn, server, token, account_id)
    service = SyncService(
        laptop.store,
        lambda a: laptop.client,
        quick_score,
        outbox=OutboxSender(laptop.store, quick_score),
    )
    go()
    report = service.sync_account(laptop.account)
    say(f"done new={report.new_posts} sent={report.sent_items} error={report.error_message or '-'}")


def run_ingest(dsn: str, server: str, token: str, account_id: str, status_id: str) -> None:
    """On "go", store one conversation read from the server (as a sync or a sent reply does)."""
    laptop = Laptop(dsn, server, token, account_id)
    posts = laptop.client.thread(laptop.client.status(status_id))
    go()
    result = laptop.store.ingest(laptop.account.id, posts, quick_score)
    say(f"done new={result.new_posts}")


class StallsWhilePulling:
    """The real store; the first batch of mentions it is given, it announces and waits there
    to be killed: the sync holds the account's sync lock all that time."""

    def __init__(self, inner: SqliteInboxStore) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> object:
        return getattr(self._inner, name)

    def store_mentions(
        self, account_id: int, posts: Sequence[Post], score: object, **kw: object
    ) -> object:
        say(f"pulling {len(posts)}")
        time.sleep(600)  # the test sends SIGKILL here
        raise SystemExit("never killed")


def run_stalled_sync(dsn: str, server: str, token: str, account_id: str) -> None:
    """A sync that stops for good in the middle of pulling the mentions."""
    laptop = Laptop(dsn, server, token, account_id)
    service = SyncService(
        StallsWhilePulling(laptop.store),
        lambda a: laptop.client,  # type: ignore[arg-type]
        quick_score,
    )
    go()
    service.sync_account(laptop.account)


def run_send(
    dsn: str, server: str, token: str, account_id: str, lease_s: str, *replies: str
) -> None:
    """Queue `replies` (a person answering, each `thread_id:parent_remote_id:text`), then on
    "go" send until this account's outbox is empty. The lease is `lease_s` seconds."""
    laptop = Laptop(dsn, server, token, account_id)
    sender = OutboxSender(laptop.store, quick_score, lease=timedelta(seconds=float(lease_s)))
    for reply in replies:
        thread_id, parent_id, text = reply.split(":", 2)
        parent = next(
            p.post
            for p in laptop.store.thread_posts(int(thread_id))
            if p.post.remote_id == parent_id
        )
        item = sender.enqueue(laptop.account, int(thread_id), parent, text)
        say(f"queued {item.id}")
    go()
    sent = 0
    while laptop.pending():  # another laptop's claim may still have to run out
        sent += len(sender.send_pending(laptop.account, laptop.client).sent)
        time.sleep(0.05)
    say(f"done sent={sent}")


def run_send_once(dsn: str, server: str, token: str, account_id: str) -> None:
    """One pass over the account's outbox on "go", with the app's usual lease."""
    laptop = Laptop(dsn, server, token, account_id)
    sender = OutboxSender(laptop.store, quick_score)
    go()
    report = sender.send_pending(laptop.account, laptop.client)
    say(f"done sent={len(report.sent)}")


def run_stall_before_mark_sent(dsn: str, server: str, token: str, account_id: str) -> None:
    """Send the queue; once the server has the first reply, hang before recording it."""
    laptop = Laptop(dsn, server, token, account_id)
    sender = OutboxSender(StallBeforeMarkSent(laptop.store), quick_score)  # type: ignore[arg-type]
    go()
    sender.send_pending(laptop.account, laptop.client)


class WaitsBeforePosting:
    """The real client, except `reply`: it says the item is claimed and waits for "post"."""

    def __init__(self, inner: MastodonClient) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> object:
        return getattr(self._inner, name)

    def reply(self, parent: Post, text: str, idempotency_key: str) -> Post:
        say("claimed")
        sys.stdin.readline()
        return self._inner.reply(parent, text, idempotency_key)


def run_slow_send(dsn: str, server: str, token: str, account_id: str) -> None:
    """Send the queue, waiting between the claim and the POST until the test says "post"."""
    laptop = Laptop(dsn, server, token, account_id)
    sender = OutboxSender(laptop.store, quick_score)
    go()
    report = sender.send_pending(laptop.account, WaitsBeforePosting(laptop.client))  # type: ignore[arg-type]
    say(f"done sent={len(report.sent)}")


COMMANDS = {
    "sync": run_sync,
    "stalled-sync": run_stalled_sync,
    "send": run_send,
    "send-once": run_send_once,
    "ingest": run_ingest,
    "stall-before-mark-sent": run_stall_before_mark_sent,
    "slow-send": run_slow_send,
}

if __name__ == "__main__":
    COMMANDS[sys.argv[1]](*sys.argv[2:])
