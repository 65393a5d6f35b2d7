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

from app.core.errors import StorageError
from app.storage.database import database_proxy
from app.storage.inbox_store import SqliteInboxStore
from app.storage.migrations import MIGRATIONS, Migration, migrate
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


def open_postgres(
    dsn: str, *, password: str | None = None, bind: bool = True
) -> peewee.PostgresqlDatabase:
    """Connect to `dsn` (a `postgresql://user@host:port/name` URL or `name`).

    Raises StorageError with words for the owner when the server cannot be reached
    or refuses us. Times are stored as UTC `timestamp` values, as SQLite stores
    them as UTC text.
    """
    # psycopg2 leaves out a None password: the URL's, ~/.pgpass or trust then apply
    db = peewee.PostgresqlDatabase(
        dsn, connect_timeout=CONNECT_TIMEOUT_S, password=password, field_types=FIELD_TYPES
    )
    try:
        db.connect(reuse_if_open=True)
    except peewee.OperationalError as exc:
        raise StorageError(
            f"cannot open the team database: {exc}".strip(),
            user_message=(
                "Shopkeep could not reach the team database. Check the server name, "
                "the port and the password, and that the server is running."
            ),
        ) from exc
    if bind:
        database_proxy.initialize(db)
    return db


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
