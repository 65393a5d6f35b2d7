"""One thread watches the deadlines of every running HTTP request.

A thread per request (a `threading.Timer`) cost a sync of 5,000 mentions some
400 short-lived threads. One long-lived watcher keeps the deadlines in a heap
and sleeps until the earliest comes, or until a request with an earlier one
arrives. A request that ends first is only marked finished: its entry is
dropped when it reaches the top of the heap (or when the heap is tidied), so
ending a request never waits for the watcher.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import os
import threading
import time
from typing import Protocol

log = logging.getLogger(__name__)

THREAD_NAME = "shopkeep-deadline-watch"
_TIDY_FLOOR = 64  # below this many entries, finished ones just wait for their turn


class Expiring(Protocol):
    """What the watcher holds: something to expire at its deadline unless finished first."""

    @property
    def finished(self) -> bool: ...

    def expire(self) -> None: ...


class DeadlineWatch:
    """The heap of deadlines and the one daemon thread that acts on them."""

    def __init__(self) -> None:
        self._forget_everything()

    def _forget_everything(self) -> None:
        """A fresh start; also what a forked child needs (its lock may have been held)."""
        self._wake = threading.Condition(threading.Lock())
        self._heap: list[tuple[float, int, Expiring]] = []
        self._order = itertools.count()  # equal deadlines never compare the items
        self._thread: threading.Thread | None = None
        self._tidy_at = _TIDY_FLOOR

    def watch(self, when: float, item: Expiring) -> None:
        """Call `item.expire()` at `when` (time.monotonic) unless it is finished by then."""
        with self._wake:
            if len(self._heap) >= self._tidy_at:
                self._drop_finished()
            heapq.heappush(self._heap, (when, next(self._order), item))
            if self._thread is None or not self._thread.is_alive():
                # first use, or the thread is gone (a forked child has none): start one
                self._thread = threading.Thread(target=self._run, name=THREAD_NAME, daemon=True)
                self._thread.start()
            elif self._heap[0][2] is item:
                self._wake.notify()  # the watcher sleeps until a later deadline: wake it

    def _drop_finished(self) -> None:
        """Many requests that ended early: keep the heap as small as the running ones."""
        self._heap = [entry for entry in self._heap if not entry[2].finished]
        heapq.heapify(self._heap)
        self._tidy_at = max(_TIDY_FLOOR, 2 * len(self._heap))

    def _run(self) -> None:
        while True:
            for item in self._due():
                try:
                    item.expire()
                except Exception:  # one failed hang-up must not leave the others unwatched
                    log.exception("acting on a request's deadline failed")

    def _due(self) -> list[Expiring]:
        """Sleeps until an unfinished deadline has come; the items whose deadline has."""
        with self._wake:
            while True:
                while self._heap and self._heap[0][2].finished:
                    heapq.heappop(self._heap)
                if not self._heap:
                    self._wake.wait()
                    continue
                now = time.monotonic()
                if self._heap[0][0] > now:
                    self._wake.wait(self._heap[0][0] - now)
                    continue
                due: list[Expiring] = []
                while self._heap and self._heap[0][0] <= now:
                    item = heapq.heappop(self._heap)[2]
                    if not item.finished:
                        due.append(item)
                return due


WATCH = DeadlineWatch()

if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=WATCH._forget_everything)
