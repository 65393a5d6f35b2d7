"""A few conversation fetches at once, so the waits on a distant server overlap.

A server 120 ms away makes 300 conversations fetched one after another wait 36 s
on distance alone. The sync keeps up to `width` fetches in flight on worker
threads and stores each one on its own thread as it comes back: the network
runs in parallel, the writes stay on one writer (SQLite), and every conversation
is still stored with the job it finishes (app.core.sync_work).

Which fetch goes first: complaints before the rest, the newest first within each
(`priority`), so the conversations the owner wants first are whole first.

Two fetches in flight for one conversation would waste a request. A conversation
fetch brings the post's ancestors and its descendants, so two fetches can only
meet when one post may be an ancestor of the other: an older post with replies
under a newer post with a parent, or two replies to one parent (`may_overlap`). Such
a pair never runs at once; the second waits, and usually finds its post already
fetched, or its parent stored, by the first.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Generic, TypeVar

from app.core.models import Post, SentimentLabel, StoredPost

IN_FLIGHT = 4  # requests in flight per server: enough to hide 120 ms, polite to the server

K = TypeVar("K", bound=Hashable)
R = TypeVar("R")


def priority(stored: StoredPost, queued: int) -> tuple[int, float, int]:
    """Sort key: complaints first (as the owner labelled them, else the scorer), newest
    first; posts of the same moment by the order their jobs were queued, last first."""
    angry = 0 if stored.label is SentimentLabel.NEGATIVE else 1
    return angry, -stored.post.created_at.timestamp(), -queued


def _may_hold(newer: Post, older: Post) -> bool:
    """Whether `older` can be an ancestor of `newer` (and so come with its fetch)."""
    return (
        newer.parent_remote_id is not None
        and older.replies_count != 0  # None: the server did not say, so it may
        and older.created_at <= newer.created_at
    )


def may_overlap(a: Post, b: Post) -> bool:
    """Whether the fetches of `a`'s and `b`'s conversations may bring the same posts, or
    one of them spare the other (replies to one parent: the first fetch stores the parent,
    and the second post then joins it with no request)."""
    siblings = a.parent_remote_id is not None and a.parent_remote_id == b.parent_remote_id
    return siblings or _may_hold(a, b) or _may_hold(b, a)


class InFlight(Generic[K, R]):
    """Up to `width` calls running on worker threads; their results are taken back on the
    caller's thread, in the order they finish. Width 1 runs each call inline (no thread),
    as before, for clients not made for concurrent use."""

    def __init__(self, width: int, name: str = "fetch") -> None:
        self.width = max(1, width)
        self._pool = (
            ThreadPoolExecutor(self.width, thread_name_prefix=name) if self.width > 1 else None
        )
        self._running: dict[Future[R], K] = {}

    def __len__(self) -> int:
        return len(self._running)

    def __enter__(self) -> InFlight[K, R]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def keys(self) -> list[K]:
        return list(self._running.values())

    def has_room(self) -> bool:
        return len(self._running) < self.width

    def start(self, key: K, call: Callable[[], R]) -> None:
        if self._pool is not None:
            self._running[self._pool.submit(call)] = key
            return
        future: Future[R] = Future()
        try:
            future.set_result(call())
        except BaseException as exc:  # handed back by next_done, like a worker's
            future.set_exception(exc)
        self._running[future] = key

    def next_done(self) -> tuple[K, Future[R]]:
        """The key and the finished future of one call (waits for one to finish)."""
        done, _ = wait(list(self._running), return_when=FIRST_COMPLETED)
        future = next(iter(done))
        return self._running.pop(future), future

    def close(self) -> None:
        """Waits for the calls on the wire (each has its own timeout); their results are
        dropped: what they would have finished stays to do."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        self._running.clear()


def run_in_flight(
    width: int,
    name: str,
    start_more: Callable[[InFlight[K, R]], bool],
    finish: Callable[[K, Future[R]], None],
    progress: Callable[[int], None] = lambda in_flight: None,
) -> None:
    """The loop of a sync step with calls in flight, all on the caller's thread but the calls.

    `start_more(flight)` starts what may start now (False: start nothing more); `finish`
    takes one finished call back (stores it). The first error, from either, stops new
    starts; the calls on the wire are still taken back, then that error is raised.
    """
    error: Exception | None = None
    stopped = False
    with InFlight[K, R](width, name) as flight:
        while True:
            progress(len(flight))
            if error is None and not stopped:
                try:
                    stopped = not start_more(flight)
                except Exception as exc:  # stop starting; the ones on the wire finish
                    error = exc
            if not len(flight):
                break
            key, future = flight.next_done()
            try:
                finish(key, future)
            except Exception as exc:
                error = error or exc
    if error is not None:
        raise error
