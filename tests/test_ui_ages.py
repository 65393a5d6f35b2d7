"""Relative times move on by themselves (issue 21 item 5).

"5 min" in the list and "Sent just now" under the composer stayed for hours.
The clock is handed in, so no test waits for real minutes.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.fixtures.ui import OFFSCREEN_NOISE

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"), pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]


def test_list_ages_grow_older_without_a_reload(main_window):
    view = main_window.thread_view
    delegate = view.itemDelegate()
    row = main_window.thread_model.thread_at(0)
    width = view.viewport().width()
    assert delegate.layout_for(row, view.font(), width).age == "5 min"  # demo: 5 min ago
    later = delegate.clock() + timedelta(hours=3)
    delegate.clock = lambda: later
    view.tick_ages()
    assert delegate.layout_for(row, view.font(), width).age == "3 h"


def test_sent_just_now_becomes_an_age(qtbot, answer_window):
    row = answer_window.open_by("leo")
    composer = answer_window.pane.composer
    composer.editor.setPlainText("Sorry, Leo. That is not how we want anyone treated.")
    composer.send()
    store = answer_window.store
    item = store.outbox_items(thread_id=row.id)[-1]
    store.mark_sending(item.id)
    store.mark_sent(item.id, "r-1", "https://toot.example/@juniperrye/r-1")
    composer.refresh_outbox()
    strip = composer.outbox
    assert "Sent just now" in strip.state_text
    later = strip.clock() + timedelta(minutes=42)
    strip.clock = lambda: later
    strip.tick()
    assert "Sent · 42 min ago" in strip.state_text
