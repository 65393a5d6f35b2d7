"""Start-up (issue 27): what the first painted inbox holds, so that nothing moves after it.

The answering parts (composer, customer history, thread actions) are built right after
the first paint, since no conversation is open on it. Nothing may jump for that: the
Thread menu holds its place in the menu bar from the start, a conversation opened before
the parts exist gets its composer at once, and parts built into a pane that already has
its size are sized as on a resize. The demo banner, which pushes the panes down, is in
place before the first paint, not when the background read of the side pane comes back.
"""

from __future__ import annotations

import pytest

from app.ui.conversation_view import COMPOSER_SHARE
from app.wiring.window import build_services, open_window
from tests.fixtures.ui import OFFSCREEN_NOISE

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"), pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]

QT_NO_MAXIMUM = 16_777_215  # QWIDGETSIZE_MAX


def _window(qtbot, ui_paths, store, keychain, *, synchronous=True):
    services = build_services(
        ui_paths, store=store, demo=True, synchronous=synchronous, credentials=keychain
    )
    window = open_window(services)
    qtbot.addWidget(window)
    return window


def test_the_thread_menu_has_its_place_before_the_answering_parts_exist(
    qtbot, ui_paths, store, keychain
):
    window = _window(qtbot, ui_paths, store, keychain)
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["&File", "&View", "&Go", "&Thread", "&Help"]
    assert window.thread_menu.isEmpty()  # not built yet: nothing painted, nothing opened
    window.resize(1024, 700)
    window.show()
    qtbot.waitExposed(window)
    # right after the first painted inbox the parts are built, into the same menu
    qtbot.waitUntil(lambda: not window.thread_menu.isEmpty())
    assert [a.text() for a in window.menuBar().actions()] == titles
    assert window.answer_pane.menu is window.thread_menu
    window.runner.shutdown()


def test_a_conversation_opened_before_the_answering_parts_gets_its_composer(
    qtbot, ui_paths, store, keychain
):
    window = _window(qtbot, ui_paths, store, keychain)
    assert window.thread_menu.isEmpty()
    window.select_row(2)  # the owner clicks a conversation before the parts exist
    thread = window.current_thread()
    assert thread is not None
    assert not window.thread_menu.isEmpty()  # opening it built them
    pane = window.answer_pane
    assert pane.composer.current_thread is not None
    assert pane.composer.current_thread.id == thread.id
    assert pane.actions.current_thread is not None
    assert pane.actions.current_thread.id == thread.id
    window.runner.shutdown()


def test_parts_built_after_the_pane_has_its_size_are_sized_like_on_a_resize(
    qtbot, ui_paths, store, keychain
):
    window = _window(qtbot, ui_paths, store, keychain)
    window.resize(1024, 700)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: not window.thread_menu.isEmpty())
    conversation = window.conversation_pane
    composer = window.answer_pane.composer
    # the conversation keeps its share of the pane: the composer has its ceiling already
    assert composer.maximumHeight() < QT_NO_MAXIMUM
    assert composer.maximumHeight() <= max(
        composer.minimumSizeHint().height(), conversation.height() * COMPOSER_SHARE // 100
    )
    window.runner.shutdown()


def test_the_demo_banner_is_in_place_before_the_first_paint(qtbot, ui_paths, store, keychain):
    """The side pane's counts and accounts come from a background read; the banner may
    not wait for it, or the panes would move down under the owner's eyes."""
    window = _window(qtbot, ui_paths, store, keychain, synchronous=False)
    # nothing has come back from the background yet: no event was processed
    assert not window.banner.isHidden()
    assert window.accounts == []  # the side pane's read is still out
    window.runner.shutdown()


def test_the_composer_has_the_templates_when_it_is_built(qtbot, ui_paths, store, keychain):
    """The templates are read while the window builds, so the composer built after the
    first paint suggests a canned reply from the start; its box does not grow later."""
    window = _window(qtbot, ui_paths, store, keychain, synchronous=False)
    assert window.runner.wait_idle(5000)
    qtbot.waitUntil(lambda: window.accounts != [])  # what the reads brought back is in
    composer = window.answer_pane.composer  # built now, with no event in between
    assert composer.templates  # the shipped ones, put in on this fresh inbox
    window.runner.shutdown()
