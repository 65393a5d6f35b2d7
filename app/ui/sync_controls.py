"""Connects the sync scheduler, the notifier and the extra menu items to the window.

app_window.py builds the pieces (scheduler, notifier) from main.py's services; this module
only wires signals to widgets, so the window itself never learns about sync:
F5 -> scheduler, progress -> status bar and title, results -> `apply_ingest`
(rows inserted, never a reset), offline -> the Offline mark, "Sign in again"
-> the accounts dialog, new negatives -> the tray notifier.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from app.core.models import (
    Account,
    IngestResult,
)
from app.core.sync import SyncReport, reach_words
from app.ui.conversation_read import Conversation, read_conversation
from app.ui.ports import OpenThreadStore
from app.ui.sync_scheduler import AccountProgress, SyncScheduler
from app.ui.tray_notifier import TrayNotifier

if TYPE_CHECKING:
    from app.ui.accounts_dialog import AccountsDialog
    from app.ui.main_window import MainWindow


class SyncControls:
    """Holds the wiring between one window and its scheduler (the window's `sync`)."""

    def __init__(
        self,
        window: MainWindow,
        scheduler: SyncScheduler,
        store: OpenThreadStore,
        notifier: TrayNotifier | None = None,
        open_accounts: Callable[[int | None], object] | None = None,
    ) -> None:
        self.window = window
        self.scheduler = scheduler
        self.store = store
        self.notifier = notifier
        self.open_accounts = open_accounts
        window.sync_requested.connect(scheduler.sync_now)
        window.accounts_loaded.connect(self._on_accounts)
        scheduler.busy_changed.connect(self._on_busy)
        scheduler.progress.connect(self._on_progress)
        scheduler.account_synced.connect(self._on_synced)
        scheduler.ingested.connect(window.apply_ingest)
        scheduler.ingested.connect(self._show_news_in_open_thread)
        window.thread_opened.connect(scheduler.refresh_thread)  # opened: re-read it now
        scheduler.offline_changed.connect(window.status.set_offline)
        window.status.sign_in_requested.connect(self.sign_in_again)
        if notifier is not None:
            scheduler.negatives.connect(notifier.add_negatives)
            notifier.activated.connect(self._bring_to_front)
        self._available = False

    def _on_accounts(self, accounts: list[Account]) -> None:
        self._available = any(not a.is_demo for a in accounts)
        if not self.scheduler.is_busy():
            self.window.set_sync_available(self._available)

    def _on_busy(self, busy: object) -> None:
        if busy:
            self.window.set_sync_busy(True)
            self._show_title()
            return
        self.window.set_sync_busy(False)
        self.window.set_sync_available(self._available)
        for account_id in list(self.window.status.labels_by_account):
            self.window.status.set_account_progress(account_id, None)
        self.window.setWindowTitle(self.window.plain_title())

    def _on_progress(self, progress: AccountProgress) -> None:
        self.window.status.set_account_progress(progress.account_id, progress.text)
        self._show_title()

    def _show_title(self) -> None:
        percent = round(100 * self.scheduler.overall_fraction())
        self.window.setWindowTitle(f"{self.window.plain_title()} — Syncing… {percent}%")

    def _on_synced(self, report: SyncReport) -> None:
        self.window.status.set_account_progress(report.account_id, None)
        if report.ok:
            self.window.status.set_account_synced(report.account_id, report.finished_at)
            self.window.status.set_account_reach(
                report.account_id, reach_words(report), still_coming=not report.complete
            )
        if report.error is not None and not report.cancelled:
            self.window.status.showMessage(
                f"{report.account_label}: {report.error_message}", 15_000
            )
        self.window.refresh_side()  # account states (needs sign-in, offline) and counts

    def _show_news_in_open_thread(self, result: IngestResult) -> None:
        """New or changed posts in the open conversation (a sync, or the re-read when it
        was opened) show at once, not on the next visit."""
        pane = self.window.conversation_pane
        if pane.current_thread is None or pane.current_thread.id not in result.updated_thread_ids:
            return
        thread_id, store = pane.current_thread.id, self.store

        def show(found: Conversation | None) -> None:
            # the shop's replies not on the server yet stay in view, with their state
            if found is not None and pane.current_thread is not None:
                row, posts, pending = found
                if pane.current_thread.id == row.id:
                    pane.show_thread(row, posts, pending)

        self.window.runner.run(
            lambda: read_conversation(store, thread_id), show, name="reload the open conversation"
        )

    def sign_in_again(self, account_id: int) -> None:
        if self.open_accounts is not None:
            self.open_accounts(account_id)

    def _bring_to_front(self) -> None:
        self.window.showNormal()
        self.window.raise_()
        self.window.activateWindow()


def add_file_action(
    window: MainWindow,
    text: str,
    slot: Callable[[], object],
    shortcut: str | None = None,
    tip: str = "",
) -> QAction:
    """An item in the File menu, above "Quit" (and its separator)."""
    action = QAction(text, window)
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    window.addAction(action)
    menu = window.menus["file"]
    actions = menu.actions()
    quit_at = actions.index(window.quit_action) if window.quit_action in actions else len(actions)
    before = (
        actions[quit_at - 1]
        if quit_at > 0 and actions[quit_at - 1].isSeparator()
        else window.quit_action
    )
    menu.insertAction(before, action)
    return action


def select_account_when_listed(dialog: AccountsDialog, account_id: int) -> None:
    """Select this account in the accounts dialog as soon as its row is listed
    ("Sign in again" then acts on it)."""

    def pick(*_args: object) -> None:
        for row in range(dialog.list.count()):
            if dialog.list.item(row).data(Qt.ItemDataRole.UserRole) == account_id:
                dialog.list.setCurrentRow(row)

    dialog.list.model().rowsInserted.connect(pick)
    pick()
