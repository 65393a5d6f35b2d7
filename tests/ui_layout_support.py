"""Geometry checks for the window tests and the walkthrough: what moved, what is clipped.

A label is clipped when it is narrower (or, wrapped, shorter) than its text
needs; an `ElidedLabel` and the account filter are meant to elide and are left
out. Panes are compared by their geometry in window coordinates.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QLabel, QWidget

from app.ui.elided_label import ElidedLabel


def pane_rects(window: Any) -> dict[str, QRect]:
    """Where the three panes are, in window coordinates."""
    column = window.thread_view.parentWidget()
    panes = {
        "folders": window.folder_view,
        "threads": column,
        "conversation": window.conversation_pane,
    }
    return {name: QRect(w.mapTo(window, w.rect().topLeft()), w.size()) for name, w in panes.items()}


def _shown(widget: QWidget, root: QWidget) -> bool:
    return widget.isVisibleTo(root) and widget.width() > 0 and widget.height() > 0


def clipped_widgets(root: QWidget, *, meant_to_elide: tuple[QWidget, ...] = ()) -> list[str]:
    """Every visible label, button or combo whose own text does not fit its size."""
    found: list[str] = []
    for label in root.findChildren(QLabel):
        if isinstance(label, ElidedLabel) or label in meant_to_elide or not _shown(label, root):
            continue
        if not label.text() or (label.pixmap() is not None and not label.pixmap().isNull()):
            continue
        if label.wordWrap():
            need_h = label.heightForWidth(label.width())
            if need_h > label.height() + 1:
                found.append(
                    f"label {label.text()[:40]!r}: {label.height()} px high, needs {need_h}"
                )
        elif label.sizeHint().width() > label.width() + 1:
            found.append(
                f"label {label.text()[:40]!r}: {label.width()} px wide, "
                f"needs {label.sizeHint().width()}"
            )
    for button in root.findChildren(QAbstractButton):
        if button in meant_to_elide or not _shown(button, root) or not button.text():
            continue
        if button.sizeHint().width() > button.width() + 1:
            found.append(
                f"button {button.text()!r}: {button.width()} px wide, "
                f"needs {button.sizeHint().width()}"
            )
    for combo in root.findChildren(QComboBox):
        if combo in meant_to_elide or not _shown(combo, root):
            continue
        text_w = combo.fontMetrics().horizontalAdvance(combo.currentText())
        if combo.minimumSizeHint().width() > combo.width() + 1 or text_w > combo.width() - 24:
            found.append(f"combo {combo.currentText()!r}: {combo.width()} px wide")
    return found


@contextmanager
def app_look(app: QApplication) -> Iterator[None]:
    """The app's own style, palette, font and stylesheet for a while, then the test
    session's again (other tests measure against the plain look)."""
    from app.ui import palette
    from app.ui.app_style import SCHEME_PROPERTY, apply_style

    saved = (app.style().name(), app.palette(), app.font(), app.styleSheet())
    scheme, colours = app.property(SCHEME_PROPERTY), palette.current()
    apply_style(app)
    try:
        yield
    finally:
        app.setProperty(SCHEME_PROPERTY, scheme)
        palette.use(colours)
        app.setStyleSheet(saved[3])
        app.setStyle(saved[0])
        app.setPalette(saved[1])
        app.setFont(saved[2])
