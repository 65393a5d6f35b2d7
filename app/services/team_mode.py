"""Team mode over the concrete layers: which inbox to open, the password, moving in and out.

`open_inbox` is what the window and `shopkeep sync` open: this laptop's SQLite file,
or, when settings.json names a team database, that database (the password from the
keychain); when the team database cannot be reached, the local copy of it
(app/storage/team_offline.py), read-only for sync and sending, with a queue for replies.

`TeamService` is what File → Team… calls (core.team.TeamActions). A move copies into
a new target, checks row counts and a digest of every row, and only then switches
settings.json: if anything fails, the inbox in use stays in use, untouched.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import peewee

from app.core.errors import (
    KeychainUnavailable,
    StorageError,
    TeamLoginRefused,
    TeamUnreachable,
)
from app.core.paths import AppPaths
from app.core.settings import SettingsFile
from app.core.team import CopyProgress, TeamConnection
from app.storage.credentials import DEFAULT_SERVICE, ENV_KEYCHAIN_SERVICE, CredentialStore
from app.storage.database import move_aside, open_database
from app.storage.inbox_copy import copy_inbox, inbox_rows, read_meta_value
from app.storage.inbox_store import SqliteInboxStore
from app.storage.migrations import SCHEMA_KEY, latest_version
from app.storage.postgres import MIGRATION_LOCK, migrate_postgres, open_postgres, open_team_store
from app.storage.raw_sql import execute
from app.storage.team_offline import (
    HandOver,
    OfflineCopyStore,
    hand_over,
    local_copy_path,
    refresh_local_copy,
)

log = logging.getLogger(__name__)

PASSWORD_TRIES = 3
AskPassword = Callable[[TeamConnection, str], "str | None"]  # (connection, why) -> password


@dataclass(frozen=True, slots=True)
class OpenedInbox:
    """The store to use, and whether it is the team's, or the local copy of it."""

    store: SqliteInboxStore
    team: TeamConnection | None = None
    offline: bool = False
    handed_over: HandOver = field(default_factory=HandOver)


def team_credentials(conn: TeamConnection, env: Mapping[str, str] | None = None) -> CredentialStore:
    """The keychain entry set of this data folder's team login (named by `key_id`)."""
    env = os.environ if env is None else env
    return CredentialStore(env.get(ENV_KEYCHAIN_SERVICE) or DEFAULT_SERVICE, folder_id=conn.key_id)


def load_password(conn: TeamConnection, env: Mapping[str, str] | None = None) -> str | None:
    secrets = team_credentials(conn, env).load(conn.keychain_key)
    return None if secrets is None else secrets.get("password")


def kept_password(
    conn: TeamConnection, env: Mapping[str, str] | None = None
) -> tuple[str | None, KeychainUnavailable | None]:
    """The kept password, or None; with no keychain, None and why (a server that needs
    no password, on this computer, still opens; one that does says it is the keychain)."""
    try:
        return load_password(conn, env), None
    except KeychainUnavailable as exc:
        return None, exc


def open_team_db(
    conn: TeamConnection, password: str | None, env: Mapping[str, str] | None = None
) -> peewee.PostgresqlDatabase:
    """A connection of its own (nothing re-bound); no password given: the kept one."""
    missing: KeychainUnavailable | None = None
    if not password:
        password, missing = kept_password(conn, env)
    try:
        return open_postgres(conn.dsn(), password=password or None, bind=False)
    except TeamLoginRefused:
        if missing is not None:
            raise missing from None
        raise


def save_password(
    conn: TeamConnection, password: str, env: Mapping[str, str] | None = None
) -> None:
    team_credentials(conn, env).save(conn.keychain_key, {"password": password})


def forget_password(conn: TeamConnection, env: Mapping[str, str] | None = None) -> None:
    team_credentials(conn, env).delete(conn.keychain_key)


def open_inbox(
    paths: AppPaths,
    *,
    ask_password: AskPassword | None = None,
    allow_offline: bool = True,
    env: Mapping[str, str] | None = None,
) -> OpenedInbox:
    """The inbox the owner chose: the SQLite file, the team database, or its local copy.

    Raises TeamLoginRefused / TeamTlsFailed, or TeamUnreachable when there is no local
    copy to fall back on (the first open of a team inbox on this laptop)."""
    team = SettingsFile(paths.settings_file).load().team
    if team is None:
        return OpenedInbox(SqliteInboxStore.open(paths.database))
    password, missing = kept_password(team, env)
    copy = local_copy_path(paths.data_dir)
    for attempt in range(PASSWORD_TRIES):
        try:
            store = open_team_store(team.dsn(), password=password)
            break
        except TeamUnreachable:
            if not allow_offline or not copy.exists():
                raise
            log.warning("The team database cannot be reached; opening the local copy")
            return OpenedInbox(OfflineCopyStore.open(copy), team, offline=True)
        except TeamLoginRefused as exc:
            if missing is not None:
                raise missing from None
            if ask_password is None or attempt == PASSWORD_TRIES - 1:
                raise
            typed = ask_password(team, exc.user_message)
            if typed is None:
                raise
            password = typed
            save_password(team, password, env)
    try:
        handed = hand_over(copy, store.db)  # replies written while it was away: once
    except (StorageError, peewee.DatabaseError, sqlite3.Error) as exc:
        log.warning("Replies written offline wait for the next start: %s", exc)
        handed = HandOver()
    return OpenedInbox(store, team, handed_over=handed)


def is_team_store(store: object) -> bool:
    """The live team database (not this laptop's file, not the offline copy)."""
    return isinstance(store, SqliteInboxStore) and isinstance(store.db, peewee.PostgresqlDatabase)


def is_shared(store: object) -> bool:
    """The team's inbox, live or its offline copy: nothing of one laptop's goes in unasked."""
    return is_team_store(store) or isinstance(store, OfflineCopyStore)


def keep_local_copy(store: object, data_dir: Path) -> None:
    """Refresh the local copy from the team database (off the GUI thread; a no-op on
    SQLite and offline). A failure is logged: the old copy stays as it was."""
    if not isinstance(store, SqliteInboxStore) or isinstance(store, OfflineCopyStore):
        return
    if not isinstance(store.db, peewee.PostgresqlDatabase):
        return
    try:
        refresh_local_copy(store.db, local_copy_path(data_dir))
    except (StorageError, peewee.DatabaseError, OSError) as exc:
        log.warning("The local copy of the team inbox was not refreshed: %s", exc)


def hand_over_when_back(conn: TeamConnection, data_dir: Path) -> HandOver | None:
    """From an offline window: if the team database answers again, give it the queue.

    None while it is still out of reach. A connection of its own (nothing re-bound:
    the window keeps reading its copy)."""
    try:
        team = open_team_db(conn, None)
    except TeamUnreachable:
        return None
    try:
        return hand_over(local_copy_path(data_dir), team)
    finally:
        team.close()


@contextlib.contextmanager
def _connection_kept() -> Iterator[None]:
    """A team connection that breaks midway (server restart, Wi-Fi gone) is said in
    words; the switch never happened, so the inbox in use is still the one in use."""
    try:
        yield
    except (peewee.OperationalError, peewee.InterfaceError) as exc:
        raise TeamUnreachable(
            f"team connection lost: {exc}",
            user_message=(
                "The connection to the team database broke before the move was finished, "
                "so nothing was switched: the inbox you had is still in use, as it was. "
                "Try again when the connection holds."
            ),
        ) from exc


class TeamService:
    """File → Team…'s actions (core.team.TeamActions) on this data folder."""

    def __init__(
        self, paths: AppPaths, store: SqliteInboxStore, env: Mapping[str, str] | None = None
    ) -> None:
        self.paths = paths
        self.store = store  # the inbox the window has open now
        self.env = env

    @property
    def settings(self) -> SettingsFile:
        return SettingsFile(self.paths.settings_file)

    @property
    def current(self) -> TeamConnection | None:
        return self.settings.load().team

    def _connect(self, conn: TeamConnection, password: str) -> peewee.PostgresqlDatabase:
        return open_team_db(conn, password, self.env)

    def test(self, conn: TeamConnection, password: str) -> str:
        db = self._connect(conn, password)
        try:
            version = db.server_version
            major = f"{version // 10000}" if isinstance(version, int) else "?"
            rows = inbox_rows(db)
            if rows:
                threads = _count(db, "thread")
                return (
                    f"Connected to PostgreSQL {major}. The team database holds an inbox "
                    f"({threads} conversations): choose Join to work on it."
                )
            return (
                f"Connected to PostgreSQL {major}. The team database is empty: you can "
                "move your inbox into it."
            )
        finally:
            db.close()

    def join(self, conn: TeamConnection, password: str) -> str:
        self._connect(conn, password).close()  # the tables are made (or upgraded) at open
        self._switch_to(conn, password)
        return (
            "This laptop now works on the team inbox. Shopkeep closes now: open it again "
            "and it opens the team inbox."
        )

    def move_in(self, conn: TeamConnection, password: str, progress: CopyProgress) -> str:
        if isinstance(self.store.db, peewee.PostgresqlDatabase):
            raise StorageError(
                "already in team mode", user_message="This inbox is already the team inbox."
            )
        target = self._connect(conn, password)
        try:
            with _connection_kept():
                # one mover at a time; the server lets the lock go if the connection drops
                execute(target, "SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
                version = read_meta_value(target, SCHEMA_KEY)
                if version is not None and int(version) != latest_version():
                    migrate_postgres(target)
                summary = copy_inbox(self.store.db, target, progress=progress)
                execute(target, "SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))
        finally:
            target.close()
        self._switch_to(conn, password)
        threads = summary.counts.get("thread", 0)
        posts = summary.counts.get("post", 0)
        return (
            f"Your inbox is in the team database: {threads} conversations and {posts} posts, "
            f"{summary.rows} rows in all, checked row by row. The inbox on this laptop stays "
            "as it was, unused. Shopkeep closes now: open it again and it opens the team inbox."
        )

    def move_out(self, progress: CopyProgress) -> str:
        conn = self.current
        if conn is None or not isinstance(self.store.db, peewee.PostgresqlDatabase):
            raise StorageError(
                "not in team mode", user_message="This laptop already uses its own inbox."
            )
        database = self.paths.database
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        fresh = database.with_name(f"{database.name}.from-team-{stamp}")
        target = open_database(fresh, bind=False, full_check=False)
        try:
            with _connection_kept():
                summary = copy_inbox(self.store.db, target, progress=progress)
        except BaseException:
            target.close()
            fresh.unlink(missing_ok=True)
            raise
        target.close()
        if database.exists():  # the inbox from before team mode: kept, never deleted
            move_aside(database, "before-team")
        os.replace(fresh, database)
        self.settings.update(team=None)
        try:
            forget_password(conn, self.env)
        except StorageError:
            log.warning("The team password stayed in the keychain")
        except Exception as exc:  # a keychain problem does not undo a finished move
            log.warning("The team password stayed in the keychain: %s", type(exc).__name__)
        threads = summary.counts.get("thread", 0)
        return (
            f"The team inbox is now on this laptop alone: {threads} conversations, "
            f"{summary.rows} rows in all, checked row by row. The team database itself is "
            "unchanged. Shopkeep closes now: open it again and it opens this inbox."
        )

    def _switch_to(self, conn: TeamConnection, password: str) -> None:
        """Password first (the keychain may refuse: then settings stay as they were)."""
        if password:
            save_password(conn, password, self.env)
        self.settings.update(team=conn)


def _count(db: peewee.Database, table: str) -> int:
    return int(execute(db, f'SELECT COUNT(*) FROM "{table}"').fetchone()[0])
