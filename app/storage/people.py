"""A team inbox's people, thread assignment, and who replied since a thread was opened.

Called inside the store's transactions. A one-person SQLite inbox never writes a
person: its drafts and outbox items carry `SOLO` and nothing is assigned.
"""

from __future__ import annotations

import dataclasses

import peewee

from app.core.models import OutboxState, ThreadRow
from app.core.people import PERSON_COLOURS, SOLO, OtherReply, Person, ReplyMark, clean_person_name
from app.storage import convert
from app.storage import tables as t
from app.storage.raw_sql import tuples

SOMEONE = "someone"  # a reply of the shop's posted from another app (the phone, the website)


def list_people() -> list[Person]:
    return [convert.person(r) for r in t.Person.select().order_by(t.Person.name)]


def get(person_id: int) -> Person | None:
    row = t.Person.get_or_none(t.Person.id == person_id)
    return convert.person(row) if row is not None else None


def add(name: str, colour: str | None = None) -> Person:
    """The person called `name` (made if new, with the next free colour when none is given).

    Two windows naming the same new person at once get the same person: the name is
    unique and the write transactions take turns."""
    name = clean_person_name(name)
    found = t.Person.get_or_none(peewee.fn.LOWER(t.Person.name) == name.lower())
    if found is not None:
        return convert.person(found)
    if not colour:
        taken = {r.colour for r in t.Person.select(t.Person.colour)}
        colour = next((c for c in PERSON_COLOURS if c not in taken), PERSON_COLOURS[0])
    return convert.person(t.Person.create(name=name, colour=colour))


def with_assignees(rows: list[ThreadRow]) -> list[ThreadRow]:
    """`rows` with the assignee's name filled in ("assigned to Sam"). One small read, only
    when a row is assigned: a subquery per row in the thread list cost PostgreSQL more
    planning than the whole search it was part of."""
    ids = {r.assignee_id for r in rows if r.assignee_id is not None}
    if not ids:
        return rows
    names = dict(tuples(t.Person.select(t.Person.id, t.Person.name).where(t.Person.id.in_(ids))))
    return [
        dataclasses.replace(r, assignee=names.get(r.assignee_id, ""))
        if r.assignee_id is not None
        else r
        for r in rows
    ]


def assign(thread_id: int, person_id: int | None) -> int | None:
    """Give the thread to `person_id` (None: to nobody); returns who had it before."""
    if person_id is not None and not t.Person.select().where(t.Person.id == person_id).exists():
        raise ValueError(f"no person {person_id}")
    row = t.Thread.select(t.Thread.assignee_id).where(t.Thread.id == thread_id).get_or_none()
    if row is None:
        raise ValueError(f"no thread {thread_id}")
    t.Thread.update(assignee_id=person_id).where(t.Thread.id == thread_id).execute()
    previous: int | None = row.assignee_id
    return previous


def reply_mark(thread_id: int) -> ReplyMark:
    """Where the thread's replies stand now (newest outbox item and post, by id)."""
    outbox_id = (
        t.OutboxItem.select(peewee.fn.MAX(t.OutboxItem.id))
        .where(t.OutboxItem.thread == thread_id)
        .scalar()
    )
    post_id = t.Post.select(peewee.fn.MAX(t.Post.id)).where(t.Post.thread == thread_id).scalar()
    return ReplyMark(outbox_id=outbox_id or 0, post_id=post_id or 0)


def replies_by_others(thread_id: int, mark: ReplyMark, person_id: int) -> list[OtherReply]:
    """Replies to the thread since `mark` by anyone but `person_id`, newest first.

    An outbox item of another person (queued or sent) counts; so does a post of the
    shop's that no outbox item of this person's sent (a colleague's, or one posted from
    another app). A one-person inbox has no others, but a reply from the phone still
    counts: the owner may have answered there already.
    """
    found: list[OtherReply] = []
    Ob = t.OutboxItem
    others = tuples(
        Ob.select(Ob.created_at, Ob.sent_at, Ob.state, Ob.remote_id, t.Person.name)
        .join(t.Person, peewee.JOIN.LEFT_OUTER, on=(t.Person.id == Ob.person_id))
        .where((Ob.thread == thread_id) & (Ob.id > mark.outbox_id) & (Ob.person_id != person_id))
    )
    theirs: set[str] = set()
    for created_at, sent_at, state, remote_id, name in others:
        sent = state == OutboxState.SENT.value
        when = convert._utc(sent_at if sent and sent_at else created_at)
        assert when is not None
        found.append(OtherReply(name=name or SOMEONE, at=when, sent=sent))
        if remote_id:
            theirs.add(remote_id)
    mine = {
        r
        for (r,) in tuples(
            Ob.select(Ob.remote_id).where(
                (Ob.thread == thread_id) & (Ob.person_id == person_id) & Ob.remote_id.is_null(False)
            )
        )
    }
    P = t.Post
    own_posts = tuples(
        P.select(P.remote_id, P.created_at).where(
            (P.thread == thread_id) & (P.id > mark.post_id) & (P.is_own == True)  # noqa: E712
        )
    )
    for remote_id, created_at in own_posts:
        if remote_id in mine or remote_id in theirs:
            continue
        when = convert._utc(created_at)
        assert when is not None
        found.append(OtherReply(name=SOMEONE, at=when, sent=True))
    return sorted(found, key=lambda r: r.at, reverse=True)


__all__ = ["SOLO", "add", "assign", "get", "list_people", "replies_by_others", "reply_mark"]
