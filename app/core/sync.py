"""The headless sync: pull mentions, their conversations, then push the outbox.

Used by the GUI's task runner and by `python -m app sync`. Both networks go
through one code path (`store.ingest`). The mention cursor is saved only after
the mentions it covers are stored, so a crash can repeat work but never skip a
mention. One account failing (revoked token, server down) never stops the
others; each gets a `SyncReport` with a sentence the owner can read.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Protocol, TypeVar
from urllib.parse import urlsplit

from app.core.errors import AuthError, NotFound, RateLimited, ServerUnreachable, ShopkeepError
from app.core.models import (
    Account,
    AccountState,
    Folder,
    IngestResult,
    Network,
    Post,
    Sentiment,
    StoredPost,
    ThreadRow,
)
from app.core.outbox import OutboxSender
from app.core.ports import NetworkClient, Scorer, ThreadQuery

log = logging.getLogger(__name__)

MENTIONS_CURSOR = "mentions"
REFRESH_ANCHORS = 3  # posts tried per open conversation when the oldest ones were deleted
MAX_SCORED_CHARS = 3000  # Bluesky's byte limit; far above Mastodon's usual 500 characters
T = TypeVar("T")


def bounded_scorer(score: Scorer, limit: int = MAX_SCORED_CHARS) -> Scorer:
    """`score` on at most the first `limit` characters of a post.

    The scorer's cost grows faster than the text (a 100,000-character post took
    80 s), so a hostile server could stall the sync with one long post.
    """

    def scored(text: str) -> Sentiment:
        return score(text[:limit] if len(text) > limit else text)

    scored.__wrapped__ = score  # type: ignore[attr-defined]
    return scored


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

    def set_cursor(self, account_id: int, value: str | None,
                   name: str = MENTIONS_CURSOR) -> None: ...

    def ingest(self, account_id: int, posts: Sequence[Post], score: Scorer) -> IngestResult: ...

    def list_threads(
        self, query: ThreadQuery, offset: int, limit: int, *, after: ThreadRow | None = None
    ) -> list[ThreadRow]:
        """A page; with `after` (the previous page's last row) the page after it."""
        ...

    def thread_posts(self, thread_id: int) -> list[StoredPost]: ...

    def update_account(self, account_id: int, *, state: AccountState | None = None,
                       last_error: str | None = None) -> Account: ...


class SyncCancelled(ShopkeepError):
    user_message = "Sync was stopped."


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What one account's sync did, for the status bar and the CLI."""

    account_id: int
    account_label: str  # "@shop@example.social (Mastodon)": safe to show
    started_at: datetime
    finished_at: datetime
    new_posts: int = 0
    new_thread_ids: tuple[int, ...] = ()
    updated_thread_ids: tuple[int, ...] = ()
    new_negative_post_ids: tuple[int, ...] = ()
    sent_items: int = 0
    failed_items: int = 0
    waiting_items: int = 0
    complete: bool = True  # False when a bound or a stop left older mentions for next time
    unreadable_posts: int = 0  # items the server sent that could not be read (skipped)
    cancelled: bool = False
    error: ShopkeepError | None = field(default=None, compare=False)
    error_message: str = ""  # the plain sentence; "" when all went well
    account_state: AccountState = AccountState.CONNECTED

    @property
    def ok(self) -> bool:
        return self.error is None and not self.cancelled


def account_label(account: Account) -> str:
    """'@shop@example.social (Mastodon)': the full address, so two shops never look alike."""
    handle = account.address  # @shop@example.com, as stored at sign-in
    if account.network is Network.MASTODON and handle.lstrip("@").count("@") == 0:
        host = urlsplit(account.server).netloc or account.server
        handle = f"@{handle.lstrip('@')}@{host}"
    return f"{handle} ({account.network.value.capitalize()})"


class _Tally:
    """Mutable totals while one account syncs; frozen into a SyncReport at the end."""

    def __init__(self) -> None:
        self.new_posts = 0
        self.new_threads: list[int] = []
        self.updated: list[int] = []
        self.negative: list[int] = []
        self.unreadable = 0

    def add(self, result: IngestResult) -> None:
        self.new_posts += result.new_posts
        self.new_threads += [t for t in result.new_thread_ids if t not in self.new_threads]
        self.updated += [t for t in result.updated_thread_ids
                         if t not in self.updated and t not in self.new_threads]
        self.negative += list(result.new_negative_post_ids)
        gone = set(result.removed_thread_ids)  # merged into another thread by a late parent
        self.new_threads = [t for t in self.new_threads if t not in gone]
        self.updated = [t for t in self.updated if t not in gone]


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
        refresh_limit: int = 20,
        refresh_window: timedelta = timedelta(days=14),
        max_rate_wait: float = 30.0,
    ) -> None:
        self._store = store
        self._clients = clients_for_account
        self._score = bounded_scorer(score)
        self._clock = clock
        self._outbox = outbox
        self.max_mentions = max_mentions
        self.refresh_limit = refresh_limit
        self.refresh_window = refresh_window
        self.max_rate_wait = max_rate_wait

    # ---- public

    def sync_all(self, accounts: Sequence[Account], progress: ProgressCallback | None = None,
                 cancel: threading.Event | None = None) -> list[SyncReport]:
        """Sync every (non-demo) account; a failure in one is reported, never raised."""
        reports: list[SyncReport] = []
        for account in accounts:
            if account.is_demo:
                continue
            started = self._clock()
            if cancel is not None and cancel.is_set():
                reports.append(self._report(account, started, _Tally(), cancelled=True))
                continue
            try:
                reports.append(self.sync_account(account, progress, cancel))
            except Exception as exc:  # a bug: log it with the traceback, keep going
                log.exception("sync of account %s crashed", account.id)
                reports.append(self._report(
                    account, started, _Tally(), error=ShopkeepError(repr(exc), user_message=(
                        "Shopkeep hit an unexpected problem while syncing this account. "
                        "The details are in the log file."))))
        return reports

    def sync_account(self, account: Account, progress: ProgressCallback | None = None,
                     cancel: threading.Event | None = None) -> SyncReport:
        """Mentions -> conversations -> refresh open threads -> outbox, for one account."""
        cancel = cancel or threading.Event()
        started = self._clock()
        tally = _Tally()
        complete = True

        def step(name: SyncStep, done: int = 0, total: int = 0) -> None:
            if progress is not None:
                progress(account, name, done, total)

        client: NetworkClient | None = None
        error: ShopkeepError | None = None
        try:
            step(SyncStep.CONNECT)
            client = self._clients(account)
            complete = self._pull(account, client, tally, step, cancel)
        except SyncCancelled:
            return self._finish(account, self._report(account, started, tally, cancelled=True))
        except ShopkeepError as exc:
            error = exc
            log.warning("sync of account %s stopped: %s", account.id, type(exc).__name__)
        sent = failed = waiting = 0
        if client is not None and self._outbox is not None and not isinstance(
            error, AuthError | ServerUnreachable | RateLimited
        ):
            step(SyncStep.OUTBOX)
            result = self._outbox.send_pending(account, client, cancel)
            sent, failed, waiting = len(result.sent), len(result.failed), result.waiting
            tally.updated += [t for t in result.updated_thread_ids if t not in tally.updated]
            error = error or result.error
        step(SyncStep.DONE, 1, 1)
        return self._finish(account, self._report(
            account, started, tally, error=error, complete=complete, sent=sent,
            failed=failed, waiting=waiting, cancelled=cancel.is_set()))

    # ---- steps

    def _pull(self, account: Account, client: NetworkClient, tally: _Tally,
              step: Callable[[SyncStep, int, int], None], cancel: threading.Event) -> bool:
        step(SyncStep.MENTIONS, 0, 0)
        cursor = self._store.cursor(account.id, MENTIONS_CURSOR)
        batch = self._with_rate_limit(
            lambda: client.mentions(cursor, max_items=self.max_mentions), cancel)
        tally.unreadable += batch.skipped
        mentions = sorted(batch.posts, key=lambda p: p.created_at)
        if mentions:
            tally.add(self._store.ingest(account.id, mentions, self._score))
        if batch.cursor and batch.cursor != cursor:
            self._store.set_cursor(account.id, batch.cursor, MENTIONS_CURSOR)  # after ingest
        step(SyncStep.MENTIONS, len(mentions), len(mentions))

        seen: set[str] = set()  # remote ids already fetched as part of some conversation
        todo = [p for p in mentions if p.remote_id]
        for done, post in enumerate(todo):
            step(SyncStep.THREADS, done, len(todo))
            self._check(cancel)
            if post.remote_id in seen:
                continue
            seen.update(self._fetch_thread(account, client, post, tally, cancel)[0])
        step(SyncStep.THREADS, len(todo), len(todo))

        open_threads = self._threads_to_refresh(account)
        for done, row in enumerate(open_threads):
            step(SyncStep.REFRESH, done, len(open_threads))
            self._check(cancel)
            posts = self._store.thread_posts(row.id)
            if not posts or any(sp.post.remote_id in seen for sp in posts):
                continue
            seen.update(self._refresh_thread(account, client, posts, tally, cancel))
        step(SyncStep.REFRESH, len(open_threads), len(open_threads))
        return batch.complete

    def _fetch_thread(self, account: Account, client: NetworkClient, post: Post,
                      tally: _Tally, cancel: threading.Event) -> tuple[set[str], bool]:
        """Fetch and store one conversation: (remote ids seen, whether `post` still exists).

        A deleted post is skipped, not an error.
        """
        try:
            posts = self._with_rate_limit(lambda: client.thread(post), cancel)
        except NotFound:
            log.info("conversation of %s is gone; skipping", post.remote_id)
            return {post.remote_id}, False
        if posts:
            tally.add(self._store.ingest(account.id, posts, self._score))
        alive = any(p.remote_id == post.remote_id and not p.deleted for p in posts)
        return {p.remote_id for p in posts} | {post.remote_id}, alive

    def _refresh_thread(self, account: Account, client: NetworkClient,
                        posts: Sequence[StoredPost], tally: _Tally,
                        cancel: threading.Event) -> set[str]:
        """Re-read an open conversation from its oldest post that still exists.

        A deleted post comes back alone (a placeholder or NotFound), without the
        replies under it; so when the opening post is gone, the next oldest one
        anchors the fetch instead, or new replies in that conversation never arrive.
        """
        alive = sorted((sp.post for sp in posts if not sp.post.deleted),
                       key=lambda p: p.created_at)
        seen: set[str] = set()
        for anchor in alive[:REFRESH_ANCHORS]:
            fetched, found = self._fetch_thread(account, client, anchor, tally, cancel)
            seen |= fetched
            if found:
                break
        return seen

    def _threads_to_refresh(self, account: Account) -> list[ThreadRow]:
        """Recent conversations that still need a reply, newest first, bounded per sync."""
        if self.refresh_limit <= 0:
            return []
        since = self._clock() - self.refresh_window
        query = ThreadQuery(folder=Folder.NEEDS_REPLY, account_id=account.id, since=since)
        return self._store.list_threads(query, 0, self.refresh_limit)

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
            self._store.update_account(account.id, state=report.account_state,
                                       last_error=report.error_message)
        except ShopkeepError:
            log.warning("could not save the state of account %s", account.id)
        return report

    def _report(self, account: Account, started: datetime, tally: _Tally, *,
                error: ShopkeepError | None = None, complete: bool = True,
                cancelled: bool = False, sent: int = 0, failed: int = 0,
                waiting: int = 0) -> SyncReport:
        state = AccountState.CONNECTED
        if isinstance(error, AuthError):
            state = AccountState.NEEDS_SIGN_IN
        elif isinstance(error, ServerUnreachable):
            state = AccountState.UNREACHABLE
        message = error.user_message if error is not None else ""
        if isinstance(error, RateLimited):
            minutes = max(1, round(error.retry_after / 60))
            message = (f"The server asked Shopkeep to slow down; it will try again in about "
                       f"{minutes} minute{'s' if minutes != 1 else ''}.")
        return SyncReport(
            account_id=account.id, account_label=account_label(account),
            started_at=started, finished_at=self._clock(),
            new_posts=tally.new_posts, new_thread_ids=tuple(tally.new_threads),
            updated_thread_ids=tuple(tally.updated),
            new_negative_post_ids=tuple(tally.negative),
            sent_items=sent, failed_items=failed, waiting_items=waiting,
            complete=complete and not cancelled, cancelled=cancelled,
            unreadable_posts=tally.unreadable,
            error=error, error_message=message, account_state=state,
        )
