"""Two people on one team inbox, each in a real process of their own (issue 24).

Each window is tests/team_people_worker.py in a subprocess against the test
PostgreSQL (tests/run.sh starts a throwaway one): presence over LISTEN/NOTIFY,
assignment seen by the other window, and two people sending on one thread, where
the second is asked first.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.core.models import Author, Folder, Network, OutboxState, Post
from app.core.people import PresenceEvent, PresenceKind
from app.core.ports import ThreadQuery
from app.storage.postgres import open_team_store
from tests.fixtures.storage import SHOP_MASTODON, T0
from tests.sync_support import score
from tests.waiting import wait_until

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parent.parent
WAIT_S = 20  # generous for a loaded 2-core machine; the bench measures the real delay


class Window:
    """One person's Shopkeep process, its lines read on a thread of their own."""

    def __init__(self, dsn: str, name: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.team_people_worker", dsn, name],
            cwd=ROOT,
            env=dict(os.environ, PYTHONPATH=str(ROOT)),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.SimpleQueue[str] = queue.SimpleQueue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.person_id = int(self.wait_for(lambda s: s.startswith("ready")).split()[1])

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            self.lines.put(raw.strip())
        self.lines.put("<exit>")

    def wait_for(self, wanted: Callable[[str], bool]) -> str:
        while True:
            try:
                line = self.lines.get(timeout=WAIT_S)
            except queue.Empty:
                raise AssertionError(f"never said it; said {self.seen[-5:]}") from None
            if line == "<exit>":
                stderr = self.proc.stderr.read() if self.proc.stderr else ""
                raise AssertionError(f"the window ended; said {self.seen[-5:]}; {stderr}")
            self.seen.append(line)
            if wanted(line):
                return line

    def do(self, order: str) -> str:
        assert self.proc.stdin is not None
        self.proc.stdin.write(order + "\n")
        self.proc.stdin.flush()
        verb = order.split()[0]
        done = {"announce": "announced", "assign": "assigned", "open": "opened"}.get(verb)
        if done is None:  # send: queued or asked
            return self.wait_for(lambda s: s.startswith(("queued", "asked")))
        return self.wait_for(lambda s: s.startswith(done))

    def quit(self) -> None:
        self.do_nowait("quit")
        self.wait_for(lambda s: s == "done")
        assert self.proc.wait(timeout=WAIT_S) == 0

    def do_nowait(self, order: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(order + "\n")
        self.proc.stdin.flush()


@pytest.fixture
def windows() -> Iterator[list[Window]]:
    started: list[Window] = []
    yield started
    for window in started:
        if window.proc.poll() is None:
            window.proc.kill()
            window.proc.wait(timeout=10)


@pytest.fixture
def team(pg_database: str) -> Iterator[tuple[object, int]]:
    """The team database with one customer's question in it: (store, thread id)."""
    store = open_team_store(pg_database)
    account = store.add_account(SHOP_MASTODON)
    ann = Author(Network.MASTODON, "id-cust", "@cust@town.example", "Cust")
    question = Post(Network.MASTODON, "q1", ann, "Is my order late?", T0, is_mention=True)
    result = store.ingest(account.id, [question], score)
    yield store, result.new_thread_ids[0]
    store.close()


def test_sam_replying_shows_in_anns_window_and_clears_when_he_stops(team, pg_database, windows):
    store, thread_id = team
    sam, ann = Window(pg_database, "Sam"), Window(pg_database, "Ann")
    windows += [sam, ann]
    heard: queue.SimpleQueue[PresenceEvent] = queue.SimpleQueue()
    third = store.presence(store.add_person("Kim"))  # a third window, in this process
    third.subscribe(heard.put)
    assert third.wait_listening(WAIT_S)

    sam.do(f"announce replying {thread_id}")
    ann.wait_for(lambda s: s == f"heard replying {thread_id} Sam")
    event = heard.get(timeout=WAIT_S)
    assert (event.kind, event.thread_id, event.name) == (PresenceKind.REPLYING, thread_id, "Sam")
    sam.do(f"announce stopped {thread_id}")
    ann.wait_for(lambda s: s == f"heard stopped {thread_id} Sam")
    assert heard.get(timeout=WAIT_S).kind is PresenceKind.STOPPED

    ann.quit()
    sam.quit()
    third.close()
    assert not any(line.startswith("heard") for line in sam.seen)  # nobody hears themself


def test_a_thread_sam_takes_shows_as_his_in_anns_window(team, pg_database, windows):
    store, thread_id = team
    sam, ann = Window(pg_database, "Sam"), Window(pg_database, "Ann")
    windows += [sam, ann]

    sam.do(f"assign {thread_id}")
    ann.wait_for(lambda s: s == f"heard assigned {thread_id} Sam")

    row = store.thread(thread_id)
    assert (row.assignee, row.assignee_id) == ("Sam", sam.person_id)
    store.use_person(ann.person_id)
    assert store.count_threads(ThreadQuery(folder=Folder.MINE)) == 0
    store.use_person(sam.person_id)
    assert [r.id for r in store.list_threads(ThreadQuery(folder=Folder.MINE), 0, 10)] == [thread_id]
    ann.quit()
    sam.quit()


def test_two_people_answering_one_thread_the_second_is_asked_first(team, pg_database, windows):
    store, thread_id = team
    sam, ann = Window(pg_database, "Sam"), Window(pg_database, "Ann")
    windows += [sam, ann]
    sam.do(f"open {thread_id}")
    ann.do(f"open {thread_id}")

    assert sam.do(f"send {thread_id} It ships today!") == f"queued {thread_id}"
    asked = ann.do(f"send {thread_id} Sorry, it is late.")

    assert asked == (
        "asked Sam's reply to this conversation is waiting in the outbox. Send yours too?"
    )
    items = store.outbox_items(thread_id=thread_id)
    assert [(i.text, i.state) for i in items] == [("It ships today!", OutboxState.QUEUED)]
    ann.do(f"open {thread_id}")  # opened again, she has seen Sam's reply: no question
    assert ann.do(f"send {thread_id} And a discount code!") == f"queued {thread_id}"
    ann.quit()
    sam.quit()


def test_a_window_whose_connection_drops_listens_again_and_hears_the_next_event(team):
    """The server cut the listener's connection (a restart, a network blip): the window
    reconnects by itself and hears the next "replying"."""
    from app.storage.raw_sql import execute

    store, thread_id = team
    heard: queue.SimpleQueue[PresenceEvent] = queue.SimpleQueue()
    ann = store.presence(store.add_person("Ann"))
    sam = store.presence(store.add_person("Sam"))
    ann.subscribe(heard.put)
    assert ann.wait_listening(WAIT_S)
    backend = ann.listener_pid

    execute(store.db, "SELECT pg_terminate_backend(%s)", (backend,))
    wait_until(lambda: ann.listener_pid != backend, "the listener to notice the cut", WAIT_S)
    assert ann.wait_listening(WAIT_S)
    sam.announce(thread_id, PresenceKind.REPLYING)

    event = heard.get(timeout=WAIT_S)
    assert (event.kind, event.name) == (PresenceKind.REPLYING, "Sam")
    ann.close()
    sam.close()
