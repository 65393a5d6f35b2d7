"""Reports over the bench database: each query timed alone, then the whole report.

The period is the whole generated history (every post counts), the worst case for a
"last 90 days" report. Each query runs `runs` times in this process; the figure is
its median. Target: every report figure under 200 ms over 100,000 posts.
"""

from __future__ import annotations

import time
from datetime import UTC, timedelta
from pathlib import Path

from app.core.reports import ReportRequest
from app.storage import reports as q
from app.storage.inbox_store import SqliteInboxStore


def measure(db_path: Path, runs: int) -> dict[str, list[float]]:
    store = SqliteInboxStore.open(db_path)
    try:
        db = store.db
        first, last = db.execute_sql("SELECT MIN(created_at), MAX(created_at) FROM post").fetchone()
        from app.storage.reports import _time

        request = ReportRequest(
            since=_time(first), until=_time(last) + timedelta(seconds=1), zone=UTC
        )
        offset = timedelta(0)
        queries = {
            "waits (response time)": lambda: q.waits(db, request),
            "customer posts per day": lambda: q.customer_days(db, request, offset),
            "replies per day": lambda: q.reply_days(db, request, offset),
            "open complaints": lambda: q.open_complaints(db, request),
            "customers": lambda: q.customers(db, request),
            "whole report": lambda: q.load_report(db, request),
        }
        times: dict[str, list[float]] = {name: [] for name in queries}
        for _ in range(runs):
            for name, run in queries.items():
                started = time.perf_counter()
                run()
                times[name].append((time.perf_counter() - started) * 1000)
        return times
    finally:
        store.close()
