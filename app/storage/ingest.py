"""Storing fetched posts: upsert, thread linking and scoring (aggregates: see aggregates.py).

Rules, so sync can call `ingest` as often as it likes:
- a post is keyed by (account, remote id); the same batch twice changes nothing;
- only new posts and posts whose text changed are scored;
- a post joins its parent's thread; else the thread of its root; else a thread
  keyed by its root / parent / own id. When a parent arrives after its replies,
  the replies' thread is merged into the parent's thread;
- customer posts newer than the shop's last reply are unread and reopen a
  replied / done / snoozed thread; the shop's own post marks it replied.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import peewee

from app.core import models as m
from app.core.ports import Scorer
from app.storage import tables as t
from app.storage.aggregates import recompute_thread
from app.storage.convert import media_json

CHUNK = 500

S = m.ThreadStatus


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


def contact_key(author: m.Author, server: str) -> str:
    """Stable identity of a customer: the DID on Bluesky, user@host on Mastodon."""
    if author.network == m.Network.BLUESKY:
        return author.remote_id or author.handle.lower()
    handle = author.handle.strip().lstrip("@").lower()
    if not handle:
        return f"{author.remote_id}@{_host(server)}"
    return handle if "@" in handle else f"{handle}@{_host(server)}"


def _host(server: str) -> str:
    return server.split("://", 1)[-1].strip("/").lower()


@dataclass
class _Batch:
    """Bookkeeping for one ingest call."""

    account: t.Account
    score: Scorer
    rows: dict[str, t.Post] = field(default_factory=dict)  # remote id -> stored row
    thread_of: dict[str, int] = field(default_factory=dict)  # remote id -> thread id
    thread_by_key: dict[str, int] = field(default_factory=dict)  # root key -> thread id
    threads: dict[int, t.Thread] = field(default_factory=dict)
    contacts: dict[str, t.Contact] = field(default_factory=dict)
    scored: dict[str, m.Sentiment] = field(default_factory=dict)
    new_threads: set[int] = field(default_factory=set)
    touched: set[int] = field(default_factory=set)
    removed: set[int] = field(default_factory=set)
    new_negative: list[int] = field(default_factory=list)
    new_posts: int = 0

    def sentiment(self, text: str) -> m.Sentiment:
        if text not in self.scored:
            self.scored[text] = self.score(text)
        return self.scored[text]

    def thread(self, thread_id: int) -> t.Thread:
        if thread_id not in self.threads:
            self.threads[thread_id] = t.Thread.get_by_id(thread_id)
        return self.threads[thread_id]


def ingest_posts(account_id: int, posts: Sequence[m.Post], score: Scorer) -> m.IngestResult:
    """Run inside a transaction (the store opens it)."""
    account = t.Account.get_or_none(t.Account.id == account_id)
    if account is None:
        raise LookupError(f"no account {account_id}")
    unique = {p.remote_id: p for p in posts}
    ordered = sorted(unique.values(), key=lambda p: (p.created_at, p.remote_id))
    batch = _Batch(account=account, score=score)
    _preload(batch, ordered)
    for post in ordered:
        row = batch.rows.get(post.remote_id)
        if row is None:
            _insert(batch, post)
        else:
            _update(batch, row, post)
    for thread_id in sorted(batch.touched - batch.removed):
        recompute_thread(thread_id)
    return m.IngestResult(
        new_posts=batch.new_posts,
        new_thread_ids=tuple(sorted(batch.new_threads - batch.removed)),
        updated_thread_ids=tuple(sorted(batch.touched - batch.new_threads - batch.removed)),
        new_negative_post_ids=tuple(batch.new_negative),
        removed_thread_ids=tuple(sorted(batch.removed - batch.new_threads)),
    )


def _preload(batch: _Batch, posts: Sequence[m.Post]) -> None:
    """Fetch every stored row the batch can refer to, in a few IN queries."""
    acc = batch.account
    ids = [p.remote_id for p in posts]
    related = {x for p in posts for x in (p.parent_remote_id, p.root_remote_id) if x}
    for chunk in _chunks(ids):
        for row in t.Post.select().where((t.Post.account == acc) & t.Post.remote_id.in_(chunk)):
            batch.rows[row.remote_id] = row
            batch.thread_of[row.remote_id] = row.thread_id
    others = sorted(related - set(batch.thread_of))
    for chunk in _chunks(others):
        query = t.Post.select(t.Post.remote_id, t.Post.thread).where(
            (t.Post.account == acc) & t.Post.remote_id.in_(chunk)
        )
        for row in query:
            batch.thread_of[row.remote_id] = row.thread_id
    keys = sorted(set(ids) | related)
    for chunk in _chunks(keys):
        query = t.Thread.select(t.Thread.id, t.Thread.root_remote_id).where(
            (t.Thread.account == acc) & t.Thread.root_remote_id.in_(chunk)
        )
        for th in query:
            batch.thread_by_key[th.root_remote_id] = th.id


def _thread_for(batch: _Batch, post: m.Post) -> int:
    """Parent's thread, else the root's, else a thread keyed by root/parent/self."""
    if post.parent_remote_id and post.parent_remote_id in batch.thread_of:
        return batch.thread_of[post.parent_remote_id]
    if post.root_remote_id:
        if post.root_remote_id in batch.thread_by_key:
            return batch.thread_by_key[post.root_remote_id]
        if post.root_remote_id in batch.thread_of:
            return batch.thread_of[post.root_remote_id]
    key = post.root_remote_id or post.parent_remote_id or post.remote_id
    if key in batch.thread_by_key:
        return batch.thread_by_key[key]
    acc = batch.account
    thread = t.Thread.create(
        account=acc,
        network=acc.network,
        root_remote_id=key,
        last_activity=post.created_at,
        status=S.NEEDS_REPLY.value,
        is_demo=acc.is_demo,
    )
    batch.thread_by_key[key] = thread.id
    batch.threads[thread.id] = thread
    batch.new_threads.add(thread.id)
    return int(thread.id)


def _is_own(account: t.Account, post: m.Post) -> bool:
    if post.author.remote_id and account.remote_id:
        return post.author.remote_id == account.remote_id
    return post.author.handle.lstrip("@").lower() == account.handle.lstrip("@").lower()


def _contact(batch: _Batch, author: m.Author) -> t.Contact:
    key = contact_key(author, batch.account.server)
    found = batch.contacts.get(key)
    if found is None:
        found = t.Contact.get_or_none(
            (t.Contact.network == author.network.value) & (t.Contact.key == key)
        )
    if found is None:
        found = t.Contact.create(
            network=author.network.value,
            key=key,
            remote_id=author.remote_id,
            handle=author.handle,
            display_name=author.display_name,
            is_demo=batch.account.is_demo,
        )
    elif (found.handle, found.display_name) != (author.handle, author.display_name) and (
        author.handle
    ):
        found.handle, found.display_name = author.handle, author.display_name
        found.save(only=[t.Contact.handle, t.Contact.display_name])
    batch.contacts[key] = found
    return found


def _insert(batch: _Batch, post: m.Post) -> None:
    if post.deleted:
        return  # never seen alive: nothing worth keeping
    account = batch.account
    own = _is_own(account, post)
    thread_id = _thread_for(batch, post)
    thread = batch.thread(thread_id)
    contact = None if own else _contact(batch, post.author)
    sentiment = batch.sentiment(post.text)
    if own:
        read = True
        answered = thread.last_customer_at is None or post.created_at >= thread.last_customer_at
        if answered and thread.status in (S.NEEDS_REPLY, S.SNOOZED):
            thread.status, thread.snoozed_until = S.REPLIED.value, None
        thread.last_own_at = _later(thread.last_own_at, post.created_at)
        # The shop answered (maybe from another app): what came before counts as read.
        t.Post.update(read=True).where(
            (t.Post.thread == thread_id) & ~t.Post.read & (t.Post.created_at <= post.created_at)
        ).execute()
    else:
        read = thread.last_own_at is not None and post.created_at <= thread.last_own_at
        if not read and thread.status in (S.REPLIED, S.DONE, S.SNOOZED):
            thread.status, thread.snoozed_until = S.NEEDS_REPLY.value, None
        thread.last_customer_at = _later(thread.last_customer_at, post.created_at)
    thread.save(only=[t.Thread.status, t.Thread.snoozed_until])
    row = t.Post.create(
        account=account,
        thread=thread_id,
        contact=contact,
        network=post.network.value,
        remote_id=post.remote_id,
        author_remote_id=post.author.remote_id,
        author_handle=post.author.handle,
        author_name=post.author.display_name,
        text=post.text,
        created_at=post.created_at,
        url=post.url,
        parent_remote_id=post.parent_remote_id,
        root_remote_id=post.root_remote_id,
        is_mention=post.is_mention,
        is_own=own,
        visibility=post.visibility,
        content_warning=post.content_warning,
        media=media_json(post.media),
        mentions=list(post.mentions),
        language=post.language,
        cid=post.cid,
        edited_at=post.edited_at,
        raw_json=post.raw_json,
        compound=sentiment.compound,
        label=sentiment.label.value,
        reasons=list(sentiment.reasons),
        sentiment_language=sentiment.language,
        read=read,
    )
    batch.rows[post.remote_id] = row
    batch.thread_of[post.remote_id] = thread_id
    batch.touched.add(thread_id)
    batch.new_posts += 1
    if not own and sentiment.label == m.SentimentLabel.NEGATIVE:
        batch.new_negative.append(int(row.id))
    _adopt_orphans(batch, post.remote_id, thread_id)


def _later(a: datetime | None, b: datetime) -> datetime:
    return b if a is None or b > a else a


def _adopt_orphans(batch: _Batch, remote_id: str, thread_id: int) -> None:
    """Replies that arrived before this post sit in a thread keyed by its id: merge them in."""
    orphan_id = batch.thread_by_key.get(remote_id)
    if orphan_id is None or orphan_id == thread_id:
        return
    merge_threads(batch.thread(orphan_id), batch.thread(thread_id))
    batch.removed.add(orphan_id)
    batch.threads.pop(orphan_id, None)
    batch.thread_by_key[remote_id] = thread_id
    for key, value in batch.thread_of.items():
        if value == orphan_id:
            batch.thread_of[key] = thread_id
    for key, value in batch.thread_by_key.items():
        if value == orphan_id:
            batch.thread_by_key[key] = thread_id


def merge_threads(source: t.Thread, target: t.Thread) -> None:
    """Move posts, outbox and draft of `source` into `target`, then drop `source`."""
    t.Post.update(thread=target.id).where(t.Post.thread == source.id).execute()
    t.OutboxItem.update(thread=target.id).where(t.OutboxItem.thread == source.id).execute()
    src_draft = t.Draft.get_or_none(t.Draft.thread == source.id)
    if src_draft is not None:
        dst_draft = t.Draft.get_or_none(t.Draft.thread == target.id)
        if dst_draft is None:
            t.Draft.update(thread=target.id).where(t.Draft.id == src_draft.id).execute()
        else:  # never lose typed text
            dst_draft.text = f"{dst_draft.text}\n\n{src_draft.text}".strip()
            dst_draft.save()
            src_draft.delete_instance()
    if S.NEEDS_REPLY in (source.status, target.status):
        target.status, target.snoozed_until = S.NEEDS_REPLY.value, None
    target.last_own_at = _max_time(source.last_own_at, target.last_own_at)
    target.last_customer_at = _max_time(source.last_customer_at, target.last_customer_at)
    target.save(only=[t.Thread.status, t.Thread.snoozed_until])
    source.delete_instance()


def _max_time(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None:
        return b
    return a if b is None or a > b else b


_VISIBLE = ("text", "deleted", "edited_at", "content_warning", "media", "author_handle",
            "author_name")  # fmt: skip


def _update(batch: _Batch, row: t.Post, post: m.Post) -> None:
    """Apply an edit / deletion / re-fetch to a stored post; no-op when nothing changed."""
    wanted = {
        "text": post.text,
        "deleted": post.deleted or bool(row.deleted),  # a deletion is final
        "edited_at": post.edited_at or row.edited_at,
        "content_warning": post.content_warning,
        "media": media_json(post.media),
        "author_handle": post.author.handle or row.author_handle,
        "author_name": post.author.display_name or row.author_name,
        "url": post.url or row.url,
        "cid": post.cid or row.cid,
        "mentions": list(post.mentions),
        "language": post.language or row.language,
        "visibility": post.visibility,
        "raw_json": post.raw_json or row.raw_json,
        "is_mention": bool(row.is_mention) or post.is_mention,
        "root_remote_id": row.root_remote_id or post.root_remote_id,
        "parent_remote_id": row.parent_remote_id or post.parent_remote_id,
    }
    if post.deleted and not row.deleted:
        wanted["text"] = row.text  # keep what the customer wrote, just mark it gone
    changes = {k: v for k, v in wanted.items() if getattr(row, k) != v}
    if not changes:
        return
    if "text" in changes:
        sentiment = batch.sentiment(post.text)
        was_negative = row.label == m.SentimentLabel.NEGATIVE
        changes.update(
            compound=sentiment.compound,
            label=sentiment.label.value,
            reasons=list(sentiment.reasons),
            sentiment_language=sentiment.language,
        )
        if (
            not row.is_own
            and sentiment.label == m.SentimentLabel.NEGATIVE
            and not was_negative
            and not row.corrected_label
        ):
            batch.new_negative.append(int(row.id))
    t.Post.update(**changes).where(t.Post.id == row.id).execute()
    for key, value in changes.items():
        setattr(row, key, value)
    if any(k in changes for k in _VISIBLE):
        batch.touched.add(row.thread_id)


def thread_exists(thread_id: int) -> bool:
    return bool(t.Thread.select(peewee.SQL("1")).where(t.Thread.id == thread_id).exists())
