"""View → Sentiment words: Enter adds the word typed, it does not close the dialog.

Issue 21: Enter in the word box closed the dialog (Save was the default button).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.ui.word_list_dialog import WordListDialog
from tests.fixtures.ui import OFFSCREEN_NOISE

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"),
              pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]


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
