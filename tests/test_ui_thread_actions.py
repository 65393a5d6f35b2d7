"""Done, Snooze and Undo, by keyboard and by mouse; the shortcuts window lists every key."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.core.models import Folder, ThreadStatus
from app.ui.shortcuts_dialog import ShortcutsDialog, all_keys, show_shortcuts
from app.ui.thread_actions import snooze_choices


def _needs_reply(answer_window):
    folders = answer_window.window.folder_model
    answer_window.window.folder_view.setCurrentIndex(
        folders.index(folders.row_of_folder(Folder.NEEDS_REPLY))
    )


def test_done_then_undo(answer_window):
    _needs_reply(answer_window)
    store, model = answer_window.store, answer_window.window.thread_model
    row = answer_window.open_by("leo")
    actions = answer_window.pane.actions
    actions.done()
    assert store.thread(row.id).status is ThreadStatus.DONE
    assert model.row_for_id(row.id) == -1  # out of the way
    assert "Marked done" in answer_window.window.statusBar().currentMessage()
    actions.undo()
    assert store.thread(row.id).status is ThreadStatus.NEEDS_REPLY
    assert model.row_for_id(row.id) >= 0


def test_snooze_then_undo(answer_window):
    _needs_reply(answer_window)
    store, model = answer_window.store, answer_window.window.thread_model
    row = answer_window.open_by("ruth")
    until = datetime.now(UTC) + timedelta(days=1)
    answer_window.pane.actions.snooze(until)
    snoozed = store.thread(row.id)
    assert snoozed.status is ThreadStatus.SNOOZED
    assert abs((snoozed.snoozed_until - until).total_seconds()) < 1
    assert model.row_for_id(row.id) == -1
    answer_window.pane.actions.undo()
    back = store.thread(row.id)
    assert back.status is ThreadStatus.NEEDS_REPLY and back.snoozed_until is None
    assert model.row_for_id(row.id) >= 0


def test_undo_restores_a_snooze_replaced_by_done(answer_window):
    store = answer_window.store
    row = answer_window.open_by("ruth")
    until = datetime.now(UTC) + timedelta(hours=3)
    actions = answer_window.pane.actions
    actions.snooze(until)
    actions.done(store.thread(row.id))
    actions.undo()
    again = store.thread(row.id)
    assert again.status is ThreadStatus.SNOOZED
    assert abs((again.snoozed_until - until).total_seconds()) < 1
    actions.undo()
    assert store.thread(row.id).status is ThreadStatus.NEEDS_REPLY


def test_keys_e_u_ctrl_z_and_r(qtbot, answer_window):
    store, window = answer_window.store, answer_window.window
    row = answer_window.open_by("leo")
    window.activateWindow()
    window.thread_view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.thread_view, timeout=2000)
    qtbot.keyClick(window.thread_view, Qt.Key.Key_E)
    assert store.thread(row.id).status is ThreadStatus.DONE
    window.thread_view.setFocus()
    qtbot.keyClick(window.thread_view, Qt.Key.Key_U)
    assert store.thread(row.id).status is ThreadStatus.NEEDS_REPLY

    answer_window.open_by("leo")
    window.thread_view.setFocus()
    qtbot.keyClick(window.thread_view, Qt.Key.Key_E)
    qtbot.keyClick(window.thread_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert store.thread(row.id).status is ThreadStatus.NEEDS_REPLY

    answer_window.open_by("leo")
    window.thread_view.setFocus()
    qtbot.keyClick(window.thread_view, Qt.Key.Key_R)
    assert QApplication.focusWidget() is answer_window.pane.composer.editor
    # typing "e" in the reply is text, not "Done"
    qtbot.keyClicks(answer_window.pane.composer.editor, "ezu")
    assert answer_window.pane.composer.editor.toPlainText() == "ezu"
    assert store.thread(row.id).status is ThreadStatus.NEEDS_REPLY


def test_every_action_has_a_button_or_menu(answer_window):
    pane = answer_window.pane
    row = answer_window.open_by("leo")
    pane.done_button.click()
    assert answer_window.store.thread(row.id).status is ThreadStatus.DONE
    pane.undo_button.click()
    assert answer_window.store.thread(row.id).status is ThreadStatus.NEEDS_REPLY
    titles = [a.text() for a in pane.menu.actions()]
    for wanted in ("Reply", "Send reply", "Done", "Snooze until", "Reply templates…"):
        assert wanted in titles
    snooze_menu = pane.snooze_button.menu()
    labels = [a.text() for a in snooze_menu.actions() if a.text()]
    assert labels[0].startswith(("Later today", "In 3 hours"))
    assert labels[-1].startswith("Choose a date")
    snooze_menu.actions()[1].trigger()  # tomorrow morning
    assert answer_window.store.thread(row.id).status is ThreadStatus.SNOOZED


def test_z_pops_up_the_snooze_choices(qtbot, answer_window):
    answer_window.open_by("leo")
    window = answer_window.window
    window.activateWindow()
    window.thread_view.setFocus()
    qtbot.keyClick(window.thread_view, Qt.Key.Key_Z)
    menu = answer_window.pane.snooze_button.menu()
    qtbot.waitUntil(menu.isVisible, timeout=2000)
    menu.hide()


def test_snooze_choices_are_in_the_future():
    now = datetime(2024, 5, 3, 16, 0, tzinfo=UTC)  # a Friday
    choices = snooze_choices(now)
    assert [c[1] > now for c in choices] == [True, True, True]
    assert choices[2][1].astimezone().weekday() == 0  # next Monday


def test_shortcuts_window_lists_every_key(qtbot, answer_window):
    keys = all_keys()
    for key in ("R", "Ctrl+Enter", "E", "Z", "U", "Ctrl+Z", "J", "K"):
        assert key in keys
    window = answer_window.window
    window.shortcuts_action.trigger()  # F1 / Help → Keyboard shortcuts
    dialog = window.findChild(ShortcutsDialog)
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()
    text = dialog.listed_text()
    for word in ("Ctrl+Enter", "Send the reply", "Snooze", "Undo", "Next conversation"):
        assert word in text
    assert show_shortcuts(window) is dialog  # one window, raised again
    dialog.close()


def test_the_header_undo_names_the_other_conversation_it_would_change(answer_window):
    """Issue 21: the header's Undo undid an action on another conversation silently."""
    first = answer_window.open(lambda r: r.status is ThreadStatus.NEEDS_REPLY)
    pane = answer_window.pane
    assert pane.undo_button.text() == "Undo"
    pane.actions.done()
    who = (first.author_name or first.author_handle).split()[0]
    assert pane.undo_button.text() == "Undo"  # still this conversation
    assert who in pane.undo_button.toolTip()
    answer_window.open(lambda r: r.id != first.id)
    assert pane.undo_button.text() == f"Undo done ({who})"
