"""`shopkeep report [--since 30d] [--format md|csv|json]`: the Reports numbers without a window.

Exit codes: 0 the report was printed; 1 it was not (a period or account we cannot
use, or a database problem), said in one plain sentence on stderr.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import UTC, date, datetime, timedelta
from typing import Any, TextIO

from app.core.business_hours import OpeningHours
from app.core.errors import ShopkeepError
from app.core.paths import AppPaths, resolve_paths
from app.core.report_formats import to_csv, to_json, to_markdown
from app.core.reports import ReportRequest

FORMATS = ("md", "csv", "json")
_AGO = re.compile(r"^(\d{1,4})d$")


class UsageError(Exception):
    """What the user typed cannot be used; the message is the sentence to print."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]  # raises, never exits
        raise UsageError(f"{message}. Try: shopkeep report --help")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="shopkeep report", description="Print how fast you answer and how customers feel."
    )
    parser.add_argument(
        "--since",
        default="30d",
        metavar="WHEN",
        help="start of the period: 7d, 30d, 90d or a date like 2026-11-01 (default: %(default)s)",
    )
    parser.add_argument(
        "--until", default=None, metavar="DATE", help="end of the period, a date (default: now)"
    )
    parser.add_argument(
        "--account",
        type=int,
        default=None,
        metavar="ID",
        help="only this account (default: every account)",
    )
    parser.add_argument("--format", choices=FORMATS, default="md", help="md (default), csv or json")
    parser.add_argument("--data-dir", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    return parser


def parse_when(text: str, now: datetime, option: str) -> datetime:
    """'30d' is thirty days before now; a date is its local midnight."""
    match = _AGO.match(text.strip())
    if match:
        return now - timedelta(days=int(match.group(1)))
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"{option} {text!r} is neither a number of days like 30d nor a date like 2026-11-01"
        ) from None
    return datetime(day.year, day.month, day.day).astimezone()


def opening_hours(paths: AppPaths) -> OpeningHours:
    """The owner's opening hours from the settings file (none set: every hour counts)."""
    from app.core.settings import SettingsFile  # the one reader of settings.json

    return SettingsFile(paths.settings_file).load().hours


def main(
    argv: list[str], paths: AppPaths, *, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    now = datetime.now(UTC)
    try:
        args = build_parser().parse_args(argv)
        if getattr(args, "data_dir", None):  # given after the command: it still counts
            paths = resolve_paths(args.data_dir)
        since = parse_when(args.since, now, "--since")
        until = parse_when(args.until, now, "--until") if args.until else now
        if until <= since:
            raise UsageError("--until must come after --since")
        request = ReportRequest(
            since=since,
            until=until,
            zone=_local_zone(),
            account_id=args.account,
            hours=opening_hours(paths),
        )
    except UsageError as exc:
        print(f"shopkeep report: {exc}", file=err)
        return 1

    from app.services.team_mode import open_inbox
    from app.storage.reports import load_report

    try:
        store = open_inbox(paths).store  # in team mode the team's (offline: its copy)
    except ShopkeepError as exc:
        print(f"shopkeep report: {exc.user_message}", file=err)
        return 1
    try:
        if args.account is not None and store.account(args.account) is None:
            print(f"shopkeep report: there is no account {args.account}.", file=err)
            return 1
        report = load_report(store.db, request, now=now)
    finally:
        store.close()
    if args.format == "json":
        out.write(json.dumps(to_json(report), indent=2, ensure_ascii=False) + "\n")
    elif args.format == "csv":
        out.write(to_csv(report))
    else:
        out.write(to_markdown(report))
    return 0


def _local_zone() -> Any:
    return datetime.now().astimezone().tzinfo or UTC
