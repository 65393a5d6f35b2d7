"""The thread list as SQL: folders, filters, search and sort over the thread table.

Every query reads the denormalised thread row and walks an index on
last_activity (or the sentiment rank), so a page of 100 threads costs about
a millisecond whatever the number of posts. Search runs MATCH first and joins
the few hits to their threads.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import peewee

from app.core.models import Folder, OutboxState, SentimentLabel, ThreadRow, ThreadStatus
from app.core.people import SOLO
from app.core.ports import ThreadQuery
from app.storage import convert, people, pg_search
from app.storage import tables as t
from app.storage.database import database_proxy, is_sqlite
from app.storage.fts import FTS_TABLE, fts_query, search_symbols, search_words
from app.storage.post_queries import CHUNK
from app.storage.raw_sql import tuples

# Above this many matching posts, walk threads newest first and stop at the page
# (EXISTS per thread); below it, collect the few hits' threads and sort them.
WALK_ABOVE_HITS = 2000

PENDING_OUTBOX = (OutboxState.QUEUED.value, OutboxState.SENDING.value, OutboxState.FAILED.value)


def folder_condition(
    folder: Folder, now: datetime, *, angriest: bool = False, person_id: int = SOLO
) -> peewee.Expression | None:
    """The WHERE clause of one smart folder (None means every thread). `person_id`: whose
    Drafts and Mine (a team inbox; SQLite's one person is SOLO, whom nothing is assigned to)."""
    T = t.Thread
    if folder == Folder.NEEDS_REPLY:
        # Expired snoozes are flipped back first (wake_due), so this stays one index walk.
        # Under "angriest first" the column is wrapped (`status || ''`, the idiom SQLite's
        # planner documentation gives): most threads need a reply, so walking
        # `thread_angriest` in order beats sorting them all off the status index.
        status = T.status.concat("") if angriest else T.status
        return status == ThreadStatus.NEEDS_REPLY.value
    if folder == Folder.NEGATIVE:
        # The rank says the same as the label; with it "angriest first" walks its index.
        negative = SentimentLabel.NEGATIVE
        return (
            (T.worst_label == negative.value)
            & (T.worst_rank == convert.LABEL_RANK[negative])
            & (T.status != ThreadStatus.DONE.value)
        )
    if folder == Folder.DONE:
        return T.status == ThreadStatus.DONE.value
    if folder == Folder.SNOOZED:  # due ones were woken first (wake_due): these still sleep
        return T.status == ThreadStatus.SNOOZED.value
    if folder == Folder.DRAFTS:
        return T.id.in_(t.Draft.select(t.Draft.thread).where(t.Draft.person_id == person_id))
    if folder == Folder.MINE:
        return T.assignee_id == person_id
    if folder == Folder.OUTBOX:
        return T.id.in_(
            t.OutboxItem.select(t.OutboxItem.thread).where(t.OutboxItem.state.in_(PENDING_OUTBOX))
        )
    if folder == Folder.SENT:
        return T.id.in_(
            t.OutboxItem.select(t.OutboxItem.thread).where(
                t.OutboxItem.state == OutboxState.SENT.value
            )
        )
    return None


def search_condition(text: str) -> peewee.ColumnBase | None:
    """Threads with a post matching `text` (FTS5 on SQLite, a tsvector on PostgreSQL)."""
    symbols = search_symbols(text)
    if symbols:  # emoji and the like are not in the word index: match them as text
        by_words = search_condition(" ".join(search_words(text))) if search_words(text) else None
        in_text = _all_in_text(symbols)
        return in_text if by_words is None else in_text & by_words
    if is_sqlite():
        match = fts_query(text)
        if match is None:
            return None
        hits = peewee.SQL(f"(SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?)", [match])
        if _many_hits(match):  # a common word: no sorting of every matching thread
            return peewee.fn.EXISTS(
                t.Post.select(peewee.SQL("1")).where(
                    (t.Post.thread == t.Thread.id) & t.Post.id.in_(hits)
                )
            )
        return t.Thread.id.in_(t.Post.select(t.Post.thread).where(t.Post.id.in_(hits)))
    if pg_search.has_many_hits(text, WALK_ABOVE_HITS):  # walk threads newest first
        pg_threads = pg_search.matching_threads(text)
        return None if pg_threads is None else t.Thread.id.in_(pg_threads)
    few = pg_search.matching_thread_array(text)  # the few hits first, then their threads
    return None if few is None else t.Thread.id == peewee.fn.ANY(few)


def _all_in_text(pieces: list[str]) -> peewee.Expression:
    """Threads with a post whose text holds every piece (a scan: only for rare searches)."""
    cond: peewee.Expression | None = None
    for piece in pieces:
        one = t.Post.text.contains(piece)
        cond = one if cond is None else cond & one
    assert cond is not None
    return t.Thread.id.in_(t.Post.select(t.Post.thread).where(cond & ~t.Post.deleted))


def _many_hits(match: str) -> bool:
    sql = (
        f"SELECT count(*) FROM (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? "
        f"LIMIT {WALK_ABOVE_HITS})"
    )
    (count,) = database_proxy.execute_sql(sql, (match,)).fetchone()
    return bool(count >= WALK_ABOVE_HITS)


def conditions(
    query: ThreadQuery,
    now: datetime | None = None,
    *,
    angriest: bool = False,
    person_id: int = SOLO,
) -> list[peewee.ColumnBase]:
    now = now or datetime.now(UTC)
    T = t.Thread
    found: list[peewee.ColumnBase | None] = [
        folder_condition(query.folder, now, angriest=angriest, person_id=person_id)
    ]
    if query.search.strip():
        found.append(search_condition(query.search))
    if query.account_id is not None:
        found.append(T.account == query.account_id)
    if query.network is not None:
        found.append(T.network == query.network.value)
    if query.label is not None:  # the rank says the same, and leads the angriest index
        found.append(T.worst_label == query.label.value)
        found.append(T.worst_rank == convert.LABEL_RANK[query.label])
    if query.status is not None:
        found.append(T.status == query.status.value)
    if query.since is not None:
        found.append(T.last_activity >= query.since)
    if query.until is not None:
        found.append(T.last_activity < query.until)
    return [c for c in found if c is not None]


def select_threads(
    query: ThreadQuery, now: datetime | None = None, *, person_id: int = SOLO
) -> peewee.ModelSelect[t.Thread]:
    """Rows for `convert.thread_tuple`: call `.tuples()` (model objects cost ~40 µs each)."""
    select = t.Thread.select(*convert.THREAD_COLUMNS)
    conds = conditions(query, now, angriest=query.sort == "sentiment", person_id=person_id)
    if conds:
        select = select.where(*conds)
    T = t.Thread
    if query.sort == "sentiment":
        return select.order_by(T.worst_rank, T.worst_compound, T.last_activity.desc(), T.id.desc())
    return select.order_by(T.last_activity.desc(), T.id.desc())


def page_rows(
    query: ThreadQuery,
    offset: int,
    limit: int,
    *,
    after: ThreadRow | None = None,
    person_id: int = SOLO,
) -> list[tuple[Any, ...]]:
    """One page of the thread list as raw tuples of THREAD_COLUMNS (extra columns after).

    A word search on PostgreSQL picks its plan by how many posts match (a rare word:
    its few threads by id; a common one: walk threads newest first). Counting first was
    a round trip of its own, and on a busy machine each trip waits for a core: so the
    rare word's statement counts the hits itself (`rare_word_statement`) and only a
    common word, told so by that count, costs a second statement, the walk.
    """
    rare = rare_word_statement(query, offset, limit, after=after, person_id=person_id)
    if rare is None:
        sql, params = _page_select(query, offset, limit, after, person_id).sql()
        return list(database_proxy.execute_sql(sql, params).fetchall())
    rows: list[tuple[Any, ...]] = database_proxy.execute_sql(*rare).fetchall()
    if rows[0][-1] < WALK_ABOVE_HITS:  # the page (or no thread: one row of NULLs)
        return [r for r in rows if r[0] is not None]
    common = pg_search.matching_threads(query.search)
    assert common is not None  # the rare statement had words to search
    plain = dataclasses.replace(query, search="")
    walk = _page_select(plain, offset, limit, after, person_id).where(t.Thread.id.in_(common))
    sql, params = walk.sql()
    return list(database_proxy.execute_sql(sql, params).fetchall())


def rare_word_statement(
    query: ThreadQuery,
    offset: int,
    limit: int,
    *,
    after: ThreadRow | None = None,
    person_id: int = SOLO,
) -> tuple[str, list[object]] | None:
    """PostgreSQL, a search by words: the page if the words are rare, in one statement.

    Its last column is how many posts match, counted up to WALK_ABOVE_HITS; at that
    count the page part is not run (a one-time filter) and the caller walks instead.
    The page is joined LATERAL to the one-row count, so an empty page is still one row
    that says how many matched. None elsewhere (SQLite; no words; emoji in the box).
    """
    if is_sqlite() or not query.search.strip() or search_symbols(query.search):
        return None
    words = pg_search.tsquery(query.search)
    if words is None:
        return None
    plain = dataclasses.replace(query, search="")
    if after is None:  # typing in the search box: the same statement, other words
        sql, params = _first_rare_word_page(plain, offset, limit, person_id)
    else:
        sql, params = _rare_word_page(plain, offset, limit, after, person_id)
    return sql, [words, *params]


@functools.lru_cache(maxsize=64)
def _first_rare_word_page(
    plain: ThreadQuery, offset: int, limit: int, person_id: int
) -> tuple[str, tuple[object, ...]]:
    """`_rare_word_page` composed once per folder, filters and page: peewee takes about
    0.4 ms to compose it, a third of the whole search on PostgreSQL (each keystroke in
    the search box asks again with only the words changed; they are a parameter)."""
    return _rare_word_page(plain, offset, limit, None, person_id)


def _rare_word_page(
    plain: ThreadQuery, offset: int, limit: int, after: ThreadRow | None, person_id: int
) -> tuple[str, tuple[object, ...]]:
    """The SQL of `rare_word_statement` and its parameters after the words."""
    page = (
        _page_select(plain, offset, limit, after, person_id)
        .where(
            peewee.SQL(f"hit_count.n < {WALK_ABOVE_HITS}"),
            t.Thread.id == peewee.fn.ANY(pg_search.hit_thread_array()),
        )
        .select_extend(t.Thread.worst_rank)  # for the ORDER BY outside
    )
    page_sql, page_params = page.sql()
    order = (
        '"worst_rank", "worst_compound", "last_activity" DESC, "id" DESC'
        if plain.sort == "sentiment"
        else '"last_activity" DESC, "id" DESC'
    )
    sql = (
        f"{pg_search.hits_cte(WALK_ABOVE_HITS)}SELECT page.*, hit_count.n FROM "
        f"(SELECT count(*) AS n FROM {pg_search.HITS}) AS hit_count "
        f"LEFT JOIN LATERAL ({page_sql}) AS page ON true ORDER BY {order}"
    )
    return sql, tuple(page_params)


def _page_select(
    query: ThreadQuery, offset: int, limit: int, after: ThreadRow | None, person_id: int
) -> peewee.ModelSelect[t.Thread]:
    select = select_threads(query, person_id=person_id)
    if after is not None:
        select = select.where(after_condition(query.sort, after))
    return select.offset(offset).limit(limit)


def after_condition(sort: str, row: ThreadRow) -> peewee.Expression:
    """Rows that sort after `row` (keyset paging): a deep page costs what the first does.

    OFFSET makes SQLite walk and drop every earlier row: ~100 ms at row 30,000 of
    "angriest first". The leading `<=` / `>=` bound lets the index seek to `row`.
    """
    T = t.Thread
    at, tid = row.last_activity, row.id
    older = (T.last_activity <= at) & ((T.last_activity < at) | (T.id < tid))
    if sort != "sentiment":
        return older
    rank, score = convert.LABEL_RANK.get(row.worst_label, 2), row.worst_compound
    return (T.worst_rank >= rank) & (
        (T.worst_rank > rank) | (T.worst_compound > score) | ((T.worst_compound == score) & older)
    )


def threads(thread_ids: Iterable[int], person_id: int = SOLO) -> list[ThreadRow]:
    """Rows by id, in the order asked (raw tuples, as the list reads them)."""
    ids = list(dict.fromkeys(thread_ids))
    found: dict[int, ThreadRow] = {}
    for start in range(0, len(ids), CHUNK):
        select = t.Thread.select(*convert.THREAD_COLUMNS).where(
            t.Thread.id.in_(ids[start : start + CHUNK])
        )
        sql, params = select.sql()
        for raw in database_proxy.execute_sql(sql, params).fetchall():
            row = convert.thread_tuple(raw)
            found[row.id] = row
    return with_drafts(people.with_assignees([found[i] for i in ids if i in found]), person_id)


def draft_lines(thread_ids: Iterable[int], person_id: int = SOLO) -> dict[int, str]:
    """The first line of each thread's draft by `person_id`, for the Drafts folder's rows."""
    ids = list(thread_ids)
    found: dict[int, str] = {}
    D = t.Draft
    for start in range(0, len(ids), CHUNK):
        for thread_id, text in tuples(
            D.select(D.thread, D.text).where(
                D.thread.in_(ids[start : start + CHUNK]) & (D.person_id == person_id)
            )
        ):
            line = next((x.strip() for x in (text or "").splitlines() if x.strip()), "")
            if line:
                found[thread_id] = line[:300]
    return found


def with_drafts(rows: list[ThreadRow], person_id: int = SOLO) -> list[ThreadRow]:
    """`rows` with `draft` filled where `person_id` left one."""
    lines = draft_lines((r.id for r in rows), person_id)
    if not lines:
        return rows
    return [dataclasses.replace(r, draft=lines[r.id]) if r.id in lines else r for r in rows]


def count_threads(query: ThreadQuery, now: datetime | None = None, *, person_id: int = SOLO) -> int:
    select = t.Thread.select(t.Thread.id)
    conds = conditions(query, now, person_id=person_id)
    if conds:
        select = select.where(*conds)
    return int(select.count())


def folder_counts(now: datetime | None = None, *, person_id: int = SOLO) -> dict[Folder, int]:
    now = now or datetime.now(UTC)
    counts: dict[Folder, int] = {}
    for folder in Folder:
        select = t.Thread.select(t.Thread.id)
        cond = folder_condition(folder, now, person_id=person_id)
        if cond is not None:
            select = select.where(cond)
        counts[folder] = int(select.count())
    return counts


def unread_threads() -> int:
    """Conversations in the inbox (not done, not snoozed) with something unread."""
    T = t.Thread
    open_now = (ThreadStatus.NEEDS_REPLY.value, ThreadStatus.REPLIED.value)
    return int(T.select(T.id).where((T.unread_count > 0) & T.status.in_(open_now)).count())


def _due(now: datetime) -> peewee.Expression:
    T = t.Thread
    return (T.status == ThreadStatus.SNOOZED.value) & (T.snoozed_until <= now)


def due_ids(now: datetime | None = None) -> list[int]:
    """Snoozed threads whose time has come (a read: no transaction needed)."""
    T = t.Thread
    return [r.id for r in T.select(T.id).where(_due(now or datetime.now(UTC)))]


def wake_due(now: datetime | None = None) -> list[int]:
    """Snoozed threads whose time has come go back to needs-reply; returns their ids.

    Cheap when nothing is due (one indexed read), so list/count calls run it first.
    """
    now = now or datetime.now(UTC)
    T = t.Thread
    due_where = _due(now)
    due = due_ids(now)
    if due:
        T.update(status=ThreadStatus.NEEDS_REPLY.value, snoozed_until=None).where(
            T.id.in_(due) & due_where
        ).execute()
    return due
