"""Puts the answering tools into the main window without the window knowing about them.

`install_answer_pane(window, services)` adds the customer history beside the
conversation, the composer under it, Done / Snooze / Undo in the
conversation header, a Thread menu (every key also by mouse), and the
keyboard shortcuts window on F1. It listens to the window's `thread_opened`
and keeps the thread list and folder counts in step with what it changes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QToolButton

from app.core.models import (
    Account,
    Folder,
    OutboxItem,
    Template,
    ThreadRow,
    ThreadStatus,
)
from app.ui import palette
from app.ui.answer_services import AnswerServices
from app.ui.composer import Composer
from app.ui.conversation_read import Conversation, read_conversation
from app.ui.history_panel import HistoryPanel
from app.ui.main_window import MainWindow
from app.ui.row_menu import RowMenu
from app.ui.stored_templates import read_templates
from app.ui.thread_actions import ThreadActions

if TYPE_CHECKING:  # the dialog is imported when opened: it is not on the first paint
    from app.ui.templates_dialog import TemplatesDialog

log = logging.getLogger(__name__)

HEADER_STYLE = """
QToolButton#threadAction { border: 1px solid @border_strong; border-radius: 6px; padding: 4px 10px;
    background: @base; color: @text; }
QToolButton#threadAction:hover { background: @hover; }
QToolButton#threadAction:disabled { color: @disabled; }
QToolButton#threadAction:focus { border: 2px solid @focus; padding: 3px 9px; }
QToolButton#threadAction::menu-indicator { image: none; width: 0; }
"""


class AnswerPane(QObject):
    """Owns the composer, the history panel and the thread actions of one main window."""

    def __init__(
        self,
        window: MainWindow,
        services: AnswerServices,
        menu: QMenu | None = None,
        templates: list[Template] | None = None,
        *,
        build: bool = True,
    ) -> None:
        """`menu`: the Thread menu already in the menu bar, to fill (None: one is added).
        `templates`: the stored ones, read already (None: read them now).
        `build=False`: the parts are made by `build_steps()`, a step at a time.

        May be built after the window was shown (AppWindow builds it after the first
        painted inbox): a conversation already open gets its composer at once."""
        super().__init__(window)
        self.window = window
        self.services = services
        self.accounts: list[Account] = []
        self.pane = window.conversation_pane
        self._reserved_menu = menu
        self._given_templates = templates
        if build:
            for _step in self.build_steps():
                pass

    def build_steps(self) -> Iterator[None]:
        """Make the parts, yielding between pieces of a few milliseconds each (a few
        dozen Qt calls): AppWindow takes one piece per turn of the event loop."""
        pane = self.pane
        self.composer = Composer(self.services, pane, build=False)
        yield
        yield from self.composer.build_steps()
        pane.composer_slot.addWidget(self.composer)
        yield
        self.history = HistoryPanel(self.services, pane)
        pane.side_slot.addWidget(self.history)
        yield
        self.actions = ThreadActions(self.services, self)
        self.row_menu = RowMenu(self.window, self.actions)  # right-click on a row; mark unread
        yield
        self._build_actions()
        self._build_header()
        yield
        self._build_menu(self._reserved_menu)
        self._connect()
        self.window.installEventFilter(self)
        self.composer.editor.installEventFilter(self)
        self.history.note.installEventFilter(self)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.flush)
        yield
        if self._given_templates is None:
            self.load_templates()
        else:
            self.composer.set_templates(self._given_templates)
        self._load_accounts()
        yield
        pane.fit_slots()  # the pane may have its size already: size the new parts now
        # in the same step as the look at the open thread: each opening is shown once
        self.window.thread_opened.connect(self.on_thread_opened)
        self.window.thread_selected.connect(lambda _id: self.history.drop_pending())
        self.window.thread_merged.connect(self.on_thread_merged)
        if pane.current_thread is not None:  # opened before these parts were built
            self.on_thread_opened(pane.current_thread.id)

    # -- construction ----------------------------------------------------------

    def _build_actions(self) -> None:
        w = self.window
        self.reply_action = QAction("Reply", self)
        self.reply_action.setShortcut(QKeySequence("R"))
        self.reply_action.setToolTip("Write a reply (R)")
        self.reply_action.triggered.connect(self.composer.focus_editor)
        self.templates_action = QAction("Reply templates…", self)
        self.templates_action.triggered.connect(self.open_templates)
        self.actions.snooze_action.triggered.connect(self._popup_snooze)
        for action in (
            self.reply_action,
            self.actions.done_action,
            self.actions.snooze_action,
            self.actions.undo_action,
            self.actions.redo_action,
        ):
            w.addAction(action)

    def _build_header(self) -> None:
        self.done_button = self._header_button(self.actions.done_action, "Done  (E)")
        self.snooze_button = self._header_button(self.actions.snooze_action, "Snooze ▾")
        self.snooze_button.setMenu(self.actions.snooze_menu(self.snooze_button))
        self.snooze_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.undo_button = self._header_button(self.actions.undo_action, "Undo")
        self.actions.undo_action.changed.connect(self._name_undo)
        self._name_undo()

    def _name_undo(self) -> None:
        """The header's Undo says what it undoes, and whose conversation when not this one."""
        stack = self.actions.stack
        command = stack.command(stack.index() - 1) if stack.canUndo() else None
        what = stack.undoText()
        open_id = self.pane.current_thread.id if self.pane.current_thread is not None else None
        elsewhere = command is not None and getattr(command, "thread_id", None) != open_id
        self.undo_button.setText(
            f"Undo {what.split(':')[0].lower()} ({what.split(': ')[-1]})"
            if elsewhere and what
            else "Undo"
        )
        self.undo_button.setToolTip(f"Undo {what} (U)" if what else "Nothing to undo")

    def _header_button(self, action: QAction, text: str) -> QToolButton:
        button = QToolButton(self.pane)
        button.setObjectName("threadAction")
        palette.style(button, HEADER_STYLE)
        button.setText(text)
        button.setToolTip(action.toolTip() or action.text())
        button.setEnabled(action.isEnabled())
        button.clicked.connect(action.trigger)
        action.enabledChanged.connect(button.setEnabled)  # disconnects when the button goes
        self.pane.header_actions.addWidget(button)
        return button

    def _build_menu(self, reserved: QMenu | None) -> None:
        menu = reserved if reserved is not None else QMenu("&Thread", self.window)
        menu.addAction(self.reply_action)
        menu.addAction(self.composer.send_action)
        menu.addSeparator()
        menu.addAction(self.actions.done_action)
        menu.addMenu(self.actions.snooze_menu(menu)).setText("Snooze until")
        menu.addAction(self.row_menu.mark_unread_action)
        menu.addAction(self.actions.undo_action)
        menu.addAction(self.actions.redo_action)
        menu.addSeparator()
        menu.addAction(self.templates_action)
        if reserved is None:
            bar = self.window.menuBar()
            bar.insertMenu(self.window.menus["help"].menuAction(), menu)
        self.menu = menu

    def _connect(self) -> None:
        self.actions.thread_changed.connect(self._on_status_changed)
        self.actions.message.connect(self._status_message)
        self.composer.replied.connect(self._on_replied)
        self.composer.reply_sender.state.connect(self._on_reply_state)
        self.composer.edit_templates_requested.connect(self.open_templates)
        self.composer.draft_presence_changed.connect(self._on_draft_presence)
        self.history.open_thread_requested.connect(self.open_thread)

    # -- following the window ----------------------------------------------------------

    def on_thread_opened(self, thread_id: int) -> None:
        thread: ThreadRow | None = self.pane.current_thread
        if thread is None or thread.id != thread_id:
            return
        posts = list(self.pane.posts)
        account = self._account(thread.account_id)
        self.composer.set_thread(thread, posts, account)
        self.history.show_thread(thread, posts)
        self.actions.set_thread(thread)
        self._name_undo()
        if account is None:
            self._load_accounts()
        # No second read here: the window read the shop's waiting replies with the posts.

    def refresh_conversation(self, thread_id: int, row: ThreadRow | None = None) -> None:
        """Re-read the open conversation with the shop's replies still in the outbox, so a
        reply shows (and the header says Replied) the moment it is queued."""
        store = self.services.store

        def show(result: Conversation | None) -> None:
            open_now = self.pane.current_thread
            if result is None or open_now is None or open_now.id != thread_id:
                return
            fresh, fresh_posts, pending = result
            self.pane.show_thread(fresh, fresh_posts, pending)
            self.composer.posts = list(fresh_posts)

        self.services.runner.run(
            lambda: read_conversation(store, thread_id, row), show, name="read conversation"
        )

    def _on_reply_state(self, item: OutboxItem | None) -> None:
        """A reply went out: its post is stored now, show it in place of the pending one."""
        thread = self.pane.current_thread
        if item is None or thread is None or item.thread_id != thread.id:
            return
        shown = next((p for p in self.pane.pending if p.id == item.id), None)
        if shown is not None and shown.state is not item.state:
            self.refresh_conversation(thread.id)

    def on_thread_merged(self, old_id: int, thread: ThreadRow) -> None:
        """The open thread joined `thread`: the composer carries on there, text intact."""
        posts = list(self.pane.posts)
        self.composer.follow_merge(old_id, thread, posts)
        self.history.show_thread(thread, posts)
        self.actions.set_thread(thread)

    def _account(self, account_id: int) -> Account | None:
        known = self.accounts or self.window.accounts
        return next((a for a in known if a.id == account_id), None)

    def _load_accounts(self) -> None:
        def loaded(accounts: list[Account]) -> None:
            self.accounts = accounts
            thread = self.composer.current_thread
            if thread is not None and self.composer.account is None:
                self.composer.set_account(self._account(thread.account_id))

        self.services.runner.run(self.services.store.accounts, loaded, name="read accounts")

    def load_templates(self) -> None:
        """Templates for the composer; a fresh inbox gets the shipped ones first."""
        store = self.services.store
        self.services.runner.run(
            lambda: read_templates(store),
            self.composer.set_templates,
            write=True,
            name="read templates",
        )

    # -- keeping the list and counts in step -------------------------------------------

    def _on_status_changed(self, row: ThreadRow) -> None:
        model = self.window.thread_model
        fits = model.matches(row)
        if fits is None and model.query.folder is Folder.NEEDS_REPLY:
            fits = row.status is ThreadStatus.NEEDS_REPLY or (
                row.status is ThreadStatus.SNOOZED
                and row.snoozed_until is not None
                and row.snoozed_until <= datetime.now(UTC)
            )
        if fits is False:
            model.remove_thread(row.id)
        elif model.row_for_id(row.id) >= 0:
            model.update_thread(row)
        elif fits:
            model.insert_threads([row])
        if self.pane.current_thread is not None and self.pane.current_thread.id == row.id:
            self.pane.show_thread(row, self.pane.posts, self.pane.pending)
        self.window.refresh_side()

    def _on_replied(self, row: ThreadRow) -> None:
        """Replied threads stay in view until the owner moves on, so "Sent" can be seen.

        Focus goes back to the list, so the next j/k moves instead of typing "jk"."""
        if self.composer.editor.hasFocus():
            self.leave_to_list()
        self.window.thread_model.update_thread(row)
        self.actions.set_thread(row)
        if self.pane.current_thread is not None and self.pane.current_thread.id == row.id:
            self.refresh_conversation(row.id, row)
        self.window.refresh_side()

    def _on_draft_presence(self, thread_id: int, present: bool) -> None:
        model = self.window.thread_model
        if (
            not present
            and model.query.folder is Folder.DRAFTS
            and (self.pane.current_thread is None or self.pane.current_thread.id != thread_id)
        ):
            model.remove_thread(thread_id)
        self.window.refresh_side()

    def _status_message(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 6000)

    # -- actions ---------------------------------------------------------------------------

    def _popup_snooze(self) -> None:
        """Z: the snooze choices under the Snooze button (a popup; nothing blocks)."""
        menu = self.snooze_button.menu()
        if self.actions.current_thread is not None and menu is not None:
            below = self.snooze_button.rect().bottomLeft()
            menu.popup(self.snooze_button.mapToGlobal(below))

    def open_templates(self) -> TemplatesDialog:
        from app.ui.templates_dialog import TemplatesDialog

        account = self.composer.account or (self.accounts[0] if self.accounts else None)
        dialog = TemplatesDialog(self.services, self.window, account=account)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.templates_changed.connect(self.composer.set_templates)
        dialog.show()
        return dialog

    def open_thread(self, thread_id: int) -> None:
        """Show an earlier conversation from the history (switching to All if needed)."""
        w = self.window
        model = w.thread_model
        if model.row_for_id(thread_id) < 0:
            folders = w.folder_model
            w.folder_view.setCurrentIndex(folders.index(folders.row_of_folder(Folder.ALL)))
        row = model.row_for_id(thread_id)
        while row < 0 and model.canFetchMore():
            model.fetchMore()
            row = model.row_for_id(thread_id)
        if row >= 0:
            w.select_row(row)

    def set_undo_seconds(self, seconds: int) -> None:
        """How long the next Send waits before it goes (Settings… changed it)."""
        self.services.undo_seconds = seconds

    def flush(self) -> None:
        """Write what is being typed now (closing, quitting)."""
        self.composer.saver.flush()
        self.history.save_note()

    def leave_to_list(self) -> None:
        self.window.thread_view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.flush()
        if (
            watched in (self.composer.editor, self.history.note)
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Escape
        ):
            self.leave_to_list()  # Esc leaves the reply or the note (both are kept)
            return True
        return super().eventFilter(watched, event)


def install_answer_pane(window: MainWindow, services: AnswerServices) -> AnswerPane:
    """Add the composer, history and thread actions to `window` (call once, before start)."""
    return AnswerPane(window, services)
