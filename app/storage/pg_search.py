"""Full-text search on PostgreSQL (team mode): a `tsvector` GIN index over the posts.

The same search box as FTS5 on SQLite must find the same threads, so the text is
cut into words the way FTS5's unicode61 tokenizer cuts it (letters and digits;
everything else separates) before PostgreSQL's `simple` configuration lower-cases
them (no stemming, no stop words). The vector is a stored generated column
(`post.search_doc`), so there is no trigger to keep in step: an edit re-indexes by
itself, and deleted posts are left out by the partial index's own WHERE. A column,
not an index on the expression: the thread list walks threads newest first and
checks each one's posts, and an expression index left that check recomputing
every post's vector (a common word: 120 ms a page at 100,000 posts), while the
planner, without statistics of its own for the expression, walked all threads for a
rare word (4 s). With a column both are under a millisecond.
"""

from __future__ import annotations

import re

import peewee

from app.storage.database import database_proxy
from app.storage.fts import search_words
from app.storage.raw_sql import execute

_WORD_CHAR = re.compile(r"\w", re.UNICODE)

# IMMUTABLE: the index and the query must compute the very same vector.
_DOCUMENT_FUNCTION = """
CREATE OR REPLACE FUNCTION shopkeep_post_document(body text, handle text, name text)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT to_tsvector('simple'::regconfig, regexp_replace(
        coalesce(body, '') || ' ' || coalesce(handle, '') || ' ' || coalesce(name, ''),
        '[^[:alnum:]]+', ' ', 'g'))
$$
"""
DOCUMENT = "post.search_doc"
INDEX_NAME = "post_search_doc"
# Columns only PostgreSQL has, filled by the server: a copy between engines leaves them out.
GENERATED_COLUMNS: dict[str, tuple[str, ...]] = {"post": ("search_doc",)}
_OLD_INDEX = "post_search"  # on the expression, before the column: dropped when found
_COLUMN = (
    "ALTER TABLE post ADD COLUMN IF NOT EXISTS search_doc tsvector GENERATED ALWAYS AS "
    "(shopkeep_post_document(text, author_handle, author_name)) STORED"
)
_INDEX = f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON post USING GIN (search_doc) WHERE NOT deleted"


def create_search_index(db: peewee.Database) -> None:
    """The document function, its column and GIN index, each made only when missing: every
    open calls this, and only the owner of the tables may create (or replace) them. Adding
    the column to a filled database rewrites the post table once (about 20 s for 100,000
    posts on a small server), under the migration lock."""
    (no_function,) = execute(
        db, "SELECT to_regprocedure('shopkeep_post_document(text, text, text)') IS NULL"
    ).fetchone()
    if no_function:
        execute(db, _DOCUMENT_FUNCTION)
    (no_column,) = execute(
        db,
        "SELECT NOT EXISTS (SELECT 1 FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = 'post' "
        "AND column_name = 'search_doc')",
    ).fetchone()
    if no_column:
        execute(db, _COLUMN)
    (no_index,) = execute(db, "SELECT to_regclass(%s) IS NULL", (INDEX_NAME,)).fetchone()
    if no_index:
        execute(db, _INDEX)
    (old_index,) = execute(db, "SELECT to_regclass(%s) IS NOT NULL", (_OLD_INDEX,)).fetchone()
    if old_index:
        execute(db, f"DROP INDEX {_OLD_INDEX}")


def tsquery(text: str, *, prefix_last: bool = True) -> str | None:
    """A safe `to_tsquery` argument: every word quoted and AND-ed, the last a prefix.

    The twin of `fts.fts_query`: `@alice "refund` becomes `'alice' & 'refund':*`.
    None when there is nothing to search.
    """
    words = search_words(text)
    if not words:
        return None
    quoted = ["'" + w.replace("'", "''") + "'" for w in words]
    if prefix_last and _WORD_CHAR.fullmatch(text[-1]):  # still typing the last word
        quoted[-1] += ":*"
    return " & ".join(quoted)


def matching_threads(text: str) -> peewee.SQL | None:
    """`thread.id IN (...)`'s subquery: threads with a live post matching the search box
    (the GIN index finds the posts; their rows give the threads)."""
    query = tsquery(text)
    if query is None:
        return None
    return peewee.SQL(
        f"(SELECT post.thread_id FROM post WHERE {DOCUMENT} @@ to_tsquery('simple', %s) "
        "AND NOT post.deleted)",
        [query],
    )


def matching_thread_array(text: str) -> peewee.SQL | None:
    """`thread.id = ANY(...)`'s array of the threads with a matching post, read once.

    For a rare word: the hits are read first and their threads looked up by id. The
    planner's guess of how many posts a word prefix matches is a fixed share of the
    table, so `IN (...)` could walk every thread for three hits (20 ms at 100,000 posts).
    """
    query = tsquery(text)
    if query is None:
        return None
    return peewee.SQL(
        f"ARRAY(SELECT post.thread_id FROM post WHERE {DOCUMENT} @@ to_tsquery('simple', %s) "
        "AND NOT post.deleted)",
        [query],
    )


HITS = "search_hits"  # the rare-word statement's CTE of matching posts' threads


def hits_cte(at_most: int) -> str:
    """`WITH search_hits AS MATERIALIZED (...)`: the threads of at most `at_most` posts
    matching the one parameter (a `tsquery` string), read once; the statement counts
    them and, if fewer, looks them up by id."""
    return (
        f"WITH {HITS} AS MATERIALIZED (SELECT post.thread_id FROM post "
        f"WHERE {DOCUMENT} @@ to_tsquery('simple', %s) AND NOT post.deleted "
        f"LIMIT {int(at_most)}) "
    )


def hit_thread_array() -> peewee.SQL:
    """`thread.id = ANY(...)`'s array of the CTE's threads (read once, then by id)."""
    return peewee.SQL(f"ARRAY(SELECT thread_id FROM {HITS})")


def has_many_hits(text: str, at_least: int) -> bool:
    """Whether at least `at_least` live posts match (counting stops there: cheap)."""
    query = tsquery(text)
    if query is None:
        return False
    (count,) = database_proxy.execute_sql(
        f"SELECT count(*) FROM (SELECT 1 FROM post WHERE {DOCUMENT} @@ to_tsquery('simple', %s) "
        f"AND NOT post.deleted LIMIT {int(at_least)}) AS hits",
        (query,),
    ).fetchone()
    return bool(count >= at_least)
