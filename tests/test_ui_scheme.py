"""Dark and light (issue 22): Shopkeep follows the desktop's colour scheme, and the owner
can force light or dark in File → Settings; the choice is kept in settings.json."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from app.core.settings import SettingsFile
from app.ui import palette
from app.ui.app_style import DESKTOP_PROPERTY, SCHEME_PROPERTY, use_scheme
from app.ui.palette import DARK, LIGHT
from app.ui.settings_dialog import SettingsDialog
from tests.ui_sync_support import open_window


@pytest.fixture(autouse=True)
def back_to_light(qapp):
    """Every other test paints in the light scheme with the test session's plain look:
    leave it so."""
    saved = (qapp.palette(), qapp.styleSheet(), qapp.property(SCHEME_PROPERTY))
    yield
    qapp.setProperty(DESKTOP_PROPERTY, None)
    qapp.setProperty(SCHEME_PROPERTY, saved[2])
    palette.use(LIGHT)
    qapp.setStyleSheet(saved[1])
    qapp.setPalette(saved[0])


def row_background(window) -> str:
    """The colour the thread list paints behind its second row (not selected)."""
    view = window.thread_view
    rect = view.visualRect(view.model().index(1, 0))
    image = view.viewport().grab().toImage()
    return image.pixelColor(QPoint(rect.right() - 4, rect.bottom() - 3)).name().upper()


def post_fills(window) -> set[str]:
    """The backgrounds of the posts in the open conversation."""
    frames = window.conversation_pane.view.document().rootFrame().childFrames()
    return {f.frameFormat().background().color().name().upper() for f in frames}


def test_the_owner_forces_dark_in_settings_and_it_stays_dark(qtbot, ui_paths, app_store, keychain):
    window = open_window(qtbot, ui_paths, app_store, keychain, demo=True)
    app = QApplication.instance()
    assert row_background(window) == LIGHT["base"]
    window.select_row(0)
    qtbot.waitUntil(lambda: bool(post_fills(window)))
    assert LIGHT["accent_soft_bg"] in post_fills(window)  # the customer's post, light
    window.settings_action.trigger()
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(SettingsDialog)))
    dialog = window.findChildren(SettingsDialog)[0]
    assert dialog.scheme.currentText() == "Same as the system"
    dialog.scheme.setCurrentIndex(dialog.scheme.findText("Dark"))
    dialog.accept()

    assert json.loads(ui_paths.settings_file.read_text())["colour_scheme"] == "dark"
    assert palette.current() is DARK
    assert app.palette().color(QPalette.ColorRole.Window).name().upper() == DARK["window"]
    assert row_background(window) == DARK["base"]  # the delegate repaints in dark
    composer = window.answer_pane.composer  # a widget with its own style sheet, restyled
    assert DARK["border"] in composer.styleSheet()
    assert LIGHT["border"] not in composer.styleSheet()
    assert DARK["window"] in app.styleSheet()
    assert post_fills(window) <= {DARK["base"], DARK["accent_soft_bg"], DARK["own_post_bg"]}

    app.setProperty(DESKTOP_PROPERTY, None)
    use_scheme("system", app)  # as at the next start, before settings are read
    assert palette.current() is LIGHT
    again = open_window(qtbot, ui_paths, app_store, keychain, demo=True)
    assert palette.current() is DARK  # read back from settings.json
    assert row_background(again) == DARK["base"]


def test_system_scheme_is_followed_while_the_owner_has_not_chosen(qtbot, qapp):
    hints = qapp.styleHints()
    use_scheme("system", qapp)
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)  # what Qt says when the desktop turns
    assert palette.current() is DARK
    assert qapp.palette().color(QPalette.ColorRole.Base).name().upper() == DARK["base"]
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert palette.current() is LIGHT

    use_scheme("light", qapp)  # forced: the desktop's switch is no longer followed
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert palette.current() is LIGHT
    use_scheme("system", qapp)  # back to following: the desktop is dark now
    assert palette.current() is DARK


def test_an_unknown_scheme_in_settings_json_falls_back_to_the_system(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"colour_scheme": "purple", "business": "Juniper"}))
    found = SettingsFile(path).read()
    assert found.settings.colour_scheme == "system"
    assert "colour_scheme" in found.problem
    assert SettingsFile(path).update(colour_scheme="dark").colour_scheme == "dark"
    assert SettingsFile(path).load().business == "Juniper"
