"""The report's queries: every figure is counted here, in SQL, and folded in core.

Each query reads only the period asked for, from two covering indexes (schema v7):
`post_report` (whose post, then time: every column the period queries read) and
`post_thread_timeline` (a conversation's posts in order, with whose post and the
feeling). The wide post table (texts, raw JSON) is never read, no subquery runs per
post, and no query sorts the whole period by a computed key; docs/reports.md has the
figures. Days are local days at the computer's UTC offset when the report is made (a
DST change inside the period moves at most an hour to the next day).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import peewee

from app.core.reports import (
    AGE_BUCKETS,
    CustomerRow,
    DayCount,
    Report,
    ReportRequest,
    WaitRow,
    build_report,
)
from app.storage.database import is_sqlite
from app.storage.raw_sql import execute
from app.storage.tables import to_db_time

_DB_TIME_LENGTH = len("2024-05-01 09:00:00.000000")  # to_db_time's fixed width, no offset


def _label(alias: str = "p") -> str:
    """The feeling that counts: the owner's correction over the scorer's label."""
    return f"COALESCE({alias}.corrected_label, {alias}.label)"


LABEL = _label()


def load_report(db: peewee.Database, request: ReportRequest, now: datetime | None = None) -> Report:
    now = now or datetime.now(UTC)
    offset = request.until.astimezone(request.zone).utcoffset() or timedelta(0)
    return build_report(
        request,
        waits=waits(db, request),
        volume=customer_days(db, request, offset),
        replies_per_day=reply_days(db, request, offset),
        open_complaints=open_complaints(db, request, now),
        customers=customers(db, request),
    )


def _period(
    db: peewee.Database,
    request: ReportRequest,
    alias: str = "p",
    bounds: tuple[datetime, datetime] | None = None,
) -> tuple[str, list[Any]]:
    """The WHERE terms of the period (or of `bounds` inside it) and their parameters."""
    since, until = bounds or (request.since, request.until)
    q = db.param
    sql = f"{alias}.created_at >= {q} AND {alias}.created_at < {q} AND {alias}.deleted = {q}"
    params: list[Any] = [to_db_time(since), to_db_time(until), False]
    if request.account_id is not None:
        sql += f" AND {alias}.account_id = {q}"
        params.append(request.account_id)
    return sql, params


def _local_days(
    db: peewee.Database, request: ReportRequest, offset: timedelta, own: bool
) -> Iterator[tuple[date, tuple[datetime, datetime]]]:
    """Each local day (at the fixed UTC `offset`) from the period's first post of that
    kind to its last, with its bounds inside the period.

    Counting day by day reads one short index range per day; a GROUP BY on the day
    computed in SQL sorted every post of the period first (86,000 on the bench: about
    half the query's time). A post belongs to the day its time plus `offset` falls in,
    exactly as date(created_at + offset) would say.
    """
    where, params = _period(db, request)
    q = db.param
    ends = []
    for order in ("", " DESC"):
        sql = (
            f"SELECT p.created_at FROM post p WHERE p.is_own = {q} AND {where} "
            f"ORDER BY p.created_at{order} LIMIT 1"
        )
        row = execute(db, sql, [own, *params]).fetchone()
        if row is None:
            return
        ends.append((_time(row[0]) + offset).date())
    day, last = ends
    while day <= last:
        start = datetime.combine(day, time(0), UTC) - offset
        yield day, (max(start, request.since), min(start + timedelta(days=1), request.until))
        day += timedelta(days=1)


def _time(value: Any) -> datetime:
    """A stored time, aware in UTC. SQLite's text is UTC without an offset (to_db_time):
    parsed with "+00:00" appended, five times faster than setting tzinfo afterwards."""
    if isinstance(value, str) and len(value) == _DB_TIME_LENGTH:
        return datetime.fromisoformat(value + "+00:00")
    when: datetime = datetime.fromisoformat(value) if isinstance(value, str) else value
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def waits(db: peewee.Database, request: ReportRequest) -> list[WaitRow]:
    """The answered waits of the period: one row per owner's post that answered customers.

    The owner's posts after the period's start are taken in thread order with the one
    before each (`previous`); the customer posts a post answers are those written from
    `previous` on and before it. That is one index range per answer instead of a
    subquery per customer post (which read the rest of the thread for every one of
    86,000 customer posts on the bench: ~0.5 s). An own post at the very same instant
    as a customer post does not answer it, as before. Waits still open are not
    response times, so they are not read here (open complaints come from `thread`).
    """
    where, params = _period(db, request, "c")
    q = db.param
    since = to_db_time(request.since)
    # SQLite would otherwise walk `post_report` by time for every answer (its planner has
    # no statistics to tell that thread_id is the selective column).
    timeline = " INDEXED BY post_thread_timeline" if is_sqlite(db) else ""
    sql = f"""
        WITH answer AS (
            SELECT o.thread_id, o.created_at AS answered_at,
                   LAG(o.created_at, 1, {q}) OVER (
                       PARTITION BY o.thread_id ORDER BY o.created_at) AS previous
              FROM post o
             WHERE o.is_own = {q} AND o.deleted = {q} AND o.created_at > {q}
        )
        SELECT a.thread_id, MIN(c.created_at), a.answered_at,
               MAX(CASE WHEN {_label("c")} = 'negative' THEN 1 ELSE 0 END)
          FROM answer a
          JOIN post c{timeline}
            ON c.thread_id = a.thread_id
           AND c.created_at >= a.previous AND c.created_at < a.answered_at
         WHERE c.is_own = {q} AND {where}
         GROUP BY a.thread_id, a.answered_at
         ORDER BY 2
    """
    rows = execute(db, sql, [since, True, False, since, False, *params]).fetchall()
    return [WaitRow(int(tid), _time(asked), _time(ans), bool(bad)) for tid, asked, ans, bad in rows]


def customer_days(db: peewee.Database, request: ReportRequest, offset: timedelta) -> list[DayCount]:
    """Customer posts per local day, network and feeling, and how many the owner corrected."""
    q = db.param
    where, _ = _period(db, request)
    sql = f"""
        SELECT p.network, {LABEL}, COUNT(*),
               SUM(CASE WHEN p.corrected_label IS NOT NULL THEN 1 ELSE 0 END)
          FROM post p
         WHERE p.is_own = {q} AND {where}
         GROUP BY 1, 2
    """
    counts = []
    for day, bounds in _local_days(db, request, offset, own=False):
        params = _period(db, request, bounds=bounds)[1]
        for network, label, n, fixed in execute(db, sql, [False, *params]).fetchall():
            counts.append(DayCount(day, str(network), str(label), int(n), int(fixed or 0)))
    return counts


def reply_days(
    db: peewee.Database, request: ReportRequest, offset: timedelta
) -> list[tuple[date, int]]:
    """The owner's posts per local day (days with none are left out)."""
    where, _ = _period(db, request)
    sql = f"SELECT COUNT(*) FROM post p WHERE p.is_own = {db.param} AND {where}"
    counts = []
    for day, bounds in _local_days(db, request, offset, own=True):
        params = _period(db, request, bounds=bounds)[1]
        n = int(execute(db, sql, [True, *params]).fetchone()[0])
        if n:
            counts.append((day, n))
    return counts


def open_complaints(db: peewee.Database, request: ReportRequest, now: datetime) -> list[list[int]]:
    """Complaint threads still waiting for the owner, whenever the customer wrote: their
    ids per age bucket (AGE_BUCKETS' order). The bucket is worked out in SQL: waited under
    a limit means the customer wrote after `now - limit`, so none of the bench's 17,000
    waiting times is parsed in Python."""
    q = db.param
    finite = [limit for _, limit in AGE_BUCKETS if limit != math.inf]
    cases = " ".join(f"WHEN t.last_customer_at > {q} THEN {i}" for i in range(len(finite)))
    sql = (
        f"SELECT t.id, CASE {cases} ELSE {len(finite)} END FROM thread t "
        f"WHERE t.status = {q} AND t.worst_label = {q} AND t.last_customer_at IS NOT NULL"
    )
    params: list[Any] = [to_db_time(now - timedelta(seconds=limit)) for limit in finite]
    params += ["needs_reply", "negative"]
    if request.account_id is not None:
        sql += f" AND t.account_id = {q}"
        params.append(request.account_id)
    ids: list[list[int]] = [[] for _ in AGE_BUCKETS]
    for thread_id, bucket in execute(db, sql, params).fetchall():
        ids[bucket].append(thread_id)
    return ids


def customers(db: peewee.Database, request: ReportRequest) -> list[CustomerRow]:
    where, params = _period(db, request)
    q = db.param
    sql = f"""
        SELECT p.author_handle, MAX(p.author_name), COUNT(*),
               SUM(CASE WHEN {LABEL} = 'negative' THEN 1 ELSE 0 END),
               SUM(CASE WHEN {LABEL} = 'positive' THEN 1 ELSE 0 END)
          FROM post p
         WHERE p.is_own = {q} AND {where}
         GROUP BY p.author_handle
    """
    rows = execute(db, sql, [False, *params]).fetchall()
    return [
        CustomerRow(str(h), str(name or ""), int(n), int(bad or 0), int(good or 0))
        for h, name, n, bad, good in rows
    ]
