"""Versioned schema migrations, from day one.

`MIGRATIONS` is an ordered list of (version, function). A fresh database is
created straight from the current models and stamped with the latest version;
an older one gets each missing step in its own transaction. Running `migrate`
again does nothing. To change the schema: edit tables.py AND append a step here
(use playhouse.migrate's `SqliteMigrator` / `PostgresqlMigrator` in the step).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

import peewee

from app.core.errors import StorageError
from app.core.sentiment_version import RULES_VERSION
from app.storage.fts import create_fts, replace_triggers
from app.storage.raw_sql import execute, execute_query
from app.storage.tables import ALL_TABLES, DbMeta, Post, SyncJob, Thread, ThreadMerge

log = logging.getLogger(__name__)

SCHEMA_KEY = "schema_version"
RULES_KEY = "scored_with_rules"  # the sentiment RULES_VERSION the stored posts carry

Migration = tuple[int, Callable[[peewee.Database], None]]


def _v1_initial(db: peewee.Database) -> None:
    """The first schema: every table, its indexes, and the search index."""
    db.create_tables(ALL_TABLES, safe=True)
    create_fts(db)


def _v2_bulk_fts(db: peewee.Database) -> None:
    """The search index's insert trigger can be paused so ingest indexes in bulk."""
    replace_triggers(db)


def _v3_angriest_indexes(db: peewee.Database) -> None:
    """Pages of "angriest first" walk an index in the list's exact order (they were a
    full sort: ~100 ms a page at row 30,000); the index it replaces had neither the id
    nor the newest-first direction."""
    for index in Thread._meta.fields_to_index():
        if index._name == "thread_angriest":
            execute_query(db, index.safe())
    execute(db, 'DROP INDEX IF EXISTS "thread_worst_rank_worst_compound_last_activity"')


def _v4_durable_sync(db: peewee.Database) -> None:
    """Sync work is written down before it runs (sync_job), and each thread remembers when
    it was last re-read (thread.checked_at), so the refresh reaches every open one."""
    from playhouse.migrate import PostgresqlMigrator, SqliteMigrator
    from playhouse.migrate import migrate as run_steps

    from app.storage.tables import UTCDateTimeField

    db.create_tables([SyncJob], safe=True)
    columns = {c.name for c in db.get_columns(Thread._meta.table_name)}
    if "checked_at" not in columns:
        migrator = (
            SqliteMigrator(db) if isinstance(db, peewee.SqliteDatabase) else PostgresqlMigrator(db)
        )
        run_steps(
            migrator.add_column(Thread._meta.table_name, "checked_at", UTCDateTimeField(null=True))
        )


def _v5_thread_merges(db: peewee.Database) -> None:
    """Merges are recorded, so a draft saved for a thread merged away a moment ago
    lands in the thread that stayed (it failed on the foreign key before)."""
    db.create_tables([ThreadMerge], safe=True)


def _v6_account_domain(db: peewee.Database) -> None:
    """Each account's own domain, learnt at sign-in: on many servers it is not the host
    the API answers on (@shop@example.com served by social.example.com), and without it
    the shop @-mentioned itself in every reply."""
    columns = {c.name for c in db.get_columns("account")}
    if "domain" not in columns:
        execute(db, "ALTER TABLE account ADD COLUMN domain VARCHAR(255) NOT NULL DEFAULT ''")


def _v7_people(db: peewee.Database) -> None:
    """A team inbox's people: who they are, who a thread is assigned to, whose draft
    it is and who queued a reply (0: the one implicit person of a SQLite inbox). A
    thread's draft becomes one per thread and writer."""
    from app.storage.tables import Person

    db.create_tables([Person], safe=True)
    added = {
        "thread": ("assignee_id", "INTEGER NULL"),
        "draft": ("person_id", "INTEGER NOT NULL DEFAULT 0"),
        "outbox_item": ("person_id", "INTEGER NOT NULL DEFAULT 0"),
    }
    for table, (column, kind) in added.items():
        if column not in {c.name for c in db.get_columns(table)}:
            execute(db, f'ALTER TABLE "{table}" ADD COLUMN "{column}" {kind}')
    execute(db, 'CREATE INDEX IF NOT EXISTS "thread_assignee_id" ON "thread" ("assignee_id")')
    execute(db, 'DROP INDEX IF EXISTS "draft_thread_id"')
    execute(
        db,
        'CREATE UNIQUE INDEX IF NOT EXISTS "draft_thread_id_person_id" '
        'ON "draft" ("thread_id", "person_id")',
    )


def _v8_report_indexes(db: peewee.Database) -> None:
    """Reports read two covering indexes instead of the post table: the thread index
    also carries whose post it is, deleted and the feeling (the response-time query
    answered from it alone), and `post_report` holds every column the period queries
    read. Over the bench's 100,000 posts every report query now takes under 200 ms
    (docs/reports.md, "Speed"); ingest pays about a tenth more time."""
    for index in Post._meta.fields_to_index():
        if index._name in ("post_thread_timeline", "post_report"):
            execute_query(db, index.safe())
    execute(db, 'DROP INDEX IF EXISTS "post_thread_id_created_at"')


# How an unavailable post's raw JSON began when ingest replaced it with the thread node
# (keys sorted, compact: bluesky_parse.raw), before the reason had a column of its own.
_OLD_BLOCKED_RAW = '{"$type":"app.bsky.feed.defs#blockedPost"%'


def _v9_post_unavailable(db: peewee.Database) -> None:
    """Each post records why it is unavailable ("blocked", "not_found", ...), so a post
    hidden by a block is not shown as deleted. Posts stored before, whose raw JSON was
    replaced by a blocked-post node, are marked blocked."""
    columns = {c.name for c in db.get_columns("post")}
    if "unavailable" not in columns:
        execute(db, "ALTER TABLE post ADD COLUMN unavailable VARCHAR(255) NOT NULL DEFAULT ''")
    param = db.param
    execute(
        db,
        f"UPDATE post SET unavailable = {param} WHERE deleted = {param} AND network = {param} "
        f"AND unavailable = '' AND raw_json LIKE {param}",
        ["blocked", True, "bluesky", _OLD_BLOCKED_RAW],
    )


MIGRATIONS: list[Migration] = [
    (1, _v1_initial),
    (2, _v2_bulk_fts),
    (3, _v3_angriest_indexes),
    (4, _v4_durable_sync),
    (5, _v5_thread_merges),
    (6, _v6_account_domain),
    (7, _v7_people),
    (8, _v8_report_indexes),
    (9, _v9_post_unavailable),
]


def latest_version(migrations: Sequence[Migration] = MIGRATIONS) -> int:
    return max(v for v, _ in migrations)


def read_meta(db: peewee.Database, key: str) -> str | None:
    """A fact from the `meta` table (None when it was never written)."""
    with db.bind_ctx([DbMeta]):
        row = DbMeta.get_or_none(DbMeta.key == key)
    return row.value if row is not None else None


def write_meta(db: peewee.Database, key: str, value: object) -> None:
    with db.bind_ctx([DbMeta]):
        DbMeta.insert(key=key, value=str(value)).on_conflict(
            conflict_target=[DbMeta.key], update={DbMeta.value: str(value)}
        ).execute()  # an upsert both engines speak (REPLACE is SQLite's alone)


def schema_version(db: peewee.Database) -> int:
    """0 for an empty database, else the stamped version."""
    if not db.table_exists(DbMeta._meta.table_name):
        return 0
    return int(read_meta(db, SCHEMA_KEY) or 0)


def _stamp(db: peewee.Database, version: int) -> None:
    write_meta(db, SCHEMA_KEY, version)


def migrate(db: peewee.Database, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Bring `db` to the newest version in `migrations`; returns the version reached."""
    steps = sorted(migrations, key=lambda m: m[0])
    versions = [v for v, _ in steps]
    if len(set(versions)) != len(versions):
        raise ValueError("duplicate migration versions")
    target = versions[-1]
    current = schema_version(db)
    if current > target:
        raise StorageError(
            f"database schema v{current} is newer than this program (v{target})",
            user_message="This database was written by a newer Shopkeep. Please update Shopkeep.",
        )
    if current == 0 and not _has_user_tables(db):
        with db.atomic():
            with db.bind_ctx(ALL_TABLES):
                db.create_tables(ALL_TABLES, safe=True)
            create_fts(db)
            _stamp(db, target)
            write_meta(db, RULES_KEY, RULES_VERSION)  # its posts get this release's rules
        log.info("Created a new database at schema v%d", target)
        return target
    for version, step in steps:
        if version <= current:
            continue
        with db.atomic():
            with db.bind_ctx(ALL_TABLES):
                step(db)
            _stamp(db, version)
        log.info("Migrated database to schema v%d", version)
    return max(current, target)


def _has_user_tables(db: peewee.Database) -> bool:
    return any(db.table_exists(t._meta.table_name) for t in ALL_TABLES if t is not DbMeta)
