"""Presence on a team inbox: "Sam is replying…" in every other window, over LISTEN/NOTIFY.

One background thread per window owns a connection of its own (the store's
connections belong to their threads and may sit in a transaction, which would hold
a NOTIFY back until commit). It listens on one channel and sends this window's
announcements, woken at once by a pipe, so an event reaches the other windows in
milliseconds, not at the next poll. Events are plain dataclasses, handed to the
subscribers on this thread (the window turns them into a Qt signal). Nothing is
stored: a window that was away only misses who was typing a moment ago.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import queue
import select
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import peewee

from app.core.people import Person, PresenceEvent, PresenceKind
from app.storage.pg_locks import lock_connection

log = logging.getLogger(__name__)

CHANNEL = "shopkeep_presence"
RECONNECT_S = 3.0  # after the server went away: try again this often
IDLE_WAKE_S = 1.0  # the thread looks at its flags at least this often


class PgPresence:
    """Announce and hear presence events on the team database (see the module doc)."""

    def __init__(self, db: peewee.PostgresqlDatabase, person: Person) -> None:
        self._db = db
        self._person = person
        self.session = uuid.uuid4().hex  # this window: its own events are not handed back
        self._outgoing: queue.SimpleQueue[str] = queue.SimpleQueue()
        self._subscribers: list[Callable[[PresenceEvent], None]] = []
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._wake_r, self._wake_w = os.pipe()
        self._own: peewee.PostgresqlDatabase | None = None
        self._raw: Any = None  # the driver's connection (peewee's are per thread)
        self._listening = threading.Event()
        self._connect()  # the first time here: a server that refuses us says so at once
        self._thread = threading.Thread(target=self._run, name="team presence", daemon=True)
        self._thread.start()

    # ---------------------------------------------------------------- the window's side

    def announce(self, thread_id: int, kind: PresenceKind) -> None:
        """Queue an event for the other windows; sent from the background thread."""
        if self._closing.is_set():
            return
        payload = {
            "k": kind.value,
            "t": int(thread_id),
            "p": self._person.id,
            "n": self._person.name,
            "c": self._person.colour,
            "s": self.session,
        }
        self._outgoing.put(json.dumps(payload, separators=(",", ":")))
        self._wake()

    def subscribe(self, callback: Callable[[PresenceEvent], None]) -> None:
        """`callback(event)` for every other window's event, on the background thread."""
        with self._lock:
            self._subscribers.append(callback)

    def wait_listening(self, timeout: float) -> bool:
        """Whether the channel is being listened to (tests and the bench wait on it)."""
        return self._listening.wait(timeout)

    @property
    def listener_pid(self) -> int | None:
        """The server process listening for this window (None while reconnecting)."""
        raw = self._raw
        if raw is None or raw.closed:
            return None
        try:
            return int(raw.get_backend_pid())
        except Exception:  # closed between the two looks
            return None

    def close(self) -> None:
        """Send what is queued (a last "stopped"), then stop listening. Once only."""
        if self._closing.is_set():
            return
        self._closing.set()
        self._wake()
        self._thread.join(timeout=5)
        self._disconnect()
        for fd in (self._wake_r, self._wake_w):
            with contextlib.suppress(OSError):
                os.close(fd)

    # ---------------------------------------------------------------- the background thread

    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            os.write(self._wake_w, b"x")

    def _connect(self) -> Any:
        own = lock_connection(self._db)  # StorageError in words for the owner
        raw: Any = own.connection()  # type: ignore[no-untyped-call]  # peewee's, untyped
        raw.autocommit = True  # LISTEN and NOTIFY take effect at once, not at a commit
        with raw.cursor() as cur:
            cur.execute(f"LISTEN {CHANNEL}")
        self._own, self._raw = own, raw
        self._listening.set()
        return raw

    def _disconnect(self) -> None:
        self._listening.clear()
        own, raw, self._own, self._raw = self._own, self._raw, None, None
        if raw is not None:  # opened on another thread: peewee's close would not reach it
            with contextlib.suppress(Exception):
                raw.close()
        if own is not None:
            with contextlib.suppress(Exception):
                own.close()

    def _run(self) -> None:
        raw: Any = self._raw
        while True:
            try:
                if raw is None:
                    raw = self._connect()
                self._pump(raw)
                if self._closing.is_set():
                    return
            except Exception as exc:  # the driver's errors are its own types: never kill the window
                if self._closing.is_set():
                    return
                log.warning("Team presence lost its connection (%s); trying again", exc)
                self._disconnect()
                raw = None
                if self._closing.wait(RECONNECT_S):
                    return

    def _pump(self, raw: Any) -> None:
        """Send the queued events, wait for news, hand it out; returns when closing."""
        while True:
            self._send_queued(raw)
            if self._closing.is_set():
                return
            ready, _, _ = select.select([raw, self._wake_r], [], [], IDLE_WAKE_S)
            if self._wake_r in ready:
                os.read(self._wake_r, 4096)
            raw.poll()
            while raw.notifies:
                self._deliver(raw.notifies.pop(0).payload)

    def _send_queued(self, raw: Any) -> None:
        while True:
            try:
                payload = self._outgoing.get_nowait()
            except queue.Empty:
                return
            with raw.cursor() as cur:
                cur.execute("SELECT pg_notify(%s, %s)", (CHANNEL, payload))

    def _deliver(self, payload: str) -> None:
        event = parse_event(payload, datetime.now(UTC))
        if event is None or event.session == self.session:
            return
        with self._lock:
            subscribers = list(self._subscribers)
        for callback in subscribers:
            try:
                callback(event)
            except Exception:
                log.exception("A presence subscriber failed")


def parse_event(payload: str, now: datetime) -> PresenceEvent | None:
    """A NOTIFY payload as an event; None for anything malformed (logged, then ignored)."""
    try:
        data = json.loads(payload)
        return PresenceEvent(
            kind=PresenceKind(data["k"]),
            thread_id=int(data["t"]),
            person_id=int(data["p"]),
            name=str(data["n"])[:60],
            colour=str(data.get("c", "")),
            session=str(data["s"]),
            at=now,
        )
    except (ValueError, KeyError, TypeError):
        log.warning("Ignored a malformed presence event")
        return None
