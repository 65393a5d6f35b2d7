"""See and edit the owner's sentiment words: a word and whether it is praise, a complaint,
or neutral (it then counts for nothing, whatever it usually means).

Some words mean the opposite in a trade ("wicked" in a bakery, "killer" in a
bike shop). The list is loaded and saved through callables so the dialog does
not know where it lives (settings.json today).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

PRAISE_VALENCE = 2.0  # VADER units: about "good"/"nice"
COMPLAINT_VALENCE = -2.0
NEUTRAL_VALENCE = 0.0  # the word no longer sways a post either way
KINDS = ("Praise", "Neutral", "Complaint")
VALENCES = {"Praise": PRAISE_VALENCE, "Neutral": NEUTRAL_VALENCE, "Complaint": COMPLAINT_VALENCE}
EXPLANATION = (
    "Shopkeep tells praise from complaints by the words people use. Some words mean "
    "something else in your trade: list them here, and posts are scored again in the "
    "background when you save."
)
EXAMPLES = (
    "For example:\n"
    "•  “wicked” in a bakery, “killer” in a bike shop: Praise\n"
    "•  “stale”, “soggy”, “flat”: Complaint\n"
    "•  “sick” in a surf shop, “crush” in a juice bar: Neutral (counts for nothing)"
)


def kind_of(valence: float) -> str:
    return "Praise" if valence > 0 else "Complaint" if valence < 0 else "Neutral"


def valence_of(kind: str) -> float:
    return VALENCES[kind]


class WordListDialog(QDialog):
    """A short explanation with examples, then a two-column table (word; praise, neutral
    or complaint) with add and remove; Save hands the list to `save` (which also starts
    rescoring)."""

    def __init__(
        self,
        load: Callable[[], dict[str, float]],
        save: Callable[[dict[str, float]], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("wordListDialog")
        self.setWindowTitle("Sentiment words")
        self._save = save
        col = QVBoxLayout(self)
        intro = QLabel(EXPLANATION, self)
        intro.setWordWrap(True)
        col.addWidget(intro)
        self.examples = QLabel(EXAMPLES, self)
        self.examples.setObjectName("pageText")
        self.examples.setTextFormat(Qt.TextFormat.PlainText)
        self.examples.setWordWrap(True)
        col.addWidget(self.examples)
        self.intro = intro
        self.table = QTableWidget(0, 2, self)
        self.table.setHorizontalHeaderLabels(["Word", "Means"])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        col.addWidget(self.table, 1)

        row = QHBoxLayout()
        self.word_edit = QLineEdit(self)
        self.word_edit.setPlaceholderText("word or short phrase")
        self.kind_box = QComboBox(self)
        self.kind_box.addItems(KINDS)
        add = QPushButton("Add", self)
        add.setDefault(True)  # Enter adds the word typed; only Save (clicked) closes
        add.clicked.connect(self.add_current)
        self.add_button = add
        remove = QPushButton("Remove", self)
        remove.clicked.connect(self.remove_selected)
        for w in (self.word_edit, self.kind_box, add, remove):
            row.addWidget(w)
        col.addLayout(row)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        for button in buttons.buttons():
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)
                button.setDefault(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        col.addWidget(buttons)
        for word, valence in sorted(load().items()):
            self.add_word(word, kind_of(valence))
        self.resize(480, 460)

    def add_word(self, word: str, kind: str) -> None:
        """Add or update one word (lower case, single spaces)."""
        word = " ".join(word.lower().split())
        if not word:
            return
        for r in range(self.table.rowCount()):
            if self._word_at(r) == word:
                self._set_kind(r, kind)
                return
        r = self.table.rowCount()
        self.table.insertRow(r)
        item = QTableWidgetItem(word)
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.table.setItem(r, 0, item)
        self._set_kind(r, kind)

    def _word_at(self, r: int) -> str:
        item = self.table.item(r, 0)
        return item.text() if item is not None else ""

    def _set_kind(self, r: int, kind: str) -> None:
        box = QComboBox(self.table)
        box.addItems(KINDS)
        box.setCurrentText(kind)
        self.table.setCellWidget(r, 1, box)

    def add_current(self) -> None:
        self.add_word(self.word_edit.text(), self.kind_box.currentText())
        self.word_edit.clear()

    def remove_selected(self) -> None:
        for r in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(r)

    def words(self) -> dict[str, float]:
        out = {}
        for r in range(self.table.rowCount()):
            box = self.table.cellWidget(r, 1)
            kind = box.currentText() if isinstance(box, QComboBox) else "Praise"
            out[self._word_at(r)] = valence_of(kind)
        return out

    def accept(self) -> None:
        self._save(self.words())
        super().accept()
