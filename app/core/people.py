"""The people of a team inbox: who a window is, who a thread is assigned to, who is typing.

Plain dataclasses between storage and the window. On a one-person SQLite inbox
there is one implicit person (`SOLO`, id 0) and nothing about people shows; on a
team database each window picks its person once, and the others see what that
person is doing through `PresenceEvent`s (PostgreSQL LISTEN/NOTIFY).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

SOLO = 0  # the one implicit person of a single-person inbox
MAX_PERSON_NAME = 60
# Okabe–Ito, as the sentiment colours: told apart by colour-blind eyes too.
PERSON_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
# A "replying" shown this long without news has gone stale (a crash, a lost network).
PRESENCE_STALE = timedelta(seconds=12)
# While typing, a window repeats "replying" at most this often (well inside the stale time).
PRESENCE_REPEAT = timedelta(seconds=4)


@dataclass(frozen=True, slots=True)
class Person:
    """Someone answering in a team inbox (a window works as one person)."""

    id: int
    name: str
    colour: str = PERSON_COLOURS[0]


class PresenceKind(StrEnum):
    REPLYING = "replying"  # typing in the composer of that thread
    STOPPED = "stopped"  # sent, cleared the composer, left the thread or closed the window
    ASSIGNED = "assigned"  # the thread's assignment changed: re-read its row


@dataclass(frozen=True, slots=True)
class PresenceEvent:
    """What another window is doing on a thread, as it arrived over the team database."""

    kind: PresenceKind
    thread_id: int
    person_id: int
    name: str
    colour: str
    session: str  # which window said it (a person may have two laptops open)
    at: datetime  # when it arrived here (this machine's clock: staleness is measured here)


@dataclass(frozen=True, slots=True)
class ReplyMark:
    """Where a thread's replies stood when a person opened it: the newest outbox item
    and the newest post, by id (ids grow; laptops' clocks may disagree)."""

    outbox_id: int = 0
    post_id: int = 0


@dataclass(frozen=True, slots=True)
class OtherReply:
    """A reply to a thread by someone else since the mark: a queued or sent outbox item
    of another person, or a post of the shop's that no outbox item of ours sent."""

    name: str  # "Sam"; "someone" for a reply posted from another app
    at: datetime
    sent: bool  # False: still in the outbox (queued, sending, failed)


class Presence(Protocol):
    """Who is typing where, shared between windows (a no-op on a one-person inbox)."""

    def announce(self, thread_id: int, kind: PresenceKind) -> None:
        """Tell the other windows (never blocks: sent from a background thread)."""

    def subscribe(self, callback: Callable[[PresenceEvent], None]) -> None:
        """`callback` gets other windows' events, on a background thread."""

    def close(self) -> None: ...


class NoPresence:
    """A one-person inbox: nobody else to tell, nobody to hear."""

    def announce(self, thread_id: int, kind: PresenceKind) -> None:
        return None

    def subscribe(self, callback: Callable[[PresenceEvent], None]) -> None:
        return None

    def close(self) -> None:
        return None


def clean_person_name(name: str) -> str:
    """One line, trimmed, not too long; raises ValueError when nothing is left."""
    cleaned = " ".join(name.split())[:MAX_PERSON_NAME]
    if not cleaned:
        raise ValueError("a person needs a name")
    return cleaned


def replied_words(reply: OtherReply, now: datetime) -> str:
    """ "Sam replied 2 minutes ago." / "Sam's reply is waiting in the outbox." """
    name = reply.name[:1].upper() + reply.name[1:]
    if not reply.sent:
        return f"{name}'s reply to this conversation is waiting in the outbox."
    seconds = max(0, int((now - reply.at).total_seconds()))
    if seconds < 60:
        ago = "just now"
    elif seconds < 3600:
        minutes = seconds // 60
        ago = f"{minutes} minute{'s' if minutes != 1 else ''} ago"
    else:
        hours = seconds // 3600
        ago = f"{hours} hour{'s' if hours != 1 else ''} ago"
    return f"{name} replied {ago}."


def send_question(others: list[OtherReply], now: datetime) -> str | None:
    """What to ask before sending when someone else replied since the thread was opened
    ("Sam replied 2 minutes ago. Send yours too?"); None: nobody did, just send."""
    if not others:
        return None
    newest = max(others, key=lambda r: r.at)
    return f"{replied_words(newest, now)} Send yours too?"


class PresenceBoard:
    """Who is replying where, as this window heard it; a "replying" not repeated within
    PRESENCE_STALE drops out (its window crashed or lost the network)."""

    def __init__(self) -> None:
        self._replying: dict[int, dict[str, tuple[str, datetime]]] = {}

    def hear(self, event: PresenceEvent) -> set[int]:
        """Take an event in; returns the threads whose words changed."""
        if event.kind is PresenceKind.REPLYING:
            sessions = self._replying.setdefault(event.thread_id, {})
            new = event.session not in sessions
            sessions[event.session] = (event.name, event.at)
            return {event.thread_id} if new else set()
        if event.kind is PresenceKind.STOPPED:
            sessions = self._replying.get(event.thread_id, {})
            if sessions.pop(event.session, None) is None:
                return set()
            if not sessions:
                del self._replying[event.thread_id]
            return {event.thread_id}
        return set()

    def prune(self, now: datetime) -> set[int]:
        """Forget stale "replying"s; returns the threads whose words changed."""
        changed: set[int] = set()
        for thread_id, sessions in list(self._replying.items()):
            for session, (_name, at) in list(sessions.items()):
                if now - at > PRESENCE_STALE:
                    del sessions[session]
                    changed.add(thread_id)
            if not sessions:
                del self._replying[thread_id]
        return changed

    def words(self, thread_id: int) -> str:
        """ "Sam is replying…", "Sam and Ann are replying…", or "" for nobody."""
        names = sorted({name for name, _at in self._replying.get(thread_id, {}).values()})
        if not names:
            return ""
        if len(names) == 1:
            return f"{names[0]} is replying…"
        return f"{', '.join(names[:-1])} and {names[-1]} are replying…"

    def threads(self) -> list[int]:
        return list(self._replying)


class TypingThrottle:
    """When typing in the composer tells the others: at once on a new thread, then at most
    every PRESENCE_REPEAT (a NOTIFY per keystroke would flood the server)."""

    def __init__(self) -> None:
        self._last: tuple[int, datetime] | None = None

    def typed(self, thread_id: int, now: datetime) -> bool:
        """A keystroke in `thread_id`'s composer: True when it is time to announce."""
        last = self._last
        if last is not None and last[0] == thread_id and now - last[1] < PRESENCE_REPEAT:
            return False
        self._last = (thread_id, now)
        return True

    def stopped(self) -> int | None:
        """Typing stopped (sent, cleared, left): the thread to announce it for, if any."""
        last, self._last = self._last, None
        return last[0] if last is not None else None
