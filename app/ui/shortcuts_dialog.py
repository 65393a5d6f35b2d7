"""Help → Keyboard shortcuts: every key Shopkeep answers to, in one calm window.

A non-modal window, so it can stay open beside the inbox while the owner
learns the keys. The list is data (`SHORTCUT_GROUPS`) so a test can check
that every shortcut is documented; every one also has a button or menu item.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.ui import palette

SHORTCUT_GROUPS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Move around",
        [
            ("J", "Next conversation"),
            ("K", "Previous conversation"),
            ("Enter", "Open the selected conversation"),
            ("/  or  Ctrl+F", "Search mentions"),
            ("Esc", "Leave the search box"),
        ],
    ),
    (
        "Answer",
        [
            ("R", "Write a reply (focus the composer)"),
            ("Ctrl+Enter", "Send the reply"),
            ("Tab", "Leave the reply box"),
        ],
    ),
    (
        "Tidy up",
        [
            ("E", "Done: take the conversation out of Needs reply"),
            ("Z", "Snooze until… (it comes back by itself)"),
            ("U  or  Ctrl+Z", "Undo the last Done or Snooze"),
            ("Ctrl+Shift+Z", "Redo"),
            ("Shift+U", "Mark as unread (right-click a row for more)"),
            ("T", "Take it: assign the conversation to yourself (team inbox)"),
            ("Shift+T", "Assign to… someone in the team (team inbox)"),
        ],
    ),
    (
        "Everything else",
        [
            ("F5", "Sync now"),
            ("Ctrl+E", "Export the list as CSV or JSON"),
            ("Ctrl+,", "Settings"),
            ("Ctrl+1", "Newest first"),
            ("Ctrl+2", "Complaints first"),
            ("F1", "This list of shortcuts"),
            ("Ctrl+Q", "Quit"),
        ],
    ),
]

STYLE = """
QDialog#shortcutsDialog { background: @base; }
QLabel#shortcutGroup { font-weight: 700; color: @text; padding-top: 8px; }
QLabel#shortcutCap { font-family: "DejaVu Sans Mono", monospace; font-weight: 600;
    color: @text; background: @hover; border: 1px solid @border_strong;
    border-bottom-width: 2px; border-radius: 5px; padding: 1px 7px; }
QLabel#shortcutOr { color: @text_muted; }
QLabel#shortcutWhat { color: @text_secondary; }
QLabel#shortcutHint { color: @text_muted; }
"""


def all_keys() -> list[str]:
    """Every key combination listed, one per entry ("U", "Ctrl+Z", ...)."""
    keys: list[str] = []
    for _title, rows in SHORTCUT_GROUPS:
        for combo, _what in rows:
            keys.extend(k.strip() for k in combo.split(" or ") if k.strip())
    return keys


class ShortcutsDialog(QDialog):
    """Two columns per group: the key caps and what they do."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts")
        palette.style(self, STYLE)
        self.setModal(False)
        col = QVBoxLayout(self)
        col.setContentsMargins(22, 16, 22, 14)
        hint = QLabel("Single letters work whenever you are not typing in a text box.", self)
        hint.setObjectName("shortcutHint")
        col.addWidget(hint)
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(6)
        row = 0
        for title, entries in SHORTCUT_GROUPS:
            heading = QLabel(title, self)
            heading.setObjectName("shortcutGroup")
            grid.addWidget(heading, row, 0, 1, 2)
            row += 1
            for combo, what in entries:
                grid.addWidget(self._caps(combo), row, 0)
                label = QLabel(what, self)
                label.setObjectName("shortcutWhat")
                grid.addWidget(label, row, 1)
                row += 1
        grid.setColumnStretch(1, 1)
        col.addLayout(grid)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        col.addWidget(buttons)

    def _caps(self, combo: str) -> QWidget:
        box = QWidget(self)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        for i, key in enumerate(k.strip() for k in combo.split(" or ")):
            if i:
                word = QLabel("or", box)
                word.setObjectName("shortcutOr")
                row.addWidget(word)
            cap = QLabel(key, box)
            cap.setObjectName("shortcutCap")
            cap.setTextFormat(Qt.TextFormat.PlainText)
            row.addWidget(cap)
        row.addStretch(1)
        return box

    def listed_text(self) -> str:
        """All visible text, for tests and screen readers."""
        return " ".join(label.text() for label in self.findChildren(QLabel))


def show_shortcuts(parent: QWidget | None) -> ShortcutsDialog:
    """Open (or raise) the one shortcuts window of `parent`."""
    existing = parent.findChild(ShortcutsDialog) if parent is not None else None
    dialog = existing or ShortcutsDialog(parent)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
