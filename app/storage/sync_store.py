"""The store calls the sync's durable work needs; SqliteInboxStore inherits them.

Each write is one transaction: a mentions page is stored with its cursor and the
conversations still to fetch; a conversation with the job it finishes and the
time its threads were re-read. A kill between two of them repeats work at worst.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

import peewee

from app.core import models as m
from app.core.ports import Scorer
from app.core.sync_work import SyncJob
from app.core.write_marks import writes
from app.storage import post_queries, sync_cursors, sync_jobs
from app.storage.database import translated, write_transaction
from app.storage.ingest import ingest_posts

_NOTHING = m.IngestResult(new_posts=0, new_thread_ids=(), updated_thread_ids=())


class SyncWorkStore:
    """Mixin over a store with `_db` (a peewee database bound to the tables)."""

    _db: peewee.Database

    @writes
    @translated
    def store_mentions(
        self,
        account_id: int,
        posts: Sequence[m.Post],
        score: Scorer,
        *,
        cursors: dict[str, str | None],
        jobs: tuple[str, Iterable[str]],
    ) -> m.IngestResult:
        """A mentions page, the cursors it moves and its conversations to fetch: all or none.

        `cursors`: name -> new value (None clears); `jobs`: (kind, remote ids).
        """
        with write_transaction(self._db):
            result = ingest_posts(account_id, posts, score) if posts else _NOTHING
            sync_jobs.add(account_id, jobs[0], jobs[1])
            for name, value in cursors.items():
                sync_cursors.put(account_id, value, name)
            return result

    @writes
    @translated
    def store_fetched(
        self,
        account_id: int,
        posts: Sequence[m.Post],
        score: Scorer,
        *,
        done: tuple[str, Iterable[str]],
        checked: Iterable[int] = (),
        when: datetime,
    ) -> m.IngestResult:
        """A fetched conversation, with the jobs it finishes and its threads marked re-read."""
        kind, finished = done[0], list(done[1])
        with write_transaction(self._db):
            result = ingest_posts(account_id, posts, score) if posts else _NOTHING
            sync_jobs.finish(account_id, kind, finished)
            sync_jobs.mark_checked(
                account_id, [p.remote_id for p in posts], [*checked, *result.new_thread_ids], when
            )
            return result

    @translated
    def due_jobs(self, account_id: int, kind: str, now: datetime, limit: int) -> list[SyncJob]:
        return sync_jobs.due(account_id, kind, now, limit)

    @translated
    def job_count(self, account_id: int, kind: str) -> int:
        return sync_jobs.count(account_id, kind)

    @writes
    @translated
    def job_failed(self, job_id: int, error: str, not_before: datetime | None) -> None:
        with write_transaction(self._db):
            sync_jobs.failed(job_id, error, not_before)

    @translated
    def threads_to_refresh(
        self, account_id: int, limit: int, checked_before: datetime
    ) -> list[int]:
        return sync_jobs.stale_threads(account_id, limit, checked_before)

    @translated
    def oldest_mention(self, account_id: int) -> datetime | None:
        return sync_jobs.oldest_mention(account_id)

    @translated
    def stored_post(self, account_id: int, remote_id: str) -> m.StoredPost | None:
        found = sync_jobs.post_id(account_id, remote_id)
        return None if found is None else post_queries.get(found)
