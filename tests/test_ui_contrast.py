"""Sentiment words are readable: 4.5:1 (WCAG AA) wherever they are painted.

Issue 21: the complaint colour on white and on the selected row was about 3.9:1.
"""

from __future__ import annotations

from PySide6.QtGui import QColor

from app.core.models import SentimentLabel
from app.ui import theme
from app.ui.conversation_view import MENTION_FILL, _chip_text
from app.ui.thread_delegate import CHIP_TEXT

ROW_BACKGROUNDS = ("#FFFFFF", theme.SELECTION, "#E3EAF4", "#F5F7FA", MENTION_FILL)


def chip_fill(label, under):
    tint = theme.sentiment_colour(label)
    tint.setAlpha(theme.CHIP_ALPHA)
    return theme.over(tint, QColor(under))


def test_every_sentiment_word_reads_at_4_5_to_1_on_its_chip_and_row(qapp):
    for label in SentimentLabel:
        for text in (CHIP_TEXT[label], _chip_text(label), theme.SENTIMENT_TEXT[label]):
            for under in ROW_BACKGROUNDS:
                ratio = theme.contrast_ratio(QColor(text), chip_fill(label, under))
                assert ratio >= 4.5, (label, text, under, round(ratio, 2))
                assert theme.contrast_ratio(QColor(text), QColor(under)) >= 4.5


def test_small_status_text_reads_at_4_5_to_1_on_the_selected_row(qapp):
    selected = QColor(theme.SELECTION)
    for text in (theme.ACCENT_TEXT, theme.TEXT_MUTED_ON_SELECTION):
        assert theme.contrast_ratio(QColor(text), selected) >= 4.5
    assert theme.contrast_ratio(QColor(theme.TEXT_MUTED), QColor("#FFFFFF")) >= 4.5


def test_the_old_complaint_colour_fails_the_same_check(qapp):
    """The check itself can fail: the old shade reads 3.9:1 on the selected row."""
    old = theme.contrast_ratio(QColor("#A94A00"), chip_fill(SentimentLabel.NEGATIVE,
                                                            theme.SELECTION))
    assert old < 4.5
