"""Small dialogs: keyboard shortcuts, the add-account placeholder, confirmations."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

SHORTCUTS: list[tuple[str, str]] = [
    ("J", "Next thread"),
    ("K", "Previous thread"),
    ("Enter", "Open the selected thread"),
    ("/  or  Ctrl+F", "Search"),
    ("Esc", "Leave the search box"),
    ("F5", "Sync now"),
    ("Ctrl+1", "Newest first"),
    ("Ctrl+2", "Angriest first"),
    ("Ctrl+Q", "Quit"),
]


class ShortcutsDialog(QDialog):
    """A plain two-column list; every shortcut also has a menu or mouse equivalent."""

    def __init__(self, parent: QWidget | None = None,
                 extra: list[tuple[str, str]] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        layout = QVBoxLayout(self)
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(8)
        for row, (keys, what) in enumerate(SHORTCUTS + (extra or [])):
            key_label = QLabel(keys)
            key_label.setObjectName("shortcutKey")
            key_label.setTextFormat(Qt.TextFormat.PlainText)
            grid.addWidget(key_label, row, 0)
            grid.addWidget(QLabel(what), row, 1)
        layout.addLayout(grid)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def accounts_coming_soon(parent: QWidget | None) -> None:
    """Placeholder for the add-account flow until the accounts issue lands."""
    QMessageBox.information(
        parent,
        "Add account",
        "Connecting your Mastodon or Bluesky account arrives in the next version.\n\n"
        "Until then you can look around with the demo data.",
    )


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
