"""Team mode without the team database: a local copy to read, a queue for what is written.

While online, the team inbox is copied into `team-copy.sqlite3` in the data folder
(`refresh_local_copy`, after opening and after each sync, off the GUI thread). When the
database cannot be reached, the window opens that copy instead (`OfflineCopyStore`):
everything reads as before; nothing is pulled or sent from it (the team's outbox does
the sending); a reply written there is queued in the copy, with the idempotency key the
composer gave it, and so are drafts.

`hand_over` gives the queue to the team database once it answers again: each reply
joins the shared outbox by its key (`ON CONFLICT DO NOTHING`), so a hand-over retried
after a crash, or run by two processes, never makes two outbox items; drafts join if
they are newer than the team's. Only then do they leave the local queue.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import peewee

from app.core import models as m
from app.core.write_marks import writes
from app.storage import drafts
from app.storage.database import open_database, write_transaction
from app.storage.inbox_copy import InboxSummary, copy_inbox
from app.storage.inbox_store import SqliteInboxStore
from app.storage.migrations import MIGRATIONS, Migration
from app.storage.owner_lock import FolderLock
from app.storage.raw_sql import execute
from app.storage.tables import to_db_time, utcnow

log = logging.getLogger(__name__)

LOCAL_COPY_NAME = "team-copy.sqlite3"
_QUEUE_SQL = (
    "CREATE TABLE IF NOT EXISTS offline_reply "
    "(idempotency_key TEXT PRIMARY KEY, queued_at TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS offline_draft (thread_id INTEGER PRIMARY KEY)",
)
_MAX_MERGES = 20  # a chain of merged threads longer than this is not followed


def local_copy_path(data_dir: Path) -> Path:
    return Path(data_dir) / LOCAL_COPY_NAME


def copy_lock(path: Path) -> FolderLock:
    """Held by the window reading the copy offline, and by a refresh while it runs."""
    return FolderLock(path.with_name(path.name + ".lock"))


class OfflineCopyStore(SqliteInboxStore):
    """The local copy of the team inbox, opened when the team database is out of reach."""

    offline = True  # read while the team database is away: no sync, no sending

    copy_lock: FolderLock | None = None

    @classmethod
    def open(cls, path: Path, *, migrations: Sequence[Migration] = MIGRATIONS) -> OfflineCopyStore:
        """The copy, held for the store's life: no refresh replaces it while it is read."""
        lock = copy_lock(path)
        lock.acquire()  # taken elsewhere (a refresh finishing): it stays ours to read
        store = super().open(path, migrations=migrations)
        assert isinstance(store, OfflineCopyStore)
        store.copy_lock = lock
        for sql in _QUEUE_SQL:
            execute(store.db, sql)
        return store

    def close(self) -> None:
        super().close()
        if self.copy_lock is not None:
            self.copy_lock.release()

    def backup_if_due(self, backup_dir: Path, now: datetime | None = None) -> Path | None:
        return None  # a copy: the team database is backed up by whoever runs it

    def claim_outbox_item(self, item_id: int, lease: Any) -> m.OutboxItem | None:
        return None  # never sent from a copy: the team's outbox sends, once

    @contextlib.contextmanager
    def sync_lock(self, account_id: int) -> Iterator[bool]:
        yield False  # nothing is pulled into a copy

    @writes
    def enqueue_reply(
        self,
        thread_id: int,
        parent_remote_id: str,
        text: str,
        idempotency_key: str,
        **options: Any,
    ) -> m.OutboxItem:
        """Queue the reply in the copy and remember it for the hand-over, in one step."""
        with write_transaction(self._db):
            item = super().enqueue_reply(
                thread_id, parent_remote_id, text, idempotency_key, **options
            )
            execute(
                self._db,
                "INSERT OR IGNORE INTO offline_reply (idempotency_key, queued_at) VALUES (?, ?)",
                (idempotency_key, to_db_time(utcnow())),
            )
        return item

    @writes
    def cancel_outbox_item(self, item_id: int) -> bool:
        """Undo send: the reply leaves the copy and the queue for the team with it."""
        with write_transaction(self._db):
            item = self.outbox_item(item_id)
            if item is not None:
                execute(
                    self._db,
                    "DELETE FROM offline_reply WHERE idempotency_key = ?",
                    (item.idempotency_key,),
                )
            return super().cancel_outbox_item(item_id)

    @writes
    def save_draft(
        self,
        thread_id: int,
        text: str,
        template_id: int | None = None,
        *,
        seen: datetime | drafts.Overwrite | None = drafts.OVERWRITE,
    ) -> m.Draft | None:
        with write_transaction(self._db):
            draft = super().save_draft(thread_id, text, template_id, seen=seen)
            execute(
                self._db,
                "INSERT OR IGNORE INTO offline_draft (thread_id) VALUES (?)",
                (draft.thread_id if draft is not None else thread_id,),
            )
        return draft

    def waiting(self) -> int:
        """Replies written here that the team database has not had yet."""
        row = execute(
            self._db,
            "SELECT COUNT(*) FROM offline_reply q JOIN outbox_item o "
            "ON o.idempotency_key = q.idempotency_key",
        ).fetchone()
        return int(row[0])


@dataclass(frozen=True, slots=True)
class HandOver:
    """What joined the team database: replies, drafts, and replies that found no thread."""

    replies: int = 0
    drafts: int = 0
    orphaned: int = 0


def _open_queue(path: Path) -> sqlite3.Connection | None:
    if not path.exists():
        return None
    conn = sqlite3.connect(str(path), timeout=5)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not {"offline_reply", "offline_draft"} <= names:
        conn.close()
        return None
    return conn


def pending_hand_over(path: Path) -> int:
    """Replies and drafts in the local copy still waiting for the team database."""
    conn = _open_queue(path)
    if conn is None:
        return 0
    try:
        replies = conn.execute(
            "SELECT COUNT(*) FROM offline_reply q JOIN outbox_item o "
            "ON o.idempotency_key = q.idempotency_key"
        ).fetchone()[0]
        kept = conn.execute("SELECT COUNT(*) FROM offline_draft").fetchone()[0]
        return int(replies) + int(kept)
    finally:
        conn.close()


def _surviving_thread(team: peewee.Database, thread_id: int) -> int | None:
    """The thread as it is called in the team database now (a late parent may have
    merged it into another), or None when it is gone."""
    for _ in range(_MAX_MERGES):
        if execute(team, "SELECT 1 FROM thread WHERE id = %s", (thread_id,)).fetchone():
            return thread_id
        row = execute(
            team, "SELECT target_id FROM thread_merge WHERE source_id = %s", (thread_id,)
        ).fetchone()
        if row is None:
            return None
        thread_id = int(row[0])
    return None


_REPLY_COLUMNS = (
    "account_id, thread_id, parent_remote_id, text, idempotency_key, created_at, "
    "template_id, payload, person_id"
)


def hand_over(path: Path, team: peewee.Database) -> HandOver:
    """Give the local copy's queued replies and drafts to the team database (PostgreSQL).

    Plain SQL on `team` (no model is re-bound: the window may still be reading its
    copy). Each reply goes in with its idempotency key and `ON CONFLICT DO NOTHING`:
    however often this runs, each reply is one outbox item. A reply leaves the local
    queue only after the team database committed it.
    """
    conn = _open_queue(path)
    if conn is None:
        return HandOver()
    replies = handed_drafts = orphaned = 0
    try:
        waiting = conn.execute(
            f"SELECT {', '.join('o.' + c.strip() for c in _REPLY_COLUMNS.split(','))} "
            "FROM outbox_item o JOIN offline_reply q "
            "ON q.idempotency_key = o.idempotency_key ORDER BY q.queued_at"
        ).fetchall()
        for account_id, thread_id, parent, text, key, created, template, payload, person in waiting:
            with write_transaction(team):
                target = _surviving_thread(team, thread_id)
                if target is None:
                    orphaned += 1
                    log.warning("A reply written offline found no conversation to join")
                    continue
                now = to_db_time(utcnow())
                execute(
                    team,
                    f"INSERT INTO outbox_item ({_REPLY_COLUMNS}, state, attempts, last_error, "
                    "updated_at, url) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, 'queued', 0, '', "
                    "%s, '') ON CONFLICT (idempotency_key) DO NOTHING",
                    (
                        account_id,
                        target,
                        parent,
                        text,
                        key,
                        created,
                        template,
                        payload,
                        person,
                        now,
                    ),
                )
                execute(
                    team,
                    "DELETE FROM draft WHERE thread_id = %s AND person_id = %s",
                    (target, person),
                )
            with conn:
                conn.execute("DELETE FROM offline_reply WHERE idempotency_key = ?", (key,))
            replies += 1
        with conn:  # replies undone after they were queued: nothing to hand over
            conn.execute(
                "DELETE FROM offline_reply WHERE idempotency_key NOT IN "
                "(SELECT idempotency_key FROM outbox_item)"
            )
        kept = conn.execute(
            "SELECT d.thread_id, d.text, d.template_id, d.updated_at, d.person_id "
            "FROM offline_draft q LEFT JOIN draft d ON d.thread_id = q.thread_id"
        ).fetchall()
        for thread_id, text, template, updated, person in kept:
            if thread_id is not None and text:
                with write_transaction(team):
                    target = _surviving_thread(team, thread_id)
                    if target is not None:
                        execute(
                            team,
                            "INSERT INTO draft (thread_id, text, template_id, updated_at, "
                            "person_id) VALUES (%s, %s, %s, %s, %s) "
                            "ON CONFLICT (thread_id, person_id) DO UPDATE SET "
                            "text = EXCLUDED.text, template_id = EXCLUDED.template_id, "
                            "updated_at = EXCLUDED.updated_at "
                            "WHERE draft.updated_at < EXCLUDED.updated_at",
                            (target, text, template, updated, person),
                        )
                        handed_drafts += 1
        with conn:
            conn.execute("DELETE FROM offline_draft")
    finally:
        conn.close()
    if replies or handed_drafts:
        log.info("Handed %d offline replies and %d drafts to the team", replies, handed_drafts)
    return HandOver(replies, handed_drafts, orphaned)


def refresh_local_copy(team: peewee.Database, path: Path) -> InboxSummary | None:
    """Copy the team inbox into a fresh file, then put it in place of the old copy.

    Skipped (None) while the old copy still holds replies or drafts for the team:
    they are handed over first. The file being replaced is never half-written: the
    copy is checked (counts and digest) before it is renamed into place."""
    lock = copy_lock(path)
    if not lock.acquire():
        log.info("The local copy is in use (offline window, another refresh); not refreshed")
        return None
    try:
        if pending_hand_over(path):
            log.info("The local copy still holds work for the team; not refreshed")
            return None
        fresh = path.with_name(path.name + ".new")
        for stale in (fresh, *(fresh.with_name(fresh.name + s) for s in ("-wal", "-shm"))):
            stale.unlink(missing_ok=True)
        target = open_database(fresh, bind=False, full_check=False)
        try:
            summary = copy_inbox(team, target)
            for sql in _QUEUE_SQL:
                execute(target, sql)
        except BaseException:
            target.close()
            fresh.unlink(missing_ok=True)
            raise
        target.close()
        for companion in ("-wal", "-shm"):  # a stale WAL must never replay onto the new copy
            path.with_name(path.name + companion).unlink(missing_ok=True)
        os.replace(fresh, path)
        return summary
    finally:
        lock.release()
