"""Export conversations to CSV (one row per post) or JSON (threads with replies and notes).

Why it looks like this:

* Streaming: threads are read a page at a time through `list_threads` and
  written as they come, so 100k posts never sit in memory at once. A store
  with `posts_for_threads` hands over a page's posts in one read; otherwise
  each thread's posts come from `thread_posts`.
* All or nothing: see export_files (temporary file, renamed at the end).
* Spreadsheet-safe CSV: see export_csv. The JSON layout: see export_json.

The store comes in as a parameter (`ExportStore`, satisfied by the SQLite
store), so this module stays free of storage and Qt and runs in the UI's
task runner or the `python -m app export` command alike. The names callers
use all import from here.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from app.core.export_csv import CSV_COLUMNS, FORMULA_STARTS, CsvWriter, neutralise_cell
from app.core.export_files import (
    TargetExists,
    check_target,
    keep_mode,
    plain_os_error,
    remove_quietly,
    temp_file_beside,
)
from app.core.export_json import FORMAT_VERSION, JsonWriter, describe_query
from app.core.export_types import (
    ExportError,
    ExportFormat,
    ExportResult,
    ExportStore,
    FormatWriter,
    PostsByThreadStore,
    ProgressCallback,
    format_for,
    iso,
)
from app.core.models import Folder, StoredPost, ThreadRow
from app.core.ports import ThreadQuery

__all__ = [
    "CSV_COLUMNS",
    "FORMAT_VERSION",
    "FORMULA_STARTS",
    "PAGE_SIZE",
    "WRITERS",
    "ExportError",
    "ExportFormat",
    "ExportResult",
    "ExportStore",
    "PostsByThreadStore",
    "ProgressCallback",
    "TargetExists",
    "check_target",
    "describe_query",
    "export_inbox",
    "format_for",
    "iso",
    "neutralise_cell",
    "plain_os_error",
]

PAGE_SIZE = 200

WRITERS: dict[ExportFormat, type[FormatWriter]] = {
    ExportFormat.CSV: CsvWriter,
    ExportFormat.JSON: JsonWriter,
}


def export_inbox(
    store: ExportStore,
    path: str | os.PathLike[str],
    query: ThreadQuery | None = None,
    *,
    fmt: ExportFormat | None = None,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    page_size: int = PAGE_SIZE,
    overwrite: bool = True,
) -> ExportResult:
    """Write the threads of `query` (None: everything) to `path` as CSV or JSON.

    `overwrite=False` refuses an existing file (TargetExists); a FIFO, a device or a
    folder is always refused. The window's file dialog has asked before it calls this.

    Runs on any thread (the UI's task runner, a CLI). Returns an ExportResult;
    `cancelled=True` when `cancel` was set (nothing written). Raises ExportError
    with a plain sentence for file-system trouble; store errors pass through.
    """
    target = Path(path)
    fmt = fmt or format_for(target)
    query = query or ThreadQuery(folder=Folder.ALL)
    writer_cls = WRITERS[fmt]
    check_target(target, overwrite=overwrite)
    fd, tmp = temp_file_beside(target)  # first, so an unwritable folder is reported early
    counts = [0, 0]  # threads, posts: kept here so a cancel can report them
    try:
        with open(fd, "w", encoding=writer_cls.encoding, errors="replace", newline="") as out:
            keep_mode(target, tmp)
            _write(store, writer_cls, out, query, progress, cancel, page_size, counts)
            out.flush()
            os.fsync(out.fileno())
        check_target(target, overwrite=overwrite)  # again: something may have appeared
        os.replace(tmp, target)
    except _Cancelled:
        remove_quietly(tmp)
        return ExportResult(target, fmt, counts[0], counts[1], cancelled=True)
    except OSError as exc:
        remove_quietly(tmp)
        raise plain_os_error(exc, target) from exc
    except BaseException:  # a store error, a bug, Ctrl-C: never leave the temp file
        remove_quietly(tmp)
        raise
    if progress:
        progress(counts[0], counts[0])
    return ExportResult(target, fmt, counts[0], counts[1])


def _write(
    store: ExportStore,
    writer_cls: type[FormatWriter],
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
        if cancel is not None and cancel.is_set():
            raise _Cancelled
        page_posts = _page_posts(store, page)
        for row in page:
            if cancel is not None and cancel.is_set():
                raise _Cancelled
            posts = page_posts[row.id] if page_posts is not None else store.thread_posts(row.id)
            writer.thread(row, posts)
            counts[0] += 1
            counts[1] += len(posts)
        if progress:
            progress(counts[0], max(total, counts[0]))
    if cancel is not None and cancel.is_set():
        raise _Cancelled
    writer.end(counts[0], counts[1])


def _page_posts(store: ExportStore, page: list[ThreadRow]) -> dict[int, list[StoredPost]] | None:
    """The posts of a whole page in one read, or None: ask `thread_posts` per thread."""
    if not page or not isinstance(store, PostsByThreadStore):
        return None
    found = store.posts_for_threads([row.id for row in page])
    return {row.id: found.get(row.id, []) for row in page}


def _iter_threads(
    store: ExportStore, query: ThreadQuery, page_size: int
) -> Iterator[list[ThreadRow]]:
    """Every thread of `query`, a page at a time, each thread once.

    A sync may move threads while we page; the seen set (ids only) keeps a thread
    that jumped to the top from being written twice.
    """
    seen: set[int] = set()
    last: ThreadRow | None = None
    while True:
        page = store.list_threads(query, 0, page_size, after=last)  # keyset: no OFFSET walk
        if not page:
            return
        last = page[-1]
        fresh = [row for row in page if row.id not in seen]
        seen.update(row.id for row in fresh)
        yield fresh
        if len(page) < page_size:
            return


class _Cancelled(Exception):
    """Internal: the cancel event was set."""
