"""Small pieces both account dialogs share: the look, wrapped labels, pages, error words."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import ShopkeepError
from app.core.models import Account, Network
from app.ui import theme

log = logging.getLogger(__name__)

UNEXPECTED = "Something unexpected went wrong. The details are in Shopkeep's log file."

STYLE = """
QLabel#pageTitle { font-size: 14pt; font-weight: 600; color: @text; }
QLabel#pageText { color: @text_secondary; }
QLabel#hint { color: @text_muted; }
QLabel#fieldLabel { font-weight: 600; color: @text_secondary; }
QLabel#formError { color: @warn_text; background: @warn_bg; border: 1px solid @warn_border;
    border-radius: 6px; padding: 8px 10px; }
QLabel#helpBox { color: @text_secondary; background: @help_bg; border: 1px solid @help_border;
    border-radius: 6px; padding: 8px 10px; }
QLineEdit { border: 1px solid @border_strong; border-radius: 6px; padding: 6px 8px;
    background: @base; selection-background-color: @accent; }
QLineEdit:focus { border-color: @focus; }
QPushButton:disabled { color: @disabled; background: @window; border-color: @border; }
QPushButton#networkChoice { border-radius: 8px; border: 1px solid @border_strong;
    background: @base; padding: 0; }
QPushButton#networkChoice:hover { border-color: @accent; background: @accent_hover_soft; }
QLabel#choiceTitle { font-size: 11pt; font-weight: 600; color: @text; }
QLabel#choiceArrow { font-size: 16pt; color: @text_muted; }
QFrame#identityCard { background: @base; border: 1px solid @border; border-radius: 8px; }
QLabel#verifiedPill { color: @ok_text; background: @ok_bg; border-radius: 9px;
    padding: 2px 10px; font-weight: 600; }
QLabel#stepsBox { color: @text_secondary; background: @base; border: 1px solid @border;
    border-radius: 8px; padding: 10px 14px; }
QPushButton#linkButton { border: none; background: transparent; color: @accent_text;
    padding: 2px 0; text-align: left; }
QPushButton#linkButton:hover { text-decoration: underline; }
QFrame#busyBar { background: @window; border-top: 1px solid @border; }
QProgressBar { border: none; background: @border; border-radius: 2px; max-height: 4px; }
QProgressBar::chunk { background: @accent; border-radius: 2px; }
"""


def label(text: str, name: str = "pageText", parent: QWidget | None = None) -> QLabel:
    """A wrapped label that never interprets the text as HTML (server words are data)."""
    widget = QLabel(text, parent)
    widget.setObjectName(name)
    widget.setWordWrap(True)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    return widget


def link_button(text: str, parent: QWidget | None = None) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName("linkButton")
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    button.setFlat(True)
    return button


def error_text(exc: BaseException) -> str:
    """The owner-facing sentence: a ShopkeepError's user_message, else a calm generic one."""
    if isinstance(exc, ShopkeepError):
        return exc.user_message
    log.error("Account setup failed unexpectedly", exc_info=exc)
    return UNEXPECTED


class Page(QWidget):
    """One step: a title, a short text, its own fields, and an error line at the bottom."""

    def __init__(self, title: str, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(28, 24, 28, 16)
        self.box.setSpacing(10)
        self.title = label(title, "pageTitle", self)
        self.box.addWidget(self.title)
        self.text = label(text, "pageText", self)
        self.text.setVisible(bool(text))
        self.box.addWidget(self.text)
        self.box.addSpacing(6)
        self.body = QVBoxLayout()
        self.body.setSpacing(8)
        self.box.addLayout(self.body)
        self.box.addSpacing(4)
        self.error = label("", "formError", self)  # right under the fields it is about
        self.error.setVisible(False)
        self.box.addWidget(self.error)
        self.box.addStretch(1)

    def field(self, caption: str, edit: QLineEdit) -> QLineEdit:
        self.body.addWidget(label(caption, "fieldLabel", self))
        self.body.addWidget(edit)
        return edit

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))
        if message:
            self._make_room()

    def _make_room(self) -> None:
        """Grow the dialog so the new error line never squeezes the wrapped help above it."""
        top = self.window()
        layout = self.layout()
        if top is self or layout is None:
            return
        needed = (
            layout.totalHeightForWidth(self.width())
            if layout.hasHeightForWidth()
            else layout.totalSizeHint().height()
        )
        extra = needed - self.height()
        if extra > 0:
            top.resize(top.width(), top.height() + extra)


class NetworkChoice(QPushButton):
    """A large button: network mark, name in bold, one muted line about how it signs in."""

    def __init__(
        self, network: Network, title: str, text: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("networkChoice")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAccessibleName(f"{title}: {text}")
        self.setMinimumHeight(68)
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 10, 16, 10)
        row.setSpacing(14)
        mark = QLabel(self)
        mark.setPixmap(theme.network_icon(network).pixmap(32, 32))
        row.addWidget(mark)
        col = QVBoxLayout()
        col.setSpacing(2)
        col.addWidget(label(title, "choiceTitle", self))
        col.addWidget(label(text, "hint", self))
        row.addLayout(col, 1)
        arrow = label("›", "choiceArrow", self)
        row.addWidget(arrow)
        for child in self.findChildren(QLabel):
            child.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)


class IdentityCard(QFrame):
    """Who an account turned out to be, as the server said: name, handle, server."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("identityCard")
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 14, 16, 14)
        row.setSpacing(14)
        self.mark = QLabel(self)
        row.addWidget(self.mark, 0, Qt.AlignmentFlag.AlignTop)
        col = QVBoxLayout()
        col.setSpacing(2)
        self.name = label("", "choiceTitle", self)
        self.details = label("", "hint", self)
        col.addWidget(self.name)
        col.addWidget(self.details)
        row.addLayout(col, 1)
        self.pill = label("✓ Verified", "verifiedPill", self)
        row.addWidget(self.pill, 0, Qt.AlignmentFlag.AlignTop)

    def show_account(self, account: Account) -> None:
        self.mark.setPixmap(theme.network_icon(account.network).pixmap(36, 36))
        self.name.setText(account.display_name or account.handle)
        server = account.server.split("://", 1)[-1]
        self.details.setText(
            f"{theme.NETWORK_NAMES[account.network]} · {account.address} · {server}"
        )
