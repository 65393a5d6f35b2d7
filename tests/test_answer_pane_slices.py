"""The answering parts are built in slices after the first paint (issue 27, the GUI stall).

On a fresh inbox no conversation opens by itself: the parts are built after the first
paint, while the first sync already runs. Built in one go they held the GUI thread
30-60 ms: the window froze for that long. Now each turn of the event loop builds a
small piece, so timers, paints and the sync's results get their turn in between;
whoever needs the parts before they are complete (a conversation opened, a
notification clicked) gets them complete at once.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app.ui.app_window import ANSWER_MODULES
from app.wiring.window import build_services, open_window, update_settings
from tests.fixtures.ui import OFFSCREEN_NOISE

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"), pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]


def _window(qtbot, ui_paths, store, keychain):
    """A fresh inbox (the demo shop dismissed): nothing to open yet."""
    update_settings(ui_paths, demo_dismissed=True)
    services = build_services(ui_paths, store=store, synchronous=True, credentials=keychain)
    window = open_window(services)
    qtbot.addWidget(window)
    return window


def _take_steps(window, count: int) -> None:
    """Let the event loop run until the build has taken `count` steps."""
    while window.answer_build.taken < count:
        QApplication.processEvents()


def test_after_the_first_paint_the_parts_are_built_a_piece_per_turn_and_work(
    qtbot, ui_paths, store, keychain
):
    window = _window(qtbot, ui_paths, store, keychain)
    turns = []  # a timer that fires on every turn of the event loop
    ticker = QTimer(window, interval=0)
    ticker.timeout.connect(lambda: turns.append(window.answer_build.taken))
    ticker.start()
    window.resize(1024, 700)
    window.show()
    qtbot.waitExposed(window)
    assert window.thread_model.rowCount() == 0
    qtbot.waitUntil(lambda: window.answer_build.done, timeout=15_000)
    ticker.stop()
    steps = window.answer_build.taken
    assert steps > len(ANSWER_MODULES)  # every module, then the parts, a piece at a time
    # the event loop had its turns while they were built: the timer fired about once
    # a piece (which of two timers due together goes first is Qt's choice)
    during = [n for n in turns if 0 < n < steps]
    assert len(during) >= steps - 2, (steps, turns)

    # complete and usable: the menu, the composer, the actions on a conversation opened now
    titles = [a.text() for a in window.thread_menu.actions() if a.text()]
    assert "Reply" in titles and "Send reply" in titles and "Reply templates…" in titles
    window.bring_demo_back()  # mentions arrive (the demo shop's, in this test)
    window.select_row(2)
    thread = window.current_thread()
    pane = window.answer_pane
    assert pane.composer.current_thread is not None
    assert pane.composer.current_thread.id == thread.id
    assert pane.actions.current_thread is not None
    assert pane.actions.current_thread.id == thread.id
    assert pane.composer.templates  # the shipped ones, read while the window was built
    empty = pane.composer.counter.text()
    pane.composer.editor.setPlainText("Thanks, we will look at it today.")
    assert pane.composer.counter.text() != empty  # counted as it is typed
    window.runner.shutdown()


def test_a_conversation_opened_while_the_parts_are_half_built_gets_them_complete(
    qtbot, ui_paths, store, keychain
):
    window = _window(qtbot, ui_paths, store, keychain)
    window.answer_build.start()  # as after the first paint
    _take_steps(window, len(ANSWER_MODULES) + 2)  # imported, the composer begun, no more
    assert not window.answer_build.done
    assert window.thread_menu.isEmpty()
    window.bring_demo_back()  # mentions arrive (the demo shop's, in this test)
    assert not window.answer_build.done
    window.select_row(2)  # the owner clicks a conversation now
    thread = window.current_thread()
    assert thread is not None
    assert window.answer_build.done  # opening it finished the parts at once
    assert not window.thread_menu.isEmpty()
    pane = window.answer_pane
    assert pane.composer.current_thread is not None
    assert pane.composer.current_thread.id == thread.id
    assert pane.history.name.text() == (thread.author_name or thread.author_handle)
    assert pane.actions.current_thread is not None
    assert pane.actions.current_thread.id == thread.id
    # the next conversation is followed as usual: the pane listens to the window now
    window.select_row(3)
    other = window.current_thread()
    assert other is not None and other.id != thread.id
    assert pane.composer.current_thread is not None
    assert pane.composer.current_thread.id == other.id
    window.runner.shutdown()


def test_asking_for_the_parts_midway_finishes_the_same_build(qtbot, ui_paths, store, keychain):
    window = _window(qtbot, ui_paths, store, keychain)
    window.answer_build.start()
    _take_steps(window, 3)
    pane = window.answer_pane  # e.g. a notification clicked, or Settings… applied
    assert window.answer_build.done
    taken = window.answer_build.taken
    for _ in range(5):  # nothing left to run on later turns: no second composer
        QApplication.processEvents()
    assert window.answer_build.taken == taken
    assert window.answer_pane is pane
    composers = [w for w in window.conversation_pane.findChildren(type(pane.composer))]
    assert composers == [pane.composer]
    window.runner.shutdown()
