"""Search matches marked in the open conversation, so the owner sees why it matched.

Marks are extra selections over the document: the text itself (and what the
owner copies from it) is never changed. Colours come from the palette.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QPalette, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QTextEdit

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 16


def search_terms(text: str) -> list[str]:
    """The pieces of a search to mark: its words (a word matches its prefix, as the
    search does) and symbols such as emoji, each once."""
    terms: list[str] = []
    for piece in text.split():
        words = _WORD.findall(piece)
        for term in words or [piece]:
            if term.lower() not in (t.lower() for t in terms):
                terms.append(term)
    return terms[:MAX_TERMS]


def _pattern(term: str) -> QRegularExpression:
    option = (
        QRegularExpression.PatternOption.CaseInsensitiveOption
        | QRegularExpression.PatternOption.UseUnicodePropertiesOption
    )
    escaped = QRegularExpression.escape(term)
    word = _WORD.fullmatch(term) is not None
    return QRegularExpression(rf"\b{escaped}\w*" if word else escaped, option)


def mark_matches(edit: QTextEdit, text: str) -> list[QTextEdit.ExtraSelection]:
    """Mark every match of the search `text` in `edit`; returns the marks (none: cleared)."""
    doc: QTextDocument = edit.document()
    fmt = QTextCharFormat()
    fmt.setBackground(edit.palette().color(QPalette.ColorRole.Highlight))
    fmt.setForeground(edit.palette().color(QPalette.ColorRole.HighlightedText))
    marks: list[QTextEdit.ExtraSelection] = []
    for term in search_terms(text):
        cursor = QTextCursor(doc)
        pattern = _pattern(term)
        while True:
            cursor = doc.find(pattern, cursor)
            if cursor.isNull() or not cursor.hasSelection():
                break
            mark = QTextEdit.ExtraSelection()
            mark.cursor = cursor
            mark.format = fmt
            marks.append(mark)
    edit.setExtraSelections(marks)
    return marks
