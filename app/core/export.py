"""Export conversations to CSV (one row per post) or JSON (threads with replies and notes).

Why it looks like this:

* Streaming: threads are read a page at a time through `list_threads` and
  written as they come, so 100k posts never sit in memory at once.
* All or nothing: the file is written under a hidden temporary name next to
  the target and renamed at the end. A crash, a cancel or a full disk never
  leaves a half-written file under the name the user chose (an older file of
  that name is left as it was).
* Spreadsheet-safe CSV: UTF-8 with a BOM (so Excel reads accents and emoji),
  and text cells a spreadsheet would run as a formula get a leading apostrophe.

The store comes in as a parameter (`ExportStore`, satisfied by the SQLite
store), so this module stays free of storage and Qt and runs in the UI's
task runner or the `python -m app export` command alike.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import json
import os
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import IO, Any, Protocol

from app.core.errors import ShopkeepError
from app.core.models import (
    Account,
    Contact,
    Folder,
    OutboxItem,
    OutboxState,
    StoredPost,
    ThreadRow,
)
from app.core.ports import ThreadQuery

ProgressCallback = Callable[[int, int], None]
"""Called with (threads written, threads expected): at the start, after each page, at the end."""

PAGE_SIZE = 200
FORMAT_VERSION = 1

CSV_COLUMNS = (
    "thread_id",
    "account",
    "network",
    "thread_status",
    "posted_at",
    "author_handle",
    "author_name",
    "is_own",
    "sentiment",
    "compound",
    "text",
    "url",
    "deleted",
)

# A cell starting with one of these is run as a formula by Excel / LibreOffice / Sheets
# (tab and carriage return are on OWASP's list too: some importers strip them first).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ExportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"


class ExportError(ShopkeepError):
    """The export could not be written; `user_message` says why in plain words."""

    user_message = "Shopkeep could not write the export."


class ExportStore(Protocol):
    """The reads an export needs (SqliteInboxStore has them all)."""

    def accounts(self) -> list[Account]: ...

    def list_threads(self, query: ThreadQuery, offset: int, limit: int) -> list[ThreadRow]: ...

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


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What was written. When `cancelled`, nothing was written and `path` is untouched."""

    path: Path
    format: ExportFormat
    threads: int
    posts: int
    cancelled: bool = False


# ---------------------------------------------------------------- helpers


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


def neutralise_cell(value: str) -> str:
    """Make a text cell inert in a spreadsheet: '=HYPERLINK(..)' becomes "'=HYPERLINK(..)".

    Also strips NUL characters, which spreadsheet importers choke on.
    """
    value = value.replace("\x00", "")
    if value.startswith(FORMULA_STARTS) or value.lstrip().startswith(FORMULA_STARTS[:4]):
        return "'" + value
    return value


def iso(moment: datetime | None) -> str | None:
    """UTC ISO 8601 with a Z, e.g. 2024-05-01T09:30:00Z (naive times are taken as UTC)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def describe_query(query: ThreadQuery) -> dict[str, Any]:
    """The filters behind an export, so a JSON file says what it contains."""
    found: dict[str, Any] = {"folder": query.folder.value}
    if query.search.strip():
        found["search"] = query.search.strip()
    for name in ("account_id", "network", "label", "status"):
        value = getattr(query, name)
        if value is not None:
            found[name] = str(value) if not isinstance(value, int) else value
    if query.since is not None:
        found["since"] = iso(query.since)
    if query.until is not None:
        found["until"] = iso(query.until)
    return found


def plain_os_error(exc: OSError, path: Path) -> ExportError:
    """An OSError from writing the export, as one sentence a shop owner understands."""
    folder = path.parent
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        text = "The disk is full, so the export was not saved. Free some space or choose " \
               "another place."
    elif code in (errno.EACCES, errno.EPERM, errno.EROFS):
        text = (f"Shopkeep is not allowed to write to {folder}. Choose another folder "
                f"(or close {path.name} if another program has it open).")
    elif code == errno.ENOENT:
        text = f"The folder {folder} does not exist. Choose another folder."
    elif code == errno.ENOTDIR:
        text = f"{folder} is not a folder. Choose another place for the export."
    elif code == errno.EISDIR:
        text = f"{path} is a folder. Choose a file name for the export."
    else:
        text = f"Shopkeep could not write {path}: {exc.strerror or exc}."
    return ExportError(f"{type(exc).__name__}: {exc}", user_message=text)


def _iter_threads(
    store: ExportStore, query: ThreadQuery, page_size: int
) -> Iterator[list[ThreadRow]]:
    """Every thread of `query`, a page at a time, each thread once.

    A sync may move threads while we page; the seen set (ids only) keeps a thread
    that jumped to the top from being written twice.
    """
    seen: set[int] = set()
    offset = 0
    while True:
        page = store.list_threads(query, offset, page_size)
        if not page:
            return
        offset += len(page)
        fresh = [row for row in page if row.id not in seen]
        seen.update(row.id for row in fresh)
        yield fresh
        if len(page) < page_size:
            return


# ---------------------------------------------------------------- writers


class _Writer:
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


class _CsvWriter(_Writer):
    encoding = "utf-8-sig"  # the BOM tells Excel this is UTF-8

    def begin(self, query: ThreadQuery, total: int) -> None:
        self.csv = csv.writer(self.out, dialect="excel")
        self.csv.writerow(CSV_COLUMNS)

    def thread(self, row: ThreadRow, posts: list[StoredPost]) -> None:
        account = self.account_label(row.account_id)
        for stored in posts:
            post = stored.post
            cells: list[Any] = [
                row.id,
                account,
                row.network.value,
                row.status.value,
                iso(post.created_at) or "",
                post.author.handle,
                post.author.display_name,
                "yes" if stored.is_own else "no",
                stored.label.value,
                round(stored.sentiment.compound, 4),
                post.text,
                post.url,
                "yes" if post.deleted else "no",
            ]
            self.csv.writerow([neutralise_cell(c) if isinstance(c, str) else c for c in cells])


class _JsonWriter(_Writer):
    def begin(self, query: ThreadQuery, total: int) -> None:
        # Two small caches instead of a query per post / per thread: customers repeat
        # across threads, and the outbox (replies sent from Shopkeep) is small next to
        # the posts. Both are bounded by people and replies, never by posts.
        self.contacts: dict[tuple[str, str], dict[str, Any] | None] = {}
        self.outbox: dict[int, list[OutboxItem]] = {}
        for item in self.store.outbox_items():
            self.outbox.setdefault(item.thread_id, []).append(item)
        head = {
            "format": "shopkeep-export",
            "version": FORMAT_VERSION,
            "exported_at": iso(datetime.now(UTC)),
            "query": describe_query(query),
        }
        text = json.dumps(head, ensure_ascii=False, indent=2)
        self.out.write(text[:-2] + ',\n  "threads": [')  # drop "\n}" and open the list
        self.first = True

    def thread(self, row: ThreadRow, posts: list[StoredPost]) -> None:
        item = self.thread_json(row, posts)
        text = json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n    ")
        self.out.write(("\n    " if self.first else ",\n    ") + text)
        self.first = False

    def end(self, threads: int, posts: int) -> None:
        closing = "\n  ]" if not self.first else "]"
        self.out.write(f'{closing},\n  "thread_count": {threads},\n  "post_count": {posts}\n}}\n')

    def thread_json(self, row: ThreadRow, posts: list[StoredPost]) -> dict[str, Any]:
        account = self.accounts.get(row.account_id)
        return {
            "id": row.id,
            "account": {
                "id": row.account_id,
                "handle": account.handle if account else "",
                "name": account.display_name if account else "",
            },
            "network": row.network.value,
            "status": row.status.value,
            "snoozed_until": iso(row.snoozed_until),
            "last_activity": iso(row.last_activity),
            "worst_label": row.worst_label.value,
            "worst_compound": round(row.worst_compound, 4),
            "customers": self.customers(posts),
            "posts": [self.post_json(p) for p in posts],
            "replies": self.replies(row.id, posts),
        }

    @staticmethod
    def post_json(stored: StoredPost) -> dict[str, Any]:
        post = stored.post
        return {
            "id": stored.id,
            "remote_id": post.remote_id,
            "url": post.url,
            "created_at": iso(post.created_at),
            "edited_at": iso(post.edited_at),
            "parent_remote_id": post.parent_remote_id,
            "author": {"handle": post.author.handle, "name": post.author.display_name},
            "is_own": stored.is_own,
            "text": post.text,
            "content_warning": post.content_warning,
            "language": post.language,
            "visibility": post.visibility,
            "media": [{"label": m.label, "url": m.url} for m in post.media],
            "deleted": post.deleted,
            "sentiment": {
                "label": stored.label.value,
                "scored_label": stored.sentiment.label.value,
                "corrected_label": stored.corrected_label.value if stored.corrected_label
                else None,
                "compound": round(stored.sentiment.compound, 4),
                "reasons": list(stored.sentiment.reasons),
            },
        }

    def customers(self, posts: list[StoredPost]) -> list[dict[str, Any]]:
        """Everyone but the shop in this thread, with the private note kept about them."""
        found: dict[int, dict[str, Any]] = {}
        for stored in posts:
            if stored.is_own:
                continue
            author = stored.post.author
            key = (author.network.value, author.remote_id)
            if key not in self.contacts:
                self.contacts[key] = self.contact_json(self.store.contact_for_post(stored.id))
            customer = self.contacts[key]
            if customer is not None:
                found.setdefault(customer["contact_id"], customer)
        return list(found.values())

    @staticmethod
    def contact_json(contact: Contact | None) -> dict[str, Any] | None:
        if contact is None:
            return None
        return {
            "contact_id": contact.id,
            "network": contact.network.value,
            "handle": contact.handle,
            "name": contact.display_name,
            "note": contact.note,
            "person_id": contact.person_id,
        }

    def replies(self, thread_id: int, posts: list[StoredPost]) -> list[dict[str, Any]]:
        """The shop's answers: its own posts, plus outbox items (one entry per reply)."""
        result: list[dict[str, Any]] = []
        own_ids: set[str] = set()
        for stored in posts:
            if not stored.is_own:
                continue
            own_ids.add(stored.post.remote_id)
            result.append({
                "source": "post",
                "state": "deleted" if stored.post.deleted else OutboxState.SENT.value,
                "text": stored.post.text,
                "created_at": iso(stored.post.created_at),
                "sent_at": iso(stored.post.created_at),
                "remote_id": stored.post.remote_id,
                "url": stored.post.url,
                "in_reply_to": stored.post.parent_remote_id,
            })
        for item in self.outbox.get(thread_id, ()):
            if item.remote_id and item.remote_id in own_ids:
                continue  # sent and already synced back: the post above is the same reply
            result.append({
                "source": "outbox",
                "state": item.state.value,
                "text": item.text,
                "created_at": iso(item.created_at),
                "sent_at": iso(item.sent_at),
                "remote_id": item.remote_id,
                "url": item.url,
                "in_reply_to": item.parent_remote_id,
                "attempts": item.attempts,
                "last_error": item.last_error,
            })
        result.sort(key=lambda r: r["created_at"] or "")
        return result


WRITERS: dict[ExportFormat, type[_Writer]] = {
    ExportFormat.CSV: _CsvWriter,
    ExportFormat.JSON: _JsonWriter,
}


# ---------------------------------------------------------------- entry point


def export_inbox(
    store: ExportStore,
    path: str | os.PathLike[str],
    query: ThreadQuery | None = None,
    *,
    fmt: ExportFormat | None = None,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    page_size: int = PAGE_SIZE,
) -> ExportResult:
    """Write the threads of `query` (None: everything) to `path` as CSV or JSON.

    Runs on any thread (the UI's task runner, a CLI). Returns an ExportResult;
    `cancelled=True` when `cancel` was set (nothing written). Raises ExportError
    with a plain sentence for file-system trouble; store errors pass through.
    """
    target = Path(path)
    fmt = fmt or format_for(target)
    query = query or ThreadQuery(folder=Folder.ALL)
    writer_cls = WRITERS[fmt]
    try:  # first, so an unwritable folder is reported before any work
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part",
                                        dir=target.parent)
    except OSError as exc:
        raise plain_os_error(exc, target) from exc
    tmp = Path(tmp_name)
    counts = [0, 0]  # threads, posts: kept here so a cancel can report them
    try:
        with open(fd, "w", encoding=writer_cls.encoding, errors="replace",
                  newline="") as out:
            _keep_mode(target, tmp)
            _write(store, writer_cls, out, query, progress, cancel, page_size, counts)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except _Cancelled:
        _remove(tmp)
        return ExportResult(target, fmt, counts[0], counts[1], cancelled=True)
    except OSError as exc:
        _remove(tmp)
        raise plain_os_error(exc, target) from exc
    except BaseException:  # a store error, a bug, Ctrl-C: never leave the temp file
        _remove(tmp)
        raise
    if progress:
        progress(counts[0], counts[0])
    return ExportResult(target, fmt, counts[0], counts[1])


def _write(
    store: ExportStore,
    writer_cls: type[_Writer],
    out: IO[str],
    query: ThreadQuery,
    progress: ProgressCallback | None,
    cancel: threading.Event | None,
    page_size: int,
    counts: list[int],
) -> None:
    """Stream every thread of `query` through one writer; raises _Cancelled when asked."""
    total = store.count_threads(query)
    if progress:
        progress(0, total)
    writer = writer_cls(out, store, {a.id: a for a in store.accounts()})
    writer.begin(query, total)
    for page in _iter_threads(store, query, page_size):
        for row in page:
            if cancel is not None and cancel.is_set():
                raise _Cancelled
            posts = store.thread_posts(row.id)
            writer.thread(row, posts)
            counts[0] += 1
            counts[1] += len(posts)
        if progress:
            progress(counts[0], max(total, counts[0]))
    if cancel is not None and cancel.is_set():
        raise _Cancelled
    writer.end(counts[0], counts[1])


class _Cancelled(Exception):
    """Internal: the cancel event was set."""


def _keep_mode(target: Path, tmp: Path) -> None:
    """Replacing a file keeps its permissions; a new export stays private (0600: notes)."""
    try:
        mode = target.stat().st_mode & 0o777
    except OSError:
        return
    os.chmod(tmp, mode)


def _remove(tmp: Path) -> None:
    with contextlib.suppress(OSError):
        tmp.unlink(missing_ok=True)
