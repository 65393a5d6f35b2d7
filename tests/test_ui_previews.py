"""The list's two-line previews break between words, even around emoji (issue 21 item 2).

Rows showed "No re / grets", "@ / juniperrye.bsky.example" and "…example fo… / akes."
(text lost between the lines): the layout measured emoji narrower than they paint.
"""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication

from app.ui.preview_text import wrap_preview as _wrap

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
    for text in PREVIEWS:
        words = text.split()
        for width in range(160, 460, 3):
            lines = _wrap(text, font, width, 2)
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
    lines = _wrap(
        "https://juniperrye.example/orders/4471/receipt-and-refund-status ok", font, 120, 2
    )
    assert (
        len(lines) == 2
        and lines[0]
        and "".join(lines).replace(" …", "").startswith("https://juniperrye.example")
    )
