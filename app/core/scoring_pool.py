"""Scoring a big batch of posts in worker processes, so a large sync is not bound to one core.

The scorer (VADER plus the rules) costs ~90 µs a post, all of it Python under one
GIL: threads cannot share that work, processes can. The usual sync brings a few
mentions and is scored inline; the pool starts on the first big batch (a first
sync, an import) and stays for the next ones. Anything wrong with the pool (a
frozen build that cannot start workers, a worker killed) falls back to scoring
inline, once and for good, with a line in the log: never a lost post.

The owner's scorer carries their word list and what was learned from their
corrections (up to a few MB pickled). It is pickled once per job, not once per
chunk, and each worker unpickles a given scorer once and keeps it for the
chunks and jobs that follow: unpickling it for every 250 texts cost more than
scoring them.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import os
import pickle
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.core.models import Sentiment, SentimentLabel

if TYPE_CHECKING:  # multiprocessing costs ~12 ms to import: only a big batch needs it
    from concurrent.futures import Future, ProcessPoolExecutor

log = logging.getLogger(__name__)

Scorer = Callable[[str], Sentiment]
# A score as plain values (compound, label value, reasons, language): what crosses the pipe
# and what the writer stores; a frozen Sentiment costs ~1-3 us to build.
Packed = tuple[float, str, tuple[str, ...], "str | None"]
_Packed = Packed
_LABELS = {label.value: label for label in SentimentLabel}

MIN_PARALLEL = 400  # below this, starting or feeding workers costs more than it saves
CHUNK = 250  # texts per task: large enough that pickling is noise
ENV_WORKERS = "SHOPKEEP_SCORE_WORKERS"  # "0" or "1": always score inline
IDLE_SECONDS = 60.0  # workers hold ~40 MB each: let them go when no big batch follows
KEPT_SCORERS = 2  # per worker: the one in use and the one it replaced

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_failed = False
_idle: threading.Timer | None = None
_in_flight: list[Future[list[_Packed]]] = []  # the last job's tasks
_unpickled: dict[bytes, Scorer] = {}  # in a worker: scorers by their pickle's digest


@dataclass(frozen=True, slots=True)
class _SentScorer:
    """A scorer as it travels to the workers: its pickle and the pickle's digest."""

    key: bytes
    pickled: bytes


def worker_count() -> int:
    """Processes to score in: one per core, unless the environment says otherwise."""
    wanted = os.environ.get(ENV_WORKERS, "").strip()
    if wanted.isdigit():
        return int(wanted)
    return os.cpu_count() or 1


class ScoringJob:
    """Texts being scored, in order, in worker processes; `get` waits only for its chunk.

    The caller stores post 1 while the workers still score post 2,000: the wait is
    the longer of the two, not their sum. Small batches and scorers that cannot
    be sent to a worker (a lambda) are scored inline, when asked for.
    """

    def __init__(self, scorer: Scorer, texts: Sequence[str]) -> None:
        self._scorer = scorer
        self._done: dict[str, Packed] = {}
        self._chunk_of: dict[str, int] = {}
        self._texts: list[Sequence[str]] = []
        self._futures: list[Future[list[_Packed]] | None] = []
        self._finished: set[int] = set()  # chunks known to be scored (ready() asks per post)
        sent = _sendable(scorer) if _worth_a_pool(texts) else None
        pool = _shared_pool() if sent is not None else None
        if pool is None or sent is None:
            return
        self._texts = [texts[i : i + CHUNK] for i in range(0, len(texts), CHUNK)]
        try:
            self._futures = [pool.submit(_score_chunk, sent, part) for part in self._texts]
        except Exception as exc:  # the pool broke since it was made
            _give_up(exc)
            self._texts, self._futures = [], []
            return
        for k, part in enumerate(self._texts):
            for text in part:
                self._chunk_of.setdefault(text, k)
        _stop_when_idle(list(self._futures))  # type: ignore[arg-type]  # none taken yet

    @property
    def parallel(self) -> bool:
        """True when the texts went to worker processes (else `get` scores inline)."""
        return bool(self._futures)

    def ready(self, text: str) -> bool:
        """True when `get(text)` would not wait on a worker (scored already, or to be
        scored inline): the writer stores what is ready while the rest is scored."""
        if text in self._done:
            return True
        k = self._chunk_of.get(text)
        if k is None or k in self._finished:
            return True
        future = self._futures[k]
        if future is None or future.done():  # done() takes the future's lock: once a chunk
            self._finished.add(k)
            return True
        return False

    def get(self, text: str) -> Sentiment:
        return _unpacked(self.packed(text))

    def packed(self, text: str) -> Packed:
        """The score as plain values: what the writer stores, without a Sentiment built."""
        found = self._done.get(text)
        if found is not None:
            return found
        k = self._chunk_of.get(text)
        if k is None or self._futures[k] is None:
            return _packed(self._scorer(text))
        future, self._futures[k] = self._futures[k], None
        part = self._texts[k]
        try:
            results = future.result()  # type: ignore[union-attr]  # k is new
        except Exception as exc:  # BrokenProcessPool: a worker died or could not start
            _give_up(exc)
            results = [_packed(self._scorer(t)) for t in part]
        self._done.update(zip(part, results, strict=True))
        return self._done[text]


def _worth_a_pool(texts: Sequence[str]) -> bool:
    return len(texts) >= MIN_PARALLEL and worker_count() >= 2


def has_failed() -> bool:
    """True once the workers failed this session (everything is scored inline since)."""
    return _failed


def shutdown() -> None:
    """Stop the workers (when idle, at exit; the next big batch would start new ones).

    Waits for them to go: a pool left closing while the interpreter exits prints
    "Exception ignored in ... weakref_cb" after everything else. A running chunk
    takes ~20 ms; queued ones are cancelled.
    """
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


def _stop_when_idle(in_flight: list[Future[list[_Packed]]]) -> None:
    """(Re)start the countdown after which idle workers are stopped."""
    global _idle, _in_flight
    timer = threading.Timer(IDLE_SECONDS, _stop_if_idle)
    timer.daemon = True
    with _lock:
        previous, _idle, _in_flight = _idle, timer, in_flight
    if previous is not None:
        previous.cancel()
    timer.start()


def _stop_if_idle() -> None:
    with _lock:
        busy = any(not f.done() for f in _in_flight)
    if busy:  # a huge batch is still being scored: look again later
        _stop_when_idle(_in_flight)
    else:
        shutdown()


def _sendable(scorer: Scorer) -> _SentScorer | None:
    """The scorer pickled once for the whole job; None for a lambda or a closure (tests,
    a one-off rescoring), which is scored inline."""
    try:
        pickled = pickle.dumps(scorer, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, AttributeError, TypeError):
        return None
    return _SentScorer(hashlib.blake2b(pickled, digest_size=16).digest(), pickled)


def _worker_scorer(sent: _SentScorer) -> Scorer:
    """In a worker: the scorer unpickled once per digest (a changed word list or a new
    learner pickles differently, so it is never mistaken for the one kept)."""
    scorer = _unpickled.get(sent.key)
    if scorer is None:
        scorer = pickle.loads(sent.pickled)  # our own pickle, made by our process
        while len(_unpickled) >= KEPT_SCORERS:
            del _unpickled[next(iter(_unpickled))]
        _unpickled[sent.key] = scorer
    return scorer


def _score_chunk(sent: _SentScorer, texts: Sequence[str]) -> list[_Packed]:
    """Runs in a worker; plain tuples cross the pipe ~6x cheaper than dataclasses."""
    return list(map(_packed, map(_worker_scorer(sent), texts)))


def _packed(s: Sentiment) -> Packed:
    return (s.compound, s.label.value, s.reasons, s.language)


def _unpacked(packed: _Packed) -> Sentiment:
    compound, label, reasons, language = packed
    return Sentiment(compound, _LABELS[label], reasons, language)


def _shared_pool() -> ProcessPoolExecutor | None:
    global _pool
    with _lock:
        if _failed:
            return None
        if _pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            try:
                # spawn, not fork: the app has Qt and database threads running
                context = multiprocessing.get_context("spawn")
                _pool = ProcessPoolExecutor(worker_count(), mp_context=context)
                atexit.unregister(shutdown)  # once, however many pools come and go
                atexit.register(shutdown)  # a process that never calls shutdown (the CLI)
            except (OSError, ValueError) as exc:
                log.warning("no worker processes for scoring (%s); scoring inline", exc)
                _set_failed()
                return None
        return _pool


def _give_up(exc: BaseException) -> None:
    log.warning("scoring in worker processes failed (%s); scoring in this one", exc)
    shutdown()
    with _lock:
        _set_failed()


def _set_failed() -> None:
    global _failed
    _failed = True
