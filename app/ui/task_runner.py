"""One place for background work: reads in parallel, writes through one lane.

Widgets never start threads. They call `TaskRunner.run(fn, on_result,
on_error)`; `fn` runs on a pool thread and must only return values (frozen
dataclasses, lists of them); the callbacks run later on the GUI thread.
Database writes pass `write=True` so they go through a single-thread pool and
never race each other. Tests use `synchronous=True`: everything runs inline.

The pools are Python threads that live as long as the runner. A Qt pool thread is not
a Python thread: each job on it got a fresh Python thread state, so the database's
per-thread connection was opened for every job and dropped at its end in a reference
cycle (sqlite3's statement cache refers back to its connection), which the cyclic
collector closed later in passes of 7-20 ms that held the interpreter lock, on the
GUI thread too: ~1,150 of them in a first sync of 5,000 mentions (issue 27, the
stall). A Python thread keeps its state, and its connection, from job to job.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from app.core.errors import ShopkeepError

log = logging.getLogger(__name__)

ResultCallback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]


@dataclass(slots=True)
class _Pending:
    name: str
    on_result: ResultCallback | None
    on_error: ErrorCallback | None


@dataclass(frozen=True, slots=True)
class _Outcome:
    """What a job hands back: one object, because PySide 6.12 over-releases a queued
    `bool` argument (seen as "bool_dealloc" at interpreter exit)."""

    task_id: int
    ok: bool
    value: object


class _Job:
    """Runs one function on a pool thread and reports back through the runner's signal."""

    __slots__ = ("_fn", "_runner", "_task_id")

    def __init__(self, runner: TaskRunner, task_id: int, fn: Callable[[], Any]) -> None:
        self._runner = runner
        self._task_id = task_id
        self._fn = fn

    def run(self) -> None:
        try:
            if self._runner.cancelled:
                return
            try:
                result = self._fn()
            except Exception as exc:  # handed back to the GUI thread, never swallowed
                self._runner._log_failure(self._task_id, exc)
                self._runner._finished.emit(_Outcome(self._task_id, False, exc))
            else:
                self._runner._finished.emit(_Outcome(self._task_id, True, result))
        finally:
            self._runner._job_ended()


class TaskRunner(QObject):
    """Runs callables off the GUI thread and calls back on it.

    `unhandled_error` fires for failures that had no `on_error`, so the window
    can show expected errors calmly and route bugs to the crash dialog.
    """

    _finished = Signal(object)
    unhandled_error = Signal(object)
    busy_changed = Signal(bool)

    def __init__(
        self, parent: QObject | None = None, *, synchronous: bool = False, max_threads: int = 4
    ) -> None:
        super().__init__(parent)
        self.synchronous = synchronous
        self._cancel = threading.Event()
        self._pending: dict[int, _Pending] = {}
        self._next_id = 0
        self._lock = threading.Lock()
        self._read_pool = ThreadPoolExecutor(max_threads, thread_name_prefix="shopkeep-read")
        # the write lane: one writer, in order
        self._write_pool = ThreadPoolExecutor(1, thread_name_prefix="shopkeep-write")
        self._jobs = 0  # queued or running on the pools
        self._idle = threading.Condition()
        self._finished.connect(self._on_finished)

    @property
    def cancelled(self) -> bool:
        """True once the app is quitting; long jobs may poll it and stop early."""
        return self._cancel.is_set()

    def run(
        self,
        fn: Callable[[], Any],
        on_result: ResultCallback | None = None,
        on_error: ErrorCallback | None = None,
        *,
        write: bool = False,
        name: str = "",
    ) -> int:
        """Schedule `fn()`; returns a task id. `write=True` uses the single write lane."""
        if self.cancelled:
            return -1
        with self._lock:
            self._next_id += 1
            task_id = self._next_id
        self._pending[task_id] = _Pending(
            name or getattr(fn, "__name__", "task"), on_result, on_error
        )
        if len(self._pending) == 1:
            self.busy_changed.emit(True)
        if self.synchronous:
            try:
                result = fn()
            except Exception as exc:
                self._log_failure(task_id, exc)
                self._deliver(task_id, False, exc)
            else:
                self._deliver(task_id, True, result)
        else:
            pool = self._write_pool if write else self._read_pool
            with self._idle:
                self._jobs += 1
            pool.submit(_Job(self, task_id, fn).run)
        return task_id

    def _job_ended(self) -> None:
        with self._idle:
            self._jobs -= 1
            if self._jobs == 0:
                self._idle.notify_all()

    def is_busy(self) -> bool:
        return bool(self._pending)

    def wait_idle(self, timeout_ms: int = 5000) -> bool:
        """Block until both pools are empty (tests and shutdown only; never from a slot)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._jobs == 0, timeout_ms / 1000)

    def shutdown(self, timeout_ms: int = 3000) -> None:
        """Stop taking work, drop queued jobs, let running ones finish, drop callbacks."""
        self._cancel.set()  # a queued job ends without running
        self.wait_idle(timeout_ms)
        self._read_pool.shutdown(wait=False)
        self._write_pool.shutdown(wait=False)
        self._pending.clear()

    def _log_failure(self, task_id: int, exc: BaseException) -> None:
        pending = self._pending.get(task_id)
        name = pending.name if pending else f"task {task_id}"
        if isinstance(exc, ShopkeepError):
            log.warning("%s failed: %s", name, exc)
        else:
            log.error("%s raised", name, exc_info=exc)

    @Slot(object)
    def _on_finished(self, outcome: _Outcome) -> None:
        self._deliver(outcome.task_id, outcome.ok, outcome.value)

    def _deliver(self, task_id: int, ok: bool, value: object) -> None:
        pending = self._pending.pop(task_id, None)
        if not self._pending:
            self.busy_changed.emit(False)
        if pending is None or self.cancelled:
            return
        if ok:
            if pending.on_result is not None:
                pending.on_result(value)
        elif pending.on_error is not None and isinstance(value, BaseException):
            pending.on_error(value)
        else:
            self.unhandled_error.emit(value)
