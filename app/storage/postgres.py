"""Opening the team's PostgreSQL database: the same tables, migrations and store as SQLite.

Team mode keeps one inbox on a PostgreSQL server the shop runs or rents. The
store does not care which engine it has (it takes any peewee database); this
module only connects, runs the migrations under an advisory lock (two laptops
opening a new team database at once must not both create the tables), and hands
the store back. The password comes from the caller (the keychain), never from a
file, and no error message repeats the connection string.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import peewee
from playhouse.shortcuts import ReconnectMixin

from app.core.errors import StorageError, TeamLoginRefused, TeamTlsFailed, TeamUnreachable
from app.storage.database import database_proxy
from app.storage.inbox_store import SqliteInboxStore
from app.storage.migrations import MIGRATIONS, Migration, migrate
from app.storage.pg_driver import PostgresDatabase
from app.storage.pg_indexes import create_count_indexes
from app.storage.pg_search import create_search_index
from app.storage.raw_sql import execute

log = logging.getLogger(__name__)

# pg_advisory_lock key held while migrating ("shopkeep" in ASCII, as a bigint).
MIGRATION_LOCK = 0x73686F706B656570
CONNECT_TIMEOUT_S = 10
# A FloatField is REAL in both engines' DDL, but SQLite's REAL has 8 bytes and
# PostgreSQL's 4: a stored score would no longer equal the one read back, and paging
# "angriest first" after (score, time, id) would loop. Double precision, as SQLite.
FIELD_TYPES = {"FLOAT": "DOUBLE PRECISION"}


class TeamDatabase(ReconnectMixin, PostgresDatabase):  # type: ignore[misc]
    """PostgreSQL that connects again after a server restart or a network blip closed
    the connection, for a statement outside a transaction (one inside raises: peewee
    never replays half a transaction). While the server stays away, the new connection
    fails too, and the caller gets TeamUnreachable (database.translate_error)."""

    reconnect_errors = (
        (peewee.OperationalError, "server closed the connection"),
        (peewee.OperationalError, "terminating connection"),
        (peewee.OperationalError, "ssl syscall error"),
        (peewee.InterfaceError, "connection already closed"),
    )


def open_postgres(
    dsn: str, *, password: str | None = None, bind: bool = True
) -> peewee.PostgresqlDatabase:
    """Connect to `dsn` (a `postgresql://user@host:port/name` URL or `name`).

    Raises StorageError with words for the owner when the server cannot be reached
    or refuses us. Times are stored as UTC `timestamp` values, as SQLite stores
    them as UTC text.
    """
    # psycopg2 leaves out a None password: the URL's, ~/.pgpass or trust then apply
    db = TeamDatabase(
        dsn, connect_timeout=CONNECT_TIMEOUT_S, password=password, field_types=FIELD_TYPES
    )
    try:
        db.connect(reuse_if_open=True)
    except peewee.OperationalError as exc:
        raise connect_error(exc) from exc
    if bind:
        database_proxy.initialize(db)
    return db


_LOGIN_MARKERS = (
    "password authentication failed",
    "no password supplied",
    "authentication failed",
    "does not exist",  # the database or the role
    "no pg_hba.conf entry",
    "permission denied",
)
_TLS_MARKERS = ("certificate", "does not support ssl", "ssl error", "sslmode", "tlsv1")


def connect_error(exc: BaseException) -> StorageError:
    """Which of the owner's three problems this is: the login, TLS, or reaching it at all.

    The detail keeps the driver's words for the log (libpq never repeats a password);
    what the owner reads is a fixed sentence."""
    text = str(exc).strip()
    lower = text.lower()
    detail = f"cannot open the team database: {text}"
    if any(m in lower for m in _TLS_MARKERS):  # first: "root certificate ... does not exist"
        return TeamTlsFailed(detail)
    if any(m in lower for m in _LOGIN_MARKERS):
        return TeamLoginRefused(detail)
    return TeamUnreachable(detail)


def migrate_postgres(
    db: peewee.PostgresqlDatabase, migrations: Sequence[Migration] = MIGRATIONS
) -> int:
    """`migrate`, one process at a time: the others wait, then find nothing to do.

    The search index is PostgreSQL's own (FTS5 is made by the migrations on SQLite),
    and so are the indexes behind the inbox's counts (pg_indexes); creating them is
    idempotent, so every open makes sure they are there."""
    execute(db, "SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
    try:
        version = migrate(db, migrations)
        with db.atomic():
            create_search_index(db)
            create_count_indexes(db)
        return version
    finally:
        execute(db, "SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))


def open_team_store(
    dsn: str, *, password: str | None = None, migrations: Sequence[Migration] = MIGRATIONS
) -> SqliteInboxStore:
    """The inbox store on a PostgreSQL database, migrated to this program's schema."""
    db = open_postgres(dsn, password=password)
    migrate_postgres(db, migrations)
    log.info("Opened the team database (PostgreSQL %s)", db.server_version)
    return SqliteInboxStore(db)
