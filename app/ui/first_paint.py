"""Work that can wait until the owner sees the inbox: started after its first paint.

A background import (the sentiment scorer, ~0.5 s of Python) still holds the
interpreter lock, so starting it while the window builds delays the first painted
inbox. Such work waits for that paint, or for a short fallback when the window is
never painted (offscreen tests, a minimised start).

Work done on the GUI thread after that paint is cut into `Slices`, one per turn of
the event loop: a sync started at once must not feel it as one long stall.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

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


class Slices(QObject):
    """Runs `steps` (a generator) one step per event-loop turn once started.

    A step is what the generator does up to its next `yield`; between two steps the
    window paints, timers fire and the sync's results come in. Building the
    answering parts at once held the GUI thread 30-60 ms while a sync ran (each of
    their few hundred Qt calls gives the interpreter lock to the sync's threads and
    waits to take it back); in steps of a few milliseconds no turn is that long.
    `finish()` runs what is left at once, for whoever needs the result now.
    """

    def __init__(self, steps: Iterator[object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._steps: Iterator[object] | None = steps
        self._started = False
        self._running = False
        self.taken = 0  # steps run so far

    @property
    def done(self) -> bool:
        return self._steps is None

    def start(self) -> None:
        """Take the steps one per turn from now on (again: nothing more)."""
        if not self._started:
            self._started = True
            self._next_turn()

    def finish(self) -> None:
        """Run every step that is left, now."""
        while self._steps is not None:
            self._step()

    def _next_turn(self) -> None:
        if self._steps is not None:
            self._step()
        if self._steps is not None:
            QTimer.singleShot(0, self, self._next_turn)

    def _step(self) -> None:
        if self._running:
            raise RuntimeError("a step asked for the result it is building")
        assert self._steps is not None
        self._running = True
        try:
            next(self._steps)
            self.taken += 1
        except StopIteration:
            self._steps = None
        finally:
            self._running = False
