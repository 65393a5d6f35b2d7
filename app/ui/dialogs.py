"""Small confirmations the main window asks for."""

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
