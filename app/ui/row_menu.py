"""Right-click on a thread row: the usual gestures of a mail client in one menu.

Open on the web, copy link, mark as unread, done, snooze and label, for the row
under the pointer (which need not be the open one). The row's posts are read
in the task runner first, so the menu knows the link and the post to label.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QPoint, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMenu

from app.core.models import SentimentLabel, StoredPost, ThreadRow, ThreadStatus
from app.core.ports import InboxStore
from app.ui.label_menu import LabelMenu
from app.ui.thread_actions import ThreadActions
from app.ui.thread_model import Roles


def link_post(posts: list[StoredPost]) -> StoredPost | None:
    """The customer's latest post with a web address: what "Open on the web" shows."""
    theirs = [p for p in posts if not p.is_own and p.post.url]
    return theirs[-1] if theirs else None


def label_post(row: ThreadRow, posts: list[StoredPost]) -> StoredPost | None:
    """The customer post that gave the row its colour (the one a label changes)."""
    theirs = [p for p in posts if not p.is_own]
    if not theirs:
        return None
    return min(theirs, key=lambda p: (p.label is not row.worst_label, p.sentiment.compound))


class RowMenu(QObject):
    """The thread list's context menu, plus "Mark as unread" for the open thread."""

    def __init__(self, window: Any, actions: ThreadActions) -> None:
        super().__init__(window)
        self.window, self.actions = window, actions
        self.menu: QMenu | None = None
        # more sections for the menu, e.g. "Take it" / "Assign to…" on a team inbox
        self.extra_items: list[Callable[[QMenu, ThreadRow], None]] = []
        self.mark_unread_action = QAction("Mark as unread", self)
        self.mark_unread_action.setShortcut(QKeySequence("Shift+U"))
        self.mark_unread_action.setToolTip("Keep it bold in the list, to come back to (Shift+U)")
        self.mark_unread_action.triggered.connect(lambda: self.mark_unread())
        window.addAction(self.mark_unread_action)
        view = window.thread_view
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._on_requested)

    def _on_requested(self, pos: QPoint) -> None:
        view = self.window.thread_view
        row: ThreadRow | None = view.indexAt(pos).data(Roles.ThreadRole)
        if row is None:
            return
        at = view.viewport().mapToGlobal(pos)
        store = self.window.store
        self.window.runner.run(
            lambda: store.thread_posts(row.id),
            lambda posts: self._popup(row, posts, at),
            name="read posts for the row menu",
        )

    def _popup(self, row: ThreadRow, posts: list[StoredPost], at: QPoint) -> None:
        self.menu = self.menu_for(row, posts)
        self.menu.popup(at)

    def menu_for(self, row: ThreadRow, posts: list[StoredPost]) -> QMenu:
        """The menu for one row (tests trigger its actions by their text)."""
        menu = QMenu(self.window.thread_view)
        menu.setObjectName("rowMenu")
        menu.setToolTipsVisible(True)
        linked = link_post(posts)
        url = linked.post.url if linked is not None else ""
        web = menu.addAction("Open on the web", lambda: QDesktopServices.openUrl(QUrl(url)))
        copy = menu.addAction("Copy link", lambda: QGuiApplication.clipboard().setText(url))
        for action in (web, copy):
            action.setEnabled(bool(url))
            if not url:
                action.setToolTip("This conversation has no web address yet")
        menu.addSeparator()
        menu.addAction("Mark as unread", lambda: self.mark_unread(row))
        done = menu.addAction("Done", lambda: self.actions.done(row))
        done.setEnabled(row.status is not ThreadStatus.DONE)
        menu.addMenu(self.actions.snooze_menu_for(row, menu))
        target = label_post(row, posts)
        if target is not None:
            labels = LabelMenu(
                target.id,
                target.corrected_label,
                lambda post_id, label: self.correct(row, post_id, label),
                menu,
            )
            labels.setTitle("Label")
            menu.addMenu(labels)
        for add_items in self.extra_items:
            add_items(menu, row)
        return menu

    def mark_unread(self, row: ThreadRow | None = None) -> None:
        """Bold again, counted in the title, until it is opened next time."""
        row = row or self.actions.current_thread
        if row is None:
            return
        store: InboxStore = self.window.store
        thread_id = row.id

        def write() -> ThreadRow | None:
            store.mark_unread(thread_id)
            return store.thread(thread_id)

        self.window.runner.run(write, self._show_row, write=True, name="mark unread")

    def correct(self, row: ThreadRow, post_id: int, label: SentimentLabel | None) -> None:
        """The owner's label for the row's post, as the chip's menu stores it."""
        store: InboxStore = self.window.store
        thread_id = row.id

        def write() -> ThreadRow | None:
            store.correct_label(post_id, label)
            return store.thread(thread_id)

        def done(fresh: ThreadRow | None) -> None:
            self._show_row(fresh)
            corrections = getattr(self.window, "corrections", None)
            if corrections is not None and fresh is not None:
                corrections.reload_thread(fresh.id)
                corrections.relearn()

        self.window.runner.run(write, done, write=True, name="label from the row menu")

    def _show_row(self, fresh: ThreadRow | None) -> None:
        if fresh is None:
            return
        self.window.thread_model.update_thread(fresh)
        self.window.refresh_side()
