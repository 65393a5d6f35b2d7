"""The window over the concrete layers: `build_window` and the parts it wires.

The store and settings.json, the demo shop, and the window's parts that need the
concrete layers: sync (scheduler, notifier, filter bar, Export… and Settings…),
accounts (the keychain-backed account service, "Sign in again") and answering
(composer, drafts, history). main.py (the entry point) and self_test.py both build
the window from here, so neither imports the other's module. Like main.py it may
import every layer; everything heavy is imported in functions.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import TYPE_CHECKING, Any

from app.core.paths import AppPaths, resources_dir

if TYPE_CHECKING:
    from app.core.ports import InboxStore
    from app.core.rescore import OwnerScorer
    from app.ui.main_window import MainWindow
    from app.ui.reports_window import ReportsWindow
    from app.ui.task_runner import TaskRunner

log = logging.getLogger("shopkeep")

DEMO_FILE = ("demo", "demo.json")


# ---------------------------------------------------------------- store and settings


def open_store(paths: AppPaths) -> InboxStore:
    """The concrete SQLite store behind the InboxStore port. May raise DatabaseCorrupt."""
    from app.storage.inbox_store import SqliteInboxStore

    opener = getattr(SqliteInboxStore, "open", None)
    if callable(opener):
        return opener(paths.database)  # type: ignore[no-any-return]
    from app.storage.database import open_database

    return SqliteInboxStore(open_database(paths.database))  # type: ignore[call-arg]


def read_settings(paths: AppPaths) -> dict[str, Any]:
    """settings.json's validated keys (app.core.settings owns the file)."""
    from app.core.settings import SettingsFile

    return SettingsFile(paths.settings_file).load().as_mapping()


def update_settings(paths: AppPaths, **changes: Any) -> None:
    """Change some keys of settings.json, keeping the others; atomic."""
    from app.core.settings import SettingsFile

    SettingsFile(paths.settings_file).update(**changes)


def ensure_demo(store: InboxStore, paths: AppPaths, *, force: bool = False) -> bool:
    """Load the demo shop on first run (no accounts, never dismissed) or when asked."""
    if store.has_demo_data():
        return False
    first_run = not store.accounts() and not read_settings(paths).get("demo_dismissed")
    if not (force or first_run):
        return False
    from app.storage.demo import load_demo

    load_demo(store, resources_dir().joinpath(*DEMO_FILE))
    log.info("Loaded demo data")
    return True


# ---------------------------------------------------------------- the window


def ensure_qt_platform() -> None:
    """With no display (CI, ssh), render offscreen instead of failing to start."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def build_window(
    paths: AppPaths,
    *,
    demo: bool = False,
    store: InboxStore | None = None,
    synchronous: bool = False,
    credentials: Any = None,
    autosync: bool = False,
) -> MainWindow:
    """The main window over the real store, as the app, the self-test and the tests build it.

    `credentials`: a CredentialStore (default: the system keychain, or the
    $SHOPKEEP_KEYCHAIN_SERVICE entry set); `autosync`: start the timed syncs.
    """
    from app.core.connections import Connections
    from app.network_clients import register_network_clients
    from app.ui.main_window import MainWindow
    from app.ui.task_runner import TaskRunner

    paths.ensure()
    from app.core.settings import SettingsFile

    settings_read = SettingsFile(paths.settings_file).read()  # first: a bad file goes aside
    if store is None:
        store = open_store(paths)
    ensure_demo(store, paths, force=demo)
    if credentials is None:
        from app.storage.credentials import (
            DEFAULT_SERVICE,
            ENV_KEYCHAIN_SERVICE,
            CredentialStore,
        )

        credentials = CredentialStore(os.environ.get(ENV_KEYCHAIN_SERVICE) or DEFAULT_SERVICE)
        folder_id = getattr(store, "data_folder_id", None)
        if callable(folder_id):  # two data folders never share (and overwrite) a secret
            credentials.use_folder(folder_id())
    connections = Connections(credentials)
    register_network_clients(connections)
    runner = TaskRunner(synchronous=synchronous)
    window = MainWindow(store, runner)
    window.paths = paths
    runner.setParent(window)
    window.connections = connections
    owner_scorer = make_owner_scorer(store, paths)
    scheduler = install_sync(window, store, runner, connections, paths, owner_scorer)
    install_accounts(window, store, runner, credentials, connections)
    install_answering(
        window, store, runner, paths, send_now=scheduler.send_now, client_for=connections.client_for
    )
    install_corrections(window, store, runner, paths, owner_scorer)
    install_reports(window, store, runner, paths, window.answer_pane.open_thread)
    install_photos(window, runner, paths)
    window.notifier.open_thread.connect(window.answer_pane.open_thread)
    window.demo_removed.connect(lambda _n: update_settings(paths, demo_dismissed=True))

    def bring_demo_back() -> None:
        update_settings(paths, demo_dismissed=False)
        runner.run(
            lambda: ensure_demo(store, paths, force=True),
            lambda _loaded: window.demo_loaded(),
            write=True,
            name="load the demo shop",
        )

    window.demo_requested.connect(bring_demo_back)
    window.start()
    if settings_read.problem:
        from app.ui.dialogs import notice

        notice(window, settings_read.problem)
    # one automatic backup a day (the last few kept), written off the GUI thread
    runner.run(
        lambda: store.backup_if_due(paths.backup_dir),
        on_error=lambda exc: report_backup_failure(window, exc),
        write=True,
        name="daily backup",
    )
    window.corrections.rescore_for_new_rules()  # once after an update with new rules
    if autosync:
        scheduler.start()
    return window


def report_backup_failure(window: MainWindow, exc: BaseException) -> None:
    """A failed daily backup is said in the window (not only logged); a bug still crashes."""
    from app.core.errors import ShopkeepError

    if not isinstance(exc, ShopkeepError):
        window.runner.unhandled_error.emit(exc)
        return
    from app.ui.dialogs import notice

    notice(window, exc.user_message, "Backup not saved")


# ---------------------------------------------------------------- the parts


def make_owner_scorer(store: InboxStore, paths: AppPaths) -> OwnerScorer:
    """The one scorer for ingest and rescoring: the owner's word list and shop names."""
    from app.core.rescore import owner_scorer_for

    return owner_scorer_for(paths.settings_file, store.accounts())


def install_corrections(
    window: MainWindow, store: InboxStore, runner: TaskRunner, paths: AppPaths, owner: OwnerScorer
) -> None:
    """One-click label corrections, the reasons tooltip and View → Sentiment words…"""
    from app.storage.inbox_store import SqliteInboxStore
    from app.storage.word_list import StoredPostRescorer
    from app.ui.corrections import install_corrections as install

    assert isinstance(store, SqliteInboxStore)
    install(window, store, runner, paths, StoredPostRescorer(store.db), owner)


def install_sync(
    window: MainWindow,
    store: InboxStore,
    runner: TaskRunner,
    connections: Any,
    paths: AppPaths,
    score: OwnerScorer,
) -> Any:
    """Scheduler, notifier, filter bar, File → Export… and Settings…, from settings.json."""
    from app.ui.app_style import choose_scheme
    from app.ui.desktop_notifications import DesktopNotifications
    from app.ui.filter_bar import install_filter_bar
    from app.ui.first_paint import after_first_paint
    from app.ui.settings_dialog import SettingsDialog, SyncSettings
    from app.ui.sync_controls import SyncControls, add_file_action
    from app.ui.sync_scheduler import SyncScheduler
    from app.ui.tray_notifier import TrayNotifier

    settings = SyncSettings.from_mapping(read_settings(paths))
    choose_scheme(settings.colour_scheme)
    scheduler = SyncScheduler(
        store,
        runner,
        connections.client_for,
        score,  # type: ignore[arg-type]
        interval_minutes=settings.interval_minutes,
        max_mentions=settings.first_sync_max,
        parent=window,
    )
    desktop = DesktopNotifications(window)
    # its bus thread connects to D-Bus holding the interpreter lock: after the first paint
    after_first_paint(
        window.thread_view.viewport(), desktop.start, lambda: window.thread_model.rowCount() > 0
    )
    window.destroyed.connect(desktop.close)
    notifier = TrayNotifier(
        store,
        runner,
        window,
        enabled=settings.notifications,  # type: ignore[arg-type]
        desktop=desktop,
    )
    window.sync = SyncControls(
        window, scheduler, notifier, lambda account_id: window.open_accounts(account_id)
    )
    window.scheduler, window.notifier = scheduler, notifier
    window.filter_bar = install_filter_bar(window)
    window.export_dialog = None

    def export() -> None:
        from app.ui.export_dialog import ExportDialog  # not on the first paint: when asked

        current = window.export_dialog
        if current is not None and current.cancel_event is not None:
            current.show()  # still writing: show its progress
            return
        if current is not None:
            current.deleteLater()
        window.export_dialog = ExportDialog(
            store,
            runner,
            window.query,  # type: ignore[arg-type]
            window.thread_model.rowCount(),
            window,
        )
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
        choose_scheme(new.colour_scheme)
        pane = getattr(window, "answer_pane", None)
        if pane is not None:
            pane.services.undo_seconds = new.undo_send_seconds

    window.export_action = add_file_action(
        window, "Export…", export, "Ctrl+E", "Save the current list or everything as CSV or JSON"
    )
    window.settings_action = add_file_action(
        window,
        "Settings…",
        edit_settings,
        "Ctrl+,",
        "Sync interval, notifications, undo send, first sync",
    )
    return scheduler


def install_accounts(
    window: MainWindow,
    store: InboxStore,
    runner: TaskRunner,
    credentials: Any = None,
    connections: Any = None,
) -> None:
    """Add account / Accounts… dialogs over the concrete account service.

    Sets `window.open_accounts(account_id=None)`: "Sign in again" in the status
    bar opens the accounts dialog with that account selected.
    """
    from app.ui.sync_controls import select_account_when_listed

    made: list[Any] = []

    def service() -> Any:
        """Built on first use: the network clients are not needed for the first paint."""
        if not made:
            from app.account_service import AppAccountService
            from app.storage.credentials import CredentialStore

            made.append(
                AppAccountService(
                    store,
                    credentials or CredentialStore(),  # type: ignore[arg-type]
                    connections,
                )
            )
        return made[0]

    scheduler = getattr(window, "scheduler", None)

    def changed() -> None:
        window.refresh_side()
        if scheduler is not None:
            scheduler.sync_now()  # a new or re-signed account: fetch its mentions now

    def add_account() -> None:
        from app.ui.add_account_dialog import AddAccountDialog  # dialogs: when asked

        dialog = AddAccountDialog(service(), runner, window)
        dialog.account_added.connect(lambda _a: changed())
        dialog.open()

    def manage_accounts(account_id: int | None = None) -> Any:
        from app.ui.accounts_dialog import open_accounts_dialog

        dialog = open_accounts_dialog(service(), runner, window)
        dialog.accounts_changed.connect(changed)
        if account_id is not None:
            select_account_when_listed(dialog, account_id)
        return dialog

    window.open_accounts = manage_accounts
    window.add_account_requested.connect(add_account)
    window.accounts_requested.connect(lambda: manage_accounts())


def install_answering(
    window: MainWindow,
    store: InboxStore,
    runner: TaskRunner,
    paths: AppPaths,
    send_now: Any = None,
    client_for: Any = None,
) -> None:
    """Composer, drafts, customer history and thread actions beside the conversation.

    `send_now` starts the outbox sender once a reply's undo window is over;
    `client_for(account)` lets the owner delete a sent reply from the server.
    """
    from app.ui.answer_pane import install_answer_pane
    from app.ui.answer_services import AnswerServices
    from app.ui.settings_dialog import SyncSettings

    settings = read_settings(paths)
    services = AnswerServices(
        store,
        runner,  # type: ignore[arg-type]
        business=str(settings.get("business", "")),
        signature=str(settings.get("signature", "")),
        send_now=send_now,
        undo_seconds=SyncSettings.from_mapping(settings).undo_send_seconds,
        client_for=client_for,
        save_profile=lambda b, sig: update_settings(paths, business=b, signature=sig),
    )
    window.answer_pane = install_answer_pane(window, services)


def install_photos(window: MainWindow, runner: TaskRunner, paths: AppPaths) -> None:
    """Customers' photos: placeholders until asked, then fetched and cached on disk."""
    from app.core.photos import CachedPhotos
    from app.storage.photo_cache import PhotoCache
    from app.ui.photo_loader import PhotoLoader

    source = CachedPhotos(fetch_photo, PhotoCache(paths.photo_cache_dir))
    chosen = read_settings(paths).get("load_photos_accounts") or ()
    window.photo_loader = PhotoLoader(  # type: ignore[attr-defined]
        window.conversation_pane,
        runner,
        source,
        set(chosen),
        lambda ids: update_settings(paths, load_photos_accounts=ids),
    )


def fetch_photo(url: str) -> bytes:
    """The photo fetcher, imported on the first photo asked for: `requests` costs ~100 ms
    and no photo is on the first painted inbox."""
    from app.net.media_fetch import PhotoFetcher

    return PhotoFetcher().fetch(url)


def install_reports(
    window: MainWindow, store: InboxStore, runner: TaskRunner, paths: AppPaths, open_thread: Any
) -> None:
    """File → Reports… (Ctrl+Shift+R): one Reports window, raised again when already open."""
    from app.core.settings import SettingsFile
    from app.ui.sync_controls import add_file_action

    opened: list[ReportsWindow] = []

    def show() -> None:
        # imported when first opened: QtCharts and the reports are not on the first paint
        from app.ui.reports_window import ReportsWindow

        # read at every opening: the owner may have changed them in Settings
        hours = SettingsFile(paths.settings_file).load().hours
        if opened:
            opened[0].set_hours(hours)
            opened[0].show()
            opened[0].raise_()
            opened[0].activateWindow()
            return
        reports = ReportsWindow(store, runner, hours, window)

        def go_to(thread_id: int) -> None:
            open_thread(thread_id)
            window.raise_()
            window.activateWindow()

        reports.open_thread.connect(go_to)
        opened.append(reports)
        reports.show()

    add_file_action(
        window,
        "Reports…",
        show,
        "Ctrl+Shift+R",
        "How fast you answer and how customers feel, over time",
    )
