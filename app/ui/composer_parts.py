"""Small pieces of the composer: the outbox state strip, the "scripted" warning, the look.

The strip says in plain words where the last reply is (queued, sending,
sent with a link, failed with the reason and a Retry button), so the owner
never wonders whether a customer got an answer.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import Qt, QTimer, Signal, SignalInstance
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from app.core import outbox as outbox_rules
from app.core.models import Network, OutboxItem, OutboxState
from app.ui import theme

KIND_TITLES: dict[str, str] = {
    "apology": "Apologies",
    "thanks": "Thank-yous",
    "answer": "Answers",
    "hello": "Hellos",
}
NOTE_MS = 7000
COUNTDOWN_MS = 1000
AGE_TICK_MS = 20_000

STYLE = """
QFrame#composer { background: @base; border-top: 1px solid @border; }
QLabel#composerTitle { font-weight: 600; color: @text; }
QToolButton { border: 1px solid @border_strong; border-radius: 6px; padding: 4px 10px;
    background: @base; }
QToolButton:hover { background: @hover; }
QToolButton:focus { border: 2px solid @focus; padding: 3px 9px; }
QPushButton:focus { border: 2px solid @focus; }
QPushButton#primaryButton:focus { border: 2px solid @focus_on_accent; }
QFrame#suggestionBar { background: @accent_soft_bg; border: 1px solid @accent_soft_border;
    border-radius: 7px; }
QFrame#suggestionBar[kind="apology"] { background: @warn_bg; border-color: @warn_border; }
QFrame#suggestionBar[kind="thanks"] { background: @thanks_bg; border-color: @thanks_border; }
QLabel#suggestionText { color: @text; }
QFrame#scriptedBar { background: @notice_bg; border: 1px solid @notice_border; border-radius: 7px; }
QLabel#scriptedText { color: @notice_text; }
QPlainTextEdit#replyEditor { border: 1px solid @border_strong; border-radius: 7px; padding: 6px;
    background: @base; selection-background-color: @accent; font-size: 10.5pt; }
QPlainTextEdit#replyEditor:focus { border-color: @focus; }
QLabel#charCounter { color: @text_muted; font-family: "DejaVu Sans Mono", monospace; }
QLabel#charCounter[over="true"] { color: @error_text; font-weight: 700; }
QLabel#sendReason { color: @text_muted; }
QLabel#sendReason[error="true"] { color: @error_text; }
QPushButton#primaryButton { background: @accent; border: 1px solid @accent_border;
    color: @on_accent;
    font-weight: 600; border-radius: 6px; padding: 6px 18px; }
QPushButton#primaryButton:hover { background: @accent_hover; }
QPushButton#primaryButton:disabled { background: @accent_disabled; border-color: @accent_disabled;
    color: @on_accent_disabled; }
QLabel#outboxDot { border-radius: 5px; min-width: 10px; max-width: 10px;
    min-height: 10px; max-height: 10px; }
QLabel#outboxDot[state="queued"] { background: @queued; }
QLabel#outboxDot[state="sending"] { background: @sending; }
QLabel#outboxDot[state="sent"] { background: @praise; }
QLabel#outboxDot[state="failed"] { background: @complaint; }
QLabel#outboxDot[state="note"] { background: @neutral; }
QLabel#outboxText { color: @text_secondary; }
"""

STATE_WORDS: dict[OutboxState, str] = {
    OutboxState.QUEUED: "Queued. It goes out as soon as Shopkeep is online.",
    OutboxState.SENDING: "Sending…",
    OutboxState.SENT: "Sent",
    OutboxState.FAILED: "Not sent",
}


def seconds_left(item: OutboxItem, now: datetime) -> int:
    """Whole seconds of the undo window still to run (0: none, or over)."""
    until = outbox_rules.held_until(item)
    if item.state is not OutboxState.QUEUED or until is None or now >= until:
        return 0
    return max(1, math.ceil((until - now).total_seconds()))


def describe(item: OutboxItem, network: Network, now: datetime | None = None) -> str:
    """The state of a reply as rich text (every variable part escaped)."""
    state = item.state
    now = now or datetime.now(UTC)
    private = "Private reply · " if outbox_rules.is_private(item) else ""
    left = seconds_left(item, now)
    if left:
        return f"{private}Sending in {left} s. Undo to change or keep it."
    if state is OutboxState.QUEUED and item.attempts and item.last_error:
        return private + "Waiting to send: " + html.escape(item.last_error)
    if state is OutboxState.SENT and reply_deleted(item):
        return f"Deleted from {theme.NETWORK_NAMES[network]} by you"
    if state is OutboxState.SENT:
        when = theme.format_age(item.sent_at, now) if item.sent_at else ""
        text = private + "Sent" + (f" · {when} ago" if when and when != "now" else " just now")
        if item.url:
            href = html.escape(item.url, quote=True)
            text += f' · <a href="{href}">Open on {theme.NETWORK_NAMES[network]}</a>'
        return text
    if state is OutboxState.FAILED:
        reason = item.last_error or "the server refused it"
        return private + "Not sent: " + html.escape(reason)
    return private + html.escape(STATE_WORDS[state])


def reply_deleted(item: OutboxItem) -> bool:
    """The owner deleted this sent reply from the server (storage notes when)."""
    try:
        extra = json.loads(item.payload or "{}")
    except ValueError:
        return False
    return isinstance(extra, dict) and bool(extra.get("deleted_at"))


class OutboxStrip(QFrame):
    """A coloured dot (with a word, never colour alone), the state, and what the owner
    can still do: Undo while the undo window runs, Edit and Cancel until the reply
    leaves, Retry when it failed, Delete once it is on the server."""

    retry_clicked = Signal(int)
    undo_clicked = Signal(object)  # the OutboxItem, for each of these
    edit_clicked = Signal(object)
    cancel_clicked = Signal(object)
    delete_clicked = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outboxStrip")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        self._item_id = 0
        self.dot = QLabel(self)
        self.dot.setObjectName("outboxDot")
        row.addWidget(self.dot, 0, Qt.AlignmentFlag.AlignVCenter)
        self.text = QLabel(self)
        self.text.setObjectName("outboxText")
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setOpenExternalLinks(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.text.setWordWrap(True)
        row.addWidget(self.text, 1)
        self.retry = QToolButton(self)
        self.retry.setText("Retry")
        self.retry.setToolTip("Put this reply back in the queue")
        self.retry.clicked.connect(lambda: self.retry_clicked.emit(self._item_id))
        row.addWidget(self.retry)
        self.undo = self._button(
            "Undo", "Take the reply back into the editor before it leaves", self.undo_clicked
        )
        self.edit = self._button(
            "Edit", "Take the reply back into the editor to change it", self.edit_clicked
        )
        self.cancel = self._button("Cancel", "Do not send this reply", self.cancel_clicked)
        self.delete = self._button(
            "Delete…", "Delete this reply from the network", self.delete_clicked
        )
        for button in (self.undo, self.edit, self.cancel, self.delete):
            row.addWidget(button)
        self._countdown = QTimer(self, interval=COUNTDOWN_MS)  # "Sending in 9 s" counts down
        self._countdown.timeout.connect(self.tick)
        self.item: OutboxItem | None = None
        self.can_delete = False  # main.py handed in the network clients (not in the demo)
        self._network = Network.MASTODON
        self._note_timer = QTimer(self, singleShot=True, interval=NOTE_MS)
        self._note_timer.timeout.connect(self._restore)
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        self._ages = QTimer(self, interval=AGE_TICK_MS)  # "Sent just now" grows older
        self._ages.timeout.connect(self.tick)
        self._ages.start()
        self.show_item(None)

    def tick(self) -> None:
        """Say the sent reply's age as it is now (a passing note is left alone)."""
        if self.item is not None and not self._note_timer.isActive():
            self._restore()

    def _button(self, text: str, tip: str, signal: SignalInstance) -> QToolButton:
        button = QToolButton(self)  # compact: the state's words keep the room
        button.setText(text)
        button.setToolTip(tip)
        button.clicked.connect(lambda: self._emit_item(signal))
        button.hide()
        return button

    def _emit_item(self, signal: SignalInstance) -> None:
        if self.item is not None:
            signal.emit(self.item)

    @property
    def state_text(self) -> str:
        return self.text.text()

    def show_item(self, item: OutboxItem | None, network: Network = Network.MASTODON) -> None:
        self.item, self._network = item, network
        self._note_timer.stop()
        self._restore()

    def show_note(self, message: str) -> None:
        """A passing remark (draft not saved, template replaced…); the state comes back."""
        self._paint("note", html.escape(message))
        self._show_buttons(None)
        self._note_timer.start()

    def _restore(self) -> None:
        item = self.item
        if item is None:
            self._paint("", "")
            self._show_buttons(None)
            return
        self._item_id = item.id
        now = self.clock()
        self._paint(item.state.value, describe(item, self._network, now))
        self._show_buttons(item, now)

    def _show_buttons(self, item: OutboxItem | None, now: datetime | None = None) -> None:
        held = item is not None and now is not None and seconds_left(item, now) > 0
        waiting = item is not None and item.state in (OutboxState.QUEUED, OutboxState.FAILED)
        self.retry.setVisible(item is not None and item.state is OutboxState.FAILED)
        self.undo.setVisible(held)
        self.edit.setVisible(waiting and not held)
        self.cancel.setVisible(waiting and not held)
        self.delete.setVisible(
            item is not None
            and item.state is OutboxState.SENT
            and bool(item.remote_id)
            and not reply_deleted(item)
            and self.can_delete
        )
        if held:
            self._countdown.start()
        else:
            self._countdown.stop()

    def _paint(self, state: str, rich: str) -> None:
        self.setVisible(bool(rich))  # a row of its own: no empty gap when nothing to say
        self.dot.setVisible(bool(state))
        self.dot.setProperty("state", state)
        self.dot.setAccessibleName(state)
        self.dot.style().unpolish(self.dot)
        self.dot.style().polish(self.dot)
        self.text.setText(rich)


class ScriptedBar(QFrame):
    """Before the same words reach too many people: say so, offer to personalise."""

    personalise_clicked = Signal()
    send_anyway_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scriptedBar")
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 6, 6)
        self.text = QLabel(self)
        self.text.setObjectName("scriptedText")
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        row.addWidget(self.text, 1)
        self.personalise = QPushButton("Personalise", self)
        self.personalise.setObjectName("primaryButton")
        self.personalise.clicked.connect(self.personalise_clicked)
        row.addWidget(self.personalise)
        self.send_anyway = QPushButton("Send anyway", self)
        self.send_anyway.clicked.connect(self.send_anyway_clicked)
        row.addWidget(self.send_anyway)
        self.hide()

    def show_verdict(self, message: str, first_name: str) -> None:
        self.text.setText(f"{message} Add something only {first_name} would recognise?")
        self.show()
