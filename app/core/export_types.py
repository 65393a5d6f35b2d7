"""What every export module shares: the formats, the error, the store it reads, the result,
the base of a format writer and the one timestamp format.

Free of storage and Qt: the store comes in as a parameter (`ExportStore`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import IO, Protocol, runtime_checkable

from app.core.errors import ShopkeepError
from app.core.models import Account, Contact, OutboxItem, OutboxState, StoredPost, ThreadRow
from app.core.ports import ThreadQuery

ProgressCallback = Callable[[int, int], None]
"""Called with (threads written, threads expected): at the start, after each page, at the end."""


class ExportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"


class ExportError(ShopkeepError):
    """The export could not be written; `user_message` says why in plain words."""

    user_message = "Shopkeep could not write the export."


class ExportStore(Protocol):
    """The reads an export needs (SqliteInboxStore has them all)."""

    def accounts(self) -> list[Account]: ...

    def list_threads(
        self, query: ThreadQuery, offset: int, limit: int, *, after: ThreadRow | None = None
    ) -> list[ThreadRow]:
        """A page; with `after` (the previous page's last row) the page after it."""
        ...

    def count_threads(self, query: ThreadQuery) -> int: ...

    def thread_posts(self, thread_id: int) -> list[StoredPost]: ...

    def outbox_items(
        self,
        states: Iterable[OutboxState] | None = None,
        *,
        thread_id: int | None = None,
        account_id: int | None = None,
    ) -> list[OutboxItem]: ...

    def contact_for_post(self, post_id: int) -> Contact | None: ...


@runtime_checkable
class PostsByThreadStore(Protocol):
    """Optional, on top of ExportStore: the posts of a whole page of threads in one read.

    When the store has it (SqliteInboxStore does), the export asks once per page
    instead of calling `thread_posts` once per thread. It must answer exactly
    what `thread_posts` would for each id (a thread without posts: []).
    """

    def posts_for_threads(self, thread_ids: Sequence[int]) -> dict[int, list[StoredPost]]: ...


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What was written. When `cancelled`, nothing was written and `path` is untouched."""

    path: Path
    format: ExportFormat
    threads: int
    posts: int
    cancelled: bool = False


def format_for(path: str | os.PathLike[str]) -> ExportFormat:
    """The format a file name asks for (.csv or .json), or a plain ExportError."""
    suffix = Path(path).suffix.lower().lstrip(".")
    try:
        return ExportFormat(suffix)
    except ValueError:
        raise ExportError(
            f"unknown export suffix {suffix!r}",
            user_message=f"Shopkeep exports to .csv or .json files; {Path(path).name} is neither.",
        ) from None


def iso(moment: datetime | None) -> str | None:
    """UTC ISO 8601 with a Z, e.g. 2024-05-01T09:30:00Z (naive times are taken as UTC)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class FormatWriter:
    """One output format: a header, one call per thread, a footer."""

    encoding = "utf-8"

    def __init__(self, out: IO[str], store: ExportStore, accounts: dict[int, Account]) -> None:
        self.out = out
        self.store = store
        self.accounts = accounts

    def begin(self, query: ThreadQuery, total: int) -> None: ...

    def thread(self, row: ThreadRow, posts: list[StoredPost]) -> None: ...

    def end(self, threads: int, posts: int) -> None: ...

    def account_label(self, account_id: int) -> str:
        account = self.accounts.get(account_id)
        return account.handle if account else str(account_id)
