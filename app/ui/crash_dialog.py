"""A calm dialog for bugs: what happened in one sentence, where the log is, details folded.

Installed as `sys.excepthook` by main.py. Expected failures (ShopkeepError)
never get here; they are shown as plain messages where they happen.
"""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

log = logging.getLogger("shopkeep.crash")


class CrashDialog(QDialog):
    """Says sorry, keeps the user's work, points at the log file; details on demand."""

    def __init__(self, details: str, log_path: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Shopkeep hit a problem")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        head = QLabel("Something unexpected happened.", self)
        head.setObjectName("crashTitle")
        layout.addWidget(head)
        body = QLabel(
            "Your saved conversations, drafts and outbox are safe. You can keep working; "
            "if things look wrong, restart Shopkeep.",
            self,
        )
        body.setWordWrap(True)
        layout.addWidget(body)
        if log_path is not None:
            where = QLabel(f"Details were written to:\n{log_path}", self)
            where.setTextInteractionFlags(where.textInteractionFlags().TextSelectableByMouse)
            where.setWordWrap(True)
            layout.addWidget(where)
        self.details = QPlainTextEdit(details, self)
        self.details.setReadOnly(True)
        self.details.setVisible(False)
        self.details.setMinimumHeight(180)
        layout.addWidget(self.details)
        buttons = QDialogButtonBox(self)
        toggle = QPushButton("Show details", self)
        toggle.setCheckable(True)
        toggle.toggled.connect(self._toggle)
        self.toggle = toggle
        buttons.addButton(toggle, QDialogButtonBox.ButtonRole.ActionRole)
        copy = buttons.addButton("Copy details", QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(details))
        if log_path is not None:
            folder = buttons.addButton("Open log folder", QDialogButtonBox.ButtonRole.ActionRole)
            folder.clicked.connect(
                lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_path.parent)))
            )
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _toggle(self, shown: bool) -> None:
        self.details.setVisible(shown)
        self.toggle.setText("Hide details" if shown else "Show details")
        self.adjustSize()


class CrashHandler:
    """The excepthook: logs every uncaught exception, then shows one dialog at a time."""

    def __init__(self, log_path: Path | None, *, show_dialog: bool = True) -> None:
        self.log_path = log_path
        self.show_dialog = show_dialog
        self._showing = False
        self.last_details = ""

    def install(self) -> None:
        sys.excepthook = self

    def __call__(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        self.last_details = "".join(traceback.format_exception(exc_type, exc, tb))
        log.critical("Uncaught exception", exc_info=(exc_type, exc, tb))
        if not self.show_dialog or self._showing or QApplication.instance() is None:
            return
        self._showing = True
        try:
            CrashDialog(self.last_details, self.log_path, QApplication.activeWindow()).exec()
        finally:
            self._showing = False
