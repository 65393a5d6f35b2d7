"""Help → About Shopkeep: the version the owner quotes when asking for help.

The version is the application's (set from the installed package's metadata, the same
one `shopkeep --version` and the .deb carry). Non-modal, like the shortcuts window.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget


def about_box(parent: QWidget) -> QMessageBox:
    """Build and show the About box; returns it (tests close it)."""
    version = QApplication.applicationVersion()
    box = QMessageBox(parent)
    box.setObjectName("aboutBox")
    box.setWindowTitle("About Shopkeep")
    box.setIconPixmap(QApplication.windowIcon().pixmap(64, 64))
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(f"Shopkeep {version}")
    box.setInformativeText(
        "One inbox for every mention of your business on Mastodon and Bluesky.")
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModality.NonModal)
    box.show()
    return box
