"""`shopkeep screenshot`: the window as a user sees it, saved to a PNG with no display."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from app.ui.app_window import AppWindow


def save_screenshot(
    window: AppWindow, out: Path, *, size: tuple[int, int], select: int, suggested_reply: bool
) -> tuple[bool, str, tuple[int, int]]:
    """Show, settle and grab the window; (saved, what was filled in, the size written).

    The window never goes below its minimum size, so a smaller request is written
    at that minimum and the caller says so.
    """
    window.resize(*size)
    window.show()
    QApplication.processEvents()
    if select >= 0:
        window.select_row(select)
    _settle(window)
    filled = ""
    pane = window.answer_pane
    if suggested_reply and pane.composer.suggested is not None:
        filled = f' with the reply "{pane.composer.suggested.title}" filled in'
        pane.composer.use_suggestion()
        pane.composer.focus_editor()
        _settle(window)
    out.parent.mkdir(parents=True, exist_ok=True)
    picture = window.grab()
    ok = picture.save(str(out), "PNG")
    window.runner.shutdown()
    window.close()
    return ok, filled, (picture.width(), picture.height())


def _settle(window: AppWindow) -> None:
    """Let background reads deliver and layouts settle."""
    loop = QEventLoop()
    for _ in range(3):
        window.runner.wait_idle(3000)
        QTimer.singleShot(60, loop.quit)
        loop.exec()
        QApplication.processEvents()
