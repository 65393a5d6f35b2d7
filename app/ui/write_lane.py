"""A store whose writes go through the task runner's one write lane, from any thread.

SyncService and OutboxSender run on pool threads (one per account, in
parallel) and write to the store as they go. SQLite in WAL mode lets reads
overlap, but two writers whose transactions both start with a read can fail
with "database is locked" (SQLite cannot upgrade a stale snapshot, and no busy
timeout helps). So every write method is handed to `TaskRunner`'s single
write worker, the same lane the window's own writes (mark read, queue reply)
use, and the calling worker waits for it. Reads go straight through: peewee
gives each thread its own connection.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from app.core.models import IngestResult
from app.core.sync import SyncCancelled
from app.ui.task_runner import TaskRunner

log = logging.getLogger(__name__)

#: Store methods that write (SyncStore, OutboxStore and the few the sync may call).
WRITE_METHODS = frozenset(
    {
        "ingest",
        "set_cursor",
        "update_account",
        "enqueue_reply",
        "mark_sending",
        "mark_sent",
        "mark_failed",
        "retry",
        "set_status",
        "mark_read",
        "mark_unread",
        "cancel_outbox_item",
        "wake_snoozed",
        "store_mentions",
        "store_fetched",
        "job_failed",
    }
)
#: Write methods that store posts and return an IngestResult (streamed to the window).
INGEST_METHODS = frozenset({"ingest", "store_mentions", "store_fetched"})
POLL_SECONDS = 0.05


class LaneStopped(SyncCancelled):
    """The app is quitting: the write lane takes no more work (the sync stops cleanly)."""

    user_message = "Shopkeep is closing; the sync stopped."


class WriteLaneStore:
    """Wraps a store: reads run here, writes run on the runner's write lane.

    `on_ingest(result)` is called (on the calling worker thread) after every
    successful write that stores posts, so a scheduler can stream new rows to the window while
    a long sync is still running.
    """

    def __init__(
        self,
        store: Any,
        runner: TaskRunner,
        on_ingest: Callable[[IngestResult], None] | None = None,
    ) -> None:
        self._store = store
        self._runner = runner
        self.on_ingest = on_ingest

    @property
    def inner(self) -> Any:
        return self._store

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._store, name)
        if name not in WRITE_METHODS or not callable(attr):
            return attr

        def through_lane(*args: Any, **kwargs: Any) -> Any:
            result = call_in_lane(self._runner, lambda: attr(*args, **kwargs), f"sync: {name}")
            if name in INGEST_METHODS and self.on_ingest is not None:
                self.on_ingest(result)
            return result

        through_lane.__name__ = name
        return through_lane


def call_in_lane(runner: TaskRunner, fn: Callable[[], Any], name: str = "write") -> Any:
    """Run `fn` on the write lane from a worker thread and wait for it; its exception is
    re-raised here.

    Raises LaneStopped when the app quits before the write ran (a running
    write still finishes: it is one transaction either way).
    """
    if runner.synchronous:
        return fn()
    done = threading.Event()
    box: dict[str, Any] = {}

    def job() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed to the waiting worker, never lost
            box["error"] = exc
        finally:
            done.set()

    if runner.run(job, name=name, write=True) < 0:
        raise LaneStopped(f"{name}: the write lane is closed")
    while not done.wait(POLL_SECONDS):
        if runner.cancelled:
            raise LaneStopped(f"{name}: stopped while waiting for the write lane")
    if "error" in box:
        raise box["error"]
    return box.get("value")
