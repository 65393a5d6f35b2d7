"""Keyboard focus goes where the owner expects (issue 21, "Focus" and "Use it").

After Ctrl+Enter focus stayed in the editor (the next j/k typed "jk"); Esc did
not leave the private note; "Use it" was still offered after a reply was sent.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.core.models import ThreadStatus
from tests.fixtures.ui import OFFSCREEN_NOISE

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"), pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]


def test_after_ctrl_enter_j_moves_to_the_next_conversation(qtbot, answer_window):
    window = answer_window.window
    window.activateWindow()
    answer_window.open(lambda r: r.status is ThreadStatus.NEEDS_REPLY)
    row_before = window.thread_view.currentIndex().row()
    composer = answer_window.pane.composer
    composer.use_suggestion()
    qtbot.waitUntil(composer.editor.hasFocus)
    qtbot.keyClick(composer.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.thread_view.hasFocus)
    qtbot.keyClick(window.thread_view, Qt.Key.Key_J)
    assert window.thread_view.currentIndex().row() == row_before + 1
    assert "j" not in composer.editor.toPlainText()


def test_use_it_is_not_offered_once_the_post_is_answered(qtbot, answer_window):
    row = answer_window.open(lambda r: r.status is ThreadStatus.NEEDS_REPLY)
    composer = answer_window.pane.composer
    assert composer.use_button.isVisibleTo(composer)
    composer.editor.setPlainText("Thank you, we will sort it out today.")
    composer.send()
    assert not composer.use_button.isVisibleTo(composer)
    assert "second reply" in composer.suggestion_text.text()
    answer_window.open(lambda r: r.id != row.id)
    answer_window.open(lambda r: r.id == row.id)  # still so when it is opened again
    assert not composer.use_button.isVisibleTo(composer)


def test_escape_leaves_the_reply_and_the_private_note(qtbot, answer_window):
    window = answer_window.window
    window.activateWindow()
    answer_window.open(lambda r: r.status is ThreadStatus.NEEDS_REPLY)
    pane = answer_window.pane
    for editor in (pane.composer.editor, pane.history.note):
        editor.setFocus()
        qtbot.waitUntil(editor.hasFocus)
        qtbot.keyClicks(editor, "hi")
        qtbot.keyClick(editor, Qt.Key.Key_Escape)
        qtbot.waitUntil(window.thread_view.hasFocus)
        assert "hi" in editor.toPlainText()  # kept, just left
