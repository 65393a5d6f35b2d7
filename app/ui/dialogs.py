"""Small confirmations and warnings the app asks for and gives."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def confirm_remove_demo(parent: QWidget | None) -> bool:
    answer = QMessageBox.question(
        parent,
        "Remove demo data",
        "Remove the demo accounts and their conversations?\n\n"
        "Nothing of your own is touched.",
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
