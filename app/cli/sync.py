"""`python -m app sync`: sync every account with no window (cron, a terminal).

Exit codes: 0 every account synced; 1 some account failed (said in plain
words, the others still synced); 2 nothing could start (no keychain, no
accounts, damaged database). Never prints or logs a secret.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, TextIO

from app.core.clean_text import clean_line
from app.core.connections import Connections
from app.core.errors import DatabaseCorrupt, KeychainUnavailable, ShopkeepError
from app.core.models import Account
from app.core.outbox import OutboxSender
from app.core.paths import AppPaths
from app.core.rescore import owner_scorer_for
from app.core.settings import SettingsFile
from app.core.sync import SyncReport, SyncService, SyncStep, reach_words
from app.services.network_clients import register_network_clients

if TYPE_CHECKING:
    from app.storage.credentials import CredentialStore
    from app.storage.inbox_store import SqliteInboxStore

log = logging.getLogger(__name__)

BAR_WIDTH = 24
SYNC_WAIT_SECONDS = 120.0  # a second sync (cron beside a manual run) waits this long
STEP_WORDS = {
    SyncStep.CONNECT: "connecting",
    SyncStep.MENTIONS: "fetching mentions",
    SyncStep.THREADS: "fetching conversations",
    SyncStep.REFRESH: "refreshing open conversations",
    SyncStep.OUTBOX: "sending replies",
    SyncStep.DONE: "done",
}


class Progress:
    """A one-line bar on a terminal; plain lines when piped into a file or cron mail."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.tty = out.isatty()
        self._last: tuple[int, SyncStep] | None = None

    def __call__(self, account: Account, step: SyncStep, done: int, total: int) -> None:
        words = STEP_WORDS.get(step, str(step))
        if self.tty:
            filled = (
                BAR_WIDTH * done // total if total else (BAR_WIDTH if step is SyncStep.DONE else 0)
            )
            bar = "#" * filled + "-" * (BAR_WIDTH - filled)
            count = f" {done}/{total}" if total else ""
            self.out.write(f"\r\x1b[2K{account.address}: [{bar}] {words}{count}")
            if step is SyncStep.DONE:
                self.out.write("\r\x1b[2K")
            self.out.flush()
            return
        if self._last != (account.id, step):  # one line per step, not per conversation
            self._last = (account.id, step)
            if step is not SyncStep.DONE:
                self.out.write(f"{account.address}: {words}\n")
                self.out.flush()


def describe(report: SyncReport) -> str:
    """One line per account for the summary."""
    if report.cancelled:
        return f"{report.account_label}: stopped before it finished."
    if report.error is not None:
        return f"{report.account_label}: FAILED. {report.error_message}"
    parts = [
        f"{report.new_posts} new post{'s' if report.new_posts != 1 else ''}",
        f"{len(report.new_thread_ids)} new conversation"
        f"{'s' if len(report.new_thread_ids) != 1 else ''}",
    ]
    if report.sent_items:
        parts.append(f"{report.sent_items} repl{'ies' if report.sent_items != 1 else 'y'} sent")
    if report.failed_items:
        parts.append(
            f"{report.failed_items} repl{'ies' if report.failed_items != 1 else 'y'} "
            "could not be sent (see the Outbox)"
        )
    if report.waiting_items:
        parts.append(f"{report.waiting_items} still waiting")
    if report.conversations_waiting:
        n = report.conversations_waiting
        parts.append(f"{n} conversation{'s' if n != 1 else ''} to fetch next time")
    if report.unreadable_conversations:
        n = report.unreadable_conversations
        parts.append(
            f"{n} conversation{'s' if n != 1 else ''} could not be read (tried again later)"
        )
    if report.unreadable_posts:
        n = report.unreadable_posts
        parts.append(f"{n} post{'s' if n != 1 else ''} could not be read")
    reach = reach_words(report)
    more = f" {reach}." if reach else ""
    return f"{report.account_label}: OK, {', '.join(parts)}.{more}"


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="shopkeep sync", description="Sync every account without a window."
    )
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)  # handled by app.main
    parser.add_argument(
        "--account", type=int, action="append", metavar="ID", help="only this account (repeatable)"
    )
    parser.add_argument("--quiet", action="store_true", help="print only the summary")
    parser.add_argument(
        "--wait",
        type=float,
        default=SYNC_WAIT_SECONDS,
        metavar="SECONDS",
        help="how long to wait for another sync of this data folder to "
        "finish (default: %(default)s)",
    )
    return parser.parse_args(argv)


def main(
    argv: list[str],
    paths: AppPaths,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
    env: Mapping[str, str] | None = None,
) -> int:
    """Sync all accounts; 0 all fine, 1 some failed, 2 could not start."""
    out = out or sys.stdout
    err = err or sys.stderr
    env = os.environ if env is None else env
    args = _parse(argv)

    from app.services.team_mode import open_inbox
    from app.storage.credentials import DEFAULT_SERVICE, ENV_KEYCHAIN_SERVICE, CredentialStore

    credentials = CredentialStore(env.get(ENV_KEYCHAIN_SERVICE) or DEFAULT_SERVICE)
    from app.storage.owner_lock import sync_lock

    with sync_lock(paths.database) as lock:
        if not lock.wait(
            args.wait,
            on_wait=lambda: print(
                "shopkeep: another sync of this inbox is running; waiting for it to finish "
                f"(up to {args.wait:g} seconds).",
                file=err,
            ),
        ):
            print(
                "shopkeep: the other sync is still running, so this one did not start. "
                "Nothing is lost: the next sync picks up everything.",
                file=err,
            )
            return 1
        # first: a garbled settings.json is set aside by the first read, which says where
        settings = SettingsFile(paths.settings_file).read()
        if settings.problem:
            print(f"shopkeep: {settings.problem}", file=err)
        try:
            opened = open_inbox(paths, env=env)
        except DatabaseCorrupt as exc:
            from app.cli.restore import damaged_words

            print(f"shopkeep: {damaged_words(exc, paths)}", file=err)
            return 2
        except ShopkeepError as exc:
            print(f"shopkeep: {exc.user_message}", file=err)
            return 2
        store = opened.store
        if opened.offline:
            print(f"shopkeep: {offline_words(store)}", file=err)
            store.close()
            return 1
        if opened.handed_over.replies:
            n = opened.handed_over.replies
            print(f"{n} repl{'ies' if n != 1 else 'y'} written offline joined the team's outbox.")
        credentials.use_folder(store.data_folder_id())  # the same entries as the window's
        return _sync(store, paths, args, credentials, out, err)


def _sync(
    store: SqliteInboxStore,
    paths: AppPaths,
    args: argparse.Namespace,
    credentials: CredentialStore,
    out: TextIO,
    err: TextIO,
) -> int:
    """Sync the chosen accounts on the open store (closed at the end)."""
    try:
        accounts = [a for a in store.accounts() if not a.is_demo]
        if args.account:
            accounts = [a for a in accounts if a.id in set(args.account)]
        if not accounts:
            print(
                "shopkeep: there are no accounts to sync. Open Shopkeep and add your "
                "Mastodon or Bluesky account first.",
                file=err,
            )
            return 2
        try:  # asked only now: with no account to sync, the keychain does not matter
            credentials.check()
        except KeychainUnavailable as exc:
            print(f"shopkeep: {exc.user_message}", file=err)
            return 2
        connections = Connections(credentials)
        register_network_clients(connections)
        score = owner_scorer_for(paths.settings_file, store.accounts())  # as the window does
        service = SyncService(
            store, connections.client_for, score, outbox=OutboxSender(store, score)
        )
        progress = None if args.quiet else Progress(out)
        cancel = threading.Event()
        try:
            reports = service.sync_all(accounts, progress, cancel)
        except KeyboardInterrupt:
            cancel.set()
            print("\nshopkeep: sync stopped.", file=err)
            return 1
        finally:
            connections.close()
        for report in reports:
            print(clean_line(describe(report), 1000), file=out)  # one line each, however odd
        failed = [r for r in reports if not r.ok]
        if any(isinstance(r.error, KeychainUnavailable) for r in failed):
            return 2
        return 1 if failed else 0
    finally:
        from app.services.team_mode import keep_local_copy

        keep_local_copy(store, paths.data_dir)  # team mode: the copy read when offline
        store.close()


def offline_words(store: SqliteInboxStore) -> str:
    """Why a sync in team mode did nothing, and what waits on this laptop."""
    from app.storage.team_offline import OfflineCopyStore

    waiting = store.waiting() if isinstance(store, OfflineCopyStore) else 0
    held = (
        f" {waiting} repl{'ies' if waiting != 1 else 'y'} written offline wait here."
        if waiting
        else ""
    )
    return (
        "the team database cannot be reached, so nothing was synced; the next sync "
        f"tries again.{held}"
    )


run = main  # the name the brief used: app.cli.sync.run(argv, paths) -> int
