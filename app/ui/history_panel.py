"""Beside the conversation: who this customer is to the shop, like a shopkeeper's memory.

Every earlier conversation with this person (on every shop account and every
linked contact), with the shop's own replies, and a private note ("prefers
email", "VIP") saved as it is typed. Read in the background; the note is
written through the write lane after a short pause.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QFont, QTextBlockFormat, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QFrame, QLabel, QPlainTextEdit, QTextBrowser, QVBoxLayout, QWidget

from app.core import reply_rules as logic
from app.core.models import Contact, StoredPost, ThreadRow
from app.core.templates import excerpt
from app.ui import palette, theme
from app.ui.answer_services import AnswerServices
from app.ui.palette import colour
from app.ui.ports import AnswerStore

MAX_THREADS = 20
NOTE_DELAY_MS = 400

STYLE = """
QFrame#historyPanel { background: @base; border-left: 1px solid @border; }
QLabel#historyName { font-size: 11.5pt; font-weight: 600; color: @text; }
QLabel#historyMeta { color: @text_muted; }
QLabel#historySection { color: @text_muted; font-weight: 600; font-size: 8.5pt;
    letter-spacing: 0.5px; padding-top: 6px; }
QPlainTextEdit#contactNote { background: @note_bg; border: 1px solid @note_border;
    border-radius: 6px;
    padding: 4px; color: @note_text; }
QPlainTextEdit#contactNote:focus { border-color: @note_focus; }
QLabel#noteState { color: @text_muted; font-size: 8.5pt; }
QTextBrowser#historyView { background: @base; border: none; }
"""


@dataclass(frozen=True, slots=True)
class EarlierThread:
    row: ThreadRow
    posts: tuple[StoredPost, ...]  # the customer's posts and the shop's replies, oldest first


@dataclass(frozen=True, slots=True)
class CustomerHistory:
    contact: Contact | None
    linked: tuple[Contact, ...]
    earlier: tuple[EarlierThread, ...]
    total_posts: int


def load_history(store: AnswerStore, thread_id: int, posts: list[StoredPost]) -> CustomerHistory:
    """Runs on a worker: the customer of `posts` and everything else they wrote to the shop."""
    target = logic.reply_target(posts)
    contact = store.contact_for_post(target.id) if target is not None else None
    if contact is None:
        return CustomerHistory(None, (), (), 0)
    linked = tuple(store.linked_contacts(contact.id)) or (contact,)
    theirs = {c.remote_id for c in linked}
    history = store.contact_history(contact.id, 200)
    order: list[int] = []
    for post in history:  # newest first
        if post.thread_id != thread_id and post.thread_id not in order:
            order.append(post.thread_id)
    shown = order[:MAX_THREADS]
    posts_of = store.posts_for_threads(shown)  # two queries, not two per thread
    earlier = [
        EarlierThread(
            row,
            tuple(
                p for p in posts_of.get(row.id, ()) if p.is_own or p.post.author.remote_id in theirs
            ),
        )
        for row in store.threads(shown)
    ]
    return CustomerHistory(contact, linked, tuple(earlier), len(history))


def when(row: ThreadRow) -> str:
    """ "3 d ago", "5 min ago", "12 Mar": short, like the thread list."""
    age = theme.format_age(row.last_activity)
    if age == "now":
        return "Just now"
    return f"{age} ago" if age.split()[-1] in ("min", "h", "d") else age


class HistoryPanel(QFrame):
    """The customer's card: name, handles, private note, earlier conversations.

    `open_thread_requested(thread_id)` fires when an earlier conversation is clicked.
    """

    open_thread_requested = Signal(int)

    def __init__(self, services: AnswerServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setObjectName("historyPanel")
        palette.style(self, STYLE)
        self.setMinimumWidth(230)
        self.setMaximumWidth(340)
        self.history: CustomerHistory | None = None
        self._token = 0
        self._note_contact: int | None = None
        self._note_dirty = False
        col = QVBoxLayout(self)
        col.setContentsMargins(14, 12, 12, 8)
        col.setSpacing(4)
        self.name = QLabel(self)
        self.name.setObjectName("historyName")
        self.name.setTextFormat(Qt.TextFormat.PlainText)
        self.name.setWordWrap(True)
        col.addWidget(self.name)
        self.meta = QLabel(self)
        self.meta.setObjectName("historyMeta")
        self.meta.setTextFormat(Qt.TextFormat.PlainText)
        self.meta.setWordWrap(True)
        col.addWidget(self.meta)
        col.addWidget(self._section("PRIVATE NOTE"))
        self.note = QPlainTextEdit(self)
        self.note.setObjectName("contactNote")
        self.note.setAccessibleName("Private note about this customer")
        self.note.setPlaceholderText(
            "Only you see this: “prefers email”, “VIP”, “regular, oat milk”…"
        )
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(66)
        self.note.textChanged.connect(self._on_note_changed)
        col.addWidget(self.note)
        self.note_state = QLabel(self)
        self.note_state.setObjectName("noteState")
        col.addWidget(self.note_state)
        self.section = self._section("OTHER CONVERSATIONS")  # newer ones too, newest first
        col.addWidget(self.section)
        self.view = QTextBrowser(self)
        self.view.setObjectName("historyView")
        self.view.setOpenLinks(False)
        self.view.setAccessibleName("Other conversations with this customer")
        self.view.document().setDocumentMargin(2)
        self.view.document().setUndoRedoEnabled(False)  # written by us only, never edited
        self.view.anchorClicked.connect(self._on_link)
        col.addWidget(self.view, 1)
        self._note_timer = QTimer(self, singleShot=True, interval=NOTE_DELAY_MS)
        self._note_timer.timeout.connect(self.save_note)
        self.clear()

    def _section(self, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setObjectName("historySection")
        return label

    # -- loading -----------------------------------------------------------------

    def clear(self) -> None:
        self.save_note()
        self._token += 1
        self.history = None
        self._note_contact = None
        self.name.setText("")
        self.meta.setText("")
        self._set_note("")
        self.note.setEnabled(False)
        self.view.clear()

    def show_thread(self, thread: ThreadRow, posts: list[StoredPost]) -> None:
        """Load this thread's customer in the background (the note of the last one is kept)."""
        self.save_note()
        self._token += 1
        token = self._token
        self._note_contact = None  # until this customer's note is read, nothing is saved
        self.note.setEnabled(False)
        self.name.setText(thread.author_name or thread.author_handle)
        self.meta.setText(thread.author_handle)
        store = self.services.store
        self.services.runner.run(
            lambda: load_history(store, thread.id, posts),
            lambda h: self._on_loaded(token, h),
            name="customer history",
        )

    def drop_pending(self) -> None:
        """The owner moved on to another thread: a history still being read for the last
        one is not drawn (j/k through the list drew every customer passed on the way)."""
        self._token += 1

    def _on_loaded(self, token: int, history: CustomerHistory) -> None:
        if token != self._token:
            return
        self.history = history
        contact = history.contact
        self._note_contact = contact.id if contact else None
        self.note.setEnabled(contact is not None)
        self._set_note(contact.note if contact else "")
        if contact is not None:
            self.name.setText(contact.display_name or contact.handle)
            handles = [f"{c.handle} ({theme.NETWORK_NAMES[c.network]})" for c in history.linked]
            n = len(history.earlier)
            count = (
                f"{n} other conversation{'s' if n != 1 else ''}"
                if n
                else "First conversation with the shop"
            )
            self.meta.setText("\n".join([*handles, count]))
        self._render(history)

    def changeEvent(self, event: QEvent) -> None:
        """Light ↔ dark: the history's text carries its colours, so write it again."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.history is not None:
            self._render(self.history)

    def _render(self, history: CustomerHistory) -> None:
        doc = self.view.document()
        doc.clear()
        cursor = QTextCursor(doc)
        cursor.beginEditBlock()  # laid out once at the end, not after every insert
        try:
            self._write(cursor, history)
        finally:
            cursor.endEditBlock()
        self.view.moveCursor(QTextCursor.MoveOperation.Start)

    def _write(self, cursor: QTextCursor, history: CustomerHistory) -> None:
        base = QTextCharFormat()
        base.setForeground(colour("text"))
        muted = QTextCharFormat(base)
        muted.setForeground(colour("text_muted"))
        if not history.earlier:
            cursor.insertText(
                "No other conversations. This is the first time they have written.", muted
            )
            return
        head = QTextCharFormat(base)
        head.setFontWeight(QFont.Weight.DemiBold)
        head.setAnchor(True)
        first = True
        for earlier in history.earlier:
            row = earlier.row
            block = QTextBlockFormat()
            block.setTopMargin(0 if first else 12)
            if not first:
                cursor.insertBlock(block)
            first = False
            head.setAnchorHref(f"thread:{row.id}")
            head.setToolTip("Open this conversation")
            cursor.insertText(when(row), head)
            tag = QTextCharFormat(muted)
            tag.setForeground(palette.sentiment_text(row.worst_label))
            cursor.insertText("  ·  " + theme.sentiment_word(row.worst_label), tag)
            cursor.insertText(
                f"  ·  {theme.STATUS_WORDS[row.status]}  ·  {theme.NETWORK_NAMES[row.network]}",
                muted,
            )
            for sp in earlier.posts:
                line = QTextBlockFormat()
                line.setTopMargin(3)
                line.setLeftMargin(10 if sp.is_own else 0)
                cursor.insertBlock(line)
                who = QTextCharFormat(base)
                who.setFontWeight(QFont.Weight.DemiBold)
                who.setForeground(colour("praise_text" if sp.is_own else "text"))
                cursor.insertText("You: " if sp.is_own else "They: ", who)
                cursor.insertText(excerpt(sp.post.text, 140), base)

    def _on_link(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("thread:") and text[7:].isdigit():
            self.open_thread_requested.emit(int(text[7:]))

    # -- the private note -----------------------------------------------------------

    def _set_note(self, text: str) -> None:
        self.note.blockSignals(True)
        self.note.setPlainText(text)
        self.note.blockSignals(False)
        self._note_dirty = False
        self.note_state.setText("")

    def _on_note_changed(self) -> None:
        if self._note_contact is not None:
            self.note_state.setText("Saving…")
            self._note_dirty = True
            self._note_timer.start()

    def save_note(self) -> None:
        """Write the note now if it changed (pause in typing, another thread, closing)."""
        self._note_timer.stop()
        if not self._note_dirty:
            return
        self._note_dirty = False
        contact_id, note = self._note_contact, self.note.toPlainText()
        if contact_id is None:
            return
        store, token = self.services.store, self._token

        def saved(_result: object) -> None:
            if token == self._token:
                self.note_state.setText("Saved. Only you see this note.")

        def failed(exc: BaseException) -> None:
            self.note_state.setText(getattr(exc, "user_message", "") or "Not saved.")

        self.services.runner.run(
            lambda: store.set_contact_note(contact_id, note),
            saved,
            failed,
            write=True,
            name="save contact note",
        )
