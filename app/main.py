"""Shopkeep's entry point: paths, logging, crash handler, and the wiring of layers.

This is the one module that imports `app.storage` (and later `app.net`)
concretely and hands them to the UI as core ports. Everything heavy is
imported inside functions, so `--help` and the CLI subcommands start fast
and `app.main` can be imported without Qt.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import logging.handlers
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app import __version__
from app.core.errors import DatabaseCorrupt, ShopkeepError
from app.core.paths import AppPaths, resolve_paths, resources_dir

if TYPE_CHECKING:
    from app.core.ports import InboxStore
    from app.ui.main_window import MainWindow

log = logging.getLogger("shopkeep")

LOG_FILE = "shopkeep.log"
DEMO_FILE = ("demo", "demo.json")
SCREENSHOT_SIZE = (1440, 900)


# ---------------------------------------------------------------- arguments


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", default=argparse.SUPPRESS, metavar="DIR",
                        help="where Shopkeep keeps its database and logs "
                             "(default: $SHOPKEEP_DATA_DIR or the user data folder)")
    common.add_argument("--demo", action="store_true", default=argparse.SUPPRESS,
                        help="load the demo shop's mentions")
    parser = argparse.ArgumentParser(
        prog="shopkeep", parents=[common],
        description="One inbox for every mention of your business on Mastodon and Bluesky.")
    parser.add_argument("--version", action="version", version=f"Shopkeep {__version__}")
    parser.add_argument("--self-test", action="store_true",
                        help="check that the installation works, then exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    shot = sub.add_parser("screenshot", parents=[common],
                          help="render the main window to a PNG and exit")
    shot.add_argument("out", type=Path, metavar="OUT.png")
    shot.add_argument("--size", default=f"{SCREENSHOT_SIZE[0]}x{SCREENSHOT_SIZE[1]}",
                      metavar="WxH", help="window size (default: %(default)s)")
    shot.add_argument("--select", type=int, default=0, metavar="N",
                      help="select the N-th conversation (0 = first; -1 = none)")
    shot.add_argument("--suggested-reply", action="store_true",
                      help="fill the composer with the suggested canned reply")
    for name, text in (("sync", "sync every account without a window"),
                       ("export", "export conversations")):
        cmd = sub.add_parser(name, parents=[common], help=text, add_help=False)
        cmd.add_argument("rest", nargs=argparse.REMAINDER)
    return parser


def parse_size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x", 1))
    except ValueError:
        raise SystemExit(
            f"shopkeep: --size wants WIDTHxHEIGHT, like 1440x900, not {text!r}") from None
    return max(400, w), max(300, h)


# ---------------------------------------------------------------- logging


def configure_logging(paths: AppPaths, *, verbose: bool = False) -> Path:
    """A rotating file in the log folder, warnings on stderr. Safe to call twice."""
    log_path = paths.log_dir / LOG_FILE
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_shopkeep", False):
            root.removeHandler(handler)
            handler.close()
    file_handler = logging.handlers.RotatingFileHandler(
        log_path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    file_handler.setFormatter(logging.Formatter(
        "%(asctime)s %(levelname)-7s %(name)s [%(threadName)s] %(message)s"))
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.DEBUG if verbose else logging.WARNING)
    console.setFormatter(logging.Formatter("shopkeep: %(levelname)s %(name)s: %(message)s"))
    for handler in (file_handler, console):
        handler._shopkeep = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    logging.captureWarnings(True)
    return log_path


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
    try:
        data = json.loads(paths.settings_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def update_settings(paths: AppPaths, **changes: Any) -> None:
    """Merge keys into settings.json (other parts of the app keep their own keys)."""
    data = read_settings(paths)
    data.update(changes)
    tmp = paths.settings_file.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2), encoding="utf-8")
    tmp.replace(paths.settings_file)


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


def build_window(paths: AppPaths, *, demo: bool = False, store: InboxStore | None = None,
                 synchronous: bool = False, credentials: Any = None,
                 autosync: bool = False) -> MainWindow:
    """The main window over the real store, as the app, the self-test and the tests build it.

    `credentials`: a CredentialStore (default: the system keychain, or the
    $SHOPKEEP_KEYCHAIN_SERVICE entry set); `autosync`: start the timed syncs.
    """
    from app.core.connections import Connections
    from app.network_clients import register_network_clients
    from app.ui.main_window import MainWindow
    from app.ui.task_runner import TaskRunner

    paths.ensure()
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
    from app.main_wiring import (
        install_accounts,
        install_answering,
        install_corrections,
        install_sync,
        make_owner_scorer,
    )

    connections = Connections(credentials)
    register_network_clients(connections)
    runner = TaskRunner(synchronous=synchronous)
    window = MainWindow(store, runner)
    runner.setParent(window)
    window.connections = connections
    owner_scorer = make_owner_scorer(store, paths)
    scheduler = install_sync(window, store, runner, connections, paths, owner_scorer)
    install_accounts(window, store, runner, credentials, connections)
    install_answering(window, store, runner, paths, send_now=scheduler.send_now)
    install_corrections(window, store, runner, paths, owner_scorer)
    window.demo_removed.connect(lambda _n: update_settings(paths, demo_dismissed=True))
    window.start()
    # one automatic backup a day (the last few kept), written off the GUI thread
    runner.run(lambda: store.backup_if_due(paths.backup_dir), write=True, name="daily backup")
    window.corrections.rescore_for_new_rules()  # once after an update with new rules
    if autosync:
        scheduler.start()
    return window


def _corrupt_text(exc: DatabaseCorrupt) -> str:
    where = f"\n\nThe damaged file was kept as:\n{exc.damaged_path}" if exc.damaged_path else ""
    return f"{exc.user_message}{where}"


def show_window(window: MainWindow) -> None:
    """Show the window, then keep what start-up built out of the collector's full passes.

    Those objects live as long as the window; scanning them cost a 25-40 ms frame
    while scrolling, and the same on the GUI thread whenever a worker triggered a pass.
    """
    window.show()
    gc.freeze()


def run_gui(paths: AppPaths, demo: bool) -> int:
    from app.ui.application import install_qt_message_handler, make_application

    app = make_application([])
    install_qt_message_handler()
    try:
        window = build_window(paths, demo=demo, autosync=True)
    except DatabaseCorrupt as exc:
        log.error("Database damaged: %s", exc)
        offer_restore(paths, exc)
        window = build_window(paths, demo=demo, autosync=True)  # the damaged one is aside
    app.aboutToQuit.connect(lambda: quit_quickly(window))
    show_window(window)
    if os.environ.get("SHOPKEEP_EXIT_AFTER_PAINT"):  # start-up benchmarks (bench/)
        from app.ui.window_check import exit_after_first_paint

        exit_after_first_paint(window)
    code = int(app.exec())
    from app.core.scoring_pool import shutdown as stop_scoring_workers

    stop_scoring_workers()
    if window.runner.is_busy() and not window.runner.wait_idle(0):
        # A request still in flight (up to its read timeout): do not wait for it. The
        # database is safe (every write is one transaction; WAL recovers the rest) and
        # an unclear reply is checked with the server before it is ever sent again.
        log.warning("background work still running at exit; leaving without it")
        logging.shutdown()
        os._exit(code)
    return code


def offer_restore(paths: AppPaths, exc: DatabaseCorrupt) -> bool:
    """After a damaged database: offer the newest automatic backup, else start fresh."""
    from app.storage.database import list_backups, restore_last_backup
    from app.ui.dialogs import ask, tell

    backups = list_backups(paths.backup_dir)
    if not backups:
        tell(_corrupt_text(exc) + "\n\nThere is no automatic backup yet, so Shopkeep will "
             "start with a fresh inbox and sync your accounts again.")
        return False
    if not ask(_corrupt_text(exc) + "\n\nRestore the last automatic backup "
               f"({backups[0].name})? Anything newer is synced again from your accounts; "
               "choose No to start with a fresh inbox."):
        return False
    try:
        restore_last_backup(paths.database, paths.backup_dir)
    except ShopkeepError as err:
        tell(err.user_message)
        return False
    return True


def quit_quickly(window: MainWindow, timeout_ms: int = 900) -> None:
    """Stop syncs and exports, let a running write finish; never more than ~2 s."""
    scheduler = getattr(window, "scheduler", None)
    if scheduler is not None:
        scheduler.shutdown()
    dialog = getattr(window, "export_dialog", None)
    if dialog is not None and dialog.cancel_event is not None:
        dialog.cancel_event.set()
    window.runner.shutdown(timeout_ms)


def run_screenshot(args: argparse.Namespace, paths: AppPaths) -> int:
    """Render the window to a PNG: anyone can see what a user sees, with no display."""
    ensure_qt_platform()
    from app.ui.application import install_qt_message_handler, make_application
    from app.ui.screenshot import save_screenshot

    make_application([])
    install_qt_message_handler()
    window = build_window(paths, demo=getattr(args, "demo", False))
    w, h = parse_size(args.size)
    ok, filled = save_screenshot(window, args.out, size=(w, h), select=args.select,
                                 suggested_reply=args.suggested_reply)
    if not ok:
        print(f"shopkeep: could not write {args.out}", file=sys.stderr)
        return 1
    print(f"Saved {args.out} ({w}x{h}){filled}")
    return 0


def run_subcommand(name: str, rest: list[str], paths: AppPaths) -> int:
    """`sync` and `export` live in app.cli_sync / app.cli_export: main(argv, paths) -> int."""
    import importlib

    try:
        module = importlib.import_module(f"app.cli_{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"app.cli_{name}":
            raise
        print(f"shopkeep: the '{name}' command is not available in this version.",
              file=sys.stderr)
        return 2
    return int(module.main(rest, paths))


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    if args.self_test:
        try:
            from app.self_test import run_self_test
        except ImportError as exc:
            print(f"shopkeep: the self-test is not available ({exc})", file=sys.stderr)
            return 2
        return int(run_self_test())

    paths = resolve_paths(getattr(args, "data_dir", None))
    try:
        paths.ensure()
    except OSError as exc:
        print(f"shopkeep: cannot use the data folder {paths.data_dir}: {exc.strerror}",
              file=sys.stderr)
        return 2
    log_path = configure_logging(paths)
    log.info("Shopkeep %s starting, data in %s", __version__, paths.data_dir)

    if args.command in (None, "screenshot"):
        from app.ui.crash_dialog import CrashHandler

        CrashHandler(log_path, show_dialog=args.command is None).install()
    try:
        if args.command == "screenshot":
            return run_screenshot(args, paths)
        if args.command in ("sync", "export"):
            return run_subcommand(args.command, list(args.rest), paths)
        return run_gui(paths, demo=getattr(args, "demo", False))
    except DatabaseCorrupt as exc:
        print(f"shopkeep: {exc.user_message}"
              + (f" Kept as {exc.damaged_path}." if exc.damaged_path else ""), file=sys.stderr)
        return 2
    except ShopkeepError as exc:
        log.warning("%s", exc)
        print(f"shopkeep: {exc.user_message}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
