"""The window's parts that need the concrete layers, wired for `app.main.build_window`.

Split from main.py only to keep each module short: sync (scheduler, notifier,
filter bar, Export… and Settings…), accounts (the keychain-backed account
service, "Sign in again") and answering (composer, drafts, history). Like
main.py it may import every layer; everything heavy is imported in functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.core.paths import AppPaths
from app.main import read_settings, update_settings

if TYPE_CHECKING:
    from app.core.ports import InboxStore
    from app.core.rescore import OwnerScorer
    from app.ui.main_window import MainWindow
    from app.ui.task_runner import TaskRunner


def make_owner_scorer(store: InboxStore, paths: AppPaths) -> OwnerScorer:
    """The one scorer for ingest and rescoring: the owner's word list and shop names."""
    from app.core.rescore import owner_scorer_for

    return owner_scorer_for(paths.settings_file, store.accounts())


def install_corrections(window: MainWindow, store: InboxStore, runner: TaskRunner,
                        paths: AppPaths, owner: OwnerScorer) -> None:
    """One-click label corrections, the reasons tooltip and View → Sentiment words…"""
    from app.storage.inbox_store import SqliteInboxStore
    from app.storage.word_list import StoredPostRescorer
    from app.ui.corrections import install_corrections as install

    assert isinstance(store, SqliteInboxStore)
    install(window, store, runner, paths, StoredPostRescorer(store.db), owner)


def install_sync(window: MainWindow, store: InboxStore, runner: TaskRunner,
                 connections: Any, paths: AppPaths, score: OwnerScorer) -> Any:
    """Scheduler, notifier, filter bar, File → Export… and Settings…, from settings.json."""
    from app.ui.export_dialog import ExportDialog
    from app.ui.filter_bar import install_filter_bar
    from app.ui.settings_dialog import SettingsDialog, SyncSettings
    from app.ui.sync_controls import SyncControls, add_file_action
    from app.ui.sync_scheduler import SyncScheduler
    from app.ui.tray_notifier import TrayNotifier

    settings = SyncSettings.from_mapping(read_settings(paths))
    scheduler = SyncScheduler(store, runner, connections.client_for, score,  # type: ignore[arg-type]
                              interval_minutes=settings.interval_minutes,
                              max_mentions=settings.first_sync_max, parent=window)
    notifier = TrayNotifier(store, runner, window, enabled=settings.notifications)  # type: ignore[arg-type]
    window.sync = SyncControls(window, scheduler, notifier,
                               lambda account_id: window.open_accounts(account_id))
    window.scheduler, window.notifier = scheduler, notifier
    window.filter_bar = install_filter_bar(window)
    window.export_dialog = None

    def export() -> None:
        current = window.export_dialog
        if current is not None and current.cancel_event is not None:
            current.show()  # still writing: show its progress
            return
        if current is not None:
            current.deleteLater()
        window.export_dialog = ExportDialog(store, runner, window.query,  # type: ignore[arg-type]
                                            window.thread_model.rowCount(), window)
        window.export_dialog.open()

    def edit_settings() -> None:
        dialog = SettingsDialog(SyncSettings.from_mapping(read_settings(paths)), window)
        dialog.settings_changed.connect(apply_settings)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()

    def apply_settings(new: SyncSettings) -> None:
        update_settings(paths, **new.to_mapping())
        scheduler.set_interval(new.interval_minutes)
        scheduler.set_max_mentions(new.first_sync_max)
        notifier.set_enabled(new.notifications)

    window.export_action = add_file_action(window, "Export…", export, "Ctrl+E",
                                           "Save the current list or everything as CSV or JSON")
    window.settings_action = add_file_action(window, "Settings…", edit_settings, "Ctrl+,",
                                             "Sync interval, notifications, first sync")
    return scheduler


def install_accounts(window: MainWindow, store: InboxStore, runner: TaskRunner,
                     credentials: Any = None, connections: Any = None) -> None:
    """Add account / Accounts… dialogs over the concrete account service.

    Sets `window.open_accounts(account_id=None)`: "Sign in again" in the status
    bar opens the accounts dialog with that account selected.
    """
    from app.ui.accounts_dialog import open_accounts_dialog
    from app.ui.add_account_dialog import AddAccountDialog
    from app.ui.sync_controls import select_account_when_listed

    made: list[Any] = []

    def service() -> Any:
        """Built on first use: the network clients are not needed for the first paint."""
        if not made:
            from app.account_service import AppAccountService
            from app.storage.credentials import CredentialStore

            made.append(AppAccountService(store, credentials or CredentialStore(),  # type: ignore[arg-type]
                                          connections))
        return made[0]

    scheduler = getattr(window, "scheduler", None)

    def changed() -> None:
        window.refresh_side()
        if scheduler is not None:
            scheduler.sync_now()  # a new or re-signed account: fetch its mentions now

    def add_account() -> None:
        dialog = AddAccountDialog(service(), runner, window)
        dialog.account_added.connect(lambda _a: changed())
        dialog.open()

    def manage_accounts(account_id: int | None = None) -> Any:
        dialog = open_accounts_dialog(service(), runner, window)
        dialog.accounts_changed.connect(changed)
        if account_id is not None:
            select_account_when_listed(dialog, account_id)
        return dialog

    window.open_accounts = manage_accounts
    window.add_account_requested.connect(add_account)
    window.accounts_requested.connect(lambda: manage_accounts())


def install_answering(window: MainWindow, store: InboxStore, runner: TaskRunner,
                      paths: AppPaths, send_now: Any = None) -> None:
    """Composer, drafts, customer history and thread actions beside the conversation.

    `send_now` starts the outbox sender right after a reply is queued.
    """
    from app.ui.answer_pane import install_answer_pane
    from app.ui.answer_services import AnswerServices

    settings = read_settings(paths)
    services = AnswerServices(
        store, runner,  # type: ignore[arg-type]
        business=str(settings.get("business", "")),
        signature=str(settings.get("signature", "")),
        send_now=send_now,
        save_profile=lambda b, sig: update_settings(paths, business=b, signature=sig),
    )
    window.answer_pane = install_answer_pane(window, services)
