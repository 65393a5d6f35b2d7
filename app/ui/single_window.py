"""A second start of Shopkeep on the same data folder brings the open window forward.

The folder's lock decides who owns it; this only carries the request. The second
start (which could not take the lock) leaves a small request file beside the
database; the open window looks for it every half second, comes to the front and
removes it, which is the answer. A file and a timer, not a socket: no network
module in the frozen app, and nothing to clean up after a crash.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

POLL_MS = 500


class WindowBeacon(QObject):
    """Watches for a second start's request and brings `window` to the front."""

    def __init__(self, request: Path, window: QWidget) -> None:
        super().__init__(window)
        self._request = Path(request)
        self._window = window
        self._request.unlink(missing_ok=True)  # left by a crash: nobody waits for it now
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.check)
        self._timer.start()
        log.info("listening for a second start of Shopkeep")

    def check(self) -> None:
        if not self._request.exists():
            return
        window = self._window
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
        window.show()
        window.raise_()
        window.activateWindow()
        log.info("a second start of Shopkeep asked for this window")
        try:
            self._request.unlink()  # the answer: the second start sees it gone
        except OSError as exc:
            log.warning("could not answer the second start: %s", exc)


def ask_first_to_raise(request: Path, timeout_s: float = 3.0) -> bool:
    """From a second start: ask the open window to come forward; True if it answered."""
    request = Path(request)
    try:
        request.write_text(str(os.getpid()), encoding="ascii")
    except OSError as exc:
        log.warning("could not ask the open window to come forward: %s", exc)
        return False
    deadline = time.monotonic() + timeout_s
    while request.exists():
        if time.monotonic() >= deadline:
            request.unlink(missing_ok=True)
            return False
        time.sleep(0.05)
    return True
