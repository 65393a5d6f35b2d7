"""The look: Fusion style, a light palette and resources/style/shopkeep.qss.

Fusion looks the same on every desktop, so the screenshots in the README are
what users get; the stylesheet only adds spacing and quiet colours.
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from app.core.paths import resources_dir
from app.ui import theme

log = logging.getLogger(__name__)


def apply_style(app: QApplication) -> None:
    app.setStyle("Fusion")
    palette = app.palette()
    roles = {
        QPalette.ColorRole.Window: "#F6F7F9",
        QPalette.ColorRole.Base: "#FFFFFF",
        QPalette.ColorRole.AlternateBase: "#F6F7F9",
        QPalette.ColorRole.Text: theme.TEXT,
        QPalette.ColorRole.WindowText: theme.TEXT,
        QPalette.ColorRole.ButtonText: theme.TEXT,
        QPalette.ColorRole.Button: "#FFFFFF",
        QPalette.ColorRole.Highlight: theme.ACCENT,
        QPalette.ColorRole.HighlightedText: "#FFFFFF",
        QPalette.ColorRole.Link: theme.ACCENT,
        QPalette.ColorRole.PlaceholderText: "#8C959F",
        QPalette.ColorRole.ToolTipBase: "#FFFFFF",
        QPalette.ColorRole.ToolTipText: theme.TEXT,
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    app.setPalette(palette)
    font = QFont(app.font())
    if font.pointSizeF() > 9.5:
        font.setPointSizeF(9.5)
    app.setFont(font)
    qss = resources_dir() / "style" / "shopkeep.qss"
    try:
        app.setStyleSheet(qss.read_text(encoding="utf-8"))
    except OSError as exc:  # the app still works unstyled
        log.warning("Stylesheet not loaded: %s", exc)
    app.setWindowIcon(theme.icon("shopkeep"))
