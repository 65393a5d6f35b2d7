"""Reports over the bench database: each query timed alone, then the whole report.

The period is the whole generated history (every post counts), the worst case for a
"last 90 days" report. Each query runs `runs` times in this process; the figure is
its median. Target: every report figure under 200 ms over 100,000 posts.

    python -m bench.measure_reports --db /tmp/bench.sqlite3 --runs 7

builds the 100,000-post database there once (about a minute; later runs reuse it) and
prints each query's median wall time and the CPU time of the same runs: on a machine
shared with other work, the CPU time shows what the query costs, the wall time what
the owner would wait.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import peewee

from app.core.reports import ReportRequest
from app.storage import reports as q
from app.storage.inbox_store import SqliteInboxStore


def _queries(db: peewee.Database, request: ReportRequest) -> dict[str, Callable[[], object]]:
    offset = timedelta(0)
    return {
        "waits (response time)": lambda: q.waits(db, request),
        "customer posts per day": lambda: q.customer_days(db, request, offset),
        "replies per day": lambda: q.reply_days(db, request, offset),
        "open complaints": lambda: q.open_complaints(db, request, datetime.now(UTC)),
        "customers": lambda: q.customers(db, request),
        "whole report": lambda: q.load_report(db, request),
    }


def measure_both(db_path: Path, runs: int) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """(wall ms, CPU ms) per query and run, over the whole stored history."""
    store = SqliteInboxStore.open(db_path)
    try:
        db = store.db
        first, last = db.execute_sql("SELECT MIN(created_at), MAX(created_at) FROM post").fetchone()
        request = ReportRequest(
            since=q._time(first), until=q._time(last) + timedelta(seconds=1), zone=UTC
        )
        queries = _queries(db, request)
        wall: dict[str, list[float]] = {name: [] for name in queries}
        cpu: dict[str, list[float]] = {name: [] for name in queries}
        for _ in range(runs):
            for name, run in queries.items():
                started, used = time.perf_counter(), time.process_time()
                run()
                wall[name].append((time.perf_counter() - started) * 1000)
                cpu[name].append((time.process_time() - used) * 1000)
        return wall, cpu
    finally:
        store.close()


def measure(db_path: Path, runs: int) -> dict[str, list[float]]:
    """Wall ms per query and run: the rows `python -m bench` prints."""
    return measure_both(db_path, runs)[0]


def build(db_path: Path, posts: int) -> None:
    """The bench's seeded data, ingested as `python -m bench` does."""
    from bench.generate import generate
    from bench.measure_ingest import ingest_all

    data = generate(posts)
    seconds = ingest_all(data, db_path)
    print(f"built {db_path}: {data.posts:,} posts in {data.threads:,} threads ({seconds:.0f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.measure_reports")
    parser.add_argument("--db", type=Path, required=True, help="built here if missing")
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if not args.db.exists():
        build(args.db, args.posts)
    wall, cpu = measure_both(args.db, args.runs)
    print(f"{'query':24} {'wall median':>12} {'wall min-max':>16} {'CPU median':>11}")
    for name, times in wall.items():
        span = f"{min(times):.0f}-{max(times):.0f} ms"
        median_cpu = statistics.median(cpu[name])
        print(f"{name:24} {statistics.median(times):9.0f} ms {span:>16} {median_cpu:8.0f} ms")


if __name__ == "__main__":
    main()
