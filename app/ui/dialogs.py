"""Small confirmations and warnings the app asks for and gives."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def confirm_remove_demo(parent: QWidget | None) -> bool:
    answer = QMessageBox.question(
        parent,
        "Remove demo data",
        "Remove the demo accounts and their conversations?\n\nNothing of your own is touched.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


def tell(text: str) -> None:
    """A plain warning with no window behind it (start-up, before the inbox exists)."""
    QMessageBox.warning(None, "Shopkeep", text)


def ask(text: str) -> bool:
    """A yes/no question with no window behind it; True for yes."""
    return QMessageBox.question(None, "Shopkeep", text) == QMessageBox.StandardButton.Yes


def notice(parent: QWidget, text: str, title: str = "Shopkeep") -> QMessageBox:
    """A warning over the window that does not block it (the inbox stays usable).

    Plain text only: the sentence may quote a file name or a server.
    """
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setObjectName("shopkeepNotice")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
