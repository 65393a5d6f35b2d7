"""The main window: folders | threads | conversation, toolbar, banner and status bar.

The window reads the store only through `InboxStore` and only off the GUI
thread (via `TaskRunner`), except the thread list's page reads (~1 ms for 200
rows). It never knows about networks: sync and account setup are requested
with signals (`sync_requested`, `add_account_requested`) that app_window.py wires.
"""

from __future__ import annotations

import dataclasses
import logging
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QListView,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.core.models import Account, Folder, IngestResult, OutboxItem, StoredPost, ThreadRow
from app.core.paths import AppPaths
from app.core.ports import InboxStore, ThreadQuery
from app.ui import theme
from app.ui.chrome import AccountStatusBar, DemoBanner
from app.ui.conversation_read import Conversation, read_conversation
from app.ui.conversation_view import ConversationPane
from app.ui.folder_model import FolderDelegate, FolderListModel, FolderRoles
from app.ui.task_runner import TaskRunner
from app.ui.thread_delegate import ThreadDelegate, ThreadListView
from app.ui.thread_model import ThreadListModel
from app.ui.window_menus import MenuWindow

log = logging.getLogger(__name__)

SNOOZE_CHECK_MS = 30_000  # a snoozed conversation is back within half a minute of its time

EMPTY_TEXTS: dict[Folder, str] = {
    Folder.NEEDS_REPLY: "Nothing needs a reply. Nice work.",
    Folder.NEGATIVE: "No unhappy customers right now.",
    Folder.ALL: "No mentions yet.\nThey appear here after the first sync.",
    Folder.DONE: "Threads you mark as done are kept here.",
    Folder.SNOOZED: "Nothing is snoozed. Snooze (Z) hides a conversation until the time "
    "you pick; then it comes back to Needs reply.",
    Folder.DRAFTS: "Replies you started but did not send wait here.",
    Folder.OUTBOX: "The outbox is empty: every reply has gone out.",
    Folder.SENT: "Replies you send are listed here.",
}


def default_split(width: int, mins: tuple[int, int]) -> list[int]:
    """Folders | list | conversation widths for a window `width` wide.

    Set once, when the window is first shown (and by the filter bar): after that only
    the user's drag or the window's size moves a pane, never the content shown.
    """
    folders = max(mins[0], min(240, width * 16 // 100))
    threads = max(mins[1], min(460, width * 30 // 100))
    return [folders, threads, max(0, width - folders - threads)]


def empty_text(query: ThreadQuery) -> str:
    """What an empty list says: never "no mentions yet" when filters hid them."""
    filtered = any(
        v is not None for v in (query.network, query.label, query.status, query.since, query.until)
    )
    if query.search and filtered:
        return (
            f"No conversations match “{query.search}” with these filters.\n"
            "Clear (above the list) shows every conversation again."
        )
    if query.search:
        return f"No conversations match “{query.search}”."
    if filtered:
        return (
            "No conversations match these filters.\n"
            "Clear (above the list) shows every conversation again."
        )
    return EMPTY_TEXTS.get(Folder(query.folder), "No conversations here.")


class MainWindow(MenuWindow):
    """The inbox: folders | threads | conversation. Plug-in points: `conversation_pane`
    slots and the signals (sync_requested, add_account_requested and accounts_requested
    come with the menus); app_window.AppWindow adds the parts that need the layers below."""

    demo_removed = Signal(int)
    demo_requested = Signal()  # "Show the demo shop": main loads it (it reads resources)
    thread_opened = Signal(int)  # a thread was shown in the conversation pane
    thread_selected = Signal(int)  # the owner picked a thread; its conversation is read now
    thread_merged = Signal(int, object)  # (old id, ThreadRow): the open thread joined another
    accounts_loaded = Signal(object)  # list[Account], after every side-pane reload

    def __init__(
        self,
        store: InboxStore,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        paths: AppPaths | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.runner = runner
        self.accounts: list[Account] = []
        self.paths = paths  # Help → About shows the folders (None: a bare window in tests)
        self._query = ThreadQuery()
        self._open_token = 0
        self._shown_token = -1  # the open token whose conversation is shown (no read since)
        self._split_done = False
        self._holding = False  # the open thread is being merged: do not jump to a neighbour
        self._unread = 0
        self._sync_busy = False
        self._side_reading = False  # a side-pane read is on its way
        self._side_again = False  # and another was asked for meanwhile
        self.setWindowTitle("Shopkeep")
        self.setWindowIcon(theme.icon("shopkeep"))
        self.resize(1280, 800)

        self.folder_model = FolderListModel(self)
        self.thread_model = ThreadListModel(store, self, runner)
        self._build_actions()
        self._build_toolbar()
        self._build_panes()
        self.status = AccountStatusBar(self)
        self.setStatusBar(self.status)
        self._build_menus()
        self.runner.unhandled_error.connect(self._on_unhandled_error)
        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(self._apply_search)
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        self.snooze_timer = QTimer(self, interval=SNOOZE_CHECK_MS)  # wake-ups while open
        self.snooze_timer.timeout.connect(self.wake_snoozed)
        self.set_sync_available(False)

    # -- construction ---------------------------------------------------------

    def _build_toolbar(self) -> None:
        bar = QToolBar("Main", self)
        bar.setObjectName("mainToolbar")
        bar.setMovable(False)
        bar.setFloatable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        bar.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
        bar.addAction(self.sync_action)
        bar.addSeparator()
        bar.addAction(self.sort_newest)
        bar.addAction(self.sort_angriest)
        for a in (self.sort_newest, self.sort_angriest):
            bar.widgetForAction(a).setObjectName("sortButton")
        spacer = QWidget(bar)
        spacer.setSizePolicy(
            spacer.sizePolicy().Policy.Expanding, spacer.sizePolicy().Policy.Preferred
        )
        bar.addWidget(spacer)
        self.search_box = QLineEdit(bar)
        self.search_box.setObjectName("searchBox")
        self.search_box.setPlaceholderText("Search mentions  ( / )")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setAccessibleName("Search mentions")
        self.search_box.addAction(theme.icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search_box.setFixedWidth(300)
        self.search_box.textChanged.connect(lambda _t: self._search_timer.start())
        self.search_box.returnPressed.connect(self._apply_search)
        self.search_box.installEventFilter(self)
        bar.addWidget(self.search_box)
        self.addToolBar(bar)
        self.toolbar = bar

    def _build_panes(self) -> None:
        central = QWidget(self)
        col = QVBoxLayout(central)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(0)
        self.banner = DemoBanner(central)
        self.banner.setVisible(False)
        self.banner.add_account_clicked.connect(self.add_account_requested)
        self.banner.remove_demo_clicked.connect(lambda: self.remove_demo_data(confirm=True))
        self.banner.show_demo_clicked.connect(self.demo_requested)
        col.addWidget(self.banner)

        self.folder_view = QListView(central)
        self.folder_view.setObjectName("folderView")
        self.folder_view.setModel(self.folder_model)
        self.folder_view.setItemDelegate(FolderDelegate(self.folder_view))
        self.folder_view.setFrameShape(self.folder_view.frameShape().NoFrame)
        self.folder_view.setMouseTracking(True)
        self.folder_view.setAccessibleName("Folders and accounts")
        self.folder_view.setMinimumWidth(190)
        self.folder_view.selectionModel().currentChanged.connect(self._on_folder_changed)

        self.thread_view = ThreadListView(central)
        self.thread_view.setObjectName("threadView")
        self.thread_view.setModel(self.thread_model)
        self.thread_view.setItemDelegate(ThreadDelegate(self.thread_view))
        self.thread_view.setUniformItemSizes(True)
        self.thread_view.setFrameShape(self.thread_view.frameShape().NoFrame)
        self.thread_view.setMouseTracking(True)
        self.thread_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.thread_view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.thread_view.setAccessibleName("Conversations")
        self.thread_view.setMinimumWidth(300)
        self.thread_view.addAction(self.open_action)
        self.thread_view.doubleClicked.connect(lambda _i: self.open_current())
        self.thread_view.selectionModel().currentChanged.connect(self._on_thread_changed)
        self.thread_model.modelReset.connect(self._on_threads_reset)
        self.thread_model.rowsInserted.connect(lambda *_: self._update_count())
        self.thread_model.rowsRemoved.connect(lambda *_: self._update_count())

        self.conversation_pane = ConversationPane(central)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, central)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setHandleWidth(1)
        self.splitter.setChildrenCollapsible(False)
        for w in (self.folder_view, self.thread_view, self.conversation_pane):
            self.splitter.addWidget(w)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setStretchFactor(2, 1)
        self.apply_default_split()
        col.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

    def apply_default_split(self) -> None:
        panes = [w for w in (self.splitter.widget(i) for i in range(2)) if w is not None]
        left, right = (max(w.minimumWidth(), w.minimumSizeHint().width()) for w in panes)
        width = max(self.width(), self.minimumSizeHint().width())
        self.splitter.setSizes(default_split(width, (left, right)))

    def showEvent(self, event: QShowEvent) -> None:
        if not self._split_done:
            self._split_done = True
            self.apply_default_split()
        super().showEvent(event)

    # -- loading ---------------------------------------------------------------

    def start(self, select_folder: Folder = Folder.ALL) -> None:
        """First fill: the banner, folders and accounts in the background, then the list.

        The banner pushes the panes down, so whether it shows is read here (two reads of
        the small accounts table, well under a millisecond, like the list's first page):
        it is in place at the first painted inbox instead of moving everything after it.
        """
        self.wake_snoozed()  # snoozes that came due while Shopkeep was closed
        self.snooze_timer.start()
        own = any(not a.is_demo for a in self.store.accounts())
        self.banner.show_state(self.store.has_demo_data(), own)
        self.refresh_side()
        self.folder_view.setCurrentIndex(
            self.folder_model.index(self.folder_model.row_of_folder(select_folder))
        )
        self.thread_view.setFocus(Qt.FocusReason.OtherFocusReason)

    def refresh_side(self) -> None:
        """Reload accounts, folder counts and the demo banner off the GUI thread.

        Asked for while a read is on its way, it runs once more after that one lands:
        a sync asks after every batch (four a second), and each read counts every
        folder and repaints the side pane; only the latest counts are worth showing."""
        if self._side_reading:
            self._side_again = True
            return
        self._side_reading = True
        store = self.store

        def read() -> tuple[list[Account], dict[Folder, int], bool, int]:
            return (
                store.accounts(),
                store.folder_counts(),
                store.has_demo_data(),
                store.unread_threads(),
            )

        def failed(exc: BaseException) -> None:
            self._side_landed()
            # as if unhandled: the team banner's connection watch listens there too
            self.runner.unhandled_error.emit(exc)

        def loaded(result: tuple[list[Account], dict[Folder, int], bool, int]) -> None:
            self._side_landed()
            self._on_side_loaded(result)

        self.runner.run(read, loaded, failed, name="refresh side pane")

    def _side_landed(self) -> None:
        self._side_reading = False
        if self._side_again:
            self._side_again = False
            QTimer.singleShot(0, self.refresh_side)

    def _on_side_loaded(self, result: tuple[list[Account], dict[Folder, int], bool, int]) -> None:
        accounts, counts, demo, unread = result
        self._unread = unread
        if not self._sync_busy:  # while syncing, the sync's progress owns the title
            self.setWindowTitle(self.plain_title())
        self.accounts = accounts
        current = self.folder_view.currentIndex().row()
        self.folder_model.set_counts(counts)
        self.folder_model.set_accounts(accounts)
        if (
            0 <= current < self.folder_model.rowCount()
            and self.folder_view.currentIndex().row() != current
        ):
            self.folder_view.setCurrentIndex(self.folder_model.index(current))
        self.status.set_accounts(accounts)
        self.banner.show_state(demo, any(not a.is_demo for a in accounts))
        self.remove_demo_action.setEnabled(demo)
        self.accounts_loaded.emit(accounts)

    @property
    def query(self) -> ThreadQuery:
        return self._query

    def narrow(self, **fields: Any) -> None:
        """Change some fields of the current query (the filter bar's way in)."""
        query = dataclasses.replace(self._query, **fields)
        if query != self._query:
            self.set_query(query)

    def set_query(self, query: ThreadQuery) -> None:
        self._query = query
        self.thread_view.empty_text = empty_text(query)
        self.conversation_pane.set_search(query.search)
        self.thread_model.set_query(query)

    def _on_folder_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        folder = current.data(FolderRoles.FolderRole)
        account = current.data(FolderRoles.AccountRole)
        query = dataclasses.replace(
            self._query,
            folder=Folder(folder) if folder else Folder.ALL,
            account_id=account.id if account is not None else None,
        )
        self.set_query(query)

    def _apply_search(self) -> None:
        self._search_timer.stop()
        text = self.search_box.text().strip()
        if text != self._query.search:
            self.set_query(dataclasses.replace(self._query, search=text))

    def set_sort(self, sort: str) -> None:
        """ "activity" (newest first) or "sentiment" (angriest first)."""
        (self.sort_angriest if sort == "sentiment" else self.sort_newest).setChecked(True)
        if sort != self._query.sort:
            self.set_query(dataclasses.replace(self._query, sort=sort))

    def _on_threads_reset(self) -> None:
        self._update_count()
        QTimer.singleShot(0, self._settle_selection)

    def _settle_selection(self) -> None:
        """Nothing selected (the list was read again, or its last row went): select the
        first row, or show no conversation when the list is empty. Until then the
        conversation shown stays, so a list read again with that thread first does not
        blank it and draw it again."""
        if self.thread_view.currentIndex().isValid():
            return
        if self.thread_model.rowCount():
            self.thread_view.setCurrentIndex(self.thread_model.index(0))
        else:
            self.conversation_pane.clear()

    def _update_count(self) -> None:
        self.status.set_thread_count(self.thread_model.rowCount())

    # -- thread selection --------------------------------------------------------

    def select_row(self, row: int) -> None:
        while row >= self.thread_model.rowCount() and self.thread_model.canFetchMore(QModelIndex()):
            self.thread_model.fetchMore(QModelIndex())
        row = max(0, min(row, self.thread_model.rowCount() - 1))
        if self.thread_model.rowCount():
            index = self.thread_model.index(row)
            self.thread_view.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
            self.thread_view.scrollTo(index)

    def select_next(self) -> None:
        self.select_row(self.thread_view.currentIndex().row() + 1)

    def select_previous(self) -> None:
        self.select_row(max(0, self.thread_view.currentIndex().row() - 1))

    def open_current(self) -> None:
        """Enter / double-click: focus the conversation so it can be read and answered."""
        if self.conversation_pane.current_thread is not None:
            self.conversation_pane.view.setFocus()

    def current_thread(self) -> ThreadRow | None:
        return self.thread_model.thread_at(self.thread_view.currentIndex().row())

    def _on_thread_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._holding:
            return
        row = self.thread_model.thread_at(current.row()) if current.isValid() else None
        if row is None:
            QTimer.singleShot(0, self._settle_selection)
            return
        if self._shown_token == self._open_token and row == self.conversation_pane.current_thread:
            # The list was read again (a search cleared, a folder back) and the thread
            # shown is selected as it is shown: syncs keep it current, and the
            # composer keeps what the owner is typing. Read nothing again.
            return
        self._open_token += 1
        token = self._open_token
        self.thread_selected.emit(row.id)
        store = self.store
        # The shop's replies still on their way are read with the posts, so the
        # conversation is drawn once, with them, not drawn again a moment later. With
        # the row given, the read never comes back None.
        self.runner.run(
            lambda: read_conversation(store, row.id, row),
            lambda got: self._on_posts_loaded(token, *got),
            name="load conversation",
        )

    def _on_posts_loaded(
        self, token: int, row: ThreadRow, posts: list[StoredPost], pending: list[OutboxItem]
    ) -> None:
        if token != self._open_token:
            return  # the user already moved on
        self._shown_token = token
        unread = row.unread
        if unread:  # read from now on: shown as the list will have it
            row = dataclasses.replace(row, unread=False)
        self.conversation_pane.show_thread(row, posts, pending)
        self.thread_opened.emit(row.id)
        if unread:
            store = self.store
            self.runner.run(
                lambda: store.mark_read(row.id),
                lambda _r: self.refresh_side(),
                write=True,
                name="mark read",
            )
            self.thread_model.patch_thread(row.id, unread=False)

    # -- live updates for sync and others ------------------------------------------

    def apply_ingest(self, result: IngestResult) -> None:
        """Show what a sync stored: new rows inserted, changed rows updated, no reset.

        When the open conversation was merged into another (a late parent post), the
        window follows it there instead of jumping to the next row, and the composer
        keeps the owner's text and cursor.
        """
        shown = self.conversation_pane.current_thread
        merged = shown.id if shown is not None and shown.id in result.removed_thread_ids else None
        self._holding = merged is not None
        try:
            for tid in result.removed_thread_ids:
                self.thread_model.remove_thread(tid)
        finally:
            self._holding = False
        ids = tuple(result.new_thread_ids) + tuple(result.updated_thread_ids)
        store = self.store

        def read() -> tuple[list[ThreadRow], Conversation | None]:
            survivor = None
            if merged is not None:  # with the shop's replies still waiting, as an open has
                survivor = read_conversation(store, store.surviving_thread(merged))
            return store.threads(ids), survivor

        def done(got: tuple[list[ThreadRow], Conversation | None]) -> None:
            rows, survivor = got
            self._on_ingested_rows(rows)
            if survivor is not None and merged is not None:
                self._follow_merge(merged, *survivor)

        self.runner.run(read, done, name="read synced threads")
        self.refresh_side()

    def _follow_merge(
        self, old_id: int, row: ThreadRow, posts: list[StoredPost], pending: list[OutboxItem]
    ) -> None:
        shown = self.conversation_pane.current_thread
        if shown is None or shown.id != old_id:
            return  # the owner already moved on
        self._open_token += 1  # a conversation still loading must not replace this one
        self._shown_token = self._open_token  # and this one is drawn whole: no read again
        self._holding = True
        try:
            pos = self.thread_model.row_for_id(row.id)
            if pos >= 0:
                self.thread_view.setCurrentIndex(self.thread_model.index(pos))
        finally:
            self._holding = False
        self.conversation_pane.show_thread(row, posts, pending)
        self.thread_merged.emit(old_id, row)

    def _on_ingested_rows(self, rows: list[ThreadRow]) -> None:
        fitting: list[ThreadRow] = []
        for row in rows:
            fits = self.thread_model.matches(row)
            if fits is None:
                self.thread_model.reload()
                return
            if fits:
                fitting.append(row)
            else:
                self.thread_model.remove_thread(row.id)
        self.thread_model.insert_threads(fitting)  # one call: new rows go in as blocks

    def wake_snoozed(self) -> None:
        """Snoozes whose time has come go back to Needs reply, and the list shows it."""
        store, now = self.store, self.clock()

        def wake() -> list[ThreadRow]:
            woken = store.wake_snoozed(now)
            return store.threads(woken) if woken else []

        def woke(rows: list[ThreadRow]) -> None:
            if not rows:
                return
            self._on_ingested_rows(rows)
            shown = self.conversation_pane.current_thread
            back = next((r for r in rows if shown is not None and r.id == shown.id), None)
            if back is not None:
                pane = self.conversation_pane
                pane.show_thread(back, pane.posts, pane.pending)
            self.refresh_side()
            n = len(rows)
            self.status.showMessage(
                f"{n} snoozed conversation{'s are' if n != 1 else ' is'} back in Needs reply.", 8000
            )

        self.runner.run(wake, woke, write=True, name="wake snoozed")

    def set_sync_available(self, available: bool) -> None:
        self.sync_action.setEnabled(available)
        self.sync_action.setToolTip(
            "Fetch new mentions from every account (F5)"
            if available
            else "Syncing arrives with account setup"
        )

    def plain_title(self) -> str:
        """The title when nothing is syncing: the unread count shows in the task bar."""
        return f"Shopkeep ({self._unread} unread)" if self._unread else "Shopkeep"

    def set_sync_busy(self, busy: bool) -> None:
        self._sync_busy = busy
        self.sync_action.setText("Syncing…" if busy else "Sync now")
        self.sync_action.setEnabled(not busy)

    def remove_demo_data(self, confirm: bool = True) -> None:
        from app.ui import dialogs  # message boxes: not on the first painted inbox

        if confirm and not dialogs.confirm_remove_demo(self):
            return
        store = self.store

        def done(removed: int) -> None:
            self.demo_removed.emit(removed)
            self.refresh_side()
            self.thread_model.reload()

        self.runner.run(store.remove_demo_data, done, write=True, name="remove demo data")

    def demo_loaded(self) -> None:
        """The demo shop is back (main loaded it): show it."""
        self.refresh_side()
        self.thread_model.reload()

    # -- small things ------------------------------------------------------------

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.search_box
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
        ):
            if event.key() == Qt.Key.Key_Escape:
                self.search_box.clear()
                self._apply_search()
                self.thread_view.setFocus()
                return True
            if event.key() == Qt.Key.Key_Down:
                self.thread_view.setFocus()
                return True
        return super().eventFilter(watched, event)

    def show_shortcuts(self) -> None:
        from app.ui.shortcuts_dialog import show_shortcuts

        show_shortcuts(self)

    def _on_unhandled_error(self, exc: BaseException) -> None:
        message = getattr(exc, "user_message", None)
        if message:
            self.status.showMessage(message, 10000)
        else:  # a bug: the crash dialog, with the log path
            sys.excepthook(type(exc), exc, exc.__traceback__)
