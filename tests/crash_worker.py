"""Subprocess entry points for the kill -9 tests (tests/test_crash_*.py).

Each command runs the app's real code on a real database file and prints one
line per step it finished ("saved 12", "ingest-start 40"), flushed at once, so
the test knows where the worker is when it sends SIGKILL. Run as
`python -m tests.crash_worker COMMAND ARGS...` from the project root.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.core.models import Author, Network, Post, Sentiment, SentimentLabel
from app.core.outbox import OutboxSender
from app.core.sync import SyncService
from app.net.mastodon import MastodonClient
from app.storage.inbox_store import SqliteInboxStore

DRAFT_BODY = 100_000  # characters per draft version: every save is a real write
BATCH = 50  # posts per transaction in `bulk`


def say(line: str) -> None:
    print(line, flush=True)


class StopsHalfway:
    """A scorer that says when it is halfway through the first big ingest, then waits there
    to be killed: the kill lands inside the ingest transaction, however fast the machine."""

    def __init__(self, halfway: int) -> None:
        self.halfway = halfway
        self.scored = 0

    def __call__(self, text: str) -> Sentiment:
        self.scored += 1
        if self.scored == self.halfway:
            say(f"scored {self.scored}")
            time.sleep(600)  # the test sends SIGKILL here
        return Sentiment(0.0, SentimentLabel.NEUTRAL)


def quick_score(text: str) -> Sentiment:
    return Sentiment(0.0, SentimentLabel.NEUTRAL)


class AnnouncingStore:
    """The real store, saying when each ingest starts and ends."""

    def __init__(self, inner: SqliteInboxStore) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> object:
        return getattr(self._inner, name)

    def ingest(self, account_id: int, posts: Sequence[Post], score: object) -> object:
        say(f"ingest-start {len(posts)}")
        result = self._inner.ingest(account_id, posts, score)  # type: ignore[arg-type]
        say(f"ingest-done {len(posts)}")
        return result

    def store_mentions(
        self, account_id: int, posts: Sequence[Post], score: object, **kw: object
    ) -> object:
        say(f"ingest-start {len(posts)}")
        result = self._inner.store_mentions(account_id, posts, score, **kw)  # type: ignore[arg-type]
        say(f"ingest-done {len(posts)}")
        return result


def run_sync(db: str, server: str, token: str, account_id: str) -> None:
    """One SyncService pass for one Mastodon account, announcing every ingest; it stops
    for good halfway through scoring a batch of 120."""
    store = SqliteInboxStore.open(Path(db))
    account = store.account(int(account_id))
    assert account is not None
    client = MastodonClient(server, token, page_pause=0.0)
    service = SyncService(AnnouncingStore(store), lambda a: client, StopsHalfway(60))  # type: ignore[arg-type]
    say("ready")
    report = service.sync_account(account)
    say(f"done {report.new_posts} {report.error_message}")


def run_fault_sync(
    db: str, server: str, token: str, account_id: str, target: str, refresh_limit: str = "0"
) -> None:
    """One sync through the named storage points; kill -9 itself at `target`."""
    from tests.fault_points import PointStore, kill_at

    store = SqliteInboxStore.open(Path(db))
    account = store.account(int(account_id))
    assert account is not None
    client = MastodonClient(server, token, page_pause=0.0, timeout=(5.0, 30.0))
    service = SyncService(
        PointStore(store, kill_at(target, say)),
        lambda a: client,
        quick_score,
        refresh_limit=int(refresh_limit),
    )
    say("ready")
    sys.stdin.readline()  # the test arms its kill switch first, then says go
    report = service.sync_account(account)
    say(f"done {report.new_posts} {type(report.error).__name__}")


def run_bluesky_fault_sync(
    db: str,
    pds_url: str,
    did: str,
    handle: str,
    account_id: str,
    target: str,
    refresh_limit: str = "0",
    prefetch: str = "0",
) -> None:
    """One Bluesky sync through the named storage points; kill -9 itself at `target`.

    The tokens come on stdin (never on the command line, where `ps` shows them);
    that line is also the test's "go", sent once its kill switch is armed.
    """
    import json

    from app.net.bluesky import BlueskyClient
    from tests.fault_points import PointStore, kill_at

    store = SqliteInboxStore.open(Path(db))
    account = store.account(int(account_id))
    assert account is not None
    say("ready")
    tokens = json.loads(sys.stdin.readline())
    client = BlueskyClient(
        pds_url,
        did,
        tokens["access"],
        tokens["refresh"],
        lambda a, r: None,
        handle=handle,
        timeout=(5.0, 30.0),
        prefetch_threads=prefetch == "1",
    )
    service = SyncService(
        PointStore(store, kill_at(target, say)),
        lambda a: client,
        quick_score,
        refresh_limit=int(refresh_limit),
    )
    report = service.sync_account(account)
    say(f"done {report.new_posts} {type(report.error).__name__}")


def run_drafts(db: str, thread_id: str) -> None:
    """Save ever newer 100 kB drafts of one thread, as fast as the disk allows."""
    store = SqliteInboxStore.open(Path(db))
    say("ready")
    version = 0
    while True:
        version += 1
        store.save_draft(int(thread_id), draft_text(version))
        say(f"saved {version}")


def draft_text(version: int) -> str:
    return f"{version:06d}:" + "x" * DRAFT_BODY


def run_outbox(db: str, server: str, token: str, account_id: str) -> None:
    """Send this account's queued replies once."""
    store = SqliteInboxStore.open(Path(db))
    account = store.account(int(account_id))
    assert account is not None
    client = MastodonClient(server, token, page_pause=0.0, timeout=(5.0, 30.0))
    say("ready")
    report = OutboxSender(store, quick_score).send_pending(account, client)
    say(f"done {len(report.sent)}")


class StallBeforeMarkSent:
    """The real store, except mark_sent: it says the server's answer came back, then hangs.

    That is the worst moment to die: the server holds the reply, the database still
    says 'sending'.
    """

    def __init__(self, inner: SqliteInboxStore) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> object:
        return getattr(self._inner, name)

    def mark_sent(self, item_id: int, remote_id: str, url: str = "") -> object:
        say(f"stored {remote_id}")
        time.sleep(600)  # the test sends SIGKILL here
        raise SystemExit("never killed")


def run_bluesky_outbox(db: str, keychain_service: str, account_id: str) -> None:
    """Send one Bluesky account's queue with the app's own wiring; hang before mark_sent."""
    from app.core.connections import Connections
    from app.services.network_clients import register_network_clients
    from app.storage.credentials import CredentialStore

    store = SqliteInboxStore.open(Path(db))
    account = store.account(int(account_id))
    assert account is not None
    connections = Connections(CredentialStore(keychain_service))
    register_network_clients(connections)
    client = connections.client_for(account)
    say("ready")
    sender = OutboxSender(StallBeforeMarkSent(store), quick_score)  # type: ignore[arg-type]
    report = sender.send_pending(account, client)
    say(f"done {len(report.sent)}")


def run_bulk(db: str, account_id: str) -> None:
    """Commit batches of BATCH posts with checkpoints off, so the WAL holds every commit."""
    store = SqliteInboxStore.open(Path(db))
    store.db.execute_sql("PRAGMA wal_autocheckpoint=0")
    author = Author(Network.MASTODON, "9", "@dana@town.example", "Dana")
    start = datetime(2024, 5, 1, tzinfo=UTC)
    say("ready")
    batch = 0
    while True:
        posts = [
            Post(
                Network.MASTODON,
                f"b{batch}-{i}",
                author,
                f"order {batch}/{i} " * 40,
                start + timedelta(minutes=batch * BATCH + i),
                is_mention=True,
            )
            for i in range(BATCH)
        ]
        store.ingest(int(account_id), posts, quick_score)
        batch += 1
        say(f"committed {batch}")


COMMANDS = {
    "sync": run_sync,
    "fault-sync": run_fault_sync,
    "drafts": run_drafts,
    "outbox": run_outbox,
    "bulk": run_bulk,
    "bluesky-outbox": run_bluesky_outbox,
    "bluesky-fault-sync": run_bluesky_fault_sync,
}

if __name__ == "__main__":
    COMMANDS[sys.argv[1]](*sys.argv[2:])
