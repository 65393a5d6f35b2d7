"""Desktop notifications for new complaints: one calm summary, never a flood.

A sync can bring fifty negative mentions at once; the owner wants to know
"there are complaints", not fifty pop-ups. So new negatives are collected and
shown as one message, and after a message the next one waits at least
`min_gap_s` (whatever came meanwhile is summed into it). The message text is
kept in `last_message` / `messages`, so tests (and a platform with no tray)
see exactly what the owner would. It can be turned off in Settings.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QSystemTrayIcon, QWidget

from app.core.models import StoredPost
from app.ui.desktop_notifications import DesktopNotifications
from app.ui.ports import NotifierStore
from app.ui.task_runner import TaskRunner

log = logging.getLogger(__name__)

MIN_GAP_S = 120.0
SAMPLES = 3  # names shown in a summary
SNIPPET = 90


def summary(count: int, samples: Sequence[StoredPost]) -> tuple[str, str]:
    """(title, body): "New complaint from Ann" or "5 new complaints"."""

    def who(sp: StoredPost) -> str:
        author = sp.post.author
        return author.display_name or author.handle

    if count == 1 and samples:
        text = " ".join(samples[0].post.text.split())
        if len(text) > SNIPPET:
            text = text[: SNIPPET - 1].rstrip() + "…"
        return f"New complaint from {who(samples[0])}", text
    names = []
    for sp in samples:
        if who(sp) not in names:
            names.append(who(sp))
    body = "From " + ", ".join(names[:SAMPLES]) if names else ""
    if body and count > len(names[:SAMPLES]):
        body += " and others"
    return f"{count} new complaints", (body + "." if body else "Open Shopkeep to answer them.")


class TrayNotifier(QObject):
    """Signals `shown(title, body)` each time a notification goes out.

    With the desktop's notification service (`desktop`, ready) the message goes
    there and a click on it opens the conversation (`open_thread`); otherwise the
    tray icon shows it where a tray exists.
    """

    shown = Signal(str, str)
    activated = Signal()
    open_thread = Signal(int)

    def __init__(
        self,
        store: NotifierStore,
        runner: TaskRunner,
        window: QWidget,
        *,
        enabled: bool = True,
        min_gap_s: float = MIN_GAP_S,
        clock: Callable[[], float] = time.monotonic,
        desktop: DesktopNotifications | None = None,
    ) -> None:
        super().__init__(window)
        self.desktop = desktop
        if desktop is not None:
            desktop.activated.connect(self._desktop_clicked)
        self.store = store
        self.runner = runner
        self.enabled = enabled
        self.min_gap_s = min_gap_s
        self.clock = clock
        self.messages: list[tuple[str, str]] = []
        self._pending: list[int] = []
        self._last_shown: float | None = None
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self._flush)
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(window.windowIcon(), self)
            self.tray.setToolTip("Shopkeep")
            self.tray.messageClicked.connect(self.activated)
            self.tray.activated.connect(lambda _reason: self.activated.emit())
            self.tray.show()

    @property
    def last_message(self) -> tuple[str, str] | None:
        return self.messages[-1] if self.messages else None

    def set_enabled(self, enabled: bool) -> None:
        self.enabled = enabled
        if not enabled:
            self._pending.clear()
            self._timer.stop()

    def add_negatives(self, post_ids: Sequence[int]) -> None:
        """New negative posts arrived; a summary goes out now or when the gap has passed."""
        if not self.enabled or not post_ids:
            return
        self._pending += [i for i in post_ids if i not in self._pending]
        wait = 0.0 if self._last_shown is None else self._last_shown + self.min_gap_s - self.clock()
        if wait <= 0:
            self._flush()
        elif not self._timer.isActive():
            self._timer.start(int(wait * 1000))

    def _flush(self) -> None:
        ids, self._pending = self._pending, []
        if not ids or not self.enabled:
            return
        self._last_shown = self.clock()
        store = self.store

        def read() -> list[StoredPost]:
            return [sp for sp in (store.post(i) for i in ids[: SAMPLES * 4]) if sp is not None]

        self.runner.run(
            read,
            lambda samples: self._show(len(ids), samples),
            lambda exc: self._show(len(ids), []),
            name="read new complaints",
        )

    def _desktop_clicked(self, thread_id: int) -> None:
        self.activated.emit()
        if thread_id:
            self.open_thread.emit(thread_id)

    def _show(self, count: int, samples: list[StoredPost]) -> None:
        title, body = summary(count, samples)
        self.messages.append((title, body))
        log.info("notification: %s", title)
        # One conversation behind it all: a click opens it; otherwise the click shows the inbox.
        threads = {sp.thread_id for sp in samples}
        key = samples[0].thread_id if len(samples) == count and len(threads) == 1 else 0
        if self.desktop is not None and self.desktop.is_ready:
            self.desktop.show(title, body, key)
        elif self.tray is not None and self.tray.supportsMessages():
            self.tray.showMessage(title, body, QSystemTrayIcon.MessageIcon.Information, 10_000)
        self.shown.emit(title, body)
