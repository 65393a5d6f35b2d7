"""What one account's sync did: the report the status bar and the CLI read, and the
running totals it is made from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from app.core.errors import ShopkeepError
from app.core.models import Account, AccountState, IngestResult, Network, Post


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
    conversations_waiting: int = 0  # written down, to be fetched by the next sync
    unreadable_conversations: int = 0  # the server's answer could not be read; retried later
    unreadable_posts: int = 0  # items in a page that could not be read (skipped, logged)
    refreshed_threads: int = 0  # open threads re-read this sync (oldest-checked first)
    reaches_back: datetime | None = None  # the oldest mention held: how far back the inbox goes
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


def reach_words(report: SyncReport) -> str:
    """'Inbox goes back to 5 Nov 2026', and whether older mentions are still coming."""
    if report.reaches_back is None:
        return ""
    when = report.reaches_back.astimezone()
    words = f"Inbox goes back to {when.day} {when:%b %Y}"
    if not report.complete and not report.cancelled and report.error is None:
        words += "; older mentions follow on the next syncs"
    return words


class Tally:
    """Mutable totals while one account syncs; frozen into a SyncReport at the end."""

    def __init__(self, started: datetime | None = None) -> None:
        self.started = started or datetime.now(UTC)
        self.seen: set[str] = set()  # remote ids fetched with some conversation this sync
        self.fetched = 0  # conversation jobs run (the per-sync budget)
        self.tried: set[int] = set()  # job ids run this sync: a failing one once per sync
        self.sent: dict[str, Post] = {}  # this sync's mentions as sent (with replies_count)
        self.refreshed = 0
        self.unreadable = 0  # conversations the server sent in a shape we could not read
        self.unreadable_posts = 0  # single items of a mentions page that could not be read
        self.waiting = 0  # conversation jobs left for the next sync
        self.reaches_back: datetime | None = None
        self.new_posts = 0
        self.new_threads: list[int] = []
        self.updated: list[int] = []
        self.negative: list[int] = []

    def add(self, result: IngestResult) -> None:
        self.new_posts += result.new_posts
        self.new_threads += [t for t in result.new_thread_ids if t not in self.new_threads]
        self.updated += [
            t
            for t in result.updated_thread_ids
            if t not in self.updated and t not in self.new_threads
        ]
        self.negative += list(result.new_negative_post_ids)
        gone = set(result.removed_thread_ids)  # merged into another thread by a late parent
        self.new_threads = [t for t in self.new_threads if t not in gone]
        self.updated = [t for t in self.updated if t not in gone]
