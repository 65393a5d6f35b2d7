"""The QApplication as Shopkeep runs it: names, style, Qt's warnings in our log.

Built here, not in app/main.py, so that only app/ui imports Qt.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from PySide6.QtCore import QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from app import __version__
from app.ui.app_style import apply_style

# The .desktop file's name without ".desktop" (packaging/deb.py installs it under this
# name): Wayland docks match windows by it, and notifications take its icon.
DESKTOP_FILE_NAME = "app.shopkeep.Shopkeep"

_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def make_application(argv: list[str]) -> QApplication:
    # The GUI thread shares the GIL with the sync and database workers, and PySide
    # releases it around each QPainter call: under contention every call waits up to
    # one switch interval for it back. At Python's default 5 ms a row's ~40 calls
    # cost ~30 ms (2,000 fillRect calls: 1.4 s beside a busy thread, 27 ms alone);
    # at 0.2 ms they cost ~3 ms, and the workers only switch when the GUI asks.
    sys.setswitchinterval(0.0002)
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    assert isinstance(app, QApplication)
    app.setApplicationName("Shopkeep")
    app.setApplicationDisplayName("Shopkeep")
    app.setOrganizationName("Shopkeep")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(DESKTOP_FILE_NAME)
    apply_style(app)
    return app


def install_qt_message_handler() -> None:
    """Route Qt's own warnings into logging, so they land in the log file too."""

    def handler(mode: QtMsgType, context: Any, message: str) -> None:
        category = getattr(context, "category", None) or "default"
        logging.getLogger(f"qt.{category}").log(_LEVELS.get(mode, logging.WARNING), message)

    qInstallMessageHandler(handler)
