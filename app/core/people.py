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
