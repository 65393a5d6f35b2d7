"""Shopkeep's entry point: arguments, paths, logging, crash handler, the event loop.

main() builds the window's services once (wiring.window.build_services) and opens
the window over them; the self-test builds it from app/wiring/window.py too. Everything
heavy is imported inside functions, so `--help` and the CLI subcommands start fast
and `app.main` can be imported without Qt.
"""

from __future__ import annotations

import argparse
import gc
import logging
import logging.handlers
import os
import sys
from io import TextIOWrapper
from pathlib import Path
from typing import TYPE_CHECKING

from app import __version__
from app.core.errors import DatabaseCorrupt, ShopkeepError
from app.core.paths import AppPaths, make_private, resolve_paths
from app.wiring.window import (
    build_services,
    build_window,
    ensure_qt_platform,
    load_plain_layers,
    open_window,
)
from app.wiring.window import ensure_demo as ensure_demo  # re-exported: tests, bench
from app.wiring.window import open_store as open_store
from app.wiring.window import read_settings as read_settings
from app.wiring.window import update_settings as update_settings

if TYPE_CHECKING:
    from app.storage.owner_lock import FolderLock
    from app.ui.app_window import AppWindow
    from app.ui.collector_settle import CollectorSettle
    from app.ui.main_window import MainWindow

log = logging.getLogger("shopkeep")

LOG_FILE = "shopkeep.log"
SCREENSHOT_SIZE = (1440, 900)


# ---------------------------------------------------------------- arguments


SUBCOMMANDS = ("sync", "export", "report", "restore")


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        default=argparse.SUPPRESS,
        metavar="DIR",
        help="where Shopkeep keeps its database and logs "
        "(default: $SHOPKEEP_DATA_DIR or the user data folder)",
    )
    common.add_argument(
        "--demo",
        action="store_true",
        default=argparse.SUPPRESS,
        help="load the demo shop's mentions",
    )
    parser = argparse.ArgumentParser(
        prog="shopkeep",
        parents=[common],
        description="One inbox for every mention of your business on Mastodon and Bluesky.",
    )
    parser.add_argument("--version", action="version", version=f"Shopkeep {__version__}")
    parser.add_argument(
        "--self-test", action="store_true", help="check that the installation works, then exit"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    shot = sub.add_parser(
        "screenshot", parents=[common], help="render the main window to a PNG and exit"
    )
    shot.add_argument("out", type=Path, metavar="OUT.png")
    shot.add_argument(
        "--size",
        default=f"{SCREENSHOT_SIZE[0]}x{SCREENSHOT_SIZE[1]}",
        metavar="WxH",
        help="window size (default: %(default)s)",
    )
    shot.add_argument(
        "--select",
        type=int,
        default=0,
        metavar="N",
        help="select the N-th conversation (0 = first; -1 = none)",
    )
    shot.add_argument(
        "--suggested-reply",
        action="store_true",
        help="fill the composer with the suggested canned reply",
    )
    for name, text in (
        ("sync", "sync every account without a window"),
        ("export", "export conversations"),
        ("report", "print response times and feelings over a period"),
        ("restore", "put the last automatic backup back"),
    ):
        cmd = sub.add_parser(name, parents=[common], help=text, add_help=False)
        cmd.add_argument("rest", nargs=argparse.REMAINDER)
    return parser


def split_subcommand(argv: list[str]) -> tuple[list[str], list[str] | None]:
    """`shopkeep [--data-dir D] sync|export ARGS…`: (what app.main parses, ARGS or None).

    Everything after `sync` or `export` belongs to that command's own parser (its
    --help, --quiet, --account…); argparse's REMAINDER refused them when they
    started with a dash.
    """
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in SUBCOMMANDS:
            return argv[: i + 1], argv[i + 1 :]
        if arg == "--data-dir":
            i += 2
            continue
        if not arg.startswith("-"):
            break
        i += 1
    return argv, None


def sub_data_dir(rest: list[str]) -> str | None:
    """--data-dir given after the subcommand (the subcommand's parser also sees it)."""
    found = argparse.ArgumentParser(add_help=False)
    found.add_argument("--data-dir")
    given = found.parse_known_args(rest)[0].data_dir
    return str(given) if given is not None else None


def parse_size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x", 1))
    except ValueError:
        raise SystemExit(
            f"shopkeep: --size wants WIDTHxHEIGHT, like 1440x900, not {text!r}"
        ) from None
    if w <= 0 or h <= 0:
        raise SystemExit(f"shopkeep: --size wants a positive WIDTHxHEIGHT, not {text!r}")
    return w, h


# ---------------------------------------------------------------- logging


class PrivateLogFile(logging.handlers.RotatingFileHandler):
    """The rotating log, each file readable by the user only (it names customers)."""

    def _open(self) -> TextIOWrapper:
        stream = super()._open()
        make_private(Path(self.baseFilename))
        return stream


def configure_logging(paths: AppPaths, *, verbose: bool = False) -> Path:
    """A rotating file in the log folder, warnings on stderr. Safe to call twice.

    Redaction goes in first, so no record (ours or a library's, before or after the
    network clients are imported) reaches a handler with a secret in it.
    """
    from app.core.log_redaction import install_log_redaction

    install_log_redaction()
    log_path = paths.log_dir / LOG_FILE
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_shopkeep", False):
            root.removeHandler(handler)
            handler.close()
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.DEBUG if verbose else logging.WARNING)
    console.setFormatter(logging.Formatter("shopkeep: %(levelname)s %(name)s: %(message)s"))
    handlers: list[logging.Handler] = [console]
    try:
        file_handler = PrivateLogFile(log_path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    except OSError as exc:  # a read-only folder: the terminal still gets the warnings
        print(f"shopkeep: cannot write the log {log_path} ({exc.strerror})", file=sys.stderr)
    else:
        file_handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)-7s %(name)s [%(threadName)s] %(message)s")
        )
        handlers.insert(0, file_handler)
    install_log_redaction(handlers)
    for handler in handlers:
        handler._shopkeep = True  # type: ignore[attr-defined]  # marks ours: a second call replaces them
        root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    logging.captureWarnings(True)
    return log_path


# ---------------------------------------------------------------- the window


NO_DISPLAY = (
    "shopkeep: there is no display to open the window on (neither DISPLAY nor "
    "WAYLAND_DISPLAY is set). Start Shopkeep from your desktop session, or "
    "without a window: `shopkeep sync` fetches new mentions, `shopkeep screenshot "
    "OUT.png` renders the window to a picture."
)


def has_display() -> bool:
    """False on Linux with no X11 or Wayland session and no Qt platform chosen by hand."""
    if not sys.platform.startswith("linux"):
        return True
    return bool(
        os.environ.get("DISPLAY")
        or os.environ.get("WAYLAND_DISPLAY")
        or os.environ.get("QT_QPA_PLATFORM")
    )


def _corrupt_text(exc: DatabaseCorrupt) -> str:
    where = f"\n\nThe damaged file was kept as:\n{exc.damaged_path}" if exc.damaged_path else ""
    return f"{exc.user_message}{where}"


def show_window(window: MainWindow) -> CollectorSettle:
    """Show the window, then keep what start-up built out of the collector's full passes.

    Those objects live as long as the window; scanning them cost a 25-40 ms frame
    while scrolling, and the same on the GUI thread whenever a worker triggered a pass.
    What the background imports add after it is frozen once the window settles: the
    `CollectorSettle` returned (a child of the window) does that.
    """
    from app.ui.collector_settle import CollectorSettle

    window.show()
    gc.freeze()
    return CollectorSettle(window.runner, window)


def run_gui(paths: AppPaths, demo: bool) -> int:
    load_plain_layers()  # before Qt: see its docstring
    from app.ui.application import install_qt_message_handler, make_application

    app = make_application([])
    install_qt_message_handler()
    owner = claim_data_folder(paths)  # held (a local) until the window closes
    if owner is None:
        return 0  # the window already open came to the front instead
    try:
        offer_pending_restore(paths)
        services = build_services(paths, demo=demo)
    except DatabaseCorrupt as exc:
        log.error("Database damaged: %s", exc)
        offer_restore(paths, exc)
        services = build_services(paths, demo=demo)  # the damaged one is aside
    window = open_window(services, autosync=True)
    from app.ui.single_window import WindowBeacon

    WindowBeacon(beacon_path(paths), window)  # a second start raises this window
    app.aboutToQuit.connect(lambda: quit_quickly(window))
    show_window(window)
    if os.environ.get("SHOPKEEP_EXIT_AFTER_PAINT"):  # start-up benchmarks (bench/)
        from app.ui.window_check import exit_after_first_paint

        exit_after_first_paint(window)
    return leave_gui(window, int(app.exec()))


def leave_gui(window: AppWindow, code: int) -> int:
    """After the event loop: stop the scoring workers and the notifications' bus thread,
    and leave at once while a job still runs (a request in flight, up to its read
    timeout) or the bus thread is stuck in a call.

    Returning lets PySide delete the window at exit, and with it the runner's thread
    pools, which wait for that job and then deliver its result to a half-deleted
    runner (a hang, or a crash). Asked of the pools, not of the runner's pending list:
    `quit_quickly` has already emptied that list. The database is safe (every write is
    one transaction; WAL recovers the rest) and an unclear reply is checked with the
    server before it is ever sent again.
    """
    from app.core.scoring_pool import shutdown as stop_scoring_workers

    stop_scoring_workers()
    bus_stopped = window.desktop.close()  # its thread emits Qt signals: stopped first
    if not (window.runner.wait_idle(0) and bus_stopped):
        log.warning("background work still running at exit; leaving without it")
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


def beacon_path(paths: AppPaths) -> Path:
    """Where a second start asks the open window to come forward (one per data folder)."""
    return paths.database.with_name(paths.database.name + ".raise")


def claim_data_folder(paths: AppPaths) -> FolderLock | None:
    """One window per data folder: take its lock (held until the process ends), or
    bring the window already open to the front and return None.

    Returns the held FolderLock; keep it referenced for the window's whole life.
    """
    from app.storage.owner_lock import window_lock

    lock = window_lock(paths.database)
    if lock.acquire():
        return lock
    from app.ui.single_window import ask_first_to_raise

    pid = lock.holder_pid()
    who = f" (process {pid})" if pid else ""
    if ask_first_to_raise(beacon_path(paths)):
        log.info("Shopkeep is already open%s; brought its window to the front", who)
        print(
            f"shopkeep: Shopkeep is already open{who}; its window was brought to the front.",
            file=sys.stderr,
        )
        return None
    from app.ui.dialogs import tell

    log.warning("Shopkeep is already open on %s%s and did not answer", paths.data_dir, who)
    tell(
        f"Shopkeep is already open{who} on this computer, using {paths.data_dir}.\n\n"
        "Switch to that window (or close it first). Two windows on one inbox could "
        "undo each other's work."
    )
    return None


def offer_pending_restore(paths: AppPaths) -> bool:
    """At every start while a damaged file is set aside (by `shopkeep sync`, say) and
    the owner has not answered yet: offer the last backup again."""
    from app.storage.database import damaged_copies

    pending = damaged_copies(paths.database)
    if not pending:
        return False
    exc = DatabaseCorrupt(
        "set aside earlier",
        path=str(paths.database),
        damaged_path=str(pending[0]),
        user_message=(
            "Shopkeep found its database file damaged earlier and kept it "
            "aside, so nothing was deleted. The inbox here now may be "
            "missing what that file held."
        ),
    )
    return offer_restore(paths, exc)  # answered: yes restores, no keeps the inbox as it is


def offer_restore(paths: AppPaths, exc: DatabaseCorrupt) -> bool:
    """After a damaged database: offer the newest automatic backup, else start fresh.

    Once the owner has answered, the damaged copies set aside so far are not offered
    again (they stay on disk)."""
    from app.storage.database import damaged_copies, mark_handled

    try:
        return _ask_to_restore(paths, exc)
    finally:
        mark_handled(damaged_copies(paths.database))


def _ask_to_restore(paths: AppPaths, exc: DatabaseCorrupt) -> bool:
    from app.storage.database import list_backups, restore_last_backup
    from app.ui.dialogs import ask, tell

    backups = list_backups(paths.backup_dir)
    if not backups:
        tell(
            _corrupt_text(exc) + "\n\nThere is no automatic backup yet, so Shopkeep will "
            "start with a fresh inbox and sync your accounts again."
        )
        return False
    if not ask(
        _corrupt_text(exc) + "\n\nRestore the last automatic backup "
        f"({backups[0].name})? Anything newer is synced again from your accounts; "
        "choose No to start with a fresh inbox."
    ):
        return False
    try:
        restore_last_backup(paths.database, paths.backup_dir)
    except ShopkeepError as err:
        tell(err.user_message)
        return False
    return True


def quit_quickly(window: AppWindow, timeout_ms: int = 900) -> None:
    """Stop syncs and exports, let a running write finish; never more than ~2 s."""
    window.scheduler.shutdown()
    dialog = window.export_dialog
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
    ok, filled, (gw, gh) = save_screenshot(
        window, args.out, size=(w, h), select=args.select, suggested_reply=args.suggested_reply
    )
    if not ok:
        print(f"shopkeep: could not write {args.out}", file=sys.stderr)
        return 1
    print(f"Saved {args.out} ({gw}x{gh}){filled}")
    if (gw, gh) != (w, h):
        print(
            f"shopkeep: the window cannot be smaller than {gw}x{gh}, so the picture is "
            f"{gw}x{gh}, not {w}x{h}.",
            file=sys.stderr,
        )
    return 0


def run_subcommand(name: str, rest: list[str], paths: AppPaths) -> int:
    """`sync` and `export` live in app.cli.sync / app.cli.export: main(argv, paths) -> int."""
    import importlib

    try:
        module = importlib.import_module(f"app.cli.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"app.cli.{name}":
            raise
        print(f"shopkeep: the '{name}' command is not available in this version.", file=sys.stderr)
        return 2
    return int(module.main(rest, paths))


def run_subcommand_help(name: str, rest: list[str]) -> int:
    import importlib

    module = importlib.import_module(f"app.cli.{name}")
    try:
        module.main(["--help"], resolve_paths(None))
    except SystemExit as done:
        return int(done.code or 0)
    return 0


# ---------------------------------------------------------------- main


def tell_without_window(text: str) -> None:
    """A start-up problem, shown in a dialog (a desktop launch has no terminal)."""
    ensure_qt_platform()
    from app.ui.application import make_application
    from app.ui.dialogs import tell

    make_application([])
    tell(text)


def main(argv: list[str] | None = None) -> int:
    head, rest = split_subcommand(sys.argv[1:] if argv is None else list(argv))
    args = build_parser().parse_args(head)
    if rest is not None:
        args.rest = rest
        if "-h" in rest or "--help" in rest:  # the command's own help, without a data folder
            return run_subcommand_help(args.command, rest)
    if args.self_test:
        try:
            from app.wiring.self_test import run_self_test
        except ImportError as exc:
            print(f"shopkeep: the self-test is not available ({exc})", file=sys.stderr)
            return 2
        return int(run_self_test())

    paths = resolve_paths(
        (sub_data_dir(rest) if rest is not None else None) or getattr(args, "data_dir", None)
    )
    try:
        paths.ensure()
    except OSError as exc:
        print(
            f"shopkeep: cannot use the data folder {paths.data_dir}: {exc.strerror}",
            file=sys.stderr,
        )
        return 2
    problem = paths.write_problem()
    if problem:  # read-only or full: say so once, plainly, instead of a traceback later
        print(f"shopkeep: {problem}", file=sys.stderr)
        if args.command is None:
            tell_without_window(problem)
        return 1 if args.command == "export" else 2
    log_path = configure_logging(paths)
    log.info("Shopkeep %s starting, data in %s", __version__, paths.data_dir)

    if args.command in (None, "screenshot"):
        from app.ui.crash_dialog import CrashHandler

        CrashHandler(log_path, show_dialog=args.command is None).install()
    try:
        if args.command == "screenshot":
            return run_screenshot(args, paths)
        if args.command in SUBCOMMANDS:
            return run_subcommand(args.command, list(args.rest), paths)
        if not has_display():  # Qt would abort with a misleading "xcb-cursor0" text
            print(NO_DISPLAY, file=sys.stderr)
            return 2
        return run_gui(paths, demo=getattr(args, "demo", False))
    except DatabaseCorrupt as exc:
        from app.cli.restore import damaged_words

        print(f"shopkeep: {damaged_words(exc, paths)}", file=sys.stderr)
        return 2
    except ShopkeepError as exc:
        log.warning("%s", exc)
        print(f"shopkeep: {exc.user_message}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
