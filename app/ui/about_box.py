"""Help → About Shopkeep: the version the owner quotes when asking for help, where the
data and the logs are (with an Open button), and the licence.

The version is the application's (set from the installed package's metadata, the same
one `shopkeep --version` and the .deb carry). Non-modal, like the shortcuts window.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.paths import AppPaths

LICENCE = (
    "Free software under the GNU General Public License, version 3 or later "
    "(GPL-3.0-or-later). It comes with no warranty."
)


class AboutBox(QDialog):
    """Version, tagline, the two folders the owner may be asked for, and the licence."""

    def __init__(self, paths: AppPaths | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutBox")
        self.setWindowTitle("About Shopkeep")
        col = QVBoxLayout(self)
        col.setContentsMargins(24, 20, 24, 16)
        col.setSpacing(10)
        head = QHBoxLayout()
        mark = QLabel(self)
        mark.setPixmap(QApplication.windowIcon().pixmap(64, 64))
        head.addWidget(mark, 0, Qt.AlignmentFlag.AlignTop)
        words = QVBoxLayout()
        self.title = QLabel(f"Shopkeep {QApplication.applicationVersion()}", self)
        self.title.setObjectName("conversationTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        words.addWidget(self.title)
        tagline = QLabel(
            "One inbox for every mention of your business on Mastodon and Bluesky.", self
        )
        tagline.setWordWrap(True)
        words.addWidget(tagline)
        head.addLayout(words, 1)
        col.addLayout(head)

        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        self.open_buttons: dict[str, QPushButton] = {}
        self.folder_labels: dict[str, QLabel] = {}
        if paths is not None:
            for row, (what, folder) in enumerate(
                (("Your data", paths.data_dir), ("Logs", paths.log_dir))
            ):
                grid.addWidget(QLabel(what, self), row, 0)
                shown = QLabel(str(folder), self)
                shown.setTextFormat(Qt.TextFormat.PlainText)
                shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                shown.setWordWrap(True)
                self.folder_labels[what] = shown
                grid.addWidget(shown, row, 1)
                button = QPushButton("Open", self)
                button.setAccessibleName(f"Open the {what.lower()} folder")
                button.setToolTip(f"Show {folder} in your file manager")
                button.clicked.connect(lambda _c=False, f=folder: open_folder(f))
                self.open_buttons[what] = button
                grid.addWidget(button, row, 2)
        grid.setColumnStretch(1, 1)
        col.addLayout(grid)
        self.licence = QLabel(LICENCE, self)
        self.licence.setObjectName("pageText")
        self.licence.setWordWrap(True)
        col.addWidget(self.licence)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        col.addWidget(buttons)
        self.resize(520, self.sizeHint().height())

    def text(self) -> str:
        """The first line, "Shopkeep 1.2.3" (what the owner quotes)."""
        return self.title.text()


def open_folder(folder: Path) -> bool:
    """Show `folder` in the desktop's file manager (made first if it is not there yet)."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def about_box(parent: QWidget, paths: AppPaths | None = None) -> AboutBox:
    """Build and show the About box; returns it (tests close it)."""
    box = AboutBox(paths, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModality.NonModal)
    box.show()
    return box
