"""Work that can wait until the owner sees the inbox: started after its first paint.

A background import (the sentiment scorer, ~0.5 s of Python) still holds the
interpreter lock, so starting it while the window builds delays the first painted
inbox. Such work waits for that paint, or for a short fallback when the window is
never painted (offscreen tests, a minimised start).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

FALLBACK_MS = 3000  # no paint by then (hidden window): start anyway


class _AfterPaint(QObject):
    def __init__(
        self, widget: QWidget, callback: Callable[[], object], ready: Callable[[], bool]
    ) -> None:
        super().__init__(widget)
        self._widget, self._callback, self._ready = widget, callback, ready
        self._done = False
        widget.installEventFilter(self)
        QTimer.singleShot(FALLBACK_MS, self, self._fire)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._done and self._ready():
            QTimer.singleShot(0, self, self._fire)  # once this paint is on screen
        return False

    def _fire(self) -> None:
        if self._done:
            return
        self._done = True
        self._widget.removeEventFilter(self)
        self._callback()


def after_first_paint(
    widget: QWidget, callback: Callable[[], object], ready: Callable[[], bool] = lambda: True
) -> None:
    """Call `callback` once, after `widget` painted while `ready()` (or after FALLBACK_MS)."""
    _AfterPaint(widget, callback, ready)
