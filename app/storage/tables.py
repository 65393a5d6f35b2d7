"""The peewee models: one class per table, bound to `database_proxy`.

Threads carry denormalised aggregates (last activity, worst sentiment, unread
count, snippet, author) so "latest 100 threads of a folder" is an index walk,
never a GROUP BY over posts. No table ever holds a secret: tokens live in the
system keychain (app.storage.credentials).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import peewee

from app.storage.database import database_proxy

_FORMAT = "%Y-%m-%d %H:%M:%S.%f"


def utcnow() -> datetime:
    return datetime.now(UTC)


def to_db_time(value: datetime) -> str:
    """One fixed-width UTC text format, so SQLite compares times as strings correctly."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime(_FORMAT)


class UTCDateTimeField(peewee.DateTimeField):
    """Stores aware datetimes as UTC and hands them back aware (never naive)."""

    def db_value(self, value: Any) -> Any:
        if isinstance(value, datetime):
            return to_db_time(value)
        return value

    def python_value(self, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        if isinstance(value, datetime):
            return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value


class JSONTextField(peewee.TextField):
    """JSON kept as TEXT: portable between SQLite and PostgreSQL."""

    def db_value(self, value: Any) -> Any:
        if value is None:
            return None
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def python_value(self, value: Any) -> Any:
        if value is None or value == "":
            return None
        return json.loads(value)


class BaseModel(peewee.Model):
    """A model without a primary key of its own gets peewee's `id` AutoField, and a
    foreign key `thread` a `thread_id` accessor; models declare the ones the code uses
    as annotations only (peewee ignores them), so mypy sees them."""

    class Meta:
        database = database_proxy
        legacy_table_names = False


class DbMeta(BaseModel):
    """Key/value facts about the database itself (schema version, last backup)."""

    key = peewee.CharField(primary_key=True)
    value = peewee.TextField(default="")

    class Meta:
        table_name = "meta"


class Account(BaseModel):
    id: peewee.AutoField[int]
    network = peewee.CharField()
    server = peewee.CharField()
    handle = peewee.CharField()
    remote_id = peewee.CharField()
    display_name = peewee.CharField(default="")
    state = peewee.CharField(default="connected")
    is_demo = peewee.BooleanField(default=False)
    max_chars = peewee.IntegerField(default=500)
    default_visibility = peewee.CharField(default="public")
    # where the account lives (@shop@<domain>); a default in the table too, for old rows
    domain = peewee.CharField(default="", constraints=[peewee.SQL("DEFAULT ''")])
    last_error = peewee.TextField(default="")
    created_at = UTCDateTimeField(default=utcnow)

    class Meta:
        indexes = ((("network", "server", "remote_id"), True),)


class SyncCursor(BaseModel):
    """Where each sync stream of an account stopped (e.g. name="mentions")."""

    id: peewee.AutoField[int]
    account = peewee.ForeignKeyField(
        Account, on_delete="CASCADE", backref="cursors", index=False
    )  # indexed by (account, name)
    name = peewee.CharField()
    value = peewee.TextField()
    updated_at = UTCDateTimeField(default=utcnow)

    class Meta:
        indexes = ((("account", "name"), True),)


class SyncJob(BaseModel):
    """Work a sync wrote down before doing it, so an interrupted sync is finished later.

    kind "conversation": fetch the conversation around the post `remote_id`. Written
    in the transaction that stores the mentions page; deleted in the one that stores
    the conversation. `attempts` / `not_before` back off from one that keeps failing.
    """

    id: peewee.AutoField[int]
    account = peewee.ForeignKeyField(
        Account, on_delete="CASCADE", backref="sync_jobs", index=False
    )  # indexed by (account, kind, remote_id)
    kind = peewee.CharField()
    remote_id = peewee.CharField()
    attempts = peewee.IntegerField(default=0)
    not_before = UTCDateTimeField(null=True)
    last_error = peewee.TextField(default="")
    created_at = UTCDateTimeField(default=utcnow)

    class Meta:
        table_name = "sync_job"
        indexes = ((("account", "kind", "remote_id"), True),)


class Contact(BaseModel):
    """A customer. `key` is stable across servers: the DID on Bluesky, the acct on Mastodon."""

    id: peewee.AutoField[int]
    network = peewee.CharField()
    key = peewee.CharField()
    remote_id = peewee.CharField()
    handle = peewee.CharField()
    display_name = peewee.CharField(default="")
    note = peewee.TextField(default="")
    person_id = peewee.IntegerField(null=True, index=True)
    is_demo = peewee.BooleanField(default=False)

    class Meta:
        indexes = ((("network", "key"), True),)


class Thread(BaseModel):
    id: peewee.AutoField[int]
    account_id: int  # peewee's accessor for the foreign key's raw value (annotation only)
    account = peewee.ForeignKeyField(
        Account, on_delete="CASCADE", backref="threads", index=False
    )  # indexed by (account, root_remote_id)
    network = peewee.CharField()
    root_remote_id = peewee.CharField()
    last_activity = UTCDateTimeField(index=True)
    status = peewee.CharField(default="needs_reply")
    snoozed_until = UTCDateTimeField(null=True)
    worst_label = peewee.CharField(default="unscored")
    worst_rank = peewee.IntegerField(default=2)  # 0 negative .. 3 positive: "angriest first"
    worst_compound = peewee.FloatField(default=0.0)
    worst_reasons = JSONTextField(default=list)
    unread_count = peewee.IntegerField(default=0)
    post_count = peewee.IntegerField(default=0)
    snippet = peewee.TextField(default="")
    author_handle = peewee.CharField(default="")
    author_name = peewee.CharField(default="")
    last_customer_at = UTCDateTimeField(null=True)
    last_own_at = UTCDateTimeField(null=True)
    is_demo = peewee.BooleanField(default=False)
    checked_at = UTCDateTimeField(null=True)  # last re-read from the server (refresh order)
    assignee_id = peewee.IntegerField(null=True, index=True)  # a person (team inbox)

    class Meta:
        indexes = (
            (("account", "root_remote_id"), True),
            (("status", "last_activity"), False),
            (("worst_label", "last_activity"), False),
            (("account", "last_activity"), False),
        )


# "Angriest first" in the exact order the list asks for (newest first among equals), so
# SQLite walks an index instead of sorting every thread. One index only: each one
# costs ingest about 6% (every new thread and every aggregate update writes it).
Thread.add_index(
    Thread.worst_rank,
    Thread.worst_compound,
    Thread.last_activity.desc(),
    Thread.id.desc(),
    name="thread_angriest",
)


class Post(BaseModel):
    """One stored post. Unique per account + remote id: Mastodon ids are server-local."""

    id: peewee.AutoField[int]
    thread_id: int  # peewee's accessor for the foreign key's raw value (annotation only)
    # Both foreign keys are covered by the composite indexes below.
    account = peewee.ForeignKeyField(Account, on_delete="CASCADE", backref="posts", index=False)
    thread = peewee.ForeignKeyField(Thread, on_delete="CASCADE", backref="posts", index=False)
    contact = peewee.ForeignKeyField(Contact, null=True, on_delete="SET NULL", backref="posts")
    network = peewee.CharField()
    remote_id = peewee.CharField()
    author_remote_id = peewee.CharField(default="")
    author_handle = peewee.CharField(default="")
    author_name = peewee.CharField(default="")
    text = peewee.TextField(default="")
    created_at = UTCDateTimeField()
    url = peewee.TextField(default="")
    parent_remote_id = peewee.CharField(null=True, index=True)
    root_remote_id = peewee.CharField(null=True)
    is_mention = peewee.BooleanField(default=False)
    is_own = peewee.BooleanField(default=False)
    visibility = peewee.CharField(default="public")
    content_warning = peewee.TextField(default="")
    media = JSONTextField(default=list)
    mentions = JSONTextField(default=list)
    language = peewee.CharField(null=True)
    cid = peewee.CharField(default="")
    edited_at = UTCDateTimeField(null=True)
    deleted = peewee.BooleanField(default=False)
    raw_json = peewee.TextField(default="")
    compound = peewee.FloatField(default=0.0)
    label = peewee.CharField(default="unscored")
    reasons = JSONTextField(default=list)
    sentiment_language = peewee.CharField(null=True)
    corrected_label = peewee.CharField(null=True)
    read = peewee.BooleanField(default=False)
    # why a `deleted` post is unavailable (core Unavailable: "blocked", "not_found", ...);
    # "" when readable or when the network did not say
    unavailable = peewee.CharField(default="", constraints=[peewee.SQL("DEFAULT ''")])

    class Meta:
        indexes = ((("account", "remote_id"), True),)


# A thread's posts in order, carrying what a report needs of each (whose post, deleted,
# feeling), so the response-time query answers from this index alone.
Post.add_index(
    Post.thread,
    Post.created_at,
    Post.is_own,
    Post.deleted,
    Post.label,
    Post.corrected_label,
    name="post_thread_timeline",
)
# Every column the report's period queries read, customer and own posts apart, so a report
# walks about 9 MB of index for 100,000 posts instead of the ~40 MB table.
Post.add_index(
    Post.is_own,
    Post.created_at,
    Post.deleted,
    Post.account,
    Post.thread,
    Post.network,
    Post.label,
    Post.corrected_label,
    Post.author_handle,
    Post.author_name,
    name="post_report",
)


class Draft(BaseModel):
    """One per thread and writer: on a team inbox each person has their own."""

    id: peewee.AutoField[int]
    thread_id: int  # peewee's accessor for the foreign key's raw value (annotation only)
    thread = peewee.ForeignKeyField(
        Thread, on_delete="CASCADE", backref="drafts", index=False
    )  # indexed by (thread, person_id)
    text = peewee.TextField(default="")
    template_id = peewee.IntegerField(null=True)
    updated_at = UTCDateTimeField(default=utcnow)
    person_id = peewee.IntegerField(default=0)  # the writer (0: the one person of SQLite)

    class Meta:
        indexes = ((("thread", "person_id"), True),)


class Person(BaseModel):
    """Someone answering in a team inbox; a window works as one of them."""

    id: peewee.AutoField[int]
    name = peewee.CharField(unique=True)
    colour = peewee.CharField(default="")
    created_at = UTCDateTimeField(default=utcnow)


class ThreadMerge(BaseModel):
    """Where a thread went when a late parent merged it into another one: a draft save
    still on its way for the thread that went lands in the one that stayed."""

    source_id = peewee.IntegerField(primary_key=True)  # the thread that went (no FK: gone)
    target_id = peewee.IntegerField(index=True)
    merged_at = UTCDateTimeField(default=utcnow)

    class Meta:
        table_name = "thread_merge"


class Template(BaseModel):
    id: peewee.AutoField[int]
    kind = peewee.CharField()  # thanks / apology / answer / hello
    title = peewee.CharField()
    body = peewee.TextField()
    builtin = peewee.BooleanField(default=False)
    builtin_key = peewee.CharField(null=True, unique=True)
    updated_at = UTCDateTimeField(default=utcnow)


class OutboxItem(BaseModel):
    id: peewee.AutoField[int]
    account_id: int  # peewee's accessors for the foreign keys' raw values (annotation only)
    thread_id: int
    account = peewee.ForeignKeyField(Account, on_delete="CASCADE", backref="outbox")
    thread = peewee.ForeignKeyField(
        Thread, on_delete="CASCADE", backref="outbox", index=False
    )  # indexed by (thread, state)
    parent_remote_id = peewee.CharField()
    text = peewee.TextField()
    idempotency_key = peewee.CharField(unique=True)
    state = peewee.CharField(default="queued", index=True)
    attempts = peewee.IntegerField(default=0)
    last_error = peewee.TextField(default="")
    created_at = UTCDateTimeField(default=utcnow)
    updated_at = UTCDateTimeField(default=utcnow)
    sent_at = UTCDateTimeField(null=True)
    remote_id = peewee.CharField(null=True)
    url = peewee.TextField(default="")
    template_id = peewee.IntegerField(null=True)
    payload = peewee.TextField(default="{}")
    person_id = peewee.IntegerField(default=0)  # who queued it (0: the one person of SQLite)

    class Meta:
        table_name = "outbox_item"
        indexes = ((("thread", "state"), False),)


ALL_TABLES: tuple[type[BaseModel], ...] = (
    DbMeta,
    Account,
    SyncCursor,
    SyncJob,
    Contact,
    Thread,
    Post,
    Draft,
    Template,
    OutboxItem,
    ThreadMerge,
    Person,
)
