"""Full-text search over post text and author (SQLite FTS5, kept in step by triggers).

Bulk writers (ingest) pause the insert trigger with `pause_insert_trigger` and
index their new rows with `index_post_range`, one statement per batch: FTS5 flushes
its pending terms at every statement a trigger runs, which made a trigger
insert cost ~70 µs per post against ~8 µs in bulk. The pause drops the trigger
inside the writer's transaction and creates it again before the commit, so no
other connection ever sees the table without it (a rollback brings it back too).

FTS5 is SQLite-only: `create_fts` does nothing elsewhere and callers fall back to
a LIKE search. User input never reaches MATCH raw: `fts_query` quotes each word.
"""

from __future__ import annotations

import re

import peewee

from app.storage.database import is_sqlite
from app.storage.raw_sql import execute

FTS_TABLE = "post_fts"
# A row in `meta` with this key used to pause the insert trigger. The trigger still
# tests for it (changing its text would need a migration); nothing writes the row now.
BULK_KEY = "fts_bulk"

# Deleted posts leave the index; an edit replaces the indexed text.
_FTS_SQL = (
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
        text, author, tokenize = 'unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER IF NOT EXISTS post_fts_ai AFTER INSERT ON post
        WHEN NOT new.deleted
        AND NOT EXISTS (SELECT 1 FROM meta WHERE key = '{BULK_KEY}') BEGIN
        INSERT INTO {FTS_TABLE}(rowid, text, author)
        VALUES (new.id, new.text, new.author_handle || ' ' || new.author_name);
        END""",
    f"""CREATE TRIGGER IF NOT EXISTS post_fts_ad AFTER DELETE ON post BEGIN
        DELETE FROM {FTS_TABLE} WHERE rowid = old.id;
        END""",
    f"""CREATE TRIGGER IF NOT EXISTS post_fts_au
        AFTER UPDATE OF text, author_handle, author_name, deleted ON post BEGIN
        DELETE FROM {FTS_TABLE} WHERE rowid = old.id;
        INSERT INTO {FTS_TABLE}(rowid, text, author)
        SELECT new.id, new.text, new.author_handle || ' ' || new.author_name
        WHERE NOT new.deleted;
        END""",
)

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TOKENS = 12


def create_fts(db: peewee.Database) -> bool:
    """Create the index and its triggers (idempotent). False when the backend has no FTS5."""
    if not is_sqlite(db):
        return False
    for sql in _FTS_SQL:
        execute(db, sql)
    return True


def replace_triggers(db: peewee.Database) -> None:
    """Schema v2: the insert trigger learns to pause for bulk writers."""
    if not is_sqlite(db):
        return
    execute(db, "DROP TRIGGER IF EXISTS post_fts_ai")
    create_fts(db)


def pause_insert_trigger(db: peewee.Database, paused: bool) -> None:
    """Inside the writer's transaction: stop (True) or resume (False) per-row indexing.

    Dropped rather than switched off by a row in `meta`: a trigger that is there costs
    every inserted row ~3 µs (its WHEN is evaluated, the row copied for it) even when
    it does nothing, ~7% of what ingest spends on a post. The drop and the create
    change the schema, so each other open connection re-reads it once (~0.4 ms).
    """
    if paused:
        execute(db, "DROP TRIGGER IF EXISTS post_fts_ai")
    else:
        execute(db, _FTS_SQL[1])


def index_post_range(db: peewee.Database, first_id: int, last_id: int) -> None:
    """Index the just-inserted posts first_id..last_id (every one new) in one statement."""
    execute(
        db,
        f"INSERT INTO {FTS_TABLE}(rowid, text, author) "
        "SELECT id, text, author_handle || ' ' || author_name FROM post "
        "WHERE id BETWEEN ? AND ? AND NOT deleted",
        (first_id, last_id),
    )


def rebuild_fts(db: peewee.Database) -> None:
    """Refill the index from the post table (after a restore or a schema change)."""
    if not is_sqlite(db):
        return
    execute(db, f"DELETE FROM {FTS_TABLE}")
    execute(
        db,
        f"INSERT INTO {FTS_TABLE}(rowid, text, author) "
        "SELECT id, text, author_handle || ' ' || author_name FROM post WHERE NOT deleted",
    )


def search_words(text: str) -> list[str]:
    """The words of a search box, as the tokenizer would split them."""
    return _WORD.findall(text)[:MAX_TOKENS]


def search_symbols(text: str) -> list[str]:
    """The pieces of a search box the tokenizer drops: emoji, "!!!", "#1" without its word.

    FTS5 indexes words only, so a search for "🍰" alone used to filter nothing and
    showed every conversation; these pieces are matched as plain text instead.
    """
    return [piece for piece in text.split() if not _WORD.search(piece)][:MAX_TOKENS]


def fts_query(text: str, *, prefix_last: bool = True) -> str | None:
    """A safe MATCH expression: every word quoted (AND-ed), the last one as a prefix.

    `@alice "refund` becomes `"alice" "refund"*`. None when there is nothing to search.
    """
    words = search_words(text)
    if not words:
        return None
    quoted = ['"' + w.replace('"', '""') + '"' for w in words]
    if prefix_last and _WORD.fullmatch(text[-1]):  # still typing the last word
        quoted[-1] += "*"
    return " ".join(quoted)
