"""Named fault points for the sync: every storage write, before and after it commits.

The network side is the test server's: each request it answers is numbered
(`MastodonServer.on_api_request`) and can be refused with a 503
(`fail_after`). The storage side is this wrapper: each write the sync makes
calls `at("before store_fetched 2")` and `at("after store_fetched 2")`, and the
test decides what happens there (note it, kill -9 the process, raise).
"""

from __future__ import annotations

import os
import signal
import sqlite3
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.core.errors import DiskFull

#: Every store method the sync writes through (SyncStore's writes, the outbox aside).
WRITES = frozenset(
    {"store_mentions", "store_fetched", "job_failed", "ingest", "set_cursor", "update_account"}
)


class PointStore:
    """The real store; each write passes two named points."""

    def __init__(self, inner: Any, at: Callable[[str], None]) -> None:
        self._inner = inner
        self._at = at
        self._count: Counter[str] = Counter()

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._inner, name)
        if name not in WRITES:
            return attr

        def write(*args: Any, **kwargs: Any) -> Any:
            self._count[name] += 1
            number = self._count[name]
            self._at(f"before {name} {number}")
            result = attr(*args, **kwargs)
            self._at(f"after {name} {number}")
            return result

        return write


def kill_at(target: str, say: Callable[[str], None]) -> Callable[[str], None]:
    """Say each point; at `target`, kill -9 this very process (no cleanup, no rollback)."""

    def at(point: str) -> None:
        say(f"point {point}")
        if point == target:
            os.kill(os.getpid(), signal.SIGKILL)

    return at


def raise_at(target: str, seen: list[str]) -> Callable[[str], None]:
    """Note each point; at `target`, fail the way a full disk fails a write."""

    def at(point: str) -> None:
        seen.append(point)
        if point == target:
            raise DiskFull(f"injected at {point}")

    return at


def snapshot(db_path: Path) -> dict[str, Any]:
    """What must not differ between an interrupted-then-finished sync and a clean one.

    Threads are named by the posts they hold (row ids depend on the order of work);
    times of bookkeeping (checked_at, updated_at) are left out.
    """
    conn = sqlite3.connect(db_path)
    try:
        posts = sorted(
            conn.execute(
                "SELECT remote_id, parent_remote_id, root_remote_id, text, deleted, is_own, "
                "is_mention, read, label FROM post"
            ).fetchall()
        )
        members: dict[int, list[str]] = {}
        for thread_id, remote_id in conn.execute("SELECT thread_id, remote_id FROM post"):
            members.setdefault(thread_id, []).append(remote_id)
        threads = sorted(
            (tuple(sorted(members.get(row[0], []))), *row[1:])
            for row in conn.execute(
                "SELECT id, status, post_count, unread_count, last_activity, worst_label, "
                "snippet, last_customer_at, last_own_at FROM thread"
            )
        )
        cursors = sorted(conn.execute("SELECT name, value FROM sync_cursor").fetchall())
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        jobs = (
            sorted(conn.execute("SELECT kind, remote_id FROM sync_job").fetchall())
            if "sync_job" in tables
            else []
        )
        contacts = sorted(conn.execute("SELECT network, key, handle FROM contact").fetchall())
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()
    return {
        "posts": posts,
        "threads": threads,
        "cursors": cursors,
        "jobs": jobs,
        "contacts": contacts,
        "integrity": check,
    }
