"""Pulling the plug loses nothing: real `kill -9` of a worker running the app's code.

The worker (tests/crash_worker.py) syncs, saves drafts or sends the outbox on
a real database file and says what it finished; the test kills it at the worst
moment (inside the ingest transaction, mid-draft-write, while the server holds
the reply). Afterwards the file passes `PRAGMA integrity_check`, nothing
acknowledged is missing, the next run finishes the job, and no reply goes out
twice.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from app.core.models import OutboxState, ThreadStatus
from app.core.outbox import OutboxSender
from app.core.sync import MENTIONS_CURSOR, SyncService
from app.storage.inbox_store import SqliteInboxStore
from tests.crash_worker import draft_text
from tests.mastodon_server import MastodonServer
from tests.sync_support import client_for, mastodon_account, mention_thread, score

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs kill -9 (POSIX)")


class Worker:
    """tests/crash_worker.py in a subprocess, read line by line."""

    def __init__(self, *args: str) -> None:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.crash_worker", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []

    def wait_for(self, wanted: Callable[[str], bool], timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.strip())
            if wanted(line.strip()):
                return line.strip()
            if time.monotonic() > deadline:
                break
        raise AssertionError(
            f"worker never said it; said {self.lines[-5:]}; "
            f"stderr: {self.proc.stderr.read() if self.proc.stderr else ''}"
        )

    def kill(self) -> list[str]:
        """SIGKILL now; returns what it printed up to its death."""
        os.kill(self.proc.pid, signal.SIGKILL)
        out, _ = self.proc.communicate(timeout=10)
        assert self.proc.returncode == -signal.SIGKILL
        return self.lines + out.splitlines()


@pytest.fixture
def kill_list() -> Iterator[list[Worker]]:
    """Workers a failing test left running get killed too."""
    workers: list[Worker] = []
    yield workers
    for w in workers:
        if w.proc.poll() is None:
            w.proc.kill()
            w.proc.wait(timeout=10)


def integrity(db_path: Path) -> str:
    import sqlite3

    conn = sqlite3.connect(db_path)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def mention_ids(store: SqliteInboxStore) -> list[str]:
    rows = store.db.execute_sql("SELECT remote_id FROM post WHERE is_mention").fetchall()
    return sorted(r[0] for r in rows)


def test_kill_9_inside_the_sync_ingest_keeps_the_database_whole_and_resumes(
    tmp_path: Path, mastodon_server: MastodonServer, kill_list: list[Worker]
) -> None:
    db_path = tmp_path / "shopkeep.sqlite3"
    store = SqliteInboxStore.open(db_path)
    account = mastodon_account(store, mastodon_server)
    store.close()
    ann = mastodon_server.add_account("ann", "town.example")
    expected = sorted(
        mastodon_server.add_mention(ann, f"order {n} is late")["id"] for n in range(120)
    )

    worker = Worker(
        "sync", str(db_path), mastodon_server.url, mastodon_server.token, str(account.id)
    )
    kill_list.append(worker)
    worker.wait_for(lambda line: line == "ingest-start 120")  # the first, big transaction
    worker.wait_for(lambda line: line == "scored 60")  # halfway through it, and waiting
    said = worker.kill()
    assert not any(line.startswith("ingest-done") for line in said), "killed too late"

    assert integrity(db_path) == "ok"
    store = SqliteInboxStore.open(db_path)
    try:
        assert mention_ids(store) == []  # all or nothing: the batch rolled back
        assert store.cursor(account.id, MENTIONS_CURSOR) is None  # never ahead of the posts
        report = SyncService(store, lambda a: client_for(mastodon_server), score).sync_account(
            store.account(account.id)
        )
        assert report.ok, report.error
        assert mention_ids(store) == expected
        dupes = store.db.execute_sql(
            "SELECT remote_id FROM post GROUP BY account_id, remote_id HAVING count(*) > 1"
        ).fetchall()
        assert dupes == []
        assert integrity(db_path) == "ok"
    finally:
        store.close()


def test_kill_9_while_saving_big_drafts_keeps_an_acknowledged_draft(
    tmp_path: Path, store: Any, shop_account: Any, make_post: Any, kill_list: list[Worker]
) -> None:
    thread_id = store.ingest(
        shop_account.id, [make_post("1", "where is my cake")], score
    ).new_thread_ids[0]
    db_path = Path(store.db.database)
    store.close()

    worker = Worker("drafts", str(db_path), str(thread_id))
    kill_list.append(worker)
    worker.wait_for(lambda line: line == "saved 15")
    said = worker.kill()  # mid-write of some later version
    acknowledged = max(int(line.split()[1]) for line in said if line.startswith("saved "))

    assert integrity(db_path) == "ok"
    reopened = SqliteInboxStore.open(db_path)
    try:
        draft = reopened.get_draft(thread_id)
        assert draft is not None
        version = int(draft.text.split(":", 1)[0])
        assert version >= acknowledged
        assert draft.text == draft_text(version)  # whole, never half of two versions
    finally:
        reopened.close()


@pytest.fixture
def queued_reply(tmp_path: Path, mastodon_server: MastodonServer) -> tuple[Path, Any, int]:
    """A customer's mention synced, and the owner's reply waiting in the outbox."""
    db_path = tmp_path / "shopkeep.sqlite3"
    store = SqliteInboxStore.open(db_path)
    account = mastodon_account(store, mastodon_server)
    customer = mastodon_server.add_account("ann", "town.example")
    thread_id, parent = mention_thread(
        store, account, mastodon_server, customer, "is the shop open on Sunday?"
    )
    item = OutboxSender(store, score).enqueue(account, thread_id, parent, "Yes, 9 to 1!")
    store.close()
    return db_path, account, item.id


def finish_outbox(db_path: Path, account: Any, server: MastodonServer) -> Any:
    store = SqliteInboxStore.open(db_path)
    try:
        report = OutboxSender(store, score).send_pending(account, client_for(server))
        return report, store.outbox_items(account_id=account.id)
    finally:
        store.close()


def test_a_reply_another_process_is_sending_is_left_to_it(
    mastodon_server: MastodonServer, queued_reply: tuple[Path, Any, int], kill_list: list[Worker]
) -> None:
    """`python -m app sync` is mid-send when the window's pass starts: the window waits.

    The server ignores idempotency keys here, so a second send would show as a
    second post."""
    db_path, account, item_id = queued_reply
    mastodon_server.honour_idempotency = False
    mastodon_server.delay = {"/api/v1/statuses": 3.0}  # the first process's POST hangs
    worker = Worker(
        "outbox", str(db_path), mastodon_server.url, mastodon_server.token, str(account.id)
    )
    kill_list.append(worker)
    worker.wait_for(lambda line: line == "ready")
    deadline = time.monotonic() + 20
    while not mastodon_server.requests_to("/api/v1/statuses", "POST"):
        assert time.monotonic() < deadline, "the worker never sent"
        time.sleep(0.02)
    mastodon_server.delay = {}  # only the request in flight is slow

    report, [item] = finish_outbox(db_path, account, mastodon_server)
    assert report.sent == () and report.waiting == 1
    assert item.id == item_id and item.state is OutboxState.SENDING
    assert worker.wait_for(lambda line: line.startswith("done")) == "done 1"
    assert len(mastodon_server.posted) == 1
    report, [item] = finish_outbox(db_path, account, mastodon_server)
    assert report.waiting == 0 and item.state is OutboxState.SENT
    assert len(mastodon_server.posted) == 1


def test_kill_9_after_the_server_took_the_reply_never_posts_it_twice(
    mastodon_server: MastodonServer, queued_reply: tuple[Path, Any, int], kill_list: list[Worker]
) -> None:
    db_path, account, item_id = queued_reply
    mastodon_server.delay_after_store = 20.0  # stored, but the answer never comes back
    worker = Worker(
        "outbox", str(db_path), mastodon_server.url, mastodon_server.token, str(account.id)
    )
    kill_list.append(worker)
    worker.wait_for(lambda line: line == "ready")
    deadline = time.monotonic() + 20
    while not mastodon_server.posted and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(mastodon_server.posted) == 1
    worker.kill()
    mastodon_server.delay_after_store = 0.0

    assert integrity(db_path) == "ok"
    report, items = finish_outbox(db_path, account, mastodon_server)
    assert report.sent == (item_id,)
    assert len(mastodon_server.posted) == 1  # found on the server, not sent again
    [item] = items
    assert item.state is OutboxState.SENT and item.remote_id == mastodon_server.posted[0]["id"]


def test_kill_9_before_the_server_stored_the_reply_still_sends_it_once(
    mastodon_server: MastodonServer, queued_reply: tuple[Path, Any, int], kill_list: list[Worker]
) -> None:
    db_path, account, item_id = queued_reply
    # the post request hangs before it is stored (the parent check before it does not)
    mastodon_server.delay["POST /api/v1/statuses"] = 20.0
    mastodon_server.respond_next("/api/v1/statuses", 503, {"error": "busy"}, method="POST")
    worker = Worker(
        "outbox", str(db_path), mastodon_server.url, mastodon_server.token, str(account.id)
    )
    kill_list.append(worker)
    worker.wait_for(lambda line: line == "ready")
    deadline = time.monotonic() + 20
    while (
        not mastodon_server.requests_to("/api/v1/statuses", "POST") and time.monotonic() < deadline
    ):
        time.sleep(0.02)
    worker.kill()
    mastodon_server.delay.clear()
    assert mastodon_server.posted == []

    assert integrity(db_path) == "ok"
    store = SqliteInboxStore.open(db_path)
    [left] = store.outbox_items(account_id=account.id)
    store.close()
    assert left.state in (OutboxState.SENDING, OutboxState.QUEUED)  # not lost, not "sent"
    report, items = finish_outbox(db_path, account, mastodon_server)
    assert report.sent == (item_id,)
    assert len(mastodon_server.posted) == 1
    [item] = items
    assert item.state is OutboxState.SENT
    store = SqliteInboxStore.open(db_path)
    try:
        assert store.thread(item.thread_id).status is ThreadStatus.REPLIED
    finally:
        store.close()
