"""Storing fetched posts: upsert, thread linking and scoring (aggregates: see aggregates.py).

Rules, so sync can call `ingest` as often as it likes:
- a post is keyed by (account, remote id); the same batch twice changes nothing;
- only new posts and posts whose text changed are scored;
- a post joins its parent's thread; else the thread of its root; else a thread
  keyed by its root / parent / own id. When a parent arrives after its replies,
  the replies' thread is merged into the parent's thread;
- customer posts newer than the shop's last reply are unread and reopen a
  replied / done / snoozed thread; the shop's own post marks it replied.

A batch costs a few queries, not a few per post: stored posts, threads and contacts
are read with one IN query each, thread state is decided in memory, new posts go
in with one executemany (ingest_sql.py) and the aggregates are rebuilt in one pass.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from typing import Any

from app.core import models as m
from app.core.ports import Scorer
from app.core.scoring_pool import Packed, ScoringJob
from app.storage import ingest_sql as sql
from app.storage import tables as t
from app.storage.aggregates import aggregate, recompute_threads
from app.storage.collector_pause import collector_paused
from app.storage.convert import media_json
from app.storage.raw_sql import dicts

S = m.ThreadStatus
_REOPEN = (S.REPLIED.value, S.DONE.value, S.SNOOZED.value)
_ANSWERABLE = (S.NEEDS_REPLY.value, S.SNOOZED.value)
# Plain values, looked up per post: an enum's `.value` is a property call each time.
_NEEDS_REPLY, _REPLIED = S.NEEDS_REPLY.value, S.REPLIED.value
_NETWORK = {n: n.value for n in m.Network}
_NEGATIVE = m.SentimentLabel.NEGATIVE.value


def contact_key(author: m.Author, server: str) -> str:
    """Stable identity of a customer: the DID on Bluesky, user@host on Mastodon."""
    if author.network == m.Network.BLUESKY:
        return author.remote_id or author.handle.lower()
    handle = author.handle.strip().lstrip("@").lower()
    if not handle:
        return f"{author.remote_id}@{_host(server)}"
    return handle if "@" in handle else f"{handle}@{_host(server)}"


@functools.lru_cache(maxsize=64)
def _host(server: str) -> str:
    return server.split("://", 1)[-1].strip("/").lower()


@dataclass
class _Batch:
    """Bookkeeping for one ingest call."""

    account: t.Account
    score: Callable[[str], Packed]  # ScoringJob.packed
    account_id: int = 0  # the account's columns, read once (peewee fields are descriptors)
    is_demo: bool = False
    own_remote_id: str = ""
    own_handle: str = ""
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)  # remote id -> stored row
    thread_of: dict[str, int] = field(default_factory=dict)  # remote id -> thread id
    thread_by_key: dict[str, int] = field(default_factory=dict)  # root key -> thread id
    threads: dict[int, sql.ThreadState] = field(default_factory=dict)
    contacts: dict[str, sql.ContactRow] = field(default_factory=dict)
    author_key: dict[str, str | None] = field(default_factory=dict)  # remote id -> key; own: None
    scored: dict[str, tuple[str, tuple[Any, ...]]] = field(default_factory=dict)
    queue: list[list[Any]] = field(default_factory=list)  # new post rows, in id order
    pending: dict[int, list[list[Any]]] = field(default_factory=dict)  # the same, by thread
    new_threads: set[int] = field(default_factory=set)
    fresh: set[int] = field(default_factory=set)  # threads with no stored post yet
    touched: set[int] = field(default_factory=set)
    removed: set[int] = field(default_factory=set)
    new_negative: list[int | str] = field(default_factory=list)  # id, or remote id if new
    read_until: dict[int, datetime] = field(default_factory=dict)  # stored posts to mark read
    new_posts: int = 0
    # SQLite: new rows are numbered here and written once per batch (None: one by one).
    next_thread: int | None = None
    next_contact: int | None = None
    first_post: int | None = None
    queued_threads: dict[int, tuple[str, datetime, str]] = field(default_factory=dict)
    queued_contacts: list[tuple[sql.ContactRow, list[Any]]] = field(default_factory=list)

    def sentiment(self, text: str) -> m.Sentiment:
        compound, label, reasons, language = self.score(text)
        return m.Sentiment(compound, m.SentimentLabel(label), reasons, language)

    def sentiment_columns(self, text: str) -> tuple[str, tuple[Any, ...]]:
        """The label and the post's columns (compound, label, reasons, language), once per text."""
        found = self.scored.get(text)
        if found is None:
            compound, label, reasons, language = self.score(text)
            found = self.scored[text] = (
                label,
                (compound, label, sql.json_list(reasons), language),
            )
        return found


PART = 1000  # at most, posts stored at a time while the worker processes score the next ones
MIN_PART = 250  # at least (but for the last): each part costs a few queries of its own


@dataclass(frozen=True, slots=True)
class IngestPlan:
    """A batch read but not yet written: its posts in order and their scoring under way.

    `stored`: (id, remote id, text) of its posts already stored, or None when the plan
    was made outside the write transaction (they are read again under the write lock).
    """

    account_id: int
    ordered: list[m.Post]
    job: ScoringJob
    stored: list[tuple[Any, ...]] | None


def plan_ingest(
    account_id: int, posts: Sequence[m.Post], score: Scorer, *, in_transaction: bool
) -> IngestPlan:
    """Order the batch and start scoring what is new or edited (a read, no write).

    Made before the write transaction, the workers score while the store tidies
    the log (wal_copy.py) and waits for the write lock.
    """
    unique = {p.remote_id: p for p in posts}
    ordered = sorted(unique.values(), key=lambda p: (p.created_at, p.remote_id))
    stored = _stored(account_id, ordered)
    job = ScoringJob(score, _texts_to_score(ordered, stored))
    return IngestPlan(account_id, ordered, job, stored if in_transaction else None)


def ingest_posts(account_id: int, posts: Sequence[m.Post], score: Scorer) -> m.IngestResult:
    """Run inside a transaction (the store opens it)."""
    with collector_paused():
        return ingest_planned(plan_ingest(account_id, posts, score, in_transaction=True))


def _stored(account_id: int, ordered: Sequence[m.Post]) -> list[tuple[Any, ...]]:
    return sql.pairs(
        "SELECT id, remote_id, text FROM post WHERE account_id = {p} AND remote_id IN ({marks})",
        account_id, [p.remote_id for p in ordered])  # fmt: skip


def ingest_planned(plan: IngestPlan) -> m.IngestResult:
    """Store a planned batch; run inside a transaction, with the collector paused (the
    store holds both from the plan to the commit: collector_pause.py).

    A big batch is scored in worker processes (app.core.scoring_pool) while its
    rows are built, and stored in parts (oldest first), so the database work on
    one part runs while the workers still score the next. A part is what is
    scored when the writer comes for it (MIN_PART to PART posts).
    """
    account = t.Account.get_or_none(t.Account.id == plan.account_id)
    if account is None:
        raise LookupError(f"no account {plan.account_id}")
    ordered, job = plan.ordered, plan.job
    stored = plan.stored if plan.stored is not None else _stored(account.id, ordered)
    ids = {remote_id: post_id for post_id, remote_id, _ in stored}
    # The FTS trigger is set aside only for a batch with new posts: each set-aside
    # changes the schema, which every other open connection then reads again.
    first_new = sql.start_bulk() if len(stored) < len(ordered) else None
    results = [
        _ingest_part(
            account, chunk, job.packed, [ids[p.remote_id] for p in chunk if p.remote_id in ids]
        )
        for chunk in _parts(job, ordered)
    ]
    sql.finish_bulk(first_new)
    return results[0] if len(results) == 1 else _merged(results)


def _parts(job: ScoringJob, ordered: list[m.Post]) -> Iterator[list[m.Post]]:
    """The batch in parts, in order: each holds at least MIN_PART posts (waiting for
    their scores), then every following post already scored, up to PART posts."""
    if not job.parallel:
        yield ordered
        return
    start = 0
    while start < len(ordered):
        end = min(start + MIN_PART, len(ordered))
        for post in ordered[start:end]:
            if not job.ready(post.text):
                job.packed(post.text)
        limit = min(start + PART, len(ordered))
        while end < limit and job.ready(ordered[end].text):
            end += 1
        yield ordered[start:end]
        start = end


def _merged(parts: list[m.IngestResult]) -> m.IngestResult:
    """One result for the parts of a batch, as if it had been stored in one go."""
    new: dict[int, None] = {}
    updated: dict[int, None] = {}
    removed: set[int] = set()
    for r in parts:
        new.update(dict.fromkeys(r.new_thread_ids))
        updated.update(dict.fromkeys(r.updated_thread_ids))
        removed.update(r.removed_thread_ids)
    return m.IngestResult(
        new_posts=sum(r.new_posts for r in parts),
        new_thread_ids=tuple(sorted(new.keys() - removed)),
        updated_thread_ids=tuple(sorted(updated.keys() - new.keys() - removed)),
        new_negative_post_ids=tuple(i for r in parts for i in r.new_negative_post_ids),
        removed_thread_ids=tuple(sorted(removed - new.keys())),
    )


def _ingest_part(
    account: t.Account,
    ordered: Sequence[m.Post],
    score: Callable[[str], Packed],
    stored_ids: list[int],
) -> m.IngestResult:
    """Store posts (in created_at order); `stored_ids`: those of them already stored."""
    batch = _Batch(account=account, score=score, next_thread=sql.next_id("thread"),
                   next_contact=sql.next_id("contact"), first_post=sql.next_id("post"),
                   account_id=account.id, is_demo=bool(account.is_demo),
                   own_remote_id=account.remote_id or "",
                   own_handle=account.handle.lstrip("@").lower())  # fmt: skip
    _preload(batch, ordered, stored_ids)
    for post in ordered:
        row = batch.rows.get(post.remote_id)
        if row is None:
            _insert(batch, post)
        else:
            _update(batch, row, post)
    sql.mark_read_until(batch.read_until)
    sql.insert_contacts(batch.queued_contacts)
    sql.insert_full_threads(_born_threads(batch))
    new_ids = sql.insert_posts(account.id, batch.queue, batch.first_post)
    live = sorted(batch.touched - batch.removed - batch.queued_threads.keys())
    sql.save_statuses([batch.threads[i] for i in live if i in batch.threads])
    recompute_threads(live)
    return m.IngestResult(
        new_posts=batch.new_posts,
        new_thread_ids=tuple(sorted(batch.new_threads - batch.removed)),
        updated_thread_ids=tuple(sorted(batch.touched - batch.new_threads - batch.removed)),
        new_negative_post_ids=tuple(
            x if isinstance(x, int) else new_ids[x] for x in batch.new_negative
        ),
        removed_thread_ids=tuple(sorted(batch.removed - batch.new_threads)),
    )


def _texts_to_score(posts: Sequence[m.Post], stored: list[tuple[Any, ...]]) -> list[str]:
    """The texts of new posts and of edited ones: nothing already scored is scored again."""
    text_of = {remote_id: text for _, remote_id, text in stored}
    wanted = {p.text: None for p in posts if not p.deleted and text_of.get(p.remote_id) != p.text}
    return list(wanted)


def _preload(batch: _Batch, posts: Sequence[m.Post], stored_ids: list[int]) -> None:
    """Fetch every stored row the batch can refer to, in a few IN queries."""
    acc = batch.account
    ids = [p.remote_id for p in posts]
    related = {x for p in posts for x in (p.parent_remote_id, p.root_remote_id) if x}
    for chunk in sql.chunks(stored_ids):  # full rows of the posts stored before
        for row in dicts(t.Post.select().where(t.Post.id.in_(list(chunk)))):
            batch.rows[row["remote_id"]] = row
            batch.thread_of[row["remote_id"]] = row["thread"]
    others = sorted(related - set(batch.thread_of))
    batch.thread_of.update(
        sql.pairs(
            "SELECT remote_id, thread_id FROM post WHERE account_id = {p} "
            "AND remote_id IN ({marks})",
            acc.id,
            others,
        )
    )
    batch.thread_by_key.update(
        sql.pairs(
            "SELECT root_remote_id, id FROM thread WHERE account_id = {p} "
            "AND root_remote_id IN ({marks})",
            acc.id,
            sorted(set(ids) | related),
        )
    )
    batch.threads = sql.load_threads([*batch.thread_of.values(), *batch.thread_by_key.values()])
    by_network: dict[str, list[str]] = {}
    server = acc.server
    for p in posts:
        if p.deleted:
            continue
        if _is_own(batch, p):
            batch.author_key[p.remote_id] = None
        else:
            key = batch.author_key[p.remote_id] = contact_key(p.author, server)
            by_network.setdefault(_NETWORK[p.author.network], []).append(key)
    for network, keys in by_network.items():
        batch.contacts.update(sql.load_contacts(network, keys))


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
    new_id = batch.next_thread
    state = sql.insert_thread(batch.account, key, post.created_at, _NEEDS_REPLY, new_id)
    if new_id is not None:  # goes in at the end of the batch, complete (_born_threads)
        batch.next_thread = new_id + 1
        batch.queued_threads[new_id] = (key, post.created_at, _NEEDS_REPLY)
    batch.thread_by_key[key] = state.id
    batch.threads[state.id] = state
    batch.new_threads.add(state.id)
    batch.fresh.add(state.id)
    return state.id


def _is_own(batch: _Batch, post: m.Post) -> bool:
    if post.author.remote_id and batch.own_remote_id:
        return post.author.remote_id == batch.own_remote_id
    return post.author.handle.lstrip("@").lower() == batch.own_handle


def _contact(batch: _Batch, author: m.Author, key: str) -> int:
    found = batch.contacts.get(key)
    if found is None:
        demo, new_id = batch.is_demo, batch.next_contact
        found = sql.insert_contact(author, key, demo, new_id)
        if new_id is not None:
            batch.next_contact = new_id + 1
            batch.queued_contacts.append((found, sql.contact_params(author, key, demo)))
    elif (found.handle, found.display_name) != (author.handle, author.display_name) and (
        author.handle
    ):
        sql.rename_contact(found, author.handle, author.display_name)
    batch.contacts[key] = found
    return found.id


def _insert(batch: _Batch, post: m.Post) -> None:
    hidden = post.deleted
    if hidden and not (post.blocked and _in_known_thread(batch, post)):
        # never seen alive: nothing worth keeping; but a reply hidden by a block keeps
        # its place in a conversation the shop has, so the owner learns it is there
        return
    key = None if hidden else batch.author_key[post.remote_id]
    own = key is None and not hidden
    thread_id = _thread_for(batch, post)
    thread = batch.threads[thread_id]
    contact_id = None if key is None else _contact(batch, post.author, key)
    label, scored = batch.sentiment_columns(post.text)
    at = post.created_at
    if hidden:
        read = True  # nothing to read: it neither reopens the thread nor counts as unread
    elif own:
        read = True
        answered = thread.last_customer_at is None or at >= thread.last_customer_at
        if answered and thread.status in _ANSWERABLE:
            thread.status, thread.snoozed_until = _REPLIED, None
        thread.last_own_at = _later(thread.last_own_at, at)
        # The shop answered (maybe from another app): what came before counts as read.
        if thread_id not in batch.fresh:  # marked in one statement at the end of the batch
            batch.read_until[thread_id] = _later(batch.read_until.get(thread_id), at)
        for row in batch.pending.get(thread_id, ()):
            row[sql.READ_AT] = True  # posts go in time order: every queued one is older
    else:
        read = thread.last_own_at is not None and at <= thread.last_own_at
        if not read and thread.status in _REOPEN:
            thread.status, thread.snoozed_until = _NEEDS_REPLY, None
        thread.last_customer_at = _later(thread.last_customer_at, at)
    new_row = [
        batch.account_id, thread_id, contact_id, _NETWORK[post.network], post.remote_id,
        post.author.remote_id, post.author.handle, post.author.display_name, post.text,
        sql.db_time(at), post.url, post.parent_remote_id, post.root_remote_id,
        post.is_mention, own, post.visibility, post.content_warning, sql.media_text(post.media),
        sql.json_list(post.mentions), post.language, post.cid, sql.db_time(post.edited_at),
        hidden, post.raw_json, *scored, None, read, _why(post),
    ]  # fmt: skip
    if batch.first_post is not None:
        new_row.append(batch.first_post + len(batch.queue))
    batch.queue.append(new_row)
    batch.pending.setdefault(thread_id, []).append(new_row)
    batch.thread_of[post.remote_id] = thread_id
    batch.touched.add(thread_id)
    if not hidden:  # a hidden post is nothing new to announce
        batch.new_posts += 1
        if not own and label == _NEGATIVE:
            batch.new_negative.append(post.remote_id)
    _adopt_orphans(batch, post.remote_id, thread_id)


def _in_known_thread(batch: _Batch, post: m.Post) -> bool:
    """The post answers one stored (or stored in this batch) or belongs to a known root."""
    parent, root = post.parent_remote_id, post.root_remote_id
    return (parent is not None and parent in batch.thread_of) or (
        root is not None and (root in batch.thread_by_key or root in batch.thread_of)
    )


def _why(post: m.Post) -> str:
    """The `unavailable` column: why the post is gone, "" when readable or not said."""
    return post.unavailable.value if post.unavailable is not None else ""


# A queued post row -> the columns aggregates._READ selects, in its order.
_FOLD = itemgetter(*(sql.POST_COLUMNS.index(c) for c in (
    "thread_id", "text", "content_warning", "created_at", "is_own", "deleted", "read", "label",
    "corrected_label", "compound", "reasons", "author_handle", "author_name")))  # fmt: skip


def _born_threads(batch: _Batch) -> list[tuple[Any, ...]]:
    """Threads new in this batch and still queued: complete rows, aggregates folded from
    their queued posts (all they have; queued in created_at, id order)."""
    acc = batch.account
    out = []
    for thread_id, (key, _at, _status) in batch.queued_threads.items():
        rows = [_FOLD(r) for r in batch.pending[thread_id]]
        state = batch.threads[thread_id]
        out.append((acc.id, acc.network, key, state.status, sql.db_time(state.snoozed_until),
                    bool(acc.is_demo), *aggregate(thread_id, rows)))  # fmt: skip
    return out


def _later(a: datetime | None, b: datetime) -> datetime:
    return b if a is None or b > a else a


def _adopt_orphans(batch: _Batch, remote_id: str, thread_id: int) -> None:
    """Replies that arrived before this post sit in a thread keyed by its id: merge them in."""
    orphan_id = batch.thread_by_key.get(remote_id)
    if orphan_id is None or orphan_id == thread_id:
        return
    _merge(batch, orphan_id, thread_id)
    batch.removed.add(orphan_id)
    batch.threads.pop(orphan_id, None)
    batch.thread_by_key[remote_id] = thread_id
    for key, value in batch.thread_of.items():
        if value == orphan_id:
            batch.thread_of[key] = thread_id
    for key, value in batch.thread_by_key.items():
        if value == orphan_id:
            batch.thread_by_key[key] = thread_id


def _merge(batch: _Batch, source_id: int, target_id: int) -> None:
    """Move everything of thread `source` (stored and queued) into `target`, drop `source`."""
    source, target = batch.threads[source_id], batch.threads[target_id]
    moved = batch.pending.pop(source_id, [])
    for row in moved:
        row[sql.THREAD_AT] = target_id
    if moved:
        batch.pending.setdefault(target_id, []).extend(moved)
    if source_id not in batch.fresh:
        batch.fresh.discard(target_id)  # stored posts moved in
    sql.insert_queued_threads(batch.account, batch.queued_threads)  # rows must exist now
    sql.move_thread(source_id, target_id)
    if S.NEEDS_REPLY.value in (source.status, target.status):
        target.status, target.snoozed_until = S.NEEDS_REPLY.value, None
    target.last_own_at = _max_time(source.last_own_at, target.last_own_at)
    target.last_customer_at = _max_time(source.last_customer_at, target.last_customer_at)


def _max_time(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None:
        return b
    return a if b is None or a > b else b


_VISIBLE = ("text", "deleted", "edited_at", "content_warning", "media", "author_handle",
            "author_name", "unavailable")  # fmt: skip
# What a post says: a post that comes back unavailable (a placeholder) brings none of it.
_CONTENT = ("text", "content_warning", "media", "mentions", "language", "visibility",
            "raw_json")  # fmt: skip
_BLOCKED = m.Unavailable.BLOCKED.value


def _update(batch: _Batch, row: dict[str, Any], post: m.Post) -> None:
    """Apply an edit / deletion / re-fetch to a stored post; no-op when nothing changed."""
    wanted = {
        "text": post.text,
        "deleted": _still_gone(row, post),
        "unavailable": _why(post) if post.deleted else _why_kept(row, post),
        "edited_at": post.edited_at or row["edited_at"],
        "content_warning": post.content_warning,
        "media": media_json(post.media),
        "author_handle": post.author.handle or row["author_handle"],
        "author_name": post.author.display_name or row["author_name"],
        "url": post.url or row["url"],
        "cid": post.cid or row["cid"],
        "mentions": list(post.mentions),
        "language": post.language or row["language"],
        "visibility": post.visibility,
        "raw_json": post.raw_json or row["raw_json"],
        "is_mention": bool(row["is_mention"]) or post.is_mention,
        "root_remote_id": row["root_remote_id"] or post.root_remote_id,
        "parent_remote_id": row["parent_remote_id"] or post.parent_remote_id,
    }
    if post.deleted:  # keep what the customer wrote (and its raw JSON), just mark it gone
        wanted.update((k, row[k]) for k in _CONTENT)
    changes = {k: v for k, v in wanted.items() if row[k] != v}
    if not changes:
        return
    if "text" in changes:
        sentiment = batch.sentiment(post.text)
        was_negative = row["label"] == m.SentimentLabel.NEGATIVE
        changes.update(
            compound=sentiment.compound,
            label=sentiment.label.value,
            reasons=list(sentiment.reasons),
            sentiment_language=sentiment.language,
        )
        if (
            not row["is_own"]
            and sentiment.label == m.SentimentLabel.NEGATIVE
            and not was_negative
            and not row["corrected_label"]
        ):
            batch.new_negative.append(int(row["id"]))
    t.Post.update(**changes).where(t.Post.id == row["id"]).execute()
    row.update(changes)
    if any(k in changes for k in _VISIBLE):
        batch.touched.add(row["thread"])


def _still_gone(row: dict[str, Any], post: m.Post) -> bool:
    """A deletion is final; a post hidden by a block is readable again once it comes back."""
    if post.deleted:
        return True
    return bool(row["deleted"]) and row["unavailable"] != _BLOCKED


def _why_kept(row: dict[str, Any], post: m.Post) -> str:
    """The stored reason while the post stays gone; none once it is readable again."""
    return row["unavailable"] if _still_gone(row, post) else ""
