"""A store whose writes go through the task runner's one write lane, from any thread.

SyncService and OutboxSender run on pool threads (one per account, in
parallel) and write to the store as they go. SQLite in WAL mode lets reads
overlap, but two writers whose transactions both start with a read can fail
with "database is locked" (SQLite cannot upgrade a stale snapshot, and no busy
timeout helps). So every write method is handed to `TaskRunner`'s single
write worker, the same lane the window's own writes (mark read, queue reply)
use, and the calling worker waits for it. Reads go straight through: peewee
gives each thread its own connection.

A write is a store method marked `@writes` (app.core.write_marks), or one that
overrides a marked method. An unmarked method runs on the caller's thread with
writes refused, so a forgotten mark fails at once with UnmarkedWrite.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from app.core.models import IngestResult
from app.core.sync import SyncCancelled
from app.core.write_marks import is_write, reads_only
from app.ui.task_runner import TaskRunner

log = logging.getLogger(__name__)

POLL_SECONDS = 0.05


class LaneStopped(SyncCancelled):
    """The app is quitting: the write lane takes no more work (the sync stops cleanly)."""

    user_message = "Shopkeep is closing; the sync stopped."


class WriteLaneStore:
    """Wraps a store: reads run here, writes run on the runner's write lane.

    `on_ingest(result)` is called (on the calling worker thread) after every
    successful write that stores posts (returns an IngestResult), so a scheduler
    can stream new rows to the window while a long sync is still running.
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
        if not callable(attr):
            return attr
        if not is_write(type(self._store), name):

            def reading(*args: Any, **kwargs: Any) -> Any:
                with reads_only(name):
                    return attr(*args, **kwargs)

            reading.__name__ = name
            return reading

        def through_lane(*args: Any, **kwargs: Any) -> Any:
            result = call_in_lane(self._runner, lambda: attr(*args, **kwargs), f"sync: {name}")
            if isinstance(result, IngestResult) and self.on_ingest is not None:
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
