"""Customers: their history across accounts, a private note, linking two as one person."""

from __future__ import annotations

from app.core import models as m
from app.storage import convert, post_queries
from app.storage import tables as t


def get(contact_id: int) -> m.Contact | None:
    row = t.Contact.get_or_none(t.Contact.id == contact_id)
    return convert.contact(row) if row else None


def for_post(post_id: int) -> m.Contact | None:
    row = (
        t.Contact.select()
        .join(t.Post, on=(t.Post.contact == t.Contact.id))
        .where(t.Post.id == post_id)
        .first()
    )
    return convert.contact(row) if row else None


def _person_ids(contact_id: int) -> list[int]:
    row = t.Contact.get_by_id(contact_id)
    if row.person_id is None:
        return [row.id]
    members = t.Contact.select(t.Contact.id).where(t.Contact.person_id == row.person_id)
    return [c.id for c in members]


def linked(contact_id: int) -> list[m.Contact]:
    """This contact and every contact linked to it as the same person."""
    ids = _person_ids(contact_id)
    rows = t.Contact.select().where(t.Contact.id.in_(ids)).order_by(t.Contact.id)
    return [convert.contact(r) for r in rows]


def history(contact_id: int, limit: int = 200) -> list[m.StoredPost]:
    """Everything this person wrote, on every account and linked contact, newest first."""
    ids = _person_ids(contact_id)
    seen: set[tuple[str, str]] = set()
    result: list[m.StoredPost] = []
    net, remote = convert.NETWORK_COLUMN, convert.REMOTE_ID_COLUMN
    for row in post_queries.by_contacts(ids, limit * 2):
        # A Bluesky post seen by two shop accounts is stored twice; show it once.
        key = (row[net], row[remote] if row[net] == m.Network.BLUESKY else str(row[0]))
        if key in seen:
            continue
        seen.add(key)
        result.append(convert.stored_post(row))
        if len(result) >= limit:
            break
    return result


def set_note(contact_id: int, note: str) -> None:
    """One note per person: written to every linked contact."""
    t.Contact.update(note=note).where(t.Contact.id.in_(_person_ids(contact_id))).execute()


def link(contact_id: int, other_id: int) -> int:
    """Treat two contacts (and whoever they are linked to) as one person; returns person id."""
    ids = sorted(set(_person_ids(contact_id)) | set(_person_ids(other_id)))
    person = ids[0]
    notes = [
        r.note for r in t.Contact.select(t.Contact.note).where(t.Contact.id.in_(ids)) if r.note
    ]
    merged = "\n".join(dict.fromkeys(notes))
    t.Contact.update(person_id=person, note=merged).where(t.Contact.id.in_(ids)).execute()
    return person


def unlink(contact_id: int) -> None:
    """Take one contact out of its person group (it keeps the note)."""
    t.Contact.update(person_id=None).where(t.Contact.id == contact_id).execute()
