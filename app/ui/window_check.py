"""The Qt half of `--self-test` and the start-up bench: prove the window really paints."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWidget


def icon_renders(svg: Path) -> bool:
    """False when Qt's SVG plugins are missing (a frozen build that lost them)."""
    return not QIcon(str(svg)).pixmap(32, 32).isNull()


def paint_offscreen(window: QWidget) -> tuple[int, int, str]:
    """Show the window without putting it on screen, grab it; (width, height, platform)."""
    window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    window.show()
    QApplication.processEvents()
    pixmap = window.grab()
    if pixmap.isNull():
        raise RuntimeError("grab() returned an empty picture")
    return pixmap.width(), pixmap.height(), QApplication.platformName()


class _FirstPaint(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.property("done"):
            self.setProperty("done", True)
            print("first-paint", flush=True)
            QTimer.singleShot(0, QApplication.quit)
        return False


def exit_after_first_paint(window: QWidget) -> None:
    """Print "first-paint" and quit once the window has painted (SHOPKEEP_EXIT_AFTER_PAINT).

    The start-up benches time process start to that line, the same way for the frozen
    app and for `python -m app`.
    """
    window.installEventFilter(_FirstPaint(window))


PHOTO_FORMATS = ("png", "jpeg", "webp")  # what customers post; see app/net/media_fetch.py


def missing_photo_formats() -> list[str]:
    """Photo formats this build's Qt cannot decode (a spec that drops an image plugin)."""
    from PySide6.QtGui import QImageReader

    known = {bytes(f.data()).decode().lower() for f in QImageReader.supportedImageFormats()}
    return [f for f in PHOTO_FORMATS if f not in known]
