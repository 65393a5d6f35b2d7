"""Runs the headless SyncService in the task runner: on a timer, on F5, and after outages.

Why it is shaped like this:

* Each account syncs on a pool thread of its own (one sync per account at a
  time, at most `max_parallel` accounts at once so the pool keeps threads for
  the window's own reads). Every store write goes through the runner's single
  write lane (`WriteLaneStore`), so parallel accounts never race in SQLite.
* Results come back as data: each `ingest` is streamed (merged, at most every
  `flush_ms`) through `ingested(IngestResult)` so rows appear while a long
  sync runs, without resetting the list.
* Offline is decided from the requests' own failures: when every account of a
  round failed with ServerUnreachable, `offline_changed(True)`; the accounts'
  own servers are then probed (a normal sync round, which also pushes the
  outbox) on a growing interval until one answers. Nothing pings third parties.
* Quitting sets one cancel event: syncs stop between requests and writes.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from PySide6.QtCore import QObject, QTimer, Signal

from app.core.errors import ServerUnreachable, ShopkeepError
from app.core.models import Account, IngestResult, OutboxState
from app.core.outbox import OutboxSender, SendReport
from app.core.ports import NetworkClient, Scorer
from app.core.sync import SyncReport, SyncService, SyncStep, account_label
from app.ui.ports import SchedulerStore
from app.ui.task_runner import TaskRunner
from app.ui.write_lane import WriteLaneStore

log = logging.getLogger(__name__)

PROBE_DELAYS = (5.0, 15.0, 30.0, 60.0, 120.0, 300.0)  # seconds between offline probes
STEP_WORDS = {
    SyncStep.CONNECT: "Connecting…",
    SyncStep.MENTIONS: "Fetching mentions…",
    SyncStep.THREADS: "Fetching conversations",
    SyncStep.REFRESH: "Refreshing open conversations",
    SyncStep.OUTBOX: "Sending replies…",
    SyncStep.DONE: "Done",
}
# Where each step sits in one account's sync, for the window title's percentage.
STEP_SPAN = {
    SyncStep.CONNECT: (0.0, 0.02),
    SyncStep.MENTIONS: (0.02, 0.15),
    SyncStep.THREADS: (0.15, 0.85),
    SyncStep.REFRESH: (0.85, 0.95),
    SyncStep.OUTBOX: (0.95, 1.0),
    SyncStep.DONE: (1.0, 1.0),
}


@dataclass(frozen=True, slots=True)
class AccountProgress:
    """One account's place in its sync, handed from the worker to the GUI thread."""

    account_id: int
    step: SyncStep
    done: int = 0
    total: int = 0

    @property
    def text(self) -> str:
        words = STEP_WORDS.get(self.step, str(self.step))
        if self.total and self.step in (SyncStep.THREADS, SyncStep.REFRESH):
            return f"{words} {self.done}/{self.total}"
        return words if self.total or self.step is not SyncStep.THREADS else words + "…"

    @property
    def fraction(self) -> float:
        start, end = STEP_SPAN.get(self.step, (0.0, 0.0))
        part = self.done / self.total if self.total else 0.0
        return start + (end - start) * min(1.0, part)


def merge_ingests(results: Sequence[IngestResult]) -> IngestResult:
    """Many small ingests as one: ids kept in order, merged-away threads dropped."""
    removed: list[int] = []
    new: list[int] = []
    updated: list[int] = []
    negatives: list[int] = []
    posts = 0
    for r in results:
        posts += r.new_posts
        removed += [t for t in r.removed_thread_ids if t not in removed]
        new += [t for t in r.new_thread_ids if t not in new]
        updated += [t for t in r.updated_thread_ids if t not in updated]
        negatives += list(r.new_negative_post_ids)
    gone = set(removed)
    new = [t for t in new if t not in gone]
    updated = [t for t in updated if t not in gone and t not in new]
    return IngestResult(posts, tuple(new), tuple(updated), tuple(negatives), tuple(removed))


REREAD_AFTER = 60.0  # seconds: an opened conversation is re-read at most this often


class SyncScheduler(QObject):
    """Signals (all on the GUI thread): `progress(AccountProgress)`, `account_synced(SyncReport)`,
    `ingested(IngestResult)`, `offline_changed(bool)`, `busy_changed(bool)`,
    `negatives(tuple[int, ...])` (new negative post ids), `outbox_sent(SendReport)`."""

    progress = Signal(object)
    account_synced = Signal(object)
    ingested = Signal(object)
    offline_changed = Signal(bool)
    busy_changed = Signal(bool)
    negatives = Signal(object)
    outbox_sent = Signal(object)
    _worker_progress = Signal(object)  # emitted on pool threads, delivered queued
    _worker_ingest = Signal(object)

    def __init__(
        self,
        store: SchedulerStore,
        runner: TaskRunner,
        client_for: Callable[[Account], NetworkClient],
        score: Scorer,
        *,
        interval_minutes: float = 5.0,
        max_mentions: int = 2000,
        max_parallel: int = 2,
        probe_delays: Sequence[float] = PROBE_DELAYS,
        flush_ms: int = 250,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.runner = runner
        self.client_for = client_for
        self.max_parallel = max(1, max_parallel)
        self.probe_delays = tuple(probe_delays) or PROBE_DELAYS
        self.lane_store = WriteLaneStore(store, runner, on_ingest=self._worker_ingest.emit)
        self.outbox = OutboxSender(self.lane_store, score)
        self.service = SyncService(
            self.lane_store, client_for, score, outbox=self.outbox, max_mentions=max_mentions
        )
        self.offline = False
        self.cancel = threading.Event()
        self.progress_by_account: dict[int, AccountProgress] = {}
        self.last_reports: dict[int, SyncReport] = {}
        self._syncing: dict[int, Account] = {}
        self._queue: deque[Account] = deque()
        self._round: list[SyncReport] = []
        self._outbox_again: set[int] = set()
        self._sending: set[int] = set()
        self._probe_step = 0
        self._buffer: list[IngestResult] = []
        self._last_emit: dict[int, tuple[SyncStep, float]] = {}
        self._reread: dict[int, float] = {}  # thread id -> when it was last re-read on open
        self._started = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.sync_now)
        self.set_interval(interval_minutes)
        self._probe_timer = QTimer(self, singleShot=True)
        self._probe_timer.timeout.connect(self._probe)
        self._flush_timer = QTimer(self, singleShot=True, interval=flush_ms)
        self._flush_timer.timeout.connect(self._flush)
        self._worker_progress.connect(self._on_progress)
        self._worker_ingest.connect(self._on_ingest)

    # ---- settings and lifetime

    def set_interval(self, minutes: float) -> None:
        """Minutes between automatic syncs (0 turns them off)."""
        self.interval_minutes = max(0.0, float(minutes))
        self._timer.setInterval(max(1, int(self.interval_minutes * 60_000)))
        if self.interval_minutes <= 0:
            self._timer.stop()
        elif self._timer.isActive() or self._started:
            self._timer.start()

    def set_max_mentions(self, count: int) -> None:
        """How far back the first sync of an account reaches (mentions, newest first)."""
        self.service.max_mentions = max(1, int(count))

    def start(self, first_delay_ms: int = 1500) -> None:
        """Automatic syncs from now on: one soon, then every `interval_minutes`."""
        self._started = True
        if self.interval_minutes > 0:
            self._timer.start()
        QTimer.singleShot(first_delay_ms, self, self.sync_now)

    def shutdown(self) -> None:
        """Quit: stop timers, ask every running sync to stop. Never waits."""
        self.cancel.set()
        for timer in (self._timer, self._probe_timer, self._flush_timer):
            timer.stop()
        self._queue.clear()

    def is_busy(self) -> bool:
        return bool(self._syncing or self._queue)

    def syncing_ids(self) -> set[int]:
        return set(self._syncing)

    # ---- syncing

    def sync_now(self) -> None:
        """F5 and the timer: sync every account that is not already syncing."""
        if self.cancel.is_set():
            return
        self.runner.run(
            self.store.accounts, self.sync_accounts, self._read_failed, name="accounts to sync"
        )

    def sync_accounts(self, accounts: Sequence[Account]) -> None:
        """Queue these accounts (demo ones are skipped) and start as many as allowed."""
        if self.cancel.is_set():
            return
        was_busy = self.is_busy()
        queued = {a.id for a in self._queue}
        for account in accounts:
            if account.is_demo or account.id in self._syncing or account.id in queued:
                continue
            self._queue.append(account)
            self.progress_by_account[account.id] = AccountProgress(account.id, SyncStep.CONNECT)
        if self.is_busy() and not was_busy:
            self.busy_changed.emit(True)
        self._pump()

    def _pump(self) -> None:
        while self._queue and len(self._syncing) < self.max_parallel:
            account = self._queue.popleft()
            self._syncing[account.id] = account
            self._start_sync(account)

    def _start_sync(self, account: Account) -> None:
        service, cancel = self.service, self.cancel

        def work() -> SyncReport:
            return service.sync_account(account, self._report_progress, cancel)

        self.runner.run(
            work,
            lambda report: self._synced(account, report),
            lambda exc: self._sync_crashed(account, exc),
            name=f"sync account {account.id}",
        )

    def _report_progress(self, account: Account, step: SyncStep, done: int, total: int) -> None:
        """Called on the worker: at most ~10 updates a second per account reach the GUI."""
        now = time.monotonic()
        last = self._last_emit.get(account.id)
        if last is not None and last[0] == step and now - last[1] < 0.1 and done < total:
            return
        self._last_emit[account.id] = (step, now)
        self._worker_progress.emit(AccountProgress(account.id, step, done, total))

    def _on_progress(self, progress: AccountProgress) -> None:
        if progress.account_id in self._syncing:
            self.progress_by_account[progress.account_id] = progress
            self.progress.emit(progress)

    def overall_fraction(self) -> float:
        """0..1 over the accounts of the running round (for the window title)."""
        ids = list(self._syncing) + [a.id for a in self._queue]
        if not ids:
            return 1.0
        parts = [
            self.progress_by_account[i].fraction if i in self.progress_by_account else 0.0
            for i in ids
        ]
        return sum(parts) / len(parts)

    def _synced(self, account: Account, report: SyncReport) -> None:
        self._syncing.pop(account.id, None)
        self.progress_by_account.pop(account.id, None)
        self._last_emit.pop(account.id, None)
        self.last_reports[account.id] = report
        self._rows_changed(report.updated_thread_ids)
        self._flush()
        self._round.append(report)
        self.account_synced.emit(report)
        if report.new_negative_post_ids:
            self.negatives.emit(tuple(report.new_negative_post_ids))
        if account.id in self._outbox_again:
            self._outbox_again.discard(account.id)
            if report.ok:
                self._send(account)
        self._pump()
        if not self.is_busy():
            self._round_over()

    def _sync_crashed(self, account: Account, exc: BaseException) -> None:
        """A bug in the sync (SyncService reports expected failures itself)."""
        now = datetime.now(UTC)
        error = (
            exc
            if isinstance(exc, ShopkeepError)
            else ShopkeepError(
                repr(exc),
                user_message="Shopkeep hit an unexpected problem while syncing this "
                "account. The details are in the log file.",
            )
        )
        self._synced(
            account,
            SyncReport(
                account.id,
                account_label(account),
                now,
                now,
                error=error,
                error_message=error.user_message,
                account_state=account.state,
            ),
        )

    def _round_over(self) -> None:
        reports, self._round = self._round, []
        self.busy_changed.emit(False)
        tried = [r for r in reports if not r.cancelled]
        if self.cancel.is_set() or not tried:
            return
        if all(isinstance(r.error, ServerUnreachable) for r in tried):
            self._went_offline()
        else:
            self._came_online()

    # ---- offline and probing

    def _went_offline(self) -> None:
        if not self.offline:
            self.offline = True
            self._probe_step = 0
            self._timer.stop()
            log.info("every account's server is unreachable: offline")
            self.offline_changed.emit(True)
        else:
            self._probe_step = min(self._probe_step + 1, len(self.probe_delays) - 1)
        self._probe_timer.start(int(self.probe_delays[self._probe_step] * 1000))

    def _came_online(self) -> None:
        self._probe_timer.stop()
        self._probe_step = 0
        if self.offline:
            self.offline = False
            log.info("a server answered again: online")
            self.offline_changed.emit(False)
            if self._started and self.interval_minutes > 0:
                self._timer.start()

    def _probe(self) -> None:
        """Ask the accounts' own servers again: a normal sync round (it sends the outbox too)."""
        log.info("probing the accounts' servers")
        self.sync_now()

    def probe_soon(self) -> None:
        """A request just failed to reach a server: check with a sync round shortly."""
        if not self._probe_timer.isActive() and not self.is_busy():
            self._probe_timer.start(int(self.probe_delays[0] * 1000))

    # ---- the outbox

    def send_now(self) -> None:
        """A reply was queued or retried: send it now if the network is there.

        Offline, it waits: the probe that finds the network again sends it.
        """
        if self.cancel.is_set() or self.offline:
            return
        store = self.store

        def pending_accounts() -> list[Account]:
            ids = {i.account_id for i in store.outbox_items([OutboxState.QUEUED])}
            return [a for a in store.accounts() if a.id in ids and not a.is_demo]

        self.runner.run(
            pending_accounts,
            self._send_for,
            self._read_failed,
            name="accounts with replies to send",
        )

    def _send_for(self, accounts: list[Account]) -> None:
        for account in accounts:
            if account.id in self._syncing or account.id in {a.id for a in self._queue}:
                self._outbox_again.add(account.id)  # after its sync, not beside it
            else:
                self._send(account)

    def _send(self, account: Account) -> None:
        if account.id in self._sending or self.cancel.is_set():
            return
        self._sending.add(account.id)
        outbox, client_for, cancel = self.outbox, self.client_for, self.cancel

        def work() -> SendReport:
            return outbox.send_pending(account, client_for(account), cancel)

        def done(report: SendReport) -> None:
            self._sending.discard(account.id)
            self._rows_changed(report.updated_thread_ids)
            self._flush()
            self.outbox_sent.emit(report)
            if isinstance(report.error, ServerUnreachable):
                self.probe_soon()

        def failed(exc: BaseException) -> None:
            self._sending.discard(account.id)
            log.warning("sending the outbox of account %s failed: %s", account.id, exc)

        self.runner.run(work, done, failed, name=f"send outbox of account {account.id}")

    def refresh_thread(self, thread_id: int) -> None:
        """The owner opened a conversation: re-read it from the server now, in the background
        (at most once a minute), so what they answer is what the customer last wrote."""
        now = time.monotonic()
        if (
            self.offline
            or self.cancel.is_set()
            or now - self._reread.get(thread_id, -REREAD_AFTER) < REREAD_AFTER
        ):
            return
        self._reread[thread_id] = now
        store, service = self.lane_store, self.service

        def work() -> IngestResult | None:
            row = store.thread(thread_id)
            account = store.account(row.account_id) if row is not None else None
            if account is None or account.is_demo:
                return None
            return service.refresh_one(account, thread_id)  # rows stream in via on_ingest

        def failed(exc: BaseException) -> None:
            log.info("re-reading conversation %s failed: %s", thread_id, type(exc).__name__)

        self.runner.run(
            work, lambda _result: None, failed, name=f"re-read conversation {thread_id}"
        )

    # ---- streamed results

    def _on_ingest(self, result: IngestResult) -> None:
        self._buffer.append(result)
        if not self._flush_timer.isActive():
            self._flush_timer.start()

    def _rows_changed(self, thread_ids: Sequence[int]) -> None:
        """Threads whose rows changed without new posts (a reply sent or failed)."""
        if thread_ids:
            self._on_ingest(IngestResult(0, (), tuple(thread_ids)))

    def _flush(self) -> None:
        self._flush_timer.stop()
        if not self._buffer:
            return
        merged = merge_ingests(self._buffer)
        self._buffer = []
        if merged.new_thread_ids or merged.updated_thread_ids or merged.removed_thread_ids:
            self.ingested.emit(merged)

    def _read_failed(self, exc: BaseException) -> None:
        log.warning("the scheduler could not read the store: %s", exc)
