"""People on a team inbox, in the window: who this window is, assignment, presence.

The Mine folder; "Take it" (T) and "Assign to…" (Shift+T, and in the row menu);
"assigned to Sam" and "Sam is replying…" on the rows; a presence line above the
composer; typing in the composer tells the other windows (throttled), and sending,
clearing or leaving the thread tells them it stopped; and before a reply is
queued, the owner is asked when someone else replied since the thread was opened.
Installed only on a team inbox (app/wiring/team.py); a one-person inbox shows none
of it. Presence events arrive on the listener's thread and cross to the GUI thread
through the `heard` signal.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QLabel, QMenu

from app.core.models import Folder, ThreadRow
from app.core.people import (
    Person,
    Presence,
    PresenceBoard,
    PresenceEvent,
    PresenceKind,
    ReplyMark,
    TypingThrottle,
    send_question,
)
from app.ui.thread_model import Roles

PRUNE_MS = 2000  # how often stale "replying"s are looked for


class TeamPeople(QObject):
    """The team's people in one window (see the module doc)."""

    heard = Signal(object)  # PresenceEvent, emitted on the listener's thread
    assigned = Signal(object)  # ThreadRow, once an assignment made here is stored

    def __init__(self, window: Any, me: Person, presence: Presence) -> None:
        super().__init__(window)
        self.window, self.me, self.presence = window, me, presence
        self.store, self.runner = window.store, window.runner
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        self.board = PresenceBoard()
        self.throttle = TypingThrottle()
        self.marks: dict[int, ReplyMark] = {}  # thread id -> its replies when opened here
        self.people: list[Person] = [me]
        self.delegate = window.thread_view.itemDelegate()
        answer_pane = window.answer_pane
        self.composer = answer_pane.composer

        window.folder_model.show_mine(True)
        self.label = QLabel(window.conversation_pane)
        self.label.setObjectName("presenceLabel")
        self.label.setVisible(False)
        window.conversation_pane.composer_slot.insertWidget(0, self.label)
        self.me_label = QLabel(f"Answering as {me.name}", window)
        self.me_label.setObjectName("personLabel")
        self.me_label.setStyleSheet(f"border-left: 4px solid {me.colour}; padding-left: 4px;")
        window.statusBar().addPermanentWidget(self.me_label)

        self.take_action = QAction("Take it", self)
        self.take_action.setShortcut(QKeySequence("T"))
        self.take_action.setToolTip("Assign the conversation to yourself (T)")
        self.take_action.triggered.connect(lambda: self._on_current(self.take))
        self.assign_action = QAction("Assign to…", self)
        self.assign_action.setShortcut(QKeySequence("Shift+T"))
        self.assign_action.triggered.connect(lambda: self._on_current(self.popup_assign_menu))
        for action in (self.take_action, self.assign_action):
            window.addAction(action)
        answer_pane.row_menu.extra_items.append(self.add_menu_items)

        self.heard.connect(self._on_heard)
        presence.subscribe(self.heard.emit)
        self._prune_timer = QTimer(self, interval=PRUNE_MS)
        self._prune_timer.timeout.connect(self._prune)
        self._prune_timer.start()
        self.composer.editor.textChanged.connect(self._on_typed)
        self.composer.reply_sender.send_check = self.send_check
        self.composer.reply_sender.queued.connect(self._on_queued)
        window.thread_opened.connect(self._on_opened)
        window.installEventFilter(self)
        self.load_people()

    # -- people and assignment ----------------------------------------------------

    def load_people(self) -> None:
        self.runner.run(self.store.people, self._on_people, name="read the team's people")

    def _on_people(self, people: list[Person]) -> None:
        self.people = people or [self.me]

    def _on_current(self, then: Callable[[ThreadRow], object]) -> None:
        row = self.window.thread_view.currentIndex().data(Roles.ThreadRole)
        row = row if isinstance(row, ThreadRow) else self.composer.current_thread
        if row is not None:
            then(row)

    def take(self, row: ThreadRow) -> None:
        self.assign(row.id, self.me.id)

    def assign(self, thread_id: int, person_id: int | None) -> None:
        """Store the assignment, show it here, and tell the other windows."""
        store = self.store

        def write() -> ThreadRow | None:
            store.assign(thread_id, person_id)
            return store.thread(thread_id)  # type: ignore[no-any-return]  # the store is Any here

        def done(fresh: ThreadRow | None) -> None:
            self.presence.announce(thread_id, PresenceKind.ASSIGNED)
            self._show_row(fresh, thread_id)
            if fresh is not None:
                self.assigned.emit(fresh)

        self.runner.run(write, done, write=True, name="assign a conversation")

    def _show_row(self, fresh: ThreadRow | None, thread_id: int) -> None:
        model = self.window.thread_model
        if model.query.folder is Folder.MINE:
            model.reload()  # in or out of Mine: only the store can tell the order
        elif fresh is not None:
            model.update_thread(fresh)
        else:
            model.remove_thread(thread_id)
        self.window.refresh_side()

    def assign_menu(self, row: ThreadRow, parent: QMenu | None = None) -> QMenu:
        """One entry per person (the current one checked), then "Nobody"."""
        menu = QMenu("Assign to…", parent or self.window.thread_view)
        menu.setObjectName("assignMenu")
        for person in self.people:
            action = menu.addAction(
                person.name,
                partial(self.assign, row.id, person.id),
            )
            action.setCheckable(True)
            action.setChecked(row.assignee_id == person.id)
        menu.addSeparator()
        nobody = menu.addAction("Nobody", lambda: self.assign(row.id, None))
        nobody.setEnabled(row.assignee_id is not None)
        return menu

    def add_menu_items(self, menu: QMenu, row: ThreadRow) -> None:
        """The row menu's "Take it" and "Assign to…"."""
        menu.addSeparator()
        take = menu.addAction("Take it", lambda: self.take(row))
        take.setShortcut(self.take_action.shortcut())
        take.setEnabled(row.assignee_id != self.me.id)
        menu.addMenu(self.assign_menu(row, menu))

    def popup_assign_menu(self, row: ThreadRow) -> QMenu:
        view = self.window.thread_view
        rect = view.visualRect(view.currentIndex())
        menu = self.assign_menu(row)
        menu.popup(view.viewport().mapToGlobal(rect.bottomLeft()))
        return menu

    # -- presence -------------------------------------------------------------

    def _on_heard(self, event: PresenceEvent) -> None:
        if event.kind is PresenceKind.ASSIGNED:
            self.runner.run(
                lambda: self.store.thread(event.thread_id),
                lambda fresh: self._show_row(fresh, event.thread_id),
                name="read a conversation assigned elsewhere",
            )
            if all(p.id != event.person_id for p in self.people):
                self.load_people()
            return
        self._show_words(self.board.hear(event))

    def _prune(self) -> None:
        self._show_words(self.board.prune(self.clock()))

    def _show_words(self, changed: set[int]) -> None:
        if not changed:
            return
        for thread_id in changed:
            words = self.board.words(thread_id)
            if words:
                self.delegate.live_words[thread_id] = words
            else:
                self.delegate.live_words.pop(thread_id, None)
        self.window.thread_view.viewport().update()
        self._update_label()

    def _update_label(self) -> None:
        thread = self.composer.current_thread
        words = self.board.words(thread.id) if thread is not None else ""
        self.label.setText(words)
        self.label.setAccessibleName(words)
        self.label.setVisible(bool(words))

    def _on_typed(self) -> None:
        thread = self.composer.current_thread
        if thread is None:
            return
        if self.composer.editor.toPlainText().strip():
            if self.throttle.typed(thread.id, self.clock()):
                self.presence.announce(thread.id, PresenceKind.REPLYING)
        else:
            self._stopped()

    def _stopped(self) -> None:
        thread_id = self.throttle.stopped()
        if thread_id is not None:
            self.presence.announce(thread_id, PresenceKind.STOPPED)

    def _on_opened(self, thread_id: int) -> None:
        self._stopped()  # typing elsewhere stopped when another thread opened
        self._update_label()
        self._take_mark(thread_id)

    def _take_mark(self, thread_id: int) -> None:
        store = self.store
        self.runner.run(
            lambda: store.reply_mark(thread_id),
            lambda mark: self.marks.__setitem__(thread_id, mark),
            name="remember where the replies stand",
        )

    def _on_queued(self, item: Any, _row: object) -> None:
        self._stopped()
        self._take_mark(item.thread_id)  # the owner has seen what was there: ask once

    def send_check(self, thread_id: int) -> str | None:
        """Run in the task runner before a reply is queued (see ReplySender.send_check)."""
        mark = self.marks.get(thread_id)
        if mark is None:  # opened a moment ago: nothing can have happened since
            return None
        return send_question(self.store.replies_by_others(thread_id, mark), self.clock())

    # -- leaving --------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.close()
        return False

    def close(self) -> None:
        """The window goes: the others stop seeing it reply; the listener stops."""
        self._prune_timer.stop()
        self._stopped()
        self.presence.close()


def ask_person_name(window: Any) -> str:
    """Who answers from this window (asked once per data folder and team database)."""
    name, ok = QInputDialog.getText(
        window,
        "Who is answering?",
        "Your name, as your team will see it beside what you do:",
    )
    return name.strip() if ok else ""
