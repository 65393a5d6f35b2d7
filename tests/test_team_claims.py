"""Exactly once across laptops (issue 24): real Shopkeep processes on one PostgreSQL inbox.

Each "laptop" is a subprocess (tests/team_worker.py) running the app's own sync and
outbox against the same team database (tests/run.sh starts a throwaway PostgreSQL)
and the local Mastodon test server, with a token of its own so the test can tell
their requests apart. The server ignores Idempotency-Key here (as some proxies do),
so a reply sent twice shows as two posts.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import peewee
import pytest

from app.core.errors import StorageError
from app.core.models import OutboxState, ThreadStatus
from app.core.outbox import LEASE, OutboxSender
from app.storage import pg_locks
from app.storage.database import write_transaction
from app.storage.inbox_store import SqliteInboxStore
from app.storage.postgres import open_postgres, open_team_store
from app.storage.raw_sql import execute
from tests.mastodon_server import MastodonServer
from tests.sync_support import client_for, mastodon_account, mention_thread, score
from tests.waiting import wait_until

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs kill -9"),
]

ROOT = Path(__file__).resolve().parent.parent


class Laptop:
    """tests/team_worker.py in a subprocess, read line by line, told when to go."""

    def __init__(
        self, command: str, dsn: str, server: MastodonServer, account_id: int, *args: str
    ) -> None:
        self.token = server.issue_token(server.owner)  # this laptop's own sign-in
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.team_worker",
                command,
                dsn,
                server.url,
                self.token,
                str(account_id),
                *args,
            ],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []

    def wait_for(self, wanted: Callable[[str], bool], timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            line = raw.strip()
            self.lines.append(line)
            if wanted(line):
                return line
            if time.monotonic() > deadline:
                break
        raise AssertionError(
            f"the laptop never said it; said {self.lines[-5:]}; stderr: "
            f"{self.proc.stderr.read() if self.proc.stderr else ''}"
        )

    def say(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def done(self) -> str:
        line = self.wait_for(lambda s: s.startswith("done"))
        assert self.proc.wait(timeout=60) == 0
        return line

    def kill(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.communicate(timeout=10)
        assert self.proc.returncode == -signal.SIGKILL

    def requests(self, server: MastodonServer, path: str) -> list[Any]:
        return [
            r
            for r in server.requests_to(path)
            if r.headers.get("Authorization") == f"Bearer {self.token}"
        ]


@pytest.fixture
def laptops() -> Iterator[list[Laptop]]:
    """Laptops a failing test left running are killed too."""
    started: list[Laptop] = []
    yield started
    for laptop in started:
        if laptop.proc.poll() is None:
            laptop.proc.kill()
            laptop.proc.wait(timeout=10)


@pytest.fixture
def team(pg_database: str, mastodon_server: MastodonServer) -> Iterator[Any]:
    """The team database with the shop's Mastodon account, as the test sees it."""
    mastodon_server.honour_idempotency = False
    store = open_team_store(pg_database)
    account = mastodon_account(store, mastodon_server)
    yield store, account
    store.close()


def start(
    laptops: list[Laptop],
    command: str,
    dsn: str,
    server: MastodonServer,
    account_id: int,
    *args: str,
) -> Laptop:
    laptop = Laptop(command, dsn, server, account_id, *args)
    laptops.append(laptop)
    laptop.wait_for(lambda line: line == "ready")
    return laptop


def posted_counts(server: MastodonServer, replies: list[str]) -> Counter[str]:
    """How many times each reply reached the server (its HTML holds the words)."""
    return Counter(
        {reply: sum(reply in status["content"] for status in server.posted) for reply in replies}
    )


def advisory_holders(db: Any, kind: int, account_id: int) -> list[int]:
    """The server processes holding this account's lock of that kind."""
    rows = execute(
        db,
        "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted "
        "AND classid = %s AND objid = %s",
        (kind, account_id),
    ).fetchall()
    return [r[0] for r in rows]


def queue_replies(
    store: SqliteInboxStore, account: Any, server: MastodonServer, texts: list[str]
) -> list[int]:
    """A customer's mention for each text, synced in, and the shop's answer queued."""
    sender = OutboxSender(store, score)
    items = []
    for n, text in enumerate(texts):
        customer = server.add_account(f"cust{n}", "town.example")
        thread_id, parent = mention_thread(store, account, server, customer, f"question {n}?")
        items.append(sender.enqueue(account, thread_id, parent, text).id)
    return items


# ------------------------------------------------------------------ syncing


def test_three_laptops_syncing_at_once_store_each_mention_once_and_post_each_reply_once(
    team, pg_database, mastodon_server, laptops
):
    store, account = team
    replies = ["Sorry, it ships today.", "Yes, we open at 9.", "Refund sent, Ann."]
    items = queue_replies(store, account, mastodon_server, replies)
    fans = [mastodon_server.add_account(f"fan{n}", "town.example") for n in range(4)]
    for n in range(16):
        mastodon_server.add_mention(fans[n % 4], f"do you have rye bread, batch {n}?")
    mentions = {n["status_id"] for n in mastodon_server.notifications if n["type"] == "mention"}

    three = [start(laptops, "sync", pg_database, mastodon_server, account.id) for _ in range(3)]
    for laptop in three:
        laptop.say("go")
    said = [laptop.done() for laptop in three]

    assert all(line.endswith("error=-") for line in said), said
    rows = execute(
        store.db, "SELECT remote_id, count(*) FROM post WHERE is_mention GROUP BY remote_id"
    ).fetchall()
    assert {remote_id for remote_id, _ in rows} == mentions
    assert all(count == 1 for _, count in rows)
    assert posted_counts(mastodon_server, replies) == Counter(replies)
    assert len(mastodon_server.posted) == 3
    assert [store.outbox_item(i).state for i in items] == [OutboxState.SENT] * 3


def test_a_second_laptop_does_not_pull_while_the_first_is_syncing_and_takes_over_its_death(
    team, pg_database, mastodon_server, laptops
):
    store, account = team
    fan = mastodon_server.add_account("fan", "town.example")
    for n in range(5):
        mastodon_server.add_mention(fan, f"is the cake ready? #{n}")
    first = start(laptops, "stalled-sync", pg_database, mastodon_server, account.id)
    first.say("go")
    first.wait_for(lambda line: line.startswith("pulling"))  # holds the sync lock, stuck

    second = start(laptops, "sync", pg_database, mastodon_server, account.id)
    second.say("go")
    assert second.done() == "done new=0 sent=0 error=-"
    assert second.requests(mastodon_server, "/api/v1/notifications") == []

    first.kill()  # the server drops a dead laptop's lock with its connection
    wait_until(
        lambda: not advisory_holders(store.db, pg_locks.SYNC_LOCKS, account.id),
        "the dead laptop's sync lock to go",
    )
    third = start(laptops, "sync", pg_database, mastodon_server, account.id)
    third.say("go")
    assert third.done() == "done new=5 sent=0 error=-"
    assert third.requests(mastodon_server, "/api/v1/notifications")


def test_two_laptops_storing_the_same_post_at_once_take_turns(
    team, pg_database, mastodon_server, laptops
):
    """One laptop stores a conversation while another stores the same one (a sync beside
    another laptop's sent reply): the second waits for the first, then finds the posts
    there, instead of inserting them beside it and failing on the unique key."""
    store, account = team
    customer = mastodon_server.add_account("ann", "town.example")
    status = mastodon_server.add_mention(customer, "are you open on Monday?")
    client = client_for(mastodon_server)
    posts = client.thread(client.status(status["id"]))
    client.close()
    second = start(laptops, "ingest", pg_database, mastodon_server, account.id, status["id"])
    with write_transaction(store.db):  # the first laptop, mid-write
        assert store.ingest(account.id, posts, score).new_posts == 1
        second.say("go")
        wait_until(lambda: waiting_for_a_lock(store.db), "the second laptop to wait its turn")
    assert second.done() == "done new=0"
    (count,) = execute(store.db, "SELECT count(*) FROM post").fetchone()
    assert count == 1


def waiting_for_a_lock(db: Any) -> bool:
    (waiting,) = execute(db, "SELECT count(*) FROM pg_locks WHERE NOT granted").fetchone()
    return bool(waiting)


# ------------------------------------------------------------------ sending


def test_two_people_answering_the_same_thread_at_once_each_reply_goes_out_once(
    team, pg_database, mastodon_server, laptops
):
    store, account = team
    customer = mastodon_server.add_account("ann", "town.example")
    thread_id, parent = mention_thread(
        store, account, mastodon_server, customer, "my parcel never came"
    )
    sams = [f"Sam: so sorry, looking now ({n})" for n in range(3)]
    alexs = [f"Alex: a new one is on its way ({n})" for n in range(3)]
    sam = start(
        laptops,
        "send",
        pg_database,
        mastodon_server,
        account.id,
        "180",
        *[f"{thread_id}:{parent.remote_id}:{text}" for text in sams],
    )
    alex = start(
        laptops,
        "send",
        pg_database,
        mastodon_server,
        account.id,
        "180",
        *[f"{thread_id}:{parent.remote_id}:{text}" for text in alexs],
    )
    sam.say("go")
    alex.say("go")
    said = [sam.done(), alex.done()]

    assert posted_counts(mastodon_server, sams + alexs) == Counter(sams + alexs)
    assert len(mastodon_server.posted) == 6
    assert sum(int(line.split("sent=")[1]) for line in said) == 6
    items = store.outbox_items(thread_id=thread_id)
    assert [i.state for i in items] == [OutboxState.SENT] * 6
    assert all(i.attempts == 1 for i in items)
    assert store.thread(thread_id).status is ThreadStatus.REPLIED


def test_a_sender_killed_holding_a_claim_its_lease_runs_out_and_the_reply_goes_out_once(
    team, pg_database, mastodon_server, laptops
):
    """kill -9 after the server took the reply, before the database heard: the claim stays
    'sending' until its lease runs out; then one of two laptops finds it on the server."""
    store, account = team
    [item_id] = queue_replies(store, account, mastodon_server, ["Yes, 9 to 1 on Sunday!"])
    dying = start(laptops, "stall-before-mark-sent", pg_database, mastodon_server, account.id)
    dying.say("go")
    dying.wait_for(lambda line: line.startswith("stored"))
    dying.kill()
    assert len(mastodon_server.posted) == 1
    assert store.outbox_item(item_id).state is OutboxState.SENDING

    others = [
        start(laptops, "send", pg_database, mastodon_server, account.id, "1") for _ in range(2)
    ]
    for laptop in others:
        laptop.say("go")
    said = [laptop.done() for laptop in others]

    assert sorted(said) == ["done sent=0", "done sent=1"]
    assert len(mastodon_server.posted) == 1  # found on the server, never posted again
    item = store.outbox_item(item_id)
    assert item.state is OutboxState.SENT and item.remote_id == mastodon_server.posted[0]["id"]
    assert item.attempts == 2


def test_a_laptop_that_lost_its_lock_but_still_sends_keeps_its_claim(
    team, pg_database, mastodon_server, laptops
):
    """The first laptop's lock connection drops (a network blip, a server restart) while it
    is about to post: the second laptop gets the send lock, but the claim's lease is fresh,
    so it leaves the reply alone and the first one posts it, once."""
    store, account = team
    [item_id] = queue_replies(store, account, mastodon_server, ["We are on it, Ann."])
    first = start(laptops, "slow-send", pg_database, mastodon_server, account.id)
    first.say("go")
    first.wait_for(lambda line: line == "claimed")
    [holder] = advisory_holders(store.db, pg_locks.SEND_LOCKS, account.id)
    execute(store.db, "SELECT pg_terminate_backend(%s)", (holder,))
    wait_until(
        lambda: not advisory_holders(store.db, pg_locks.SEND_LOCKS, account.id),
        "the lost connection's lock to go",
    )

    second = start(laptops, "send-once", pg_database, mastodon_server, account.id)
    second.say("go")
    assert second.done() == "done sent=0"
    assert mastodon_server.posted == []

    first.say("post")
    assert first.done() == "done sent=1"
    assert len(mastodon_server.posted) == 1
    assert store.outbox_item(item_id).state is OutboxState.SENT


def test_the_server_probes_a_lock_connection_so_a_vanished_laptop_loses_its_lock(team):
    """A laptop gone from the network without closing its connection: the server's
    keepalive probes find out within about a minute, not the operating system's hours."""
    store, _ = team
    own = pg_locks.lock_connection(store.db)
    try:
        settings = {
            name: execute(own, f"SHOW {name}").fetchone()[0] for name in pg_locks.KEEPALIVES
        }
    finally:
        own.close()
    assert settings == {
        "tcp_keepalives_idle": "30",
        "tcp_keepalives_interval": "10",
        "tcp_keepalives_count": "3",
    }


def test_a_sync_that_cannot_reach_the_team_database_for_its_lock_says_so_calmly(pg_server):
    """The lock's own connection fails (the server went away between two calls)."""
    dead = open_postgres(pg_server.dsn, bind=False)
    dead.connect_params["port"] = free_port()
    db = peewee.PostgresqlDatabase(dead.database, **dead.connect_params)
    dead.close()
    with pytest.raises(StorageError) as caught, pg_locks.hold(db, pg_locks.SYNC_LOCKS, 1):
        pass
    assert "could not reach the team database" in caught.value.user_message


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ------------------------------------------------------------------ the claim itself


def test_a_claim_skips_an_item_another_laptop_is_claiming_instead_of_waiting(
    team, pg_database, mastodon_server
):
    store, account = team
    [item_id] = queue_replies(store, account, mastodon_server, ["Thanks!"])
    other = open_postgres(pg_database, bind=False)  # the other laptop, mid-claim
    try:
        with other.atomic():
            execute(other, "SELECT id FROM outbox_item WHERE id = %s FOR UPDATE", (item_id,))
            # a claim that waited for the row would fail here instead of hanging the test
            execute(store.db, "SET lock_timeout = '5s'")
            assert store.claim_outbox_item(item_id, LEASE) is None  # at once: SKIP LOCKED
            execute(store.db, "RESET lock_timeout")
        claimed = store.claim_outbox_item(item_id, LEASE)
    finally:
        other.close()
    assert claimed is not None and claimed.state is OutboxState.SENDING
    assert claimed.attempts == 1
