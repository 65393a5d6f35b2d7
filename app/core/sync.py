"""The headless sync: pull mentions, their conversations, then push the outbox.

Used by the GUI's task runner and by `python -m app sync`. Both networks go
through one code path. Sync work is durable (app.core.sync_work): a mentions
page is stored in one transaction with its cursor and the conversations still
to fetch; each conversation is stored with the job it finishes. Every sync
first finishes what an earlier one left, so a kill, a dropped network or a 503
can repeat work but never skip a conversation. Then the refresh re-reads the
open threads checked longest ago, a few per sync, so every thread that is not
Done is seen again within a bounded time (docs/sync.md). One account failing
(revoked token, server down) never stops the others; each gets a `SyncReport`
with a sentence the owner can read.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import UTC, datetime
from enum import StrEnum
from functools import partial
from typing import Protocol, TypeVar

from app.core.errors import (
    AuthError,
    BadResponse,
    NotFound,
    RateLimited,
    ServerError,
    ServerUnreachable,
    ShopkeepError,
)
from app.core.in_flight import InFlight, may_overlap, priority, run_in_flight
from app.core.models import (
    Account,
    AccountState,
    IngestResult,
    Post,
    Sentiment,
    StoredPost,
    ThreadRow,
    Unavailable,
)
from app.core.outbox import OutboxSender
from app.core.ports import NetworkClient, Scorer, ThreadQuery
from app.core.sync_report import SyncReport, Tally, account_label, reach_words
from app.core.sync_work import CONVERSATION, SyncJob, retry_at

__all__ = [
    "HISTORY_CURSOR",
    "MENTIONS_CURSOR",
    "SyncCancelled",
    "SyncReport",
    "SyncService",
    "SyncStep",
    "SyncStore",
    "account_label",
    "bounded_scorer",
    "reach_words",
]

log = logging.getLogger(__name__)

MENTIONS_CURSOR = "mentions"
HISTORY_CURSOR = "history"  # where the walk back through older mentions goes on
REFRESH_ANCHORS = 3  # posts tried per open conversation when the oldest ones were deleted
REFRESH_PER_SYNC = 20  # open threads re-read per sync (Mastodon: 2 requests each)
THREADS_PER_SYNC = 2000  # conversations of new mentions fetched per sync; the rest wait
GONE_CHECKS = 10  # stored replies a refresh no longer saw, asked about per thread and sync
RATE_RESERVE = 30  # requests the refresh leaves in the server's rate limit (replies, next sync)
JOB_RESERVE = 10  # requests conversation fetches leave in the rate limit (the owner's replies)
FETCH_COST = 2  # requests one conversation fetch may take (status + context)
MAX_SCORED_CHARS = 3000  # Bluesky's byte limit; far above Mastodon's usual 500 characters
T = TypeVar("T")


def bounded_scorer(score: Scorer, limit: int = MAX_SCORED_CHARS) -> Scorer:
    """`score` on at most the first `limit` characters of a post.

    The scorer's cost grows faster than the text (a 100,000-character post took
    80 s), so a hostile server could stall the sync with one long post.
    """

    def scored(text: str) -> Sentiment:
        return score(text[:limit] if len(text) > limit else text)

    scored.__wrapped__ = score  # type: ignore[attr-defined]  # the pool scores the bare fn
    return scored


def _missing_replies(anchor: Post, stored: Sequence[Post], fetched: dict[str, Post]) -> list[Post]:
    """Stored posts under `anchor` (by their parent links) that the server left out."""
    children: dict[str, list[Post]] = {}
    for post in stored:
        if post.parent_remote_id:
            children.setdefault(post.parent_remote_id, []).append(post)
    missing: list[Post] = []
    todo = [anchor.remote_id]
    while todo:
        for child in children.pop(todo.pop(), []):
            todo.append(child.remote_id)
            if child.remote_id not in fetched:
                missing.append(child)
    return missing


class SyncStep(StrEnum):
    CONNECT = "connect"
    MENTIONS = "mentions"
    THREADS = "threads"
    REFRESH = "refresh"
    OUTBOX = "outbox"
    DONE = "done"


# (account, step, done, total): called from the worker thread; the UI re-emits it as a signal.
ProgressCallback = Callable[[Account, SyncStep, int, int], None]
ClientsForAccount = Callable[[Account], NetworkClient]


class SyncStore(Protocol):
    """What the sync needs from storage (app.storage implements it)."""

    def cursor(self, account_id: int, name: str = MENTIONS_CURSOR) -> str | None: ...

    def set_cursor(
        self, account_id: int, value: str | None, name: str = MENTIONS_CURSOR
    ) -> None: ...

    def ingest(self, account_id: int, posts: Sequence[Post], score: Scorer) -> IngestResult: ...

    def store_mentions(
        self,
        account_id: int,
        posts: Sequence[Post],
        score: Scorer,
        *,
        cursors: dict[str, str | None],
        jobs: tuple[str, Iterable[str]],
    ) -> IngestResult:
        """Posts, cursors and the jobs to fetch their conversations, in one transaction."""
        ...

    def store_fetched(
        self,
        account_id: int,
        posts: Sequence[Post],
        score: Scorer,
        *,
        done: tuple[str, Iterable[str]],
        checked: Iterable[int] = (),
        when: datetime,
    ) -> IngestResult:
        """A fetched conversation and the jobs it finishes, in one transaction."""
        ...

    def due_jobs(self, account_id: int, kind: str, now: datetime, limit: int) -> list[SyncJob]: ...

    def job_count(self, account_id: int, kind: str) -> int: ...

    def job_failed(self, job_id: int, error: str, not_before: datetime | None) -> None: ...

    def threads_to_refresh(
        self, account_id: int, limit: int, checked_before: datetime
    ) -> list[int]:
        """Threads not Done, least recently re-read first."""
        ...

    def stored_post(self, account_id: int, remote_id: str) -> StoredPost | None: ...

    def oldest_mention(self, account_id: int) -> datetime | None:
        """How far back the inbox reaches for this account."""
        ...

    def list_threads(
        self, query: ThreadQuery, offset: int, limit: int, *, after: ThreadRow | None = None
    ) -> list[ThreadRow]:
        """A page; with `after` (the previous page's last row) the page after it."""
        ...

    def thread_posts(self, thread_id: int) -> list[StoredPost]: ...

    def sync_lock(self, account_id: int) -> AbstractContextManager[bool]:
        """Held while one process pulls this account (across laptops in team mode);
        yields whether it is ours. Its holder's death releases it."""
        ...

    def update_account(
        self, account_id: int, *, state: AccountState | None = None, last_error: str | None = None
    ) -> Account: ...


class SyncCancelled(ShopkeepError):
    user_message = "Sync was stopped."


class SyncService:
    """Syncs accounts one after another; safe to run on a worker thread."""

    def __init__(
        self,
        store: SyncStore,
        clients_for_account: ClientsForAccount,
        score: Scorer,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        *,
        outbox: OutboxSender | None = None,
        max_mentions: int = 2000,
        history_days: float | None = 365,
        refresh_limit: int = REFRESH_PER_SYNC,
        thread_budget: int = THREADS_PER_SYNC,
        max_rate_wait: float = 30.0,
    ) -> None:
        self._store = store
        self._clients = clients_for_account
        self._score = bounded_scorer(score)
        self._clock = clock
        self._outbox = outbox
        self.max_mentions = max_mentions
        self.history_days = history_days
        self.refresh_limit = refresh_limit
        self.thread_budget = thread_budget
        self.max_rate_wait = max_rate_wait

    # ---- public

    def sync_all(
        self,
        accounts: Sequence[Account],
        progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> list[SyncReport]:
        """Sync every (non-demo) account; a failure in one is reported, never raised."""
        reports: list[SyncReport] = []
        for account in accounts:
            if account.is_demo:
                continue
            started = self._clock()
            if cancel is not None and cancel.is_set():
                reports.append(self._report(account, started, Tally(), cancelled=True))
                continue
            try:
                reports.append(self.sync_account(account, progress, cancel))
            except Exception as exc:  # a bug: log it with the traceback, keep going
                log.exception("sync of account %s crashed", account.id)
                reports.append(
                    self._report(
                        account,
                        started,
                        Tally(),
                        error=ShopkeepError(
                            repr(exc),
                            user_message=(
                                "Shopkeep hit an unexpected problem while syncing this account. "
                                "The details are in the log file."
                            ),
                        ),
                    )
                )
        return reports

    def sync_account(
        self,
        account: Account,
        progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> SyncReport:
        """Mentions -> conversations -> refresh open threads -> outbox, for one account."""
        cancel = cancel or threading.Event()
        started = self._clock()
        tally = Tally(started)
        complete = True

        def step(name: SyncStep, done: int = 0, total: int = 0) -> None:
            if progress is not None:
                progress(account, name, done, total)

        client: NetworkClient | None = None
        error: ShopkeepError | None = None
        try:
            step(SyncStep.CONNECT)
            client = self._clients(account)
            with self._store.sync_lock(account.id) as ours:
                if ours:
                    complete = self._pull(account, client, tally, step, cancel)
                else:  # another laptop of the team is pulling this account right now
                    log.info("another Shopkeep is syncing account %s; sending only", account.id)
                    complete = False
        except SyncCancelled:
            return self._finish(account, self._report(account, started, tally, cancelled=True))
        except ShopkeepError as exc:
            error = exc
            log.warning("sync of account %s stopped: %s", account.id, type(exc).__name__)
        try:
            tally.waiting = self._store.job_count(account.id, CONVERSATION)
            tally.reaches_back = self._store.oldest_mention(account.id)
        except ShopkeepError:
            log.warning("could not count the sync work left for account %s", account.id)
        sent = failed = waiting = 0
        if (
            client is not None
            and self._outbox is not None
            and not isinstance(error, AuthError | ServerUnreachable | RateLimited)
        ):
            step(SyncStep.OUTBOX)
            result = self._outbox.send_pending(account, client, cancel)
            sent, failed, waiting = len(result.sent), len(result.failed), result.waiting
            tally.updated += [t for t in result.updated_thread_ids if t not in tally.updated]
            error = error or result.error
        step(SyncStep.DONE, 1, 1)
        return self._finish(
            account,
            self._report(
                account,
                started,
                tally,
                error=error,
                complete=complete,
                sent=sent,
                failed=failed,
                waiting=waiting,
                cancelled=cancel.is_set(),
            ),
        )

    def refresh_one(self, account: Account, thread_id: int) -> IngestResult:
        """Re-read one conversation now (the owner opened it); errors are the caller's."""
        tally = Tally(self._clock())
        posts = self._store.thread_posts(thread_id)
        if posts:
            client = self._clients(account)
            self._refresh_thread(account, client, thread_id, posts, tally, threading.Event())
        return IngestResult(
            tally.new_posts, tuple(tally.new_threads), tuple(tally.updated), tuple(tally.negative)
        )

    # ---- steps

    def _pull(
        self,
        account: Account,
        client: NetworkClient,
        tally: Tally,
        step: Callable[[SyncStep, int, int], None],
        cancel: threading.Event,
    ) -> bool:
        """Left-over conversations, new mentions, their conversations, then the refresh."""
        self._drain(account, client, tally, step, cancel)  # what an earlier sync left
        step(SyncStep.MENTIONS, 0, 0)
        cursor = self._store.cursor(account.id, MENTIONS_CURSOR)
        batch = self._with_rate_limit(
            lambda: client.mentions(cursor, max_items=self.max_mentions), cancel
        )
        tally.unreadable_posts += batch.skipped
        mentions = sorted(batch.posts, key=lambda p: p.created_at)
        cursors: dict[str, str | None] = {}
        if batch.cursor and batch.cursor != cursor:
            cursors[MENTIONS_CURSOR] = batch.cursor
        history_done = True
        if cursor is None and batch.older:  # a first sync stopped by the count
            cursors[HISTORY_CURSOR], history_done = batch.older, False
        self._store_mentions(account, mentions, cursors, tally)
        step(SyncStep.MENTIONS, len(mentions), len(mentions))
        if cursor is not None:
            history_done = self._older_mentions(account, client, tally, cancel)
        self._drain(account, client, tally, step, cancel)
        self._refresh(account, client, tally, step, cancel)
        return batch.complete and history_done

    def _store_mentions(
        self,
        account: Account,
        mentions: Sequence[Post],
        cursors: dict[str, str | None],
        tally: Tally,
    ) -> None:
        """The page, its cursors and its conversations to fetch, in one transaction."""
        if not (mentions or cursors):
            return
        tally.sent.update((p.remote_id, p) for p in mentions)
        mentions, whole = self._whole_already(account, mentions)
        jobs = [
            p.remote_id
            for p in mentions
            if p.remote_id and not p.deleted and p.remote_id not in whole
        ]
        result = self._store.store_mentions(
            account.id, mentions, self._score, cursors=cursors, jobs=(CONVERSATION, jobs)
        )
        tally.add(result)
        lone = self._lone_threads(account, mentions)
        if lone:  # read just now, whole: the refresh comes back to them in turn, not first
            self._store.store_fetched(
                account.id,
                [],
                self._score,
                done=(CONVERSATION, ()),
                checked=lone,
                when=self._clock(),
            )

    def _lone_threads(self, account: Account, mentions: Sequence[Post]) -> list[int]:
        """Threads of posts that open a conversation nobody answered yet."""
        ids: list[int] = []
        for post in mentions:
            if post.root_remote_id == post.remote_id and post.replies_count == 0:
                stored = self._store.stored_post(account.id, post.remote_id)
                if stored is not None and stored.thread_id not in ids:
                    ids.append(stored.thread_id)
        return ids

    def _whole_already(
        self, account: Account, mentions: Sequence[Post]
    ) -> tuple[list[Post], set[str]]:
        """The mentions, with their root where no conversation fetch is needed, and the ids
        of those.

        A post the server counts no replies under is its whole conversation when it
        opens one (no parent), and when its parent is already stored (the thread is
        known) or comes in this page with replies to fetch. Each saves a request; the
        refresh re-reads their threads later like any other open thread.
        """
        in_page = {p.remote_id: p for p in mentions if not p.deleted}
        out: list[Post] = []
        whole: set[str] = set()
        for post in mentions:
            if post.replies_count != 0 or post.deleted or not post.remote_id:
                out.append(post)
                continue
            parent_id = post.parent_remote_id
            if parent_id is None:
                out.append(replace(post, root_remote_id=post.remote_id))
                whole.add(post.remote_id)
                continue
            parent = in_page.get(parent_id)
            if parent is not None and parent.replies_count != 0:
                out.append(post)  # its parent's fetch brings it with the rest
                continue
            joined = self._under_stored(account, post)
            out.append(joined or post)
            if joined is not None:
                whole.add(post.remote_id)
        return out, whole

    def _under_stored(self, account: Account, post: Post) -> Post | None:
        """`post` (no replies, a parent) with its root, when its parent is stored already."""
        if post.replies_count != 0 or not post.parent_remote_id:
            return None
        stored = self._store.stored_post(account.id, post.parent_remote_id)
        if stored is None or stored.post.deleted:
            return None
        return replace(post, root_remote_id=stored.post.root_remote_id or stored.post.remote_id)

    def _older_mentions(
        self, account: Account, client: NetworkClient, tally: Tally, cancel: threading.Event
    ) -> bool:
        """After a first sync stopped by the count: the next older chunk, one per sync,
        back to `history_days`. True once the history is complete."""
        before = self._store.cursor(account.id, HISTORY_CURSOR)
        walk = getattr(client, "older_mentions", None)
        if not before or walk is None:
            return True
        batch = self._with_rate_limit(
            lambda: walk(before, max_items=self.max_mentions, days=self.history_days), cancel
        )
        mentions = sorted(batch.posts, key=lambda p: p.created_at)
        self._store_mentions(account, mentions, {HISTORY_CURSOR: batch.older}, tally)
        return batch.older is None

    def _drain(
        self,
        account: Account,
        client: NetworkClient,
        tally: Tally,
        step: Callable[[SyncStep, int, int], None],
        cancel: threading.Event,
    ) -> None:
        """Fetch the conversations still to fetch within the budget: complaints and the
        newest first, a few at a time (app.core.in_flight), each stored as it comes back.

        Whatever stops the drain (a 503, a long rate limit, a full disk, Cancel) stops new
        fetches; the ones on the wire are waited for and stored.
        """
        left = self.thread_budget - tally.fetched
        jobs = (
            self._store.due_jobs(account.id, CONVERSATION, self._clock(), left) if left > 0 else []
        )
        if not jobs:
            return
        todo = self._plan(account, jobs, tally)
        plan_threads = getattr(client, "plan_threads", None)
        if callable(plan_threads):  # a client that fetches ahead does it in our order
            plan_threads([stored.post for _, stored in todo])
        running: dict[int, tuple[SyncJob, StoredPost]] = {}

        def start_more(flight: InFlight[int, list[Post]]) -> bool:
            self._check(cancel)
            return self._start_jobs(account, client, todo, flight, running, tally, cancel)

        def finish(job_id: int, future: Future[list[Post]]) -> None:
            job, stored = running.pop(job_id)
            self._count_unreadable(client, tally)
            try:
                posts = future.result()
            except (BadResponse, ServerError) as exc:
                self._job_failed(job, exc, tally)
                if isinstance(exc, ServerError):
                    raise  # the server is in trouble: the rest waits for the next sync
                return
            self._store_conversation(account, job, stored, posts, tally)

        run_in_flight(
            self._width(client),
            "conversation",
            start_more,
            finish,
            lambda in_flight: step(SyncStep.THREADS, len(jobs) - len(todo) - in_flight, len(jobs)),
        )
        step(SyncStep.THREADS, len(jobs), len(jobs))

    @staticmethod
    def _width(client: NetworkClient) -> int:
        """How many requests the client may have in flight at once (1: one at a time)."""
        return max(1, int(getattr(client, "in_flight", 1)))

    def _plan(
        self, account: Account, jobs: Sequence[SyncJob], tally: Tally
    ) -> list[tuple[SyncJob, StoredPost]]:
        """The jobs to run with their stored posts, complaints and the newest first. A job
        whose post was never stored (deleted before it was) is finished here."""
        todo: list[tuple[SyncJob, StoredPost]] = []
        for job in jobs:
            if job.remote_id in tally.seen or job.id in tally.tried:
                continue  # came with a conversation fetched before it, or failed already
            stored = self._store.stored_post(account.id, job.remote_id)
            if stored is None:
                tally.tried.add(job.id)
                self._store.store_fetched(
                    account.id,
                    [],
                    self._score,
                    done=(CONVERSATION, [job.remote_id]),
                    when=self._clock(),
                )
                continue
            todo.append((job, stored))
        todo.sort(key=lambda pair: priority(pair[1], pair[0].id))
        return todo

    def _start_jobs(
        self,
        account: Account,
        client: NetworkClient,
        todo: list[tuple[SyncJob, StoredPost]],
        flight: InFlight[int, list[Post]],
        running: dict[int, tuple[SyncJob, StoredPost]],
        tally: Tally,
        cancel: threading.Event,
    ) -> bool:
        """Start the first jobs of `todo` that may run beside those in flight, while there
        is room. False: the rate limit's reserve is reached; the rest waits for the next sync.
        """
        while flight.has_room():
            todo[:] = [pair for pair in todo if pair[0].remote_id not in tally.seen]
            busy = [self._as_sent(stored, tally) for _, stored in running.values()]
            at = next(
                (
                    i
                    for i, (_, stored) in enumerate(todo)
                    if not any(may_overlap(self._as_sent(stored, tally), b) for b in busy)
                ),
                None,
            )
            if at is None:
                return True  # each one left waits for a fetch that may bring it
            job, stored = todo[at]
            sent = tally.sent.get(job.remote_id)
            joined = self._under_stored(account, sent) if sent is not None else None
            if joined is not None:  # a conversation fetched before it brought its parent
                del todo[at]
                tally.tried.add(job.id)
                tally.seen.add(job.remote_id)
                tally.add(
                    self._store.store_fetched(
                        account.id,
                        [joined],
                        self._score,
                        done=(CONVERSATION, [job.remote_id]),
                        checked=[stored.thread_id],
                        when=self._clock(),
                    )
                )
                continue
            if not self._has_room(client, len(flight)):
                if len(flight):
                    return True  # their answers say how much is left
                if not self._keep_reserve(client, cancel):
                    return False
            del todo[at]
            tally.tried.add(job.id)
            tally.fetched += 1
            running[job.id] = (job, stored)
            flight.start(job.id, partial(self._fetch, client, stored.post, cancel))
        return True

    @staticmethod
    def _as_sent(stored: StoredPost, tally: Tally) -> Post:
        """The post as this sync's mentions carried it (with its reply count), else stored."""
        return tally.sent.get(stored.post.remote_id, stored.post)

    def _job_failed(self, job: SyncJob, exc: BadResponse | ServerError, tally: Tally) -> None:
        """A conversation that failed backs off (app.core.sync_work.retry_at)."""
        attempts = job.attempts + 1
        self._store.job_failed(job.id, exc.user_message, retry_at(attempts, self._clock()))
        log.warning(
            "conversation of %s failed (%d times): %s",
            job.remote_id,
            attempts,
            type(exc).__name__,
        )
        if not isinstance(exc, ServerError):
            tally.unreadable += 1

    def _store_conversation(
        self,
        account: Account,
        job: SyncJob,
        stored: StoredPost,
        posts: Sequence[Post],
        tally: Tally,
    ) -> None:
        """One fetched conversation, stored with every job it finishes."""
        ids = {p.remote_id for p in posts} | {job.remote_id}
        tally.seen |= ids
        tally.add(
            self._store.store_fetched(
                account.id,
                posts,
                self._score,
                done=(CONVERSATION, ids),
                checked=[stored.thread_id],
                when=self._clock(),
            )
        )

    def _fetch(self, client: NetworkClient, post: Post, cancel: threading.Event) -> list[Post]:
        """The conversation around `post`; a deleted post comes back alone, marked deleted.
        Runs on a fetching thread: it touches the client only, never the store or the tally."""
        try:
            return self._with_rate_limit(lambda: client.thread(post), cancel)
        except NotFound:
            log.info("conversation of %s is gone", post.remote_id)
            return [replace(post, deleted=True, unavailable=Unavailable.NOT_FOUND)]

    @staticmethod
    def _count_unreadable(client: NetworkClient, tally: Tally) -> None:
        """Posts of conversations the client could not read: left out, and counted."""
        take = getattr(client, "take_unreadable", None)
        if callable(take):
            tally.unreadable_posts += int(take())

    def _refresh(
        self,
        account: Account,
        client: NetworkClient,
        tally: Tally,
        step: Callable[[SyncStep, int, int], None],
        cancel: threading.Event,
    ) -> None:
        """Re-read the open threads checked longest ago (never-checked first), a few a sync.

        With N open threads each one is re-read at least every N / refresh_limit syncs:
        replies without a mention, edits and deletions in older threads all arrive.
        """
        limit = self._refresh_budget(client)
        if limit <= 0:
            return
        thread_ids = self._store.threads_to_refresh(account.id, limit, tally.started)
        todo = list(thread_ids)

        def start_more(flight: InFlight[int, dict[str, Post]]) -> bool:
            while flight.has_room() and todo:
                self._check(cancel)
                posts = self._store.thread_posts(todo[0])
                if any(sp.post.remote_id in tally.seen for sp in posts):
                    del todo[0]
                    continue  # re-read a moment ago (merged into a thread fetched this sync)
                if not self._has_room(client, len(flight)):
                    if len(flight):
                        return True  # their answers say how much is left
                    if not self._keep_reserve(client, cancel):
                        return False
                flight.start(todo.pop(0), partial(self._reread, client, posts, cancel))
            return True

        def finish(thread_id: int, future: Future[dict[str, Post]]) -> None:
            self._count_unreadable(client, tally)
            try:
                fetched = future.result()
            except (BadResponse, ServerError) as exc:
                # To the back of the queue, or one bad thread would fail every sync first.
                self._store.store_fetched(
                    account.id,
                    [],
                    self._score,
                    done=(CONVERSATION, ()),
                    checked=[thread_id],
                    when=self._clock(),
                )
                log.warning("refresh of thread %s failed: %s", thread_id, type(exc).__name__)
                if isinstance(exc, ServerError):
                    raise
                tally.unreadable += 1
            else:
                self._store_reread(account, thread_id, fetched, tally)
            tally.refreshed += 1

        run_in_flight(
            self._width(client),
            "refresh",
            start_more,
            finish,
            lambda in_flight: step(
                SyncStep.REFRESH, len(thread_ids) - len(todo) - in_flight, len(thread_ids)
            ),
        )
        step(SyncStep.REFRESH, len(thread_ids), len(thread_ids))

    def _refresh_budget(self, client: NetworkClient) -> int:
        """refresh_limit threads, fewer when the server's rate limit runs low (2 requests a
        thread, RATE_RESERVE kept for replies and the next sync)."""
        left = getattr(client, "requests_left", None)
        allowed: int | None = left() if callable(left) else None
        if allowed is None:
            return self.refresh_limit
        return min(self.refresh_limit, max(0, (allowed - RATE_RESERVE) // 2))

    def _refresh_thread(
        self,
        account: Account,
        client: NetworkClient,
        thread_id: int,
        posts: Sequence[StoredPost],
        tally: Tally,
        cancel: threading.Event,
    ) -> None:
        """Re-read an open conversation from its oldest post that still exists.

        A deleted post comes back alone (a placeholder or NotFound), without the
        replies under it; so when the opening post is gone, the next oldest one
        anchors the fetch instead, or new replies in that conversation never arrive.
        A stored reply under the anchor that the answer left out may have been deleted:
        the client is asked about those (`gone`) before they are marked deleted.
        A post hidden by a block anchors last, so it is readable again once the block
        is lifted even when nothing else in its conversation is.
        """
        fetched = self._reread(client, posts, cancel)
        self._count_unreadable(client, tally)
        self._store_reread(account, thread_id, fetched, tally)

    def _reread(
        self, client: NetworkClient, posts: Sequence[StoredPost], cancel: threading.Event
    ) -> dict[str, Post]:
        """The network half of `_refresh_thread` (it may run on a fetching thread)."""
        alive = sorted((sp.post for sp in posts if not sp.post.deleted), key=lambda p: p.created_at)
        # a post hidden by a block returns once it is lifted: asked after the readable ones
        hidden = sorted((sp.post for sp in posts if sp.post.blocked), key=lambda p: p.created_at)
        fetched: dict[str, Post] = {}
        for anchor in (alive + hidden)[:REFRESH_ANCHORS]:
            for post in self._fetch(client, anchor, cancel):
                fetched[post.remote_id] = post
            found = fetched.get(anchor.remote_id)
            if found is not None and not found.deleted:
                for gone in self._deleted(client, _missing_replies(anchor, alive, fetched), cancel):
                    fetched[gone.remote_id] = replace(gone, deleted=True)
                break
        return fetched

    def _store_reread(
        self, account: Account, thread_id: int, fetched: dict[str, Post], tally: Tally
    ) -> None:
        """A re-read conversation, stored; the thread counts as checked now."""
        tally.seen |= set(fetched)
        tally.add(
            self._store.store_fetched(
                account.id,
                list(fetched.values()),
                self._score,
                done=(CONVERSATION, fetched.keys()),
                checked=[thread_id],
                when=self._clock(),
            )
        )

    def _deleted(
        self, client: NetworkClient, missing: list[Post], cancel: threading.Event
    ) -> list[Post]:
        """Of the stored replies a refresh no longer saw, those the server says are deleted.

        Asked, not assumed: a server may trim a long context or a deep thread. At most
        GONE_CHECKS a thread per sync; the others are asked about on a later refresh.
        """
        ask = getattr(client, "gone", None)
        if not missing or ask is None:
            return []
        asked = missing[:GONE_CHECKS]
        gone = self._with_rate_limit(lambda: ask([p.remote_id for p in asked]), cancel)
        return [p for p in asked if p.remote_id in gone]

    @staticmethod
    def _has_room(client: NetworkClient, in_flight: int) -> bool:
        """Whether one more fetch, beside `in_flight` ones not yet answered, leaves JOB_RESERVE
        of the server's rate limit (counted as if each took FETCH_COST requests)."""
        left = getattr(client, "requests_left", None)
        allowed = left() if callable(left) else None
        return allowed is None or allowed - FETCH_COST * (in_flight + 1) >= JOB_RESERVE

    def _keep_reserve(self, client: NetworkClient, cancel: threading.Event) -> bool:
        """Before a fetch: when it would eat into JOB_RESERVE, wait for the server's rate
        limit to start afresh (cancellable), so a sync never runs into a 429 and the
        owner's replies always go out. False: the wait is too long, fetch no more now."""
        left, reset = getattr(client, "requests_left", None), getattr(client, "reset_in", None)
        allowed = left() if callable(left) else None
        if allowed is None or allowed - FETCH_COST >= JOB_RESERVE or not callable(reset):
            return True
        wait = reset()
        if wait is None or wait <= 0:
            return True  # the window has started afresh since the server last said
        if wait > self.max_rate_wait:
            log.info("%d requests left, kept for replies; the rest waits %.0f s", allowed, wait)
            return False
        log.info(
            "%d requests left; waiting %.0f s for the rate limit to start afresh", allowed, wait
        )
        if cancel.wait(wait):
            raise SyncCancelled("cancelled while waiting for the rate limit")
        return True

    def _with_rate_limit(self, call: Callable[[], T], cancel: threading.Event) -> T:
        """Wait out a short RateLimited once (cancellable); a long one stops this account."""
        try:
            return call()
        except RateLimited as exc:
            if exc.retry_after > self.max_rate_wait:
                raise
            log.info("rate limited; waiting %.0f s", exc.retry_after)
            if cancel.wait(exc.retry_after):
                raise SyncCancelled("cancelled while waiting out a rate limit") from exc
            return call()

    @staticmethod
    def _check(cancel: threading.Event) -> None:
        if cancel.is_set():
            raise SyncCancelled("cancelled")

    # ---- reports

    def _finish(self, account: Account, report: SyncReport) -> SyncReport:
        """Save the account's state (connected / needs sign-in / unreachable) and return."""
        try:
            self._store.update_account(
                account.id, state=report.account_state, last_error=report.error_message
            )
        except ShopkeepError:
            log.warning("could not save the state of account %s", account.id)
        return report

    def _report(
        self,
        account: Account,
        started: datetime,
        tally: Tally,
        *,
        error: ShopkeepError | None = None,
        complete: bool = True,
        cancelled: bool = False,
        sent: int = 0,
        failed: int = 0,
        waiting: int = 0,
    ) -> SyncReport:
        state = AccountState.CONNECTED
        if isinstance(error, AuthError):
            state = AccountState.NEEDS_SIGN_IN
        elif isinstance(error, ServerUnreachable):
            state = AccountState.UNREACHABLE
        message = error.user_message if error is not None else ""
        if isinstance(error, RateLimited):
            minutes = max(1, round(error.retry_after / 60))
            message = (
                f"The server asked Shopkeep to slow down; it will try again in about "
                f"{minutes} minute{'s' if minutes != 1 else ''}."
            )
        return SyncReport(
            account_id=account.id,
            account_label=account_label(account),
            started_at=started,
            finished_at=self._clock(),
            new_posts=tally.new_posts,
            new_thread_ids=tuple(tally.new_threads),
            updated_thread_ids=tuple(tally.updated),
            new_negative_post_ids=tuple(tally.negative),
            sent_items=sent,
            failed_items=failed,
            waiting_items=waiting,
            conversations_waiting=tally.waiting,
            unreadable_conversations=tally.unreadable,
            refreshed_threads=tally.refreshed,
            reaches_back=tally.reaches_back,
            complete=complete and not cancelled,
            cancelled=cancelled,
            unreadable_posts=tally.unreadable_posts,
            error=error,
            error_message=message,
            account_state=state,
        )
