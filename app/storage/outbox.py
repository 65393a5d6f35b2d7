"""The outbox: replies survive a crash or an offline spell until the server has them.

States: queued -> sending -> sent, or sending -> failed -> (retry) queued.
An idempotency key is unique, so enqueueing the same reply twice yields one item.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import peewee

from app.core import models as m
from app.core.clean_text import clean_error
from app.core.people import SOLO
from app.storage import convert
from app.storage import tables as t
from app.storage.database import database_proxy
from app.storage.raw_sql import execute
from app.storage.tables import utcnow

St = m.OutboxState
KNOWN_REPLIES = "known_replies"  # payload key: see `known_replies`

ALLOWED: dict[St, tuple[St, ...]] = {
    St.SENDING: (St.QUEUED, St.FAILED),  # a failed item may be picked up again directly
    St.SENT: (St.SENDING, St.FAILED, St.QUEUED),  # find_reply may prove an unclear send worked
    St.FAILED: (St.SENDING, St.QUEUED),
    St.QUEUED: (St.FAILED, St.SENDING),  # retry / recover after a crash mid-send
}


class InvalidTransition(ValueError):
    """A bug in the caller: e.g. sending an item that was already sent."""


def enqueue(
    thread_id: int,
    parent_remote_id: str,
    text: str,
    idempotency_key: str,
    *,
    template_id: int | None = None,
    payload: Mapping[str, Any] | None = None,
    drop_draft: bool = True,
    person_id: int = SOLO,
) -> m.OutboxItem:
    """Queue a reply of `person_id` (and drop their draft of the thread). The same key
    returns the existing item."""
    existing = t.OutboxItem.get_or_none(t.OutboxItem.idempotency_key == idempotency_key)
    if existing is not None:
        return convert.outbox_item(existing)
    thread = t.Thread.get_by_id(thread_id)
    extra = dict(payload or {})
    extra.setdefault(KNOWN_REPLIES, known_replies(thread_id, parent_remote_id))
    row = t.OutboxItem.create(
        account=thread.account_id,
        thread=thread_id,
        parent_remote_id=parent_remote_id,
        text=text,
        idempotency_key=idempotency_key,
        template_id=template_id,
        payload=json.dumps(extra, ensure_ascii=False),
        person_id=person_id,
    )
    if drop_draft:
        t.Draft.delete().where(
            (t.Draft.thread == thread_id) & (t.Draft.person_id == person_id)
        ).execute()
    return convert.outbox_item(row)


def known_replies(thread_id: int, parent_remote_id: str) -> list[str]:
    """The shop's replies under this parent that exist before a new one is queued.

    Recorded with the item, so after an unclear send an older reply with the same
    words is never taken for the new one (Mastodon cannot look up by key).
    """
    own = t.Post.select(t.Post.remote_id).where(
        (t.Post.thread == thread_id)
        & (t.Post.parent_remote_id == parent_remote_id)
        # a bare flag, not `is_own = 1`: that equality would let SQLite walk the reports'
        # index over every own post instead of this conversation's (0.9 ms vs 7 µs at 100k)
        & t.Post.is_own
    )
    sent = t.OutboxItem.select(t.OutboxItem.remote_id).where(
        (t.OutboxItem.parent_remote_id == parent_remote_id) & t.OutboxItem.remote_id.is_null(False)
    )
    # the query leaves out items without a remote id
    return sorted({r.remote_id for r in own} | {cast(str, r.remote_id) for r in sent})


def transition(
    item_id: int,
    new_state: St,
    *,
    error: str = "",
    remote_id: str | None = None,
    url: str = "",
) -> m.OutboxItem:
    row = t.OutboxItem.get_by_id(item_id)
    current = St(row.state)
    if current not in ALLOWED[new_state]:
        raise InvalidTransition(f"outbox item {item_id}: {current} -> {new_state}")
    row.state = new_state.value
    row.updated_at = utcnow()
    if new_state == St.SENDING:
        row.attempts += 1
        row.last_error = ""
    elif new_state == St.FAILED:
        row.last_error = clean_error(error)
    elif new_state == St.SENT:
        row.sent_at = utcnow()
        row.remote_id = remote_id
        row.url = url
        row.last_error = ""
        _mark_thread_replied(row.thread_id)
    row.save()
    return convert.outbox_item(row)


def _mark_thread_replied(thread_id: int) -> None:
    t.Thread.update(status=m.ThreadStatus.REPLIED.value, snoozed_until=None).where(
        (t.Thread.id == thread_id)
        & t.Thread.status.in_((m.ThreadStatus.NEEDS_REPLY.value, m.ThreadStatus.SNOOZED.value))
    ).execute()


def get(item_id: int) -> m.OutboxItem | None:
    row = t.OutboxItem.get_or_none(t.OutboxItem.id == item_id)
    return convert.outbox_item(row) if row else None


def list_items(
    states: Iterable[St] | None = None,
    *,
    thread_id: int | None = None,
    account_id: int | None = None,
) -> list[m.OutboxItem]:
    """Oldest first: the order replies should go out in."""
    select = t.OutboxItem.select()
    if states is not None:
        select = select.where(t.OutboxItem.state.in_([St(s).value for s in states]))
    if thread_id is not None:
        select = select.where(t.OutboxItem.thread == thread_id)
    if account_id is not None:
        select = select.where(t.OutboxItem.account == account_id)
    return [convert.outbox_item(r) for r in select.order_by(t.OutboxItem.id)]


def delete(item_id: int) -> bool:
    """Cancel a queued or failed reply (never one being sent or already sent)."""
    return bool(
        t.OutboxItem.delete()
        .where(
            (t.OutboxItem.id == item_id)
            & t.OutboxItem.state.in_((St.QUEUED.value, St.FAILED.value))
        )
        .execute()
    )


DELETED_AT = "deleted_at"  # payload key: when the owner deleted the sent reply from the server


def mark_deleted(item_id: int) -> m.OutboxItem:
    """The sent reply was deleted from the server: the item says when, its stored post
    reads as deleted, and a thread with no other reply of the shop needs one again."""
    row = t.OutboxItem.get_by_id(item_id)
    if St(row.state) is not St.SENT or not row.remote_id:
        raise InvalidTransition(f"outbox item {item_id} was never sent")
    extra = json.loads(row.payload or "{}")
    extra = extra if isinstance(extra, dict) else {}
    extra[DELETED_AT] = utcnow().isoformat()
    row.payload = json.dumps(extra, ensure_ascii=False)
    row.updated_at = utcnow()
    row.save()
    t.Post.update(deleted=True).where(
        (t.Post.account == row.account_id) & (t.Post.remote_id == row.remote_id)
    ).execute()
    others = t.Post.select().where(
        (t.Post.thread == row.thread_id)
        & (t.Post.is_own == True)  # noqa: E712
        & (t.Post.deleted == False)  # noqa: E712
    )
    if not others.exists():
        t.Thread.update(status=m.ThreadStatus.NEEDS_REPLY.value).where(
            (t.Thread.id == row.thread_id) & (t.Thread.status == m.ThreadStatus.REPLIED.value)
        ).execute()
    return convert.outbox_item(row)


def claim(item_id: int, lease: timedelta | None) -> m.OutboxItem | None:
    """Take one item for sending, in the caller's write transaction; None when it is not ours.

    A queued or failed item becomes 'sending' (one more attempt). A 'sending' item is
    taken over only when `lease` is None (the caller's lock proves its sender dead) or
    its `updated_at` is older than the lease: its sender is presumed gone. Reading and
    writing happen in one transaction, so of two senders taking over the same stale
    item only one gets it (the old takeover was two transactions, and both could).
    On PostgreSQL the row is read `FOR UPDATE SKIP LOCKED`: another laptop in the
    middle of claiming it makes us skip it at once instead of waiting.
    The lease is measured by the database's clock on PostgreSQL, so laptops whose
    clocks differ agree on when it runs out.
    """
    db = database_proxy.obj
    query = t.OutboxItem.select().where(t.OutboxItem.id == item_id)
    if isinstance(db, peewee.PostgresqlDatabase):
        query = query.for_update(skip_locked=True)
    row = query.first()
    if row is None:
        return None  # gone, or another laptop holds the row right now
    now = database_now(db)
    state = St(row.state)
    if state is St.SENDING:
        since = row.updated_at or row.created_at
        if lease is not None and now - since < lease:
            return None  # a live sender may be posting it right now
    elif state not in (St.QUEUED, St.FAILED):
        return None  # sent already
    row.state = St.SENDING.value
    row.attempts += 1
    row.last_error = ""
    row.updated_at = now
    row.save()
    return convert.outbox_item(row)


def database_now(db: peewee.Database) -> datetime:
    """The time by the database's clock on PostgreSQL (shared by every laptop), ours on SQLite."""
    if isinstance(db, peewee.PostgresqlDatabase):
        (now,) = execute(db, "SELECT now() AT TIME ZONE 'UTC'").fetchone()
        server_now: datetime = now.replace(tzinfo=UTC)  # naive UTC from the driver
        return server_now
    return utcnow()
