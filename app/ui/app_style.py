"""The look: Fusion style, a light or dark palette and resources/style/shopkeep.qss.

Fusion looks the same on every desktop, so the screenshots in the README are
what users get; the stylesheet only adds spacing and quiet colours. The scheme
follows the desktop's (Qt's QStyleHints.colorScheme, also when it changes while
Shopkeep runs) unless the owner forced light or dark in Settings.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from app.core.paths import resources_dir
from app.ui import palette, theme
from app.ui.palette import DARK, LIGHT, Palette

log = logging.getLogger(__name__)

SCHEME_PROPERTY = "shopkeepScheme"  # the owner's choice: "system", "light" or "dark"
DESKTOP_PROPERTY = "shopkeepDesktopDark"  # what the desktop last said it switched to
_ROLES = {
    QPalette.ColorRole.Window: "window",
    QPalette.ColorRole.Base: "base",
    QPalette.ColorRole.AlternateBase: "window",
    QPalette.ColorRole.Text: "text",
    QPalette.ColorRole.WindowText: "text",
    QPalette.ColorRole.ButtonText: "text",
    QPalette.ColorRole.Button: "base",
    QPalette.ColorRole.Highlight: "accent",
    QPalette.ColorRole.HighlightedText: "on_accent",
    QPalette.ColorRole.Link: "accent_text",
    QPalette.ColorRole.PlaceholderText: "placeholder",
    QPalette.ColorRole.ToolTipBase: "base",
    QPalette.ColorRole.ToolTipText: "text",
    QPalette.ColorRole.BrightText: "text",
    QPalette.ColorRole.Light: "hover",
    QPalette.ColorRole.Midlight: "border",
    QPalette.ColorRole.Mid: "border_strong",
    QPalette.ColorRole.Dark: "border_strong",
    QPalette.ColorRole.Shadow: "border_strong",
}
_DISABLED = (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText)


def apply_style(app: QApplication, scheme: str = "system") -> None:
    app.setStyle("Fusion")
    font = QFont(app.font())
    if font.pointSizeF() > 9.5:
        font.setPointSizeF(9.5)
    app.setFont(font)
    app.setWindowIcon(theme.icon("shopkeep"))
    use_scheme(scheme, app)


def use_scheme(scheme: str, app: QApplication | None = None) -> Palette:
    """Apply the owner's choice ("system", "light", "dark") to every window now open."""
    running = app or QApplication.instance()
    assert isinstance(running, QApplication)
    app = running
    scheme = scheme if scheme in palette.SCHEMES else "system"
    if app.property(SCHEME_PROPERTY) is None:  # once: hear the desktop when it switches
        app.styleHints().colorSchemeChanged.connect(lambda s: _desktop_switched(app, s))
    app.setProperty(SCHEME_PROPERTY, scheme)
    chosen = scheme_palette(app, scheme)
    palette.use(chosen)
    app.setPalette(qt_palette(chosen))
    qss = resources_dir() / "style" / "shopkeep.qss"
    try:
        app.setStyleSheet(palette.qss(qss.read_text(encoding="utf-8")))
    except OSError as exc:  # the app still works unstyled
        log.warning("Stylesheet not loaded: %s", exc)
    palette.restyle(app)
    return chosen


def choose_scheme(scheme: str) -> None:
    """The owner's choice from settings.json: applied when it differs from the one in use
    (a start with "system" changes nothing; apply_style already followed the desktop)."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    if scheme != (app.property(SCHEME_PROPERTY) or "system"):
        use_scheme(scheme, app)


def scheme_palette(app: QApplication, scheme: str) -> Palette:
    if scheme == "dark":
        return DARK
    if scheme == "light":
        return LIGHT
    said = app.property(DESKTOP_PROPERTY)
    dark = said if isinstance(said, bool) else app.styleHints().colorScheme() == Qt.ColorScheme.Dark
    return DARK if dark else LIGHT


def qt_palette(chosen: Palette) -> QPalette:
    """Qt's own palette in the scheme's colours (menus, inputs, Fusion's frames)."""
    qt = QPalette()
    for role, key in _ROLES.items():
        qt.setColor(role, QColor(chosen[key]))
    for role in _DISABLED:
        qt.setColor(QPalette.ColorGroup.Disabled, role, QColor(chosen["disabled"]))
    return qt


def _desktop_switched(app: QApplication, scheme: Qt.ColorScheme) -> None:
    """The desktop went light or dark: follow it unless the owner chose one."""
    app.setProperty(DESKTOP_PROPERTY, scheme == Qt.ColorScheme.Dark)
    if app.property(SCHEME_PROPERTY) == "system":
        use_scheme("system", app)
