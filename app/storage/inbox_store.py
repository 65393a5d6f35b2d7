"""SqliteInboxStore: the one object the UI and sync code use to read and write.

It implements core.ports.InboxStore and adds the drafts, templates, outbox,
contacts and cursor calls later issues need. Every method returns core
dataclasses; every write is one transaction; SQLite failures arrive as
StorageError / DiskFull / DatabaseCorrupt. Call it from one lane (the DB
worker): peewee gives each thread its own connection, WAL lets reads overlap.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import peewee

from app.core import models as m
from app.core.clean_text import clean_error
from app.core.outbox import SendLock
from app.core.people import SOLO, OtherReply, Person, Presence, ReplyMark
from app.core.ports import Scorer, ThreadQuery
from app.core.write_marks import writes
from app.storage import (
    accounts,
    contacts,
    convert,
    drafts,
    outbox,
    people,
    pg_locks,
    post_queries,
    send_lock,
    sync_cursors,
    thread_actions,
    thread_queries,
)
from app.storage import tables as t
from app.storage.collector_pause import collector_paused
from app.storage.database import (
    backup_if_due,
    backup_now,
    database_proxy,
    full_check_due,
    open_database,
    translated,
    verify_open,
    write_transaction,
)
from app.storage.ingest import ingest_planned, plan_ingest
from app.storage.migrations import MIGRATIONS, Migration, migrate, read_meta, write_meta
from app.storage.sync_cursors import MENTIONS_CURSOR
from app.storage.sync_store import SyncWorkStore
from app.storage.wal_copy import log_copied_first

if TYPE_CHECKING:  # the reports load with the Reports window, not on every start
    from app.core.reports import Report, ReportRequest

S = m.ThreadStatus


class SqliteInboxStore(SyncWorkStore):
    """InboxStore over peewee (SQLite file by default; any bound peewee database works)."""

    offline = False  # True for the team inbox's local copy (team_offline.OfflineCopyStore)

    def __init__(self, db: peewee.Database, *, verified: bool = True) -> None:
        self._db = db
        self._verified = verified  # False: the full integrity check is still to run
        self._person_id = SOLO  # whose drafts, outbox items and Mine (a team inbox)
        database_proxy.initialize(db)

    @classmethod
    @translated
    def open(cls, path: Path, *, migrations: Sequence[Migration] = MIGRATIONS) -> SqliteInboxStore:
        """Open (checking, creating, migrating) the database file at `path`."""
        full = full_check_due(Path(path))  # big files: cheap check now, full one later
        db = open_database(Path(path), full_check=full)
        migrate(db, migrations)
        return cls(db, verified=full)

    @property
    def db(self) -> peewee.Database:
        return self._db

    def close(self) -> None:
        if not self._db.is_closed():
            self._db.close()

    @translated
    def backup_if_due(self, backup_dir: Path, now: datetime | None = None) -> Path | None:
        """The daily automatic backup (keeps the last five). Runs in the write lane at
        start, so it first finishes the integrity check a big file skipped at open."""
        if not isinstance(self._db, peewee.SqliteDatabase):
            return None
        self.verify()
        return backup_if_due(self._db, backup_dir, now=now)

    @translated
    def verify(self) -> None:
        """The full integrity check, once per open (raises DatabaseCorrupt on damage)."""
        if not self._verified and isinstance(self._db, peewee.SqliteDatabase):
            verify_open(self._db)
        self._verified = True

    @translated
    def backup_now(self, backup_dir: Path) -> Path:
        assert isinstance(self._db, peewee.SqliteDatabase)
        return backup_now(self._db, backup_dir)

    # ------------------------------------------------------------ accounts

    @writes
    @translated
    def data_folder_id(self) -> str:
        """A random id this database keeps for life: keychain entries are named with it,
        so two data folders with the same account never overwrite each other's secret."""
        with write_transaction(self._db):
            value = read_meta(self._db, "data_folder_id")
            if not value:
                value = uuid.uuid4().hex
                write_meta(self._db, "data_folder_id", value)
        return value

    @translated
    def accounts(self) -> list[m.Account]:
        return accounts.list_accounts()

    @translated
    def account(self, account_id: int) -> m.Account | None:
        return accounts.get(account_id)

    @writes
    @translated
    def add_account(
        self,
        info: m.AccountInfo,
        *,
        is_demo: bool = False,
        state: m.AccountState = m.AccountState.CONNECTED,
    ) -> m.Account:
        """Save a verified account; connecting the same one again updates it instead."""
        with write_transaction(self._db):
            return accounts.add(info, is_demo=is_demo, state=state)

    @writes
    @translated
    def update_account(
        self,
        account_id: int,
        *,
        state: m.AccountState | None = None,
        last_error: str | None = None,
        display_name: str | None = None,
        handle: str | None = None,
        max_chars: int | None = None,
        default_visibility: str | None = None,
        domain: str | None = None,
    ) -> m.Account:
        given = {
            "domain": domain or None,
            "state": state.value if state is not None else None,
            "last_error": None if last_error is None else clean_error(last_error),
            "display_name": display_name,
            "handle": handle,
            "max_chars": max_chars,
            "default_visibility": default_visibility,
        }
        values = {k: v for k, v in given.items() if v is not None}
        with write_transaction(self._db):
            return accounts.update(account_id, values)

    @writes
    @translated
    def remove_account(self, account_id: int) -> int:
        """Forget an account and all its local data; returns how many threads went."""
        with write_transaction(self._db):
            return accounts.remove(t.Account.id == account_id)

    # ------------------------------------------------------------- threads

    @translated
    def list_threads(
        self, query: ThreadQuery, offset: int, limit: int, *, after: m.ThreadRow | None = None
    ) -> list[m.ThreadRow]:
        """A page of threads; with `after` (the last row of the previous page), the page
        that follows it, and `offset` counts from there."""
        if offset == 0 and after is None:
            self.wake_snoozed()
        page = thread_queries.page_rows(  # raw tuples: no per-field converters
            query, offset, limit, after=after, person_id=self._person_id
        )
        rows = [convert.thread_tuple(r) for r in page]
        rows = people.with_assignees(rows)
        if query.folder == m.Folder.DRAFTS:
            return thread_queries.with_drafts(rows, self._person_id)
        return rows

    @translated
    def count_threads(self, query: ThreadQuery) -> int:
        self.wake_snoozed()
        return thread_queries.count_threads(query, person_id=self._person_id)

    @translated
    def folder_counts(self) -> dict[m.Folder, int]:
        self.wake_snoozed()
        return thread_queries.folder_counts(person_id=self._person_id)

    @translated
    def unread_threads(self) -> int:
        """How many open conversations have something unread (for the window's title)."""
        return thread_queries.unread_threads()

    @translated
    def thread(self, thread_id: int) -> m.ThreadRow | None:
        found = thread_queries.threads([thread_id], self._person_id)
        return found[0] if found else None

    @translated
    def threads(self, thread_ids: Iterable[int]) -> list[m.ThreadRow]:
        """The rows of these threads in one query, in the order asked; gone ones left out."""
        return thread_queries.threads(thread_ids, self._person_id)

    @translated
    def thread_posts(self, thread_id: int) -> list[m.StoredPost]:
        """Oldest first; each post's `parent_remote_id` links it to the one it answers."""
        return post_queries.thread_posts(thread_id)

    @translated
    def posts_for_threads(self, thread_ids: Iterable[int]) -> dict[int, list[m.StoredPost]]:
        """`thread_posts` of many threads in one query; every asked id is a key."""
        return post_queries.posts_for_threads(thread_ids)

    @translated
    def post(self, post_id: int) -> m.StoredPost | None:
        return post_queries.get(post_id)

    @writes
    @translated
    def mark_read(self, thread_id: int) -> None:
        with write_transaction(self._db):
            thread_actions.mark_read(thread_id)

    @writes
    @translated
    def mark_unread(self, thread_id: int) -> None:
        """Mark the latest customer post unread again."""
        with write_transaction(self._db):
            thread_actions.mark_unread(thread_id)

    @writes
    @translated
    def set_status(
        self, thread_id: int, status: m.ThreadStatus, snoozed_until: datetime | None = None
    ) -> m.ThreadStatus:
        """Change a thread's status; returns the previous one so the UI can offer undo."""
        if status == S.SNOOZED and snoozed_until is None:
            raise ValueError("snoozing needs a time to wake up")
        with write_transaction(self._db):
            return thread_actions.set_status(thread_id, status, snoozed_until)

    @writes
    @translated
    def wake_snoozed(self, now: datetime | None = None) -> list[int]:
        """Snoozes whose time has come go back to needs-reply; returns those thread ids.

        list_threads (first page) / count_threads / folder_counts call it first; a timer
        may too. Nothing due (the usual case) is one indexed read and no transaction.
        """
        if not thread_queries.due_ids(now):
            return []
        with write_transaction(self._db):
            return thread_queries.wake_due(now)

    @translated
    def report(self, request: ReportRequest) -> Report:
        """The Reports figures for one period (reads only; safe on any reader thread)."""
        from app.storage.reports import load_report

        return load_report(self._db, request)

    @writes
    @translated
    def correct_label(
        self, post_id: int, label: m.SentimentLabel | None
    ) -> m.SentimentLabel | None:
        """The user's label wins over the score (None clears it); returns the previous one."""
        with write_transaction(self._db):
            return thread_actions.correct_label(post_id, label)

    # -------------------------------------------------------------- ingest

    @writes
    @translated
    def ingest(self, account_id: int, posts: Sequence[m.Post], score: Scorer) -> m.IngestResult:
        """Store posts (scoring only new or edited ones) and update their threads.

        The batch is read and its scoring started before the write lock is taken; a
        big one copies the database's log meanwhile, not in its commit (wal_copy.py)."""
        with collector_paused():
            plan = plan_ingest(account_id, posts, score, in_transaction=False)
            copy_first = log_copied_first(self._db) if plan.job.parallel else nullcontext()
            with copy_first, write_transaction(self._db):
                return ingest_planned(plan)

    @translated
    def has_demo_data(self) -> bool:
        return accounts.has_demo_data()

    @writes
    @translated
    def remove_demo_data(self) -> int:
        """Remove the demo accounts with everything they brought, in one step."""
        with write_transaction(self._db):
            return accounts.remove_demo_data()

    # ------------------------------------------------------------- cursors

    @translated
    def cursor(self, account_id: int, name: str = MENTIONS_CURSOR) -> str | None:
        return sync_cursors.get(account_id, name)

    @writes
    @translated
    def set_cursor(self, account_id: int, value: str | None, name: str = MENTIONS_CURSOR) -> None:
        """Store where a sync stopped; call after the batch was ingested. None clears it."""
        with write_transaction(self._db):
            sync_cursors.put(account_id, value, name)

    # -------------------------------------------------------------- drafts

    @writes
    @translated
    def save_draft(
        self,
        thread_id: int,
        text: str,
        template_id: int | None = None,
        *,
        seen: datetime | drafts.Overwrite | None = drafts.OVERWRITE,
    ) -> m.Draft | None:
        """Keep what the user typed; blank text removes the draft (returns None).

        `seen`: see drafts.save_draft (a merged-away thread's draft follows it; text
        the editor never showed is kept)."""
        with write_transaction(self._db):
            return drafts.save_draft(
                thread_id, text, template_id, seen=seen, person_id=self._person_id
            )

    @translated
    def surviving_thread(self, thread_id: int) -> int:
        """The thread `thread_id` was merged into by a late parent post, or itself."""
        return drafts.surviving_thread(thread_id)

    @translated
    def get_draft(self, thread_id: int) -> m.Draft | None:
        return drafts.get_draft(thread_id, self._person_id)

    @writes
    @translated
    def delete_draft(self, thread_id: int) -> bool:
        with write_transaction(self._db):
            return drafts.delete_draft(thread_id, self._person_id)

    @translated
    def list_drafts(self) -> list[m.Draft]:
        return drafts.list_drafts(self._person_id)

    # ----------------------------------------------------------- templates

    @translated
    def list_templates(self, kind: m.TemplateKind | None = None) -> list[m.Template]:
        return drafts.list_templates(kind)

    @translated
    def get_template(self, template_id: int) -> m.Template | None:
        return drafts.get_template(template_id)

    @writes
    @translated
    def add_template(self, kind: m.TemplateKind, title: str, body: str) -> m.Template:
        with write_transaction(self._db):
            return drafts.add_template(kind, title, body)

    @writes
    @translated
    def update_template(
        self,
        template_id: int,
        *,
        kind: m.TemplateKind | None = None,
        title: str | None = None,
        body: str | None = None,
    ) -> m.Template:
        with write_transaction(self._db):
            return drafts.update_template(template_id, kind=kind, title=title, body=body)

    @writes
    @translated
    def delete_template(self, template_id: int) -> bool:
        with write_transaction(self._db):
            return drafts.delete_template(template_id)

    @writes
    @translated
    def restore_builtins(self, builtins: Iterable[Mapping[str, str]]) -> int:
        """Put shipped templates ({"key","kind","title","body"}) back as shipped."""
        with write_transaction(self._db):
            return drafts.restore_builtins(builtins)

    # -------------------------------------------------------------- outbox

    @writes
    @translated
    def enqueue_reply(
        self,
        thread_id: int,
        parent_remote_id: str,
        text: str,
        idempotency_key: str,
        *,
        template_id: int | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> m.OutboxItem:
        """Queue a reply and drop the thread's draft, in one transaction."""
        with write_transaction(self._db):
            return outbox.enqueue(
                thread_id, parent_remote_id, text, idempotency_key,
                template_id=template_id, payload=payload, person_id=self._person_id,
            )  # fmt: skip

    @writes
    @translated
    def mark_sending(self, item_id: int) -> m.OutboxItem:
        with write_transaction(self._db):
            return outbox.transition(item_id, m.OutboxState.SENDING)

    @writes
    @translated
    def claim_outbox_item(self, item_id: int, lease: timedelta | None) -> m.OutboxItem | None:
        """Take an item for sending in one transaction (see `outbox.claim`); None: not ours."""
        with write_transaction(self._db):
            return outbox.claim(item_id, lease)

    @writes
    @translated
    def mark_sent(self, item_id: int, remote_id: str, url: str = "") -> m.OutboxItem:
        """The server has the reply: record its id and mark the thread replied."""
        with write_transaction(self._db):
            return outbox.transition(item_id, m.OutboxState.SENT, remote_id=remote_id, url=url)

    @writes
    @translated
    def mark_failed(self, item_id: int, error: str) -> m.OutboxItem:
        with write_transaction(self._db):
            return outbox.transition(item_id, m.OutboxState.FAILED, error=error)

    @writes
    @translated
    def retry(self, item_id: int) -> m.OutboxItem:
        """A failed reply goes back in the queue."""
        with write_transaction(self._db):
            return outbox.transition(item_id, m.OutboxState.QUEUED)

    @writes
    @translated
    def cancel_outbox_item(self, item_id: int) -> bool:
        with write_transaction(self._db):
            return outbox.delete(item_id)

    @writes
    @translated
    def mark_reply_deleted(self, item_id: int) -> m.OutboxItem:
        """The owner deleted this sent reply from the server: the thread shows it."""
        with write_transaction(self._db):
            return outbox.mark_deleted(item_id)

    @contextmanager
    def sending_lock(self, account_id: int) -> Iterator[int]:
        """Held while one process sends this account's replies; yields a core `SendLock`.

        Beside the database file, so every process on that file shares it. A
        database with no file (in memory) belongs to one process, which needs none.
        On PostgreSQL every laptop of the team shares an advisory lock instead.
        """
        if isinstance(self._db, peewee.PostgresqlDatabase):
            with pg_locks.hold(self._db, pg_locks.SEND_LOCKS, account_id) as ours:
                # a laptop cut off from the server loses the lock but may still be posting
                # a claimed reply: SERVER makes 'sending' items wait out their lease
                yield SendLock.SERVER if ours else SendLock.OTHERS
            return
        name = self._db.database if isinstance(self._db, peewee.SqliteDatabase) else ""
        if not name or name == ":memory:" or name.startswith("file::memory:"):
            yield True
            return
        path = Path(name)
        with send_lock.hold(path.with_name(f"{path.name}.send-{account_id}.lock")) as ours:
            yield ours

    @contextmanager
    def sync_lock(self, account_id: int) -> Iterator[bool]:
        """Held while one process pulls this account's mentions; yields whether it is ours.

        On PostgreSQL one laptop of the team at a time (an advisory lock the server drops
        when its holder goes). On SQLite the data folder's owner lock already keeps one
        sync per account, so this one is always ours.
        """
        if isinstance(self._db, peewee.PostgresqlDatabase):
            with pg_locks.hold(self._db, pg_locks.SYNC_LOCKS, account_id) as ours:
                yield ours
            return
        yield True

    @translated
    def outbox_item(self, item_id: int) -> m.OutboxItem | None:
        return outbox.get(item_id)

    @translated
    def outbox_items(
        self,
        states: Iterable[m.OutboxState] | None = None,
        *,
        thread_id: int | None = None,
        account_id: int | None = None,
    ) -> list[m.OutboxItem]:
        return outbox.list_items(states, thread_id=thread_id, account_id=account_id)

    # ------------------------------------------------------------ contacts

    @translated
    def contact(self, contact_id: int) -> m.Contact | None:
        return contacts.get(contact_id)

    @translated
    def contact_for_post(self, post_id: int) -> m.Contact | None:
        return contacts.for_post(post_id)

    @translated
    def contact_history(self, contact_id: int, limit: int = 200) -> list[m.StoredPost]:
        return contacts.history(contact_id, limit)

    @translated
    def linked_contacts(self, contact_id: int) -> list[m.Contact]:
        return contacts.linked(contact_id)

    @writes
    @translated
    def link_contacts(self, contact_id: int, other_id: int) -> int:
        with write_transaction(self._db):
            return contacts.link(contact_id, other_id)

    @writes
    @translated
    def unlink_contact(self, contact_id: int) -> None:
        with write_transaction(self._db):
            contacts.unlink(contact_id)

    @translated
    def contact_note(self, contact_id: int) -> str:
        found = contacts.get(contact_id)
        return found.note if found else ""

    @writes
    @translated
    def set_contact_note(self, contact_id: int, note: str) -> None:
        with write_transaction(self._db):
            contacts.set_note(contact_id, note)

    # -------------------------------------------------------------- people

    @property
    def person_id(self) -> int:
        """Whose drafts, outbox items and Mine folder this store serves (SOLO: SQLite's one)."""
        return self._person_id

    def use_person(self, person_id: int) -> None:
        """This window works as `person_id` from now on (chosen once per data folder)."""
        self._person_id = person_id

    @property
    def is_team(self) -> bool:
        """A team inbox (PostgreSQL): people, assignment and presence show."""
        return isinstance(self._db, peewee.PostgresqlDatabase)

    @translated
    def people(self) -> list[Person]:
        return people.list_people()

    @translated
    def person(self, person_id: int) -> Person | None:
        return people.get(person_id)

    @writes
    @translated
    def add_person(self, name: str, colour: str | None = None) -> Person:
        """The person called `name`, made if new (raises ValueError for a blank name)."""
        with write_transaction(self._db):
            return people.add(name, colour)

    @writes
    @translated
    def assign(self, thread_id: int, person_id: int | None) -> int | None:
        """Assign the thread to `person_id` (None: to nobody); returns the previous one."""
        with write_transaction(self._db):
            return people.assign(thread_id, person_id)

    @translated
    def reply_mark(self, thread_id: int) -> ReplyMark:
        """Where the thread's replies stand as it is opened (see `replies_by_others`)."""
        return people.reply_mark(thread_id)

    @translated
    def replies_by_others(self, thread_id: int, mark: ReplyMark) -> list[OtherReply]:
        """Replies to the thread since `mark` by anyone but this store's person."""
        return people.replies_by_others(thread_id, mark, self._person_id)

    def presence(self, person: Person) -> Presence:
        """Who is typing where, shared with the team's other windows (PostgreSQL
        LISTEN/NOTIFY on a connection of its own); a no-op on a one-person inbox."""
        if isinstance(self._db, peewee.PostgresqlDatabase):
            from app.storage.pg_presence import PgPresence

            return PgPresence(self._db, person)
        from app.core.people import NoPresence

        return NoPresence()
