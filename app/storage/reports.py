"""The report's queries: every figure is counted here, in SQL, and folded in core.

Each query reads only the period asked for and walks the (thread, created_at)
index, so a 90-day report over 100,000 posts stays well under the 200 ms the
bench checks. Days are local days at the computer's UTC offset when the report
is made (a DST change inside the period moves at most an hour to the next day).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import peewee

from app.core.reports import (
    CustomerRow,
    DayCount,
    OpenComplaint,
    Report,
    ReportRequest,
    WaitRow,
    build_report,
)
from app.storage.database import is_sqlite
from app.storage.raw_sql import execute
from app.storage.tables import to_db_time

LABEL = "COALESCE(p.corrected_label, p.label)"


def load_report(db: peewee.Database, request: ReportRequest, now: datetime | None = None) -> Report:
    now = now or datetime.now(UTC)
    offset = request.until.astimezone(request.zone).utcoffset() or timedelta(0)
    return build_report(
        request,
        waits=waits(db, request),
        volume=customer_days(db, request, offset),
        replies_per_day=reply_days(db, request, offset),
        open_complaints=open_complaints(db, request),
        customers=customers(db, request),
        now=now,
    )


def _period(db: peewee.Database, request: ReportRequest, alias: str = "p") -> tuple[str, list[Any]]:
    q = db.param
    sql = f"{alias}.created_at >= {q} AND {alias}.created_at < {q} AND {alias}.deleted = {q}"
    params: list[Any] = [to_db_time(request.since), to_db_time(request.until), False]
    if request.account_id is not None:
        sql += f" AND {alias}.account_id = {q}"
        params.append(request.account_id)
    return sql, params


def _day(db: peewee.Database, offset: timedelta) -> tuple[str, list[Any]]:
    seconds = int(offset.total_seconds())
    if is_sqlite(db):
        return f"date(p.created_at, {db.param})", [f"{seconds:+d} seconds"]
    return (f"to_char(p.created_at + make_interval(secs => {db.param}), 'YYYY-MM-DD')", [seconds])


def _time(value: Any) -> datetime:
    when: datetime = datetime.fromisoformat(value) if isinstance(value, str) else value
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def waits(db: peewee.Database, request: ReportRequest) -> list[WaitRow]:
    """Customer posts grouped by the owner's next post in the conversation: one row a wait."""
    where, params = _period(db, request)
    q = db.param
    sql = f"""
        SELECT thread_id, MIN(created_at), answered_at, MAX(complaint) FROM (
            SELECT p.thread_id, p.created_at,
                   (SELECT MIN(o.created_at) FROM post o
                     WHERE o.thread_id = p.thread_id AND o.is_own = {q}
                       AND o.deleted = {q} AND o.created_at > p.created_at) AS answered_at,
                   CASE WHEN {LABEL} = 'negative' THEN 1 ELSE 0 END AS complaint
              FROM post p
             WHERE p.is_own = {q} AND {where}
        ) AS customer_posts
        GROUP BY thread_id, answered_at
        ORDER BY 2
    """
    rows = execute(db, sql, [True, False, False, *params]).fetchall()
    return [
        WaitRow(int(tid), _time(asked), None if ans is None else _time(ans), bool(bad))
        for tid, asked, ans, bad in rows
    ]


def customer_days(db: peewee.Database, request: ReportRequest, offset: timedelta) -> list[DayCount]:
    where, params = _period(db, request)
    day, day_params = _day(db, offset)
    q = db.param
    sql = f"""
        SELECT {day} AS day, p.network, {LABEL} AS feeling, COUNT(*),
               SUM(CASE WHEN p.corrected_label IS NOT NULL THEN 1 ELSE 0 END)
          FROM post p
         WHERE p.is_own = {q} AND {where}
         GROUP BY 1, 2, 3
    """
    rows = execute(db, sql, [*day_params, False, *params]).fetchall()
    return [
        DayCount(_date(d), str(net), str(label), int(n), int(fixed or 0))
        for d, net, label, n, fixed in rows
    ]


def reply_days(
    db: peewee.Database, request: ReportRequest, offset: timedelta
) -> list[tuple[date, int]]:
    where, params = _period(db, request)
    day, day_params = _day(db, offset)
    sql = f"SELECT {day}, COUNT(*) FROM post p WHERE p.is_own = {db.param} AND {where} GROUP BY 1"
    rows = execute(db, sql, [*day_params, True, *params]).fetchall()
    return [(_date(d), int(n)) for d, n in rows]


def open_complaints(db: peewee.Database, request: ReportRequest) -> list[OpenComplaint]:
    """Complaint threads still waiting for the owner, whenever the customer wrote."""
    q = db.param
    sql = (
        f"SELECT t.id, t.last_customer_at FROM thread t WHERE t.status = {q} "
        f"AND t.worst_label = {q} AND t.last_customer_at IS NOT NULL"
    )
    params: list[Any] = ["needs_reply", "negative"]
    if request.account_id is not None:
        sql += f" AND t.account_id = {q}"
        params.append(request.account_id)
    return [OpenComplaint(int(tid), _time(at)) for tid, at in execute(db, sql, params).fetchall()]


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
