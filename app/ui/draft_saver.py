"""Drafts that survive anything: every pause in typing is written to the database.

Typing restarts a ~400 ms timer (and someone typing without a pause is
saved at least every 2 s); when it fires, the text goes to the store
through the task runner's write lane (one worker, in order, one transaction
per save), so the GUI never waits on the disk and two saves never race.
Leaving a thread, closing the window or sending flushes at once. Reads of a
draft also go through the write lane, so they always see the latest save.

Each save tells the store which stored version the editor last showed
(`seen`): a draft that changed meanwhile (a sync merged this conversation into
another and moved its draft along) is never overwritten by a fragment; the
store keeps both and `reconciled` hands the composer the whole text.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal

from app.core.errors import ShopkeepError
from app.core.models import Draft
from app.ui.ports import AnswerStore
from app.ui.task_runner import TaskRunner

log = logging.getLogger(__name__)

SAVE_DELAY_MS = 400
MAX_WAIT_MS = 2000


@dataclass(frozen=True, slots=True)
class _Pending:
    thread_id: int
    text: str
    template_id: int | None


class DraftSaver(QObject):
    """Debounces keystrokes into ordered background saves; one instance per composer.

    Signals: `saved(thread_id, draft_or_None)` after each write lands,
    `presence_changed(thread_id, has_draft)` when a thread gains or loses its
    draft (the Drafts folder count), `failed(message)` when a save could not
    be written (the text stays in the editor and the next keystroke retries),
    `reconciled(thread_id, sent_text, draft)` when the store kept more than the
    text sent (a draft the editor had not seen): the composer shows all of it.
    """

    saved = Signal(int, object)
    presence_changed = Signal(int, bool)
    failed = Signal(str)
    reconciled = Signal(int, str, object)

    def __init__(
        self,
        store: AnswerStore,
        runner: TaskRunner,
        parent: QObject | None = None,
        *,
        delay_ms: int = SAVE_DELAY_MS,
        max_wait_ms: int = MAX_WAIT_MS,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._runner = runner
        self._pending: _Pending | None = None
        self._pending_since = 0.0
        self._max_wait = max_wait_ms / 1000
        self._has_draft: dict[int, bool] = {}
        # thread id -> updated_at of the stored draft the editor last showed or wrote
        # (None: no draft). Written in the write lane after each save, so a save
        # always reads what the one before it left.
        self._seen: dict[int, datetime | None] = {}
        self.in_flight = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.flush)

    def text_changed(self, thread_id: int, text: str, template_id: int | None = None) -> None:
        """Note the latest text of a thread; it is written after a short pause."""
        if self._pending is not None and self._pending.thread_id != thread_id:
            self.flush()  # another thread's text must not be lost or mixed in
        if self._pending is None:
            self._pending_since = time.monotonic()
        self._pending = _Pending(thread_id, text, template_id)
        if time.monotonic() - self._pending_since >= self._max_wait:
            self.flush()  # typing without a pause: do not wait for one
        else:
            self._timer.start()

    def flush(self) -> None:
        """Write the pending text now (leaving a thread, closing, before a send)."""
        self._timer.stop()
        pending, self._pending = self._pending, None
        if pending is None:
            return
        store = self._store
        seen = self._seen
        self.in_flight += 1

        def write() -> Draft | None:
            draft = store.save_draft(
                pending.thread_id,
                pending.text,
                pending.template_id,
                seen=seen.get(pending.thread_id),
            )
            version = draft.updated_at if draft is not None else None
            seen[pending.thread_id] = version
            if draft is not None:
                seen[draft.thread_id] = version  # the thread it was merged into
            return draft

        self._runner.run(
            write,
            lambda draft: self._on_saved(pending, draft),
            lambda exc: self._on_failed(pending, exc),
            write=True,
            name="save draft",
        )

    def mark_seen(self, thread_id: int, draft: Draft | None) -> None:
        """The editor now shows this stored draft (restored into an empty editor)."""
        version = draft.updated_at if draft is not None else None
        known = self._seen.get(thread_id)
        if version is not None and (known is None or version > known):
            self._seen[thread_id] = version

    def follow(self, old_id: int, new_id: int) -> None:
        """The thread being typed in was merged into `new_id`: unsaved text goes there."""
        if self._pending is not None and self._pending.thread_id == old_id:
            self._pending = _Pending(new_id, self._pending.text, self._pending.template_id)

    def discard(self, thread_id: int) -> None:
        """Forget unsaved text of a thread (it is being sent, which drops the draft)."""
        if self._pending is not None and self._pending.thread_id == thread_id:
            self._timer.stop()
            self._pending = None

    def load(self, thread_id: int, on_loaded: Callable[[Draft | None], None]) -> None:
        """Read a thread's draft behind any queued saves, so it is never stale."""
        store = self._store

        def read() -> Draft | None:
            return store.get_draft(thread_id)

        def done(draft: Draft | None) -> None:
            self._has_draft[thread_id] = draft is not None
            on_loaded(draft)

        self._runner.run(read, done, write=True, name="read draft")

    def _on_saved(self, pending: _Pending, draft: Draft | None) -> None:
        self.in_flight -= 1
        thread_id = draft.thread_id if draft is not None else pending.thread_id
        if draft is not None and draft.text != pending.text:
            self.reconciled.emit(pending.thread_id, pending.text, draft)
        had = self._has_draft.get(thread_id)
        now = draft is not None
        self._has_draft[thread_id] = now
        self.saved.emit(thread_id, draft)
        if had != now:
            self.presence_changed.emit(thread_id, now)

    def _on_failed(self, pending: _Pending, exc: BaseException) -> None:
        self.in_flight -= 1
        if self._pending is None:  # keep the text so the next pause tries again
            self._pending = pending
            self._pending_since = time.monotonic()
        message = (
            exc.user_message
            if isinstance(exc, ShopkeepError)
            else ("Shopkeep could not save this draft. The text is still here.")
        )
        log.warning("draft for thread %s not saved: %s", pending.thread_id, exc)
        self.failed.emit(message)
