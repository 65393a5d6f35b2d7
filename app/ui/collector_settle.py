"""What the window holds for good, kept out of the cycle collector's full passes.

Start-up's own objects are frozen at the first show (`app.main.show_window`). After
it, the answering parts and the scorer are imported in the background: in the bench's
window ~22,000 more long-lived objects (functions, classes, module tables).
Every full pass of the collector walked them again, 16-26 ms on the GUI thread while
the owner scrolled, and none of them is ever garbage.

So once the task runner has been idle for a moment (the window has settled), this
collects everything once (start-up's objects included, so nothing frozen earlier
stays frozen as garbage) and freezes what is left. It does so again only when that
many new survivors have gathered since.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

from app.ui.task_runner import TaskRunner

IDLE_MS = 1000  # the runner idle this long: the window has settled
NEW_SURVIVORS = 10_000  # unfrozen long-lived objects worth a freeze


class CollectorSettle(QObject):
    """Freezes the window's long-lived objects each time it settles with many new ones.

    `at_rest` is true from the check made once the runner has been idle for `idle_ms`
    until the runner is busy again (the bench waits for it); `freezes` counts freezes.
    """

    def __init__(
        self,
        runner: TaskRunner,
        parent: QObject | None = None,
        *,
        idle_ms: int = IDLE_MS,
        new_survivors: int = NEW_SURVIVORS,
    ) -> None:
        super().__init__(parent)
        self.freezes = 0
        self.at_rest = False
        self._new_survivors = new_survivors
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(idle_ms)
        self._timer.timeout.connect(self._settle)
        runner.busy_changed.connect(self._on_busy)
        self._on_busy(runner.is_busy())

    def _on_busy(self, busy: bool) -> None:
        if busy:
            self.at_rest = False
            self._timer.stop()
        else:
            self._timer.start()

    def _settle(self) -> None:
        self.at_rest = True
        if len(gc.get_objects(generation=2)) < self._new_survivors:
            return
        gc.unfreeze()  # all of it once, so garbage frozen before is collected now
        gc.collect()
        gc.freeze()
        self.freezes += 1
