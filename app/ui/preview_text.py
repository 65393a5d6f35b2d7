"""A row's preview: plain text wrapped to a few lines, breaking only between words.

Measured with the font metrics that paint, so emoji (drawn from a fallback font)
never push a word past the edge; the last line ends with "…" after a whole word.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTextBoundaryFinder
from PySide6.QtGui import QFont, QFontMetrics, QFontMetricsF

WORDS_KEPT = 20_000  # widths remembered per font (~2 MB); then measured afresh
# A line whose words add up to at most a pixel and a half more than the room is measured
# whole: rounding and shaping across spaces can make it fit after all.
SLACK = 1.5


class WordWidths:
    """The advance of each word in one font, measured once.

    Wrapping measured every candidate line ("a", "a b", "a b c", ...): most of a new
    row's ~19 text measurements, about a fifth of painting it while scrolling (issue
    27). Rows repeat their words, so a line is now fitted by adding up its words'
    widths and measured whole once, to be sure (shaping across a space can differ by
    a pixel).
    """

    def __init__(self, font: QFont) -> None:
        self.metrics = QFontMetrics(font)  # whole pixels, as painted: it decides every line
        exact = self._exact = QFontMetricsF(font)  # unrounded: sums of words stay true
        self.space = exact.horizontalAdvance(" ")
        self.ellipsis = exact.horizontalAdvance(" …")
        self._widths: dict[str, float] = {}

    def __call__(self, word: str) -> float:
        width = self._widths.get(word)
        if width is None:
            if len(self._widths) >= WORDS_KEPT:
                self._widths.clear()
            width = self._widths[word] = self._exact.horizontalAdvance(word)
        return width


def wrap_preview(text: str, widths: WordWidths, width: int, max_lines: int) -> list[str]:
    """Word-wrap plain text into at most `max_lines`, breaking only between words.

    Measured with the same font metrics that paint (emoji come from a fallback font
    that a QTextLayout measured narrower, which cut words and lost text between
    lines). A word wider than a whole line is split between characters; the last
    line ends with "…" after the last word that fits.
    """
    fm = widths.metrics
    words = text.split()
    lines: list[str] = []
    i = 0
    while i < len(words) and len(lines) < max_lines:
        if len(lines) == max_lines - 1:
            lines.append(_elide_words(words[i:], widths, width))
            break
        used = widths(words[i])
        if used + SLACK > width and fm.horizontalAdvance(words[i]) > width:
            head, tail = _split_word(words[i], fm, width)
            lines.append(head)
            words[i] = tail
            continue
        start = i
        i += 1
        while i < len(words):
            used += widths.space + widths(words[i])
            if used > width + SLACK:
                break
            i += 1
        while i - start > 1 and fm.horizontalAdvance(" ".join(words[start:i])) > width:
            i -= 1  # the whole line measured wider than its words: one word fewer
        lines.append(" ".join(words[start:i]))
    return lines


def _elide_words(words: list[str], widths: WordWidths, width: int) -> str:
    """The words that fit on one line, then "…" if any were left out."""
    fm = widths.metrics
    used = -widths.space
    for word in words:
        used += widths.space + widths(word)
        if used > width + SLACK:
            break
    else:
        whole = " ".join(words)
        if fm.horizontalAdvance(whole) <= width:
            return whole
    room = width - widths.ellipsis + SLACK
    count, used = 0, -widths.space
    for word in words:
        used += widths.space + widths(word)
        if used > room:
            break
        count += 1
    while count and fm.horizontalAdvance(" ".join(words[:count]) + " …") > width:
        count -= 1  # measured whole, the line was wider than its words: one word fewer
    if not count:  # not even one word fits: cut it between characters
        return fm.elidedText(" ".join(words), Qt.TextElideMode.ElideRight, width)
    return " ".join(words[:count]) + " …"


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
