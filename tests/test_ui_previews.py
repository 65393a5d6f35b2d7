"""The list's two-line previews break between words, even around emoji (issue 21 item 2).

Rows showed "No re / grets", "@ / juniperrye.bsky.example" and "…example fo… / akes."
(text lost between the lines): the layout measured emoji narrower than they paint.
"""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication

from app.ui.preview_text import WordWidths, wrap_preview

PREVIEWS = [
    "@juniperrye those cardamom buns 😍🥐 I had two. No regrets.",
    "Best sourdough in town, not even close 🍞🔥 @juniperrye.bsky.example",
    "Brought the whole crew 👨‍👩‍👧‍👦 to @juniperrye.bsky.example for pancakes. "
    "The kids loved the blueberry ones and it was a lovely morning out.",
    "@juniperrye Yesss, pear and hazelnut 🍐🌰💛 is back!!",
]


def test_previews_break_only_between_words_and_lose_nothing(qapp):
    font = QApplication.font()
    fm = QFontMetrics(font)
    widths = WordWidths(font)  # one for every row, as the list keeps it
    for text in PREVIEWS:
        words = text.split()
        for width in range(160, 460, 3):
            lines = wrap_preview(text, widths, width, 2)
            assert lines and all(fm.horizontalAdvance(line) <= width for line in lines)
            first = lines[0].split()
            assert first == words[: len(first)], (width, lines)  # whole words, from the start
            if len(lines) == 2:
                second = lines[1].removesuffix(" …").split()
                if lines[1].endswith(" …") or lines[1] == " ".join(words[len(first) :]):
                    # the second line goes on exactly where the first stopped
                    assert second == words[len(first) : len(first) + len(second)], (width, lines)
                else:
                    pytest.fail(f"cut inside a word at {width}px: {lines}")


def test_a_word_longer_than_the_line_is_split_not_dropped(qapp):
    font = QApplication.font()
    lines = wrap_preview(
        "https://juniperrye.example/orders/4471/receipt-and-refund-status ok",
        WordWidths(font),
        120,
        2,
    )
    assert (
        len(lines) == 2
        and lines[0]
        and "".join(lines).replace(" …", "").startswith("https://juniperrye.example")
    )


def _measured_line_by_line(text: str, fm: QFontMetrics, width: int) -> list[str]:
    """Two lines as the list wrapped them before it remembered word widths: every
    candidate line measured whole (slow, but plainly right for words that fit)."""
    words, lines = text.split(), []
    while words and len(lines) < 2:
        if len(lines) == 1 and fm.horizontalAdvance(" ".join(words)) > width:
            count = 0
            while fm.horizontalAdvance(" ".join(words[: count + 1]) + " …") <= width:
                count += 1
            return [*lines, " ".join(words[:count]) + " …"]
        count = 1
        while count < len(words) and fm.horizontalAdvance(" ".join(words[: count + 1])) <= width:
            count += 1
        lines.append(" ".join(words[:count]))
        words = words[count:]
    return lines


def test_remembered_word_widths_wrap_as_measuring_every_line_did(qapp):
    """Adding up remembered widths is only a shortcut: at every width, the lines are the
    ones that measuring each candidate line whole gives (rounding and shaping included)."""
    font = QApplication.font()
    fm = QFontMetrics(font)
    widths = WordWidths(font)
    texts = [
        *PREVIEWS,
        "@shop Ugh, do you have the mug in stock Cheers",
        "@shop Hmm, your team was so helpful today and my gift box arrived early 😡😡",
    ]
    for text in texts:
        for width in range(200, 520):
            assert wrap_preview(text, widths, width, 2) == _measured_line_by_line(
                text, fm, width
            ), (text, width)
