"""The outbox rules: every reply goes out once, exactly once, in order.

The idempotency key is chosen when the reply is queued (a TID record key for
Bluesky, a UUID Idempotency-Key for Mastodon), so every retry, even after a
crash or a week offline, asks the server for the same post. A send is claimed
with a queued->sending transition that checks the previous state, and one
process at a time sends an account's replies (the store's send lock), so two
workers (or the GUI and `python -m app sync`) never send one item at once.
Any item that was tried before, or was left 'sending' by a crash, is an
"unclear" one: we ask the server (`find_reply`) before sending it again.
"""

from __future__ import annotations

import json
import logging
import os
import random
import threading
import time
import uuid
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import IntEnum
from typing import Any, Protocol

from app.core import char_count
from app.core.errors import (
    AuthError,
    NotFound,
    RateLimited,
    ServerError,
    ServerUnreachable,
    ShopkeepError,
    StorageError,
    TooLong,
)
from app.core.models import (
    Account,
    IngestResult,
    Network,
    OutboxItem,
    OutboxState,
    Post,
    StoredPost,
)
from app.core.ports import NetworkClient, OutboxReader, Scorer

log = logging.getLogger(__name__)

# ---------------------------------------------------------------- TIDs

_S32 = "234567abcdefghijklmnopqrstuvwxyz"
_tid_lock = threading.Lock()
_tid_last_us = 0
_TID_CLOCK_ID = random.SystemRandom().randrange(1024)


def _s32(value: int, width: int) -> str:
    out = []
    for _ in range(width):
        out.append(_S32[value & 31])
        value >>= 5
    return "".join(reversed(out))


def new_tid(now_us: int | None = None, clock_id: int | None = None) -> str:
    """An AT Protocol TID: 13 sortable base32 chars, 53 bits of µs time + 10-bit clock id.

    Strictly increasing within this process, so two replies queued in the same
    microsecond still get distinct, ordered record keys.
    """
    global _tid_last_us
    with _tid_lock:
        us = now_us if now_us is not None else time.time_ns() // 1000
        if now_us is None:
            us = max(us, _tid_last_us + 1)
            _tid_last_us = us
    clock = _TID_CLOCK_ID if clock_id is None else clock_id
    value = ((us & ((1 << 53) - 1)) << 10) | (clock & 1023)
    return _s32(value, 13)


def new_idempotency_key(network: Network) -> str:
    if Network(network) is Network.BLUESKY:
        return new_tid()
    return uuid.UUID(bytes=os.urandom(16), version=4).hex


# ---------------------------------------------------------------- limits


def reply_length(network: Network, text: str) -> int:
    """The length the network will check (Mastodon: links weigh 23)."""
    if Network(network) is Network.MASTODON:
        return char_count.mastodon_length(text)
    return char_count.bluesky_length(text)


def _local_part(handle: str) -> str:
    return handle.lstrip("@").split("@")[0].lower()


def mastodon_prefix(account: Account, parent: Post, text: str) -> str:
    """The @-mentions the Mastodon client puts in front of the reply (counted as '@user')."""
    me = _local_part(account.handle)
    lowered = text.lower()
    wanted: list[str] = []
    for handle in (parent.author.handle, *parent.mentions):
        local = _local_part(handle)
        if not local or local == me or local in wanted or f"@{local}" in lowered:
            continue
        wanted.append(local)
    return "".join(f"@{name} " for name in wanted)


def check_length(account: Account, text: str, parent: Post | None = None) -> None:
    """Raise TooLong with the numbers before a reply that cannot be sent is queued."""
    if not text.strip():
        raise TooLong("empty reply", user_message="The reply is empty.")
    limit = account.max_chars
    counted = text
    if Network(account.network) is Network.BLUESKY:
        limit = min(limit, char_count.BLUESKY_MAX_GRAPHEMES)
        if char_count.bluesky_bytes(text) > char_count.BLUESKY_MAX_BYTES:
            raise TooLong(
                "over 3000 bytes",
                user_message=(
                    "The reply is too long for Bluesky (it has too many emoji or symbols). "
                    "Please shorten it."
                ),
            )
    elif parent is not None:
        counted = parent.content_warning + mastodon_prefix(account, parent, text) + text
    used = reply_length(account.network, counted)
    if used > limit:
        raise TooLong(
            f"{used} > {limit}",
            user_message=(
                f"The reply has {used} characters; {account.network.value.capitalize()} "
                f"allows {limit}. Please shorten it by {used - limit}."
            ),
        )


# ---------------------------------------------------------------- ports


class SendLock(IntEnum):
    """What `OutboxStore.sending_lock` yields; falsy when another process holds it."""

    OTHERS = 0  # another process is sending this account's replies
    OURS = 1  # an OS lock: its holder's death frees it, so a 'sending' item is orphaned
    UNLOCKED = 2  # no lock could be made: only the lease tells a live sender from a dead one
    # Ours, on the team's PostgreSQL server: its holder's death frees it, but so does a
    # lost connection of a laptop that may still be posting. The lease decides too.
    SERVER = 3


# A 'sending' item younger than this may belong to a live sender we cannot see (no
# usable lock file): it is left alone. Longer than any one request may take.
LEASE = timedelta(minutes=3)
# Server clocks differ from ours: a reply found on the server may look this much
# older than the moment it was queued and still be ours.
CLOCK_SKEW = timedelta(minutes=10)


class OutboxStore(OutboxReader, Protocol):
    """What the sender needs from storage (app.storage.SqliteInboxStore has it)."""

    def enqueue_reply(
        self,
        thread_id: int,
        parent_remote_id: str,
        text: str,
        idempotency_key: str,
        *,
        template_id: int | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> OutboxItem: ...

    def outbox_item(self, item_id: int) -> OutboxItem | None: ...

    def mark_sending(self, item_id: int) -> OutboxItem:
        """queued/failed -> sending in one transaction (counts an attempt).

        Raises ValueError when the item is in any other state: someone else has it.
        """
        ...

    def claim_outbox_item(self, item_id: int, lease: timedelta | None) -> OutboxItem | None:
        """queued/failed -> sending, or a 'sending' item whose lease (None: any) ran out,
        in one transaction; None when it is not ours to send."""
        ...

    def mark_sent(self, item_id: int, remote_id: str, url: str = "") -> OutboxItem:
        """Also marks the thread replied."""
        ...

    def mark_failed(self, item_id: int, error: str) -> OutboxItem: ...

    def retry(self, item_id: int) -> OutboxItem:
        """failed/sending -> queued."""
        ...

    def thread_posts(self, thread_id: int) -> list[StoredPost]: ...

    def sending_lock(self, account_id: int) -> AbstractContextManager[int]:
        """Held while one process sends this account's replies; yields a `SendLock`
        (True/1 when it is ours).

        The holder's death releases it at once (a crash leaves no stale lock).
        """
        ...

    def ingest(self, account_id: int, posts: Sequence[Post], score: Scorer) -> IngestResult: ...


@dataclass(frozen=True, slots=True)
class SendReport:
    """What one pass over an account's outbox did."""

    sent: tuple[int, ...] = ()  # outbox item ids now sent
    failed: tuple[int, ...] = ()  # now failed (the reason is on the item)
    waiting: int = 0  # still queued (offline, rate limited, stopped)
    error: ShopkeepError | None = None  # why the pass stopped early, if it did
    updated_thread_ids: tuple[int, ...] = field(default=())


# ---------------------------------------------------------------- undo send, audience

HOLD_KEY = "hold_until"  # payload: ISO time before which no sender may take the item
AUDIENCE_KEY = "audience"  # payload: "direct" for a Mastodon reply to the customer alone
DIRECT = "direct"
DEFAULT_UNDO_SECONDS = 10


def _payload(item: OutboxItem) -> dict[str, Any]:
    try:
        extra = json.loads(item.payload or "{}")
    except ValueError:
        return {}
    return extra if isinstance(extra, dict) else {}


def send_options(now: datetime, undo_seconds: int, *, private: bool = False) -> dict[str, Any]:
    """The payload of a reply just queued: held for the undo window, maybe private."""
    extra: dict[str, Any] = {}
    if undo_seconds > 0:
        extra[HOLD_KEY] = (now + timedelta(seconds=undo_seconds)).isoformat()
    if private:
        extra[AUDIENCE_KEY] = DIRECT
    return extra


def held_until(item: OutboxItem) -> datetime | None:
    """When the item's undo window ends (None: it has none, or an unreadable one)."""
    raw = _payload(item).get(HOLD_KEY)
    try:
        when = datetime.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        return None
    return when.replace(tzinfo=UTC) if when is not None and when.tzinfo is None else when


def on_hold(item: OutboxItem, now: datetime) -> bool:
    """A queued reply still inside its undo window: no sender may take it yet."""
    until = held_until(item)
    return item.state is OutboxState.QUEUED and until is not None and now < until


def is_private(item: OutboxItem) -> bool:
    """The owner chose a direct reply to the customer alone (Mastodon)."""
    return _payload(item).get(AUDIENCE_KEY) == DIRECT


def _reply_options(item: OutboxItem) -> dict[str, Any]:
    """Keyword arguments for `reply`/`find_reply`: only when not the default audience,
    so clients that know no audience choice are called exactly as before."""
    return {"private": True} if is_private(item) else {}


class NothingToRetry(ShopkeepError):
    user_message = "That reply is not waiting to be retried."


_PENDING = (OutboxState.QUEUED, OutboxState.SENDING)


class OutboxSender:
    """Queues replies and sends them; safe to call from several worker threads."""

    def __init__(self, store: OutboxStore, score: Scorer, *, lease: timedelta = LEASE) -> None:
        self._store = store
        self._score = score
        self._lease = lease
        self._lock = threading.Lock()
        self._busy_accounts: set[int] = set()

    # ---- queueing (GUI, via the write lane)

    def enqueue(
        self,
        account: Account,
        thread_id: int,
        parent: Post,
        text: str,
        *,
        template_id: int | None = None,
    ) -> OutboxItem:
        """Check the length and queue the reply with its idempotency key chosen now."""
        check_length(account, text, parent)
        key = new_idempotency_key(account.network)
        item = self._store.enqueue_reply(
            thread_id, parent.remote_id, text, key, template_id=template_id
        )
        log.info("queued outbox item %s for thread %s", item.id, thread_id)
        return item

    def retry(self, item_id: int) -> OutboxItem:
        """Put a failed item back in the queue (the owner pressed Retry)."""
        item = self._store.outbox_item(item_id)
        if item is None or item.state is not OutboxState.FAILED:
            raise NothingToRetry(f"outbox item {item_id} is not failed")
        return self._store.retry(item_id)

    # ---- sending (worker thread)

    def send_pending(
        self, account: Account, client: NetworkClient, cancel: threading.Event | None = None
    ) -> SendReport:
        """Send this account's queued replies in order; stop at the first one that must wait."""
        with self._lock:
            if account.id in self._busy_accounts:  # another worker is on it right now
                return SendReport(waiting=len(self._pending(account)))
            self._busy_accounts.add(account.id)
        try:
            with self._store.sending_lock(account.id) as ours:
                if not ours:  # another process (the window, or `python -m app sync`) is on it
                    log.info("another Shopkeep is sending account %s's replies", account.id)
                    return SendReport(waiting=len(self._pending(account)))
                return self._send_all(account, client, cancel, SendLock(int(ours)))
        finally:
            with self._lock:
                self._busy_accounts.discard(account.id)

    def _pending(self, account: Account) -> list[OutboxItem]:
        return self._store.outbox_items(_PENDING, account_id=account.id)

    def _send_all(
        self,
        account: Account,
        client: NetworkClient,
        cancel: threading.Event | None,
        lock: SendLock = SendLock.OURS,
    ) -> SendReport:
        sent: list[int] = []
        failed: list[int] = []
        threads: list[int] = []

        def report(waiting: int, error: ShopkeepError | None = None) -> SendReport:
            return SendReport(tuple(sent), tuple(failed), waiting, error, tuple(threads))

        pending = self._pending(account)
        for index, item in enumerate(pending):
            if cancel is not None and cancel.is_set():
                return report(len(pending) - index)
            if on_hold(item, datetime.now(UTC)):
                return report(len(pending) - index)  # the owner may still undo it; order kept
            try:
                outcome = self._send_one(account, client, item, lock)
            except (ServerUnreachable, ServerError, RateLimited) as exc:
                return report(len(pending) - index, exc)  # later items wait: order is kept
            except AuthError as exc:
                failed.append(item.id)
                threads.append(item.thread_id)  # its row now says "Reply failed"
                return report(len(pending) - index - 1, exc)
            if outcome is None:
                continue  # someone else is sending it
            if outcome:
                sent.append(item.id)
                threads.append(item.thread_id)
            else:
                failed.append(item.id)
                threads.append(item.thread_id)
        return report(0)

    def _claim(self, item: OutboxItem, lock: SendLock = SendLock.OURS) -> OutboxItem | None:
        """queued -> sending, checked and written in one transaction by storage.

        An item already 'sending' was left so by a sender that is gone when we hold
        the account's file lock (no live process on this machine is mid-send); with
        the team's server lock or none, only once its lease ran out. It is taken over,
        and `_send_one` asks the server whether it went out before sending it again.
        """
        # Seen 'sending' when our file lock was already held: orphaned. Found 'sending'
        # only now: just claimed by someone, so its lease is fresh and it stays theirs.
        orphan = lock is SendLock.OURS and item.state is OutboxState.SENDING
        claimed = self._store.claim_outbox_item(item.id, None if orphan else self._lease)
        if claimed is None:
            log.info("outbox item %s is in another sender's hands or done", item.id)
        return claimed

    def _send_one(
        self,
        account: Account,
        client: NetworkClient,
        item: OutboxItem,
        lock: SendLock = SendLock.OURS,
    ) -> bool | None:
        """True sent, False failed for good, None not ours to send; raises when it must wait."""
        claimed = self._claim(item, lock)
        if claimed is None:
            return None
        item = claimed
        unclear = item.attempts > 1  # tried before (or left 'sending'): ask the server first
        try:
            parent = self._parent_of(item)
            posted = self._find_on_server(client, parent, item) if unclear else None
            if posted is None:
                posted = client.reply(
                    parent, item.text, item.idempotency_key, **_reply_options(item)
                )
            else:
                log.info("outbox item %s was already on the server; not sending again", item.id)
        except (ServerUnreachable, ServerError, RateLimited) as exc:
            # Not sent, or unclear: back in the queue; the next try asks find_reply first.
            self._store.retry(item.id)
            log.info("outbox item %s waits: %s", item.id, type(exc).__name__)
            raise
        except StorageError:
            raise  # left 'sending': the next pass treats it as unclear
        except ShopkeepError as exc:  # auth, not found, bad response, too long
            self._store.mark_failed(item.id, exc.user_message)
            log.warning("outbox item %s failed: %s", item.id, type(exc).__name__)
            if isinstance(exc, AuthError):
                raise
            return False
        self._store.mark_sent(item.id, posted.remote_id, posted.url)  # also: thread replied
        self._store.ingest(account.id, [posted], self._score)
        log.info("outbox item %s sent as %s", item.id, posted.remote_id)
        return True

    def _find_on_server(self, client: NetworkClient, parent: Post, item: OutboxItem) -> Post | None:
        """This item's reply if the server has it; never an older one with the same words
        (known before it was queued, or another item's) nor one made before it."""
        exclude = set(known_replies(item))
        exclude.update(
            other.remote_id
            for other in self._store.outbox_items(thread_id=item.thread_id)
            if other.remote_id and other.id != item.id
        )
        return client.find_reply(
            parent,
            item.text,
            item.idempotency_key,
            exclude=frozenset(exclude),
            not_before=item.created_at - CLOCK_SKEW,
            **_reply_options(item),
        )

    def _parent_of(self, item: OutboxItem) -> Post:
        for stored in self._store.thread_posts(item.thread_id):
            if stored.post.remote_id == item.parent_remote_id:
                return stored.post
        raise NotFound(
            f"parent {item.parent_remote_id} not in thread {item.thread_id}",
            user_message="The post this reply answers is no longer saved. "
            "Open the conversation and reply again.",
        )


def known_replies(item: OutboxItem) -> list[str]:
    """The shop's replies under the same parent that storage saw when this was queued."""
    try:
        extra = json.loads(item.payload or "{}")
    except ValueError:
        return []
    found = extra.get("known_replies") if isinstance(extra, dict) else None
    return [str(v) for v in found] if isinstance(found, list) else []
