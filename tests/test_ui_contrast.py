"""Sentiment words are readable: 4.5:1 (WCAG AA) wherever they are painted, light or dark.

Issue 21: the complaint colour on white and on the selected row was about 3.9:1.
Issue 22: the same holds in the dark scheme (see also tests/test_ui_palette.py).
"""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor

from app.core.models import SentimentLabel
from app.ui import palette
from app.ui.palette import DARK, LIGHT, chip_fill, contrast_ratio

ROWS = ("base", "selection", "selection_inactive", "hover", "accent_soft_bg")


@pytest.fixture(params=[LIGHT, DARK], ids=lambda p: p.name)
def scheme(request):
    before = palette.current()
    palette.use(request.param)
    yield request.param
    palette.use(before)


def test_every_sentiment_word_reads_at_4_5_to_1_on_its_chip_and_row(qapp, scheme):
    for label in SentimentLabel:
        text = palette.sentiment_text(label)  # what the delegate and the conversation paint
        for row in ROWS:
            under = scheme.q(row)
            ratio = contrast_ratio(text, chip_fill(label, under))
            assert ratio >= 4.5, (scheme.name, label, row, round(ratio, 2))
            assert contrast_ratio(text, under) >= 4.5


def test_small_status_text_reads_at_4_5_to_1_on_the_selected_row(qapp, scheme):
    for text in ("accent_text", "text_muted_on_selection"):
        assert contrast_ratio(palette.colour(text), scheme.q("selection")) >= 4.5
    assert contrast_ratio(palette.colour("text_muted"), scheme.q("base")) >= 4.5


def test_the_old_complaint_colour_fails_the_same_check(qapp):
    """The check itself can fail: the old shade reads 3.9:1 on the selected row."""
    old = contrast_ratio(
        QColor("#A94A00"), chip_fill(SentimentLabel.NEGATIVE, LIGHT.q("selection"), LIGHT)
    )
    assert old < 4.5
