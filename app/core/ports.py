"""The interfaces the layers plug into. main.py hands concrete ones to the UI.

The UI depends only on these Protocols, never on `app.net` or `app.storage`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from app.core.models import (
    Account,
    AccountInfo,
    Folder,
    IngestResult,
    MentionBatch,
    Network,
    OutboxItem,
    OutboxState,
    Post,
    Sentiment,
    SentimentLabel,
    StoredPost,
    ThreadRow,
    ThreadStatus,
)

if TYPE_CHECKING:  # the reports code loads with the Reports window, not with every port
    from app.core.reports import Report, ReportRequest

Scorer = Callable[[str], Sentiment]


class NetworkClient(Protocol):
    """One connected account on one network. Every call may raise a NetworkError."""

    network: Network

    def verify(self) -> AccountInfo: ...

    def mentions(self, cursor: str | None, *, max_items: int = 2000) -> MentionBatch:
        """Every mention/reply/quote newer than `cursor` (all pages), oldest bound by max_items."""
        ...

    def thread(self, post: Post) -> list[Post]:
        """The whole conversation around `post`, the post included."""
        ...

    def reply(self, parent: Post, text: str, idempotency_key: str) -> Post:
        """Post `text` under `parent`; the same key never produces two posts."""
        ...

    def find_reply(
        self,
        parent: Post,
        text: str,
        idempotency_key: str,
        *,
        exclude: frozenset[str] = frozenset(),
        not_before: datetime | None = None,
    ) -> Post | None:
        """After an unclear failure: the reply if the server already has it.

        Never one of `exclude` (replies known before this one was queued) nor one
        made before `not_before`: an older reply with the same words is not ours.
        """
        ...

    def delete_post(self, remote_id: str) -> None:
        """Delete the shop's own post from the server (already gone counts as done).

        Replies may also take `private=True` (Mastodon: a direct reply to the
        parent's author alone); clients without that choice are never asked it.
        """
        ...

    def max_chars(self) -> int: ...

    def count_chars(self, text: str) -> int:
        """Length as this network counts it (graphemes; URLs as 23 on Mastodon)."""
        ...


@dataclass(frozen=True, slots=True)
class ThreadQuery:
    """What the thread list shows: a folder, narrowed by search and filters."""

    folder: Folder = Folder.ALL
    search: str = ""
    account_id: int | None = None
    network: Network | None = None
    label: SentimentLabel | None = None
    status: ThreadStatus | None = None
    since: datetime | None = None
    until: datetime | None = None
    sort: str = "activity"  # "activity" (newest first) or "sentiment" (angriest first)


class OutboxReader(Protocol):
    """Reading the shop's replies in the outbox (the window and the sender both do)."""

    def outbox_items(
        self,
        states: Iterable[OutboxState] | None = None,
        *,
        thread_id: int | None = None,
        account_id: int | None = None,
    ) -> list[OutboxItem]:
        """Oldest first: the order replies go out in."""
        ...


class InboxStore(OutboxReader, Protocol):
    """Reads and writes the UI needs. Implemented by app.storage over peewee."""

    def accounts(self) -> list[Account]: ...

    def list_threads(
        self, query: ThreadQuery, offset: int, limit: int, *, after: ThreadRow | None = None
    ) -> list[ThreadRow]:
        """A page; with `after` (the previous page's last row) the page after it."""
        ...

    def count_threads(self, query: ThreadQuery) -> int: ...

    def folder_counts(self) -> dict[Folder, int]: ...

    def thread(self, thread_id: int) -> ThreadRow | None: ...

    def threads(self, thread_ids: Iterable[int]) -> list[ThreadRow]: ...

    def thread_posts(self, thread_id: int) -> list[StoredPost]: ...
    def surviving_thread(self, thread_id: int) -> int:
        """The thread `thread_id` was merged into by a late parent post, or itself."""
        ...

    def mark_read(self, thread_id: int) -> None: ...

    def mark_unread(self, thread_id: int) -> None:
        """Mark the latest customer post unread again."""
        ...

    def correct_label(self, post_id: int, label: SentimentLabel | None) -> SentimentLabel | None:
        """The owner's label for a post (None: use the score again); returns the previous."""
        ...

    def unread_threads(self) -> int:
        """How many conversations have something unread (the window's title says it)."""
        ...

    def wake_snoozed(self, now: datetime | None = None) -> list[int]:
        """Snoozes due at `now` go back to needs-reply; returns those thread ids."""
        ...

    def set_status(
        self, thread_id: int, status: ThreadStatus, snoozed_until: datetime | None = None
    ) -> ThreadStatus:
        """Change a thread's status; returns the previous one so the UI can offer undo."""
        ...

    def ingest(self, account_id: int, posts: Sequence[Post], score: Scorer) -> IngestResult:
        """Store posts (scoring only new or edited ones) and update their threads."""
        ...

    def has_demo_data(self) -> bool: ...

    def backup_if_due(self, backup_dir: Path) -> Path | None:
        """The daily automatic backup; None when today's exists already."""
        ...

    def remove_demo_data(self) -> int: ...

    def report(self, request: ReportRequest) -> Report:
        """The Reports figures for one period (see ReportStore)."""
        ...


class ReportStore(Protocol):
    """What the Reports window reads: the figures, and the threads behind a bar."""

    def accounts(self) -> list[Account]: ...

    def threads(self, thread_ids: Iterable[int]) -> list[ThreadRow]: ...

    def report(self, request: ReportRequest) -> Report:
        """Every figure for one period and account (or all), computed by the database."""
        ...
