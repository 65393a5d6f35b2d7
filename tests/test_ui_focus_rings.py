"""Focus is visible: a 2 px accent ring on buttons and on the list row (issue 21).

Checked by pixels: the same widget grabbed with and without keyboard focus differs,
and the focused picture holds the accent colour.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from app.ui import palette
from tests.fixtures.ui import OFFSCREEN_NOISE
from tests.ui_layout_support import app_look

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"), pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]


@pytest.fixture(autouse=True)
def styled(qapp):
    with app_look(qapp):
        yield


def accent_pixels(image: QImage) -> int:
    accent = palette.colour("focus").rgb()
    return sum(
        image.pixel(x, y) == accent for x in range(image.width()) for y in range(image.height())
    )


def test_a_focused_button_wears_a_ring(qtbot, main_window):
    main_window.activateWindow()
    button = main_window.banner.remove_button
    main_window.thread_view.setFocus()
    qtbot.waitUntil(main_window.thread_view.hasFocus)
    plain = button.grab().toImage()
    button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(button.hasFocus)
    ringed = button.grab().toImage()
    assert accent_pixels(ringed) > 2 * (button.width() + button.height())
    assert accent_pixels(plain) == 0


def test_the_focused_list_row_wears_a_ring(qtbot, main_window):
    main_window.activateWindow()
    view = main_window.thread_view
    main_window.select_row(1)
    rect = view.visualRect(main_window.thread_model.index(1))
    main_window.search_box.setFocus()
    qtbot.waitUntil(main_window.search_box.hasFocus)
    plain = view.viewport().grab(rect).toImage()
    view.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(view.hasFocus)
    ringed = view.viewport().grab(rect).toImage()
    assert accent_pixels(ringed) > rect.width()  # a ring round the row, not a dot
    assert accent_pixels(plain) < accent_pixels(ringed)
