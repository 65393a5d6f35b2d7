"""A row's preview: plain text wrapped to a few lines, breaking only between words.

Measured with the font metrics that paint, so emoji (drawn from a fallback font)
never push a word past the edge; the last line ends with "…" after a whole word.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTextBoundaryFinder
from PySide6.QtGui import QFont, QFontMetrics


def wrap_preview(text: str, font: QFont, width: int, max_lines: int) -> list[str]:
    """Word-wrap plain text into at most `max_lines`, breaking only between words.

    Measured with the same font metrics that paint (emoji come from a fallback font
    that a QTextLayout measured narrower, which cut words and lost text between
    lines). A word wider than a whole line is split between characters; the last
    line ends with "…" after the last word that fits.
    """
    fm = QFontMetrics(font)
    words = text.split()
    lines: list[str] = []
    i = 0
    while i < len(words) and len(lines) < max_lines:
        if len(lines) == max_lines - 1:
            lines.append(_elide_words(words[i:], fm, width))
            break
        if fm.horizontalAdvance(words[i]) > width:
            head, tail = _split_word(words[i], fm, width)
            lines.append(head)
            words[i] = tail
            continue
        line = words[i]
        i += 1
        while i < len(words) and fm.horizontalAdvance(f"{line} {words[i]}") <= width:
            line = f"{line} {words[i]}"
            i += 1
        lines.append(line)
    return lines


def _elide_words(words: list[str], fm: QFontMetrics, width: int) -> str:
    """The words that fit on one line, then "…" if any were left out."""
    whole = " ".join(words)
    if fm.horizontalAdvance(whole) <= width:
        return whole
    line = ""
    for word in words:
        candidate = f"{line} {word}" if line else word
        if fm.horizontalAdvance(candidate + " …") > width:
            break
        line = candidate
    if not line:  # not even one word fits: cut it between characters
        return fm.elidedText(whole, Qt.TextElideMode.ElideRight, width)
    return line + " …"


def _split_word(word: str, fm: QFontMetrics, width: int) -> tuple[str, str]:
    """The longest start of `word` (whole characters, emoji kept whole) that fits."""
    finder = QTextBoundaryFinder(QTextBoundaryFinder.BoundaryType.Grapheme, word)
    cut = finder.toNextBoundary()
    best = cut
    while cut != -1 and cut < len(word):
        if fm.horizontalAdvance(word[:cut]) > width:
            break
        best = cut
        cut = finder.toNextBoundary()
    return word[:best], word[best:]
