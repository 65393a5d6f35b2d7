"""The window over the concrete layers: the services `main()` builds, and the window on them.

The store and settings.json, the demo shop, and `build_services`: one typed
`AppServices` (store, runner, settings, connections, scorer, photos, the
keychain-backed account service) that the window takes in its constructor;
`open_window` builds and fills the window over it. main.py (the entry point) and
self_test.py both build the window from here, so neither imports the other's
module. Like main.py it may import every layer; everything heavy is imported in
functions.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from app.core.paths import AppPaths, resources_dir
from app.wiring.team import install_team, open_store_asking

if TYPE_CHECKING:
    from app.core.accounts import AccountService
    from app.core.ports import InboxStore
    from app.core.rescore import OwnerScorer
    from app.storage.credentials import CredentialStore
    from app.storage.inbox_store import SqliteInboxStore
    from app.ui.app_services import AppServices
    from app.ui.app_window import AppWindow
    from app.ui.main_window import MainWindow

log = logging.getLogger("shopkeep")

DEMO_FILE = ("demo", "demo.json")


# ---------------------------------------------------------------- store and settings


def open_store(paths: AppPaths) -> SqliteInboxStore:
    """The concrete store behind the store ports: the SQLite file, or in team mode the
    team database (or its local copy when it is out of reach; app/services/team_mode.py), each a
    SqliteInboxStore. May raise DatabaseCorrupt, or a Team* error saying why the team
    inbox did not open."""
    return open_store_asking(paths)


def read_settings(paths: AppPaths) -> dict[str, Any]:
    """settings.json's validated keys (app.core.settings owns the file)."""
    from app.core.settings import SettingsFile

    return SettingsFile(paths.settings_file).load().as_mapping()


def update_settings(paths: AppPaths, **changes: Any) -> None:
    """Change some keys of settings.json, keeping the others; atomic."""
    from app.core.settings import SettingsFile

    SettingsFile(paths.settings_file).update(**changes)


def ensure_demo(store: SqliteInboxStore, paths: AppPaths, *, force: bool = False) -> bool:
    """Load the demo shop on first run (no accounts, never dismissed) or when asked."""
    if store.has_demo_data():
        return False
    from app.services.team_mode import is_shared

    first_run = not store.accounts() and not read_settings(paths).get("demo_dismissed")
    first_run = first_run and not is_shared(store)  # never the demo shop in a team inbox
    if not (force or first_run):
        return False
    from app.storage.demo import load_demo

    load_demo(store, resources_dir().joinpath(*DEMO_FILE))
    log.info("Loaded demo data")
    return True


# ---------------------------------------------------------------- the window


# What build_services and the window need from the layers below, imported before Qt.
PLAIN_MODULES = (
    "app.storage.inbox_store",
    "app.storage.word_list",
    "app.storage.credentials",
    "app.storage.photo_cache",
    "app.core.settings",
    "app.core.rescore",
    "app.core.connections",
    "app.core.photos",
    "app.core.sync",
    "app.core.outbox",
    "app.services.network_clients",
)


def load_plain_layers() -> None:
    """Import what the window needs from storage and core before the first Qt import.

    Once imported, PySide reads the source of every module imported after it (looking
    for its own name, for its `__feature__` switches): ~0.1-0.2 ms a module, ~10 ms for
    these and what they import. Imported first, they are not read.
    """
    from app.storage.sqlite_first import load_peewee_sqlite_first

    load_peewee_sqlite_first()  # a team database loads psycopg2 when it is opened
    for name in PLAIN_MODULES:
        importlib.import_module(name)


def ensure_qt_platform() -> None:
    """With no display (CI, ssh), render offscreen instead of failing to start."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def build_services(
    paths: AppPaths,
    *,
    demo: bool = False,
    store: SqliteInboxStore | None = None,
    synchronous: bool = False,
    credentials: CredentialStore | None = None,
    person_name: Callable[[Any], str] | None = None,
) -> AppServices:
    """Everything the window needs, over the concrete layers; built once per window.

    `credentials`: a CredentialStore (default: the system keychain, or the
    $SHOPKEEP_KEYCHAIN_SERVICE entry set). `person_name`: who answers from this window
    on a team inbox the first time (default: the window asks). May raise DatabaseCorrupt.
    """
    from app.core.connections import Connections
    from app.core.photos import CachedPhotos
    from app.core.settings import SettingsFile
    from app.services.network_clients import register_network_clients
    from app.storage.credentials import DEFAULT_SERVICE, ENV_KEYCHAIN_SERVICE, CredentialStore
    from app.storage.photo_cache import PhotoCache
    from app.storage.word_list import StoredPostRescorer
    from app.ui.app_services import AppServices
    from app.ui.task_runner import TaskRunner

    paths.ensure()
    settings = SettingsFile(paths.settings_file)
    settings_read = settings.read()  # first: a bad file goes aside
    if store is None:
        store = open_store(paths)
    ensure_demo(store, paths, force=demo)
    if credentials is None:
        credentials = CredentialStore(os.environ.get(ENV_KEYCHAIN_SERVICE) or DEFAULT_SERVICE)
        # two data folders never share (and overwrite) a secret
        credentials.use_folder(store.data_folder_id())
    connections = Connections(credentials)
    register_network_clients(connections)
    keychain = credentials
    made: list[AccountService] = []

    def account_service() -> AccountService:
        """Built on first use: the network clients are not needed for the first paint."""
        if not made:
            from app.services.accounts import AppAccountService

            made.append(AppAccountService(store, keychain, connections))
        return made[0]

    runner = TaskRunner(synchronous=synchronous)
    team = partial(install_team, store=store, runner=runner, paths=paths, person_name=person_name)

    return AppServices(
        paths=paths,
        store=store,
        runner=runner,
        settings=settings,
        connections=connections,
        owner_scorer=make_owner_scorer(store, paths),
        rescorer=StoredPostRescorer(store.db),
        photos=CachedPhotos(fetch_photo, PhotoCache(paths.photo_cache_dir)),
        account_service=account_service,
        load_demo=lambda: ensure_demo(store, paths, force=True),
        settings_problem=settings_read.problem,
        team=team,
    )


def open_window(services: AppServices, *, autosync: bool = False) -> AppWindow:
    """The window over `services`, filled: the daily backup, rescoring after an update
    with new rules, and (`autosync`) the timed syncs start with it."""
    from app.ui.app_window import AppWindow

    window = AppWindow(services)
    window.start()
    if services.settings_problem:
        from app.ui.dialogs import notice

        notice(window, services.settings_problem)
    store, paths = services.store, services.paths
    # one automatic backup a day (the last few kept), written off the GUI thread
    services.runner.run(
        lambda: store.backup_if_due(paths.backup_dir),
        on_error=lambda exc: report_backup_failure(window, exc),
        write=True,
        name="daily backup",
    )
    window.corrections.rescore_for_new_rules()  # once after an update with new rules
    if autosync and not store.offline:  # a copy of the team inbox: no sync
        window.scheduler.start()
    return window


def build_window(
    paths: AppPaths,
    *,
    demo: bool = False,
    store: SqliteInboxStore | None = None,
    synchronous: bool = False,
    credentials: CredentialStore | None = None,
    autosync: bool = False,
    person_name: Callable[[Any], str] | None = None,
) -> AppWindow:
    """The main window over the real store, as the self-test, screenshots and tests build it
    (the app itself builds the services in main() and opens the window over them)."""
    services = build_services(
        paths,
        demo=demo,
        store=store,
        synchronous=synchronous,
        credentials=credentials,
        person_name=person_name,
    )
    return open_window(services, autosync=autosync)


def fetch_photo(url: str) -> bytes:
    """The photo fetcher, imported on the first photo asked for: `requests` costs ~100 ms
    and no photo is on the first painted inbox."""
    from app.net.media_fetch import PhotoFetcher

    return PhotoFetcher().fetch(url)


def report_backup_failure(window: MainWindow, exc: BaseException) -> None:
    """A failed daily backup is said in the window (not only logged); a bug still crashes."""
    from app.core.errors import ShopkeepError

    if not isinstance(exc, ShopkeepError):
        window.runner.unhandled_error.emit(exc)
        return
    from app.ui.dialogs import notice

    notice(window, exc.user_message, "Backup not saved")


def make_owner_scorer(store: InboxStore, paths: AppPaths) -> OwnerScorer:
    """The one scorer for ingest and rescoring: the owner's word list and shop names."""
    from app.core.rescore import owner_scorer_for

    return owner_scorer_for(paths.settings_file, store.accounts())
