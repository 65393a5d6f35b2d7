"""`python -m app export OUT.csv|OUT.json [filters]`: export conversations without a window.

Exit codes: 0 the file was written; 1 it was not (said in one plain sentence:
bad filter, unwritable folder, full disk, stopped with Ctrl-C). Put OUT first:
`python -m app export cake.csv --search cake --folder all`.
"""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO

from app.core.clean_text import clean_line
from app.core.errors import ShopkeepError
from app.core.export import (
    ExportError,
    ExportResult,
    TargetExists,
    check_target,
    export_inbox,
    format_for,
)
from app.core.models import Folder, Network, SentimentLabel
from app.core.paths import AppPaths, resolve_paths
from app.core.ports import ThreadQuery

BAR_WIDTH = 24
FOLDERS = (Folder.NEEDS_REPLY, Folder.NEGATIVE, Folder.ALL, Folder.DONE)
LABELS = (SentimentLabel.NEGATIVE, SentimentLabel.NEUTRAL, SentimentLabel.POSITIVE)


class UsageError(Exception):
    """A filter the user typed that we cannot use; the message is the sentence to print."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]  # raises, never exits
        """argparse exits with 2; an export that did not happen is exit 1 here."""
        raise UsageError(f"{message}. Try: shopkeep export --help")


class Progress:
    """A one-line bar on a terminal; a start line only when piped (cron mail stays short)."""

    def __init__(self, out: TextIO, target: Path) -> None:
        self.out = out
        self.target = target
        self.tty = out.isatty()
        self.started = False

    def __call__(self, done: int, total: int) -> None:
        if self.tty:
            filled = BAR_WIDTH * done // total if total else BAR_WIDTH
            bar = "#" * filled + "-" * (BAR_WIDTH - filled)
            self.out.write(f"\r\x1b[2KExporting: [{bar}] {done}/{total} conversations")
            self.out.flush()
            return
        if not self.started:
            self.started = True
            self.out.write(
                f"Exporting {total} conversation{'s' if total != 1 else ''} to {self.target} ...\n"
            )
            self.out.flush()

    def clear(self) -> None:
        if self.tty:
            self.out.write("\r\x1b[2K")
            self.out.flush()


def _day(text: str) -> datetime:
    """YYYY-MM-DD as local midnight (what a shop owner means by a day), in UTC."""
    try:
        day = datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        raise UsageError(f"{text!r} is not a date; write it like 2024-05-31.") from None
    return day.astimezone().astimezone(UTC)


# The window's words (Complaint, Neutral, Praise); the older negative/positive still work.
LABEL_WORDS = {
    "complaint": SentimentLabel.NEGATIVE,
    "neutral": SentimentLabel.NEUTRAL,
    "praise": SentimentLabel.POSITIVE,
    "negative": SentimentLabel.NEGATIVE,
    "positive": SentimentLabel.POSITIVE,
}
FOLDER_WORDS = {
    "needs_reply": Folder.NEEDS_REPLY,
    "complaints": Folder.NEGATIVE,
    "negative": Folder.NEGATIVE,
    "all": Folder.ALL,
    "done": Folder.DONE,
}


def _label(text: str) -> str:
    found = LABEL_WORDS.get(text.strip().lower())
    if found is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a feeling; use complaint, neutral or praise"
        )
    return found.value


def _folder(text: str) -> str:
    found = FOLDER_WORDS.get(text.strip().lower().replace("-", "_").replace(" ", "_"))
    if found is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a folder; use needs_reply, complaints, all or done"
        )
    return found.value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="shopkeep export",
        description="Export conversations to a CSV (one row per post) or JSON "
        "file (conversations with replies and notes).",
    )
    parser.add_argument("out", metavar="OUT.csv|OUT.json", help="the file to write")
    parser.add_argument(
        "--search",
        default="",
        metavar="WORDS",
        help="only conversations with a post matching these words",
    )
    parser.add_argument(
        "--folder",
        default=Folder.ALL.value,
        type=_folder,
        metavar="{needs_reply,complaints,all,done}",
        help="default: all",
    )
    parser.add_argument("--account", type=int, metavar="ID", help="only this account")
    parser.add_argument("--network", choices=[n.value for n in Network])
    parser.add_argument(
        "--label",
        type=_label,
        metavar="{complaint,neutral,praise}",
        help="how the conversation's unhappiest post reads",
    )
    parser.add_argument("--since", metavar="YYYY-MM-DD", help="active on or after this day")
    parser.add_argument("--until", metavar="YYYY-MM-DD", help="active on or before this day")
    parser.add_argument(
        "--data-dir", metavar="DIR", help="where Shopkeep keeps its data (default as for the app)"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace OUT if it exists (otherwise Shopkeep asks, or refuses when it cannot ask)",
    )
    return parser


def build_query(args: argparse.Namespace) -> ThreadQuery:
    since = _day(args.since) if args.since else None
    until = _day(args.until) + timedelta(days=1) if args.until else None  # the whole day
    if since and until and since >= until:
        raise UsageError("--since must be a day before --until.")
    return ThreadQuery(
        folder=Folder(args.folder),
        search=args.search,
        account_id=args.account,
        network=Network(args.network) if args.network else None,
        label=SentimentLabel(args.label) if args.label else None,
        since=since,
        until=until,
    )


def summary(result: ExportResult) -> str:
    threads = f"{result.threads} conversation{'s' if result.threads != 1 else ''}"
    posts = f"{result.posts} post{'s' if result.posts != 1 else ''}"
    return f"Exported {threads} ({posts}) to {result.path}."


Confirm = Callable[[str], bool]


def ask_on_terminal(question: str) -> bool:
    """y/N on the terminal; False at end of input."""
    try:
        answer = input(question)
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")


def main(
    argv: list[str],
    paths: AppPaths,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
    confirm: Confirm | None = None,
) -> int:
    """Export; 0 written, 1 not written (with one plain sentence on stderr).

    `confirm(question)` asks before replacing an existing file; by default the
    terminal is asked when there is one, and with no terminal (cron) the export
    refuses unless --force.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    if confirm is None and sys.stdin is not None and sys.stdin.isatty():
        confirm = ask_on_terminal
    try:
        args = build_parser().parse_args(argv)
        query = build_query(args)
        target = Path(args.out).expanduser()
        fmt = format_for(target)
        overwrite = _may_replace(target, args.force, confirm)
    except UsageError as exc:
        print(f"shopkeep export: {clean_line(str(exc))}", file=err)
        return 1
    except ExportError as exc:
        print(f"shopkeep export: {exc.user_message}", file=err)
        return 1
    if args.data_dir:  # app.main only sees --data-dir when it comes before OUT
        paths = resolve_paths(args.data_dir)
    from app.core.settings import SettingsFile

    in_team = SettingsFile(paths.settings_file).load().team is not None
    if not paths.database.exists() and not in_team:
        print(
            f"shopkeep export: there is no Shopkeep inbox in {paths.data_dir} yet, so "
            "there is nothing to export.",
            file=err,
        )
        return 1

    from app.services.team_mode import open_inbox

    try:
        store = open_inbox(paths).store  # in team mode the team's (offline: its copy)
    except ShopkeepError as exc:
        print(f"shopkeep export: {exc.user_message}", file=err)
        return 1
    progress = Progress(out, target)
    cancel = threading.Event()
    try:
        if query.account_id is not None and query.account_id not in {
            a.id for a in store.accounts()
        }:
            known = ", ".join(f"{a.id} ({a.handle})" for a in store.accounts()) or "none"
            print(
                f"shopkeep export: there is no account {query.account_id}. Accounts: {known}.",
                file=err,
            )
            return 1
        result = export_inbox(
            store, target, query, fmt=fmt, progress=progress, cancel=cancel, overwrite=overwrite
        )
    except KeyboardInterrupt:
        cancel.set()
        progress.clear()
        print("\nshopkeep export: stopped; no file was written.", file=err)
        return 1
    except ShopkeepError as exc:
        progress.clear()
        print(f"shopkeep export: {exc.user_message}", file=err)
        return 1
    finally:
        store.close()
    progress.clear()
    if result.cancelled:  # pragma: no cover - only the UI sets the event
        print("shopkeep export: stopped; no file was written.", file=err)
        return 1
    print(summary(result), file=out)
    return 0


def _may_replace(target: Path, force: bool, confirm: Confirm | None) -> bool:
    """Whether an existing `target` may be replaced; raises when the owner said no."""
    try:
        check_target(target, overwrite=force)
    except TargetExists:
        if confirm is None or not confirm(
            f"shopkeep export: {target} already exists. Replace it? [y/N] "
        ):
            raise
        return True
    return force  # a file that appears while exporting is not replaced unasked


run = main
