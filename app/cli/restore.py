"""`shopkeep restore`: put the newest automatic backup back, from a terminal.

Nothing is deleted: the file it replaces is kept beside it, and a damaged file
found earlier stays where it was set aside. Replies that were waiting in the
backup are checked with the server before they are sent, so none goes twice.
Exit codes: 0 restored (or listed); 2 nothing was restored (no usable backup,
the window is open, the folder cannot be written).
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from app.core.errors import DatabaseCorrupt, ShopkeepError
from app.core.paths import AppPaths


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="shopkeep restore",
        description="Put the newest automatic backup back in place of the database. "
        "The current file is kept beside it, never deleted.",
    )
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)  # handled by app.main
    parser.add_argument(
        "--list", action="store_true", help="only list the automatic backups, newest first"
    )
    return parser.parse_args(argv)


def damaged_words(exc: DatabaseCorrupt, paths: AppPaths) -> str:
    """What to print when a command finds the database damaged: where it went, what next."""
    from app.storage.database import list_backups

    lines = [exc.user_message]
    if exc.damaged_path:
        lines.append(f"The damaged file was kept as: {exc.damaged_path}")
    backups = list_backups(paths.backup_dir)
    if backups:
        lines.append(
            f"To put back the last automatic backup ({backups[0].name}), run: "
            "shopkeep restore   (or open Shopkeep, which offers it)."
        )
    else:
        lines.append(
            "There is no automatic backup yet: the next start begins with a fresh "
            "inbox and syncs your accounts again."
        )
    return "\n".join(lines)


def main(
    argv: list[str], paths: AppPaths, *, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    args = _parse(argv)

    from app.core.settings import SettingsFile
    from app.storage.database import damaged_copies, list_backups, restore_backup
    from app.storage.owner_lock import sync_lock, window_lock

    if not args.list and SettingsFile(paths.settings_file).load().team is not None:
        print(
            "shopkeep: this laptop works on the team inbox, whose backups are the database "
            "server's business (ask whoever runs it). The backups here are of this "
            "laptop's own inbox from before team mode; to use one, leave team mode first "
            "(File → Team… → Go back to one laptop).",
            file=err,
        )
        return 2
    backups = list_backups(paths.backup_dir)
    if args.list:
        for backup in backups:
            print(backup, file=out)
        if not backups:
            print("There is no automatic backup yet.", file=out)
        return 0
    if not backups:
        print(
            f"shopkeep: there is no automatic backup in {paths.backup_dir} yet, so "
            "nothing was restored.",
            file=err,
        )
        return 2
    window, sync = window_lock(paths.database), sync_lock(paths.database)
    with window, sync:
        if not window.acquire():
            print(
                "shopkeep: Shopkeep is open. Close its window first, then run "
                "shopkeep restore again.",
                file=err,
            )
            return 2
        if not sync.acquire():
            print(
                "shopkeep: a sync is running right now. Wait for it to finish, then run "
                "shopkeep restore again.",
                file=err,
            )
            return 2
        damaged = damaged_copies(paths.database)
        try:
            restored = restore_backup(paths.database, paths.backup_dir)
        except ShopkeepError as exc:
            print(f"shopkeep: {exc.user_message}", file=err)
            return 2
        except OSError as exc:
            print(
                f"shopkeep: could not restore into {paths.data_dir}: {exc.strerror or exc}",
                file=err,
            )
            return 2
    print(f"Restored the automatic backup {restored.backup.name}.", file=out)
    if restored.replaced is not None:
        print(f"The file it replaced was kept as: {restored.replaced}", file=out)
    for path in damaged:
        print(f"The damaged file is still kept as: {path}", file=out)
    print(
        "Replies that were waiting are checked with the server before they are sent; "
        "anything newer than the backup comes back with the next sync.",
        file=out,
    )
    return 0
