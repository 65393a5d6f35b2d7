"""Thread rows are drawn once into a picture and copied after (issue 27, the GUI stall).

While a sync runs, every synced batch repaints the list, and each of a row's ~40 Qt
calls waited for the interpreter lock the sync's threads held: a screenful took
10-25 ms. A row that has not changed is now copied from its picture. What the owner
sees may not change for that: a row is drawn again whenever anything it shows changes
(its content, the selection, the width, the colours), and a copied row looks exactly
like one drawn straight onto the list.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtGui import QImage

from app.ui import palette
from app.ui.app_style import SCHEME_PROPERTY, use_scheme
from app.ui.palette import LIGHT
from app.ui.thread_delegate import SCREENS_KEPT, ThreadDelegate
from tests.fixtures.ui import OFFSCREEN_NOISE

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"), pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]


def _look(view) -> QImage:
    """The list's rows as they are on screen now."""
    return view.viewport().grab().toImage()


def _drawn_afresh(view, *, pictures: bool = True) -> QImage:
    """The same rows from a delegate that keeps nothing (`pictures=False`: drawn straight
    onto the list, as before pictures were kept)."""
    kept = view.itemDelegate()
    fresh = ThreadDelegate(view, pictures=pictures)
    fresh.clock = kept.clock
    fresh._now = kept._now  # the same ages
    view.setItemDelegate(fresh)
    try:
        return _look(view)
    finally:
        view.setItemDelegate(kept)
        fresh.deleteLater()


def test_a_copied_row_looks_exactly_like_a_row_drawn_straight_onto_the_list(main_window):
    view = main_window.thread_view
    main_window.select_row(1)
    shown = _look(view)
    assert shown == _drawn_afresh(view, pictures=False)
    assert _look(view) == shown  # the second time, every row comes from its picture


def test_repainting_unchanged_rows_draws_none_of_them_again(main_window):
    view = main_window.thread_view
    delegate = view.itemDelegate()
    first = _look(view)
    drawn = delegate.drawn
    assert drawn > 0
    again = _look(view)
    assert delegate.drawn == drawn  # all copied
    assert again == first


def test_a_row_is_drawn_again_when_its_content_changes(main_window):
    view = main_window.thread_view
    model = main_window.thread_model
    before = _look(view)
    row = model.thread_at(3)
    assert row.unread
    model.patch_thread(row.id, unread=False, snippet="Thank you, all sorted now!")
    after = _look(view)
    assert after != before
    assert after == _drawn_afresh(view)


def test_a_row_is_drawn_again_when_it_is_selected(main_window):
    view = main_window.thread_view
    main_window.select_row(0)
    before = _look(view)
    main_window.select_row(2)
    after = _look(view)
    assert after != before
    assert after == _drawn_afresh(view)


def _widen_list(qtbot, window, by: int) -> None:
    """Drag the divider between the list and the conversation by `by` pixels."""
    sizes = window.splitter.sizes()
    start = window.thread_view.viewport().width()
    window.splitter.setSizes([sizes[0], sizes[1] + by, sizes[2] - by])
    qtbot.waitUntil(lambda: window.thread_view.viewport().width() != start)


def test_rows_are_drawn_again_at_a_new_width(qtbot, main_window):
    view = main_window.thread_view
    before = _look(view)
    _widen_list(qtbot, main_window, 120)
    after = _look(view)
    assert after.width() > before.width()
    assert after == _drawn_afresh(view)


def test_rows_are_drawn_again_in_the_other_colour_scheme(qapp, main_window):
    view = main_window.thread_view
    before = _look(view)
    saved = (qapp.palette(), qapp.styleSheet(), qapp.property(SCHEME_PROPERTY))
    try:
        use_scheme("dark", qapp)
        dark = _look(view)
        assert dark != before
        assert dark == _drawn_afresh(view)
    finally:  # every other test paints in the light scheme with the session's plain look
        qapp.setProperty(SCHEME_PROPERTY, saved[2])
        palette.use(LIGHT)
        qapp.setStyleSheet(saved[1])
        qapp.setPalette(saved[0])
    assert _look(view) == _drawn_afresh(view)  # and light again


def test_rows_are_drawn_again_when_their_ages_move_on(main_window):
    view = main_window.thread_view
    delegate = view.itemDelegate()
    before = _look(view)
    later = delegate.clock() + timedelta(hours=3)
    delegate.clock = lambda: later
    view.tick_ages()
    after = _look(view)
    assert after != before  # "5 min" is "3 h" now
    assert after == _drawn_afresh(view)


def test_the_kept_pictures_stay_within_their_budget(qtbot, main_window):
    view = main_window.thread_view
    delegate = view.itemDelegate()
    for _width in range(25):  # every row at 25 widths: far more than the budget
        _widen_list(qtbot, main_window, 8)
        for row in range(0, main_window.thread_model.rowCount(), 5):
            main_window.thread_view.scrollTo(main_window.thread_model.index(row))
            _look(view)
    # three heights of the list's rows, at its last width
    screen = view.viewport().width() * view.height() * 4
    assert 0 < delegate.picture_bytes <= delegate.picture_budget <= SCREENS_KEPT * screen * 1.1
