"""View → Sentiment words: Enter adds the word typed, it does not close the dialog.

Issue 21: Enter in the word box closed the dialog (Save was the default button).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.ui.word_list_dialog import WordListDialog
from tests.fixtures.ui import OFFSCREEN_NOISE

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"), pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]


def test_enter_adds_the_word_and_keeps_the_dialog_open(qtbot):
    saved: list[dict[str, float]] = []
    dialog = WordListDialog(lambda: {"wicked": 2.0}, saved.append)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    dialog.word_edit.setFocus()
    qtbot.waitUntil(dialog.word_edit.hasFocus)
    qtbot.keyClicks(dialog.word_edit, "stale")
    dialog.kind_box.setCurrentText("Complaint")
    qtbot.keyClick(dialog.word_edit, Qt.Key.Key_Return)
    assert dialog.isVisible() and saved == []
    assert dialog.words() == {"wicked": 2.0, "stale": -2.0}
    assert dialog.word_edit.text() == ""
    qtbot.keyClicks(dialog.word_edit, "killer")
    qtbot.keyClick(dialog.word_edit, Qt.Key.Key_Enter)
    assert dialog.isVisible() and "killer" in dialog.words()


def test_the_dialog_explains_itself_with_examples_before_the_list(qtbot):
    dialog = WordListDialog(dict, lambda _w: None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    layout = dialog.layout()
    assert (
        layout.indexOf(dialog.intro)
        < layout.indexOf(dialog.examples)
        < layout.indexOf(dialog.table)
    )
    assert "praise from complaints" in dialog.intro.text()
    for example in ("“wicked” in a bakery", "Complaint", "Neutral (counts for nothing)"):
        assert example in dialog.examples.text()


def test_a_word_marked_neutral_is_kept_and_stops_swaying_the_score(qtbot, tmp_path):
    """A surf shop's "sick" is not a complaint: Neutral saves it at 0, which the scorer
    reads as "this word counts for nothing"."""
    from app.core.rescore import load_words, save_words
    from app.core.sentiment.scorer import score

    settings = tmp_path / "settings.json"
    save_words(settings, {"stoked": 2.0})
    dialog = WordListDialog(lambda: load_words(settings), lambda w: save_words(settings, w))
    qtbot.addWidget(dialog)
    assert [dialog.kind_box.itemText(i) for i in range(dialog.kind_box.count())] == [
        "Praise",
        "Neutral",
        "Complaint",
    ]
    dialog.word_edit.setText("Sick")
    dialog.kind_box.setCurrentText("Neutral")
    dialog.add_current()
    dialog.accept()

    words = load_words(settings)
    assert words == {"stoked": 2.0, "sick": 0.0}
    again = WordListDialog(lambda: load_words(settings), lambda _w: None)
    qtbot.addWidget(again)
    assert again.words() == words  # reopened, "sick" still reads Neutral
    post = "That board is sick"
    assert score(post).label.value == "negative"
    assert score(post, extra_words=words).label.value == "neutral"
