"""The sync_job table: conversations a sync still has to fetch, per account.

Call these inside the store's write transaction (the reads need none).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from app.core.sync_work import SyncJob
from app.storage import tables as t
from app.storage.post_queries import CHUNK
from app.storage.raw_sql import tuples


def add(account_id: int, kind: str, remote_ids: Iterable[str]) -> None:
    """Write the jobs down; one already waiting keeps its attempts."""
    rows = [
        {"account": account_id, "kind": kind, "remote_id": r}
        for r in dict.fromkeys(remote_ids)
        if r
    ]
    for start in range(0, len(rows), CHUNK // 4):
        t.SyncJob.insert_many(rows[start : start + CHUNK // 4]).on_conflict_ignore().execute()


def due(account_id: int, kind: str, now: datetime, limit: int) -> list[SyncJob]:
    """Oldest first, leaving out the ones backing off until later."""
    J = t.SyncJob
    select = (
        J.select()
        .where(
            (J.account == account_id)
            & (J.kind == kind)
            & (J.not_before.is_null() | (J.not_before <= now))
        )
        .order_by(J.id)
        .limit(limit)
    )
    return [
        SyncJob(r.id, account_id, r.kind, r.remote_id, r.attempts, r.last_error) for r in select
    ]


def count(account_id: int, kind: str) -> int:
    J = t.SyncJob
    return int(J.select().where((J.account == account_id) & (J.kind == kind)).count())


def finish(account_id: int, kind: str, remote_ids: Iterable[str]) -> None:
    """These are done (fetched, or found inside another conversation)."""
    J = t.SyncJob
    ids = list(dict.fromkeys(remote_ids))
    for start in range(0, len(ids), CHUNK):
        J.delete().where(
            (J.account == account_id)
            & (J.kind == kind)
            & J.remote_id.in_(ids[start : start + CHUNK])
        ).execute()


def failed(job_id: int, error: str, not_before: datetime | None) -> None:
    J = t.SyncJob
    J.update(attempts=J.attempts + 1, last_error=error[:500], not_before=not_before).where(
        J.id == job_id
    ).execute()


def mark_checked(
    account_id: int, remote_ids: Iterable[str], thread_ids: Iterable[int], when: datetime
) -> None:
    """The threads holding these posts (and `thread_ids`) were just re-read."""
    ids = list(dict.fromkeys(remote_ids))
    threads = set(thread_ids)
    P = t.Post
    for start in range(0, len(ids), CHUNK):
        threads.update(
            r[0]
            for r in tuples(
                P.select(P.thread).where(
                    (P.account == account_id) & P.remote_id.in_(ids[start : start + CHUNK])
                )
            )
        )
    found = sorted(threads)
    for start in range(0, len(found), CHUNK):
        t.Thread.update(checked_at=when).where(
            t.Thread.id.in_(found[start : start + CHUNK])
        ).execute()


def stale_threads(account_id: int, limit: int, checked_before: datetime) -> list[int]:
    """Threads not Done, least recently re-read first (never read: first of all)."""
    T = t.Thread
    select = (
        T.select(T.id)
        .where(
            (T.account == account_id)
            & (T.status != "done")
            & (T.checked_at.is_null() | (T.checked_at < checked_before))
        )
        .order_by(T.checked_at.asc(nulls="FIRST"), T.last_activity.desc(), T.id)
        .limit(limit)
    )
    return [r[0] for r in tuples(select)]


def post_id(account_id: int, remote_id: str) -> int | None:
    P = t.Post
    row = P.select(P.id).where((P.account == account_id) & (P.remote_id == remote_id)).first()
    return None if row is None else int(row.id)


def oldest_mention(account_id: int) -> datetime | None:
    P = t.Post
    row = (
        P.select(P.created_at)
        .where((P.account == account_id) & P.is_mention)
        .order_by(P.created_at)
        .limit(1)
        .first()
    )
    return None if row is None else row.created_at
