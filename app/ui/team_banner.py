"""The line across the top of the window in team mode when the team database is away.

It says the window reads a local copy, that replies wait on this laptop, and, once
the database answers again (a probe in the task runner every minute), that the
replies joined the team's outbox and a restart brings the live team inbox back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QMainWindow, QToolBar

PROBE_MS = 60_000
OFFLINE_WORDS = (
    "Offline: the team database cannot be reached. You are reading this laptop's copy of "
    "the team inbox; replies and drafts you write wait here and join the team when it is back."
)


class TeamBanner(QToolBar):
    """A full-width line under the toolbar, with words (never colour alone)."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__("Team database", window)
        self.setObjectName("teamBanner")
        self.setMovable(False)
        self.setFloatable(False)
        self.label = QLabel(OFFLINE_WORDS, self)
        self.label.setWordWrap(True)
        self.label.setAccessibleName("Team database status")
        self.addWidget(self.label)
        window.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self)

    def say(self, text: str) -> None:
        self.label.setText(text)


class OfflineWatch:
    """Every minute, `probe()` in the task runner: None while the database is away, else
    what it handed over (a count of replies). Then the banner says so, once."""

    def __init__(
        self,
        banner: TeamBanner,
        runner: Any,
        probe: Callable[[], int | None],
        *,
        interval_ms: int = PROBE_MS,
    ) -> None:
        self.banner = banner
        self.runner = runner
        self.probe = probe
        self.handed = 0
        self.timer = QTimer(banner)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> None:
        self.runner.run(self.probe, self._probed, self._failed, name="team database probe")

    def _failed(self, exc: BaseException) -> None:
        self.banner.say(OFFLINE_WORDS)

    def _probed(self, handed: int | None) -> None:
        if handed is None:
            return
        self.handed += handed
        joined = (
            f" The {self.handed} repl{'ies' if self.handed != 1 else 'y'} you wrote meanwhile "
            "joined the team's outbox."
            if self.handed
            else ""
        )
        self.banner.say(
            "The team database is back." + joined + " Restart Shopkeep to work on the live "
            "team inbox again (until then this window still reads its copy)."
        )


GONE_WORDS = (
    "The team database stopped answering. What you see may be out of date and nothing "
    "can be saved to it; Shopkeep checks again every half minute. If it stays away, "
    "restart Shopkeep to work from this laptop's copy."
)
GONE_PROBE_MS = 30_000


class ConnectionWatch:
    """On a live team inbox: the banner appears when a read or write finds the database
    gone (`TeamUnreachable` reaching the window), and goes once `probe()` succeeds."""

    def __init__(
        self,
        window: QMainWindow,
        runner: Any,
        probe: Callable[[], object],
        is_gone: Callable[[BaseException], bool],
        *,
        interval_ms: int = GONE_PROBE_MS,
    ) -> None:
        self.window = window
        self.runner = runner
        self.probe = probe
        self.is_gone = is_gone
        self.banner: TeamBanner | None = None
        self.timer = QTimer(window)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        runner.unhandled_error.connect(self._on_error)

    @property
    def gone(self) -> bool:
        return self.banner is not None and self.banner.isVisible()

    def _on_error(self, exc: BaseException) -> None:
        if not self.is_gone(exc):
            return
        if self.banner is None:
            self.banner = TeamBanner(self.window)
        self.banner.say(GONE_WORDS)
        self.banner.show()
        self.timer.start()

    def check(self) -> None:
        self.runner.run(self.probe, self._back, self._still_gone, name="team database probe")

    def _still_gone(self, exc: BaseException) -> None:
        if not self.is_gone(exc):
            self.runner.unhandled_error.emit(exc)

    def _back(self, _result: object) -> None:
        self.timer.stop()
        if self.banner is not None:
            self.banner.hide()
