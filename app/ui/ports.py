"""What the window's parts need from the store, as Protocols: the ui's own ports.

The ui never imports app.storage; it types the store it is given against these (and
core's ports in app/core/ports.py), and SqliteInboxStore has all of them. Each part
takes the slice it uses, so a test can hand it a small fake. No Qt here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from app.core.export_types import ExportStore
from app.core.models import (
    Account,
    Contact,
    Draft,
    OutboxItem,
    StoredPost,
    Template,
    TemplateKind,
    ThreadRow,
    ThreadStatus,
)
from app.core.ports import InboxStore, OutboxReader, ReportStore
from app.core.rescore import ScoredBatch, Scorer


class AnswerStore(OutboxReader, Protocol):
    """The slice of the store the answering widgets use (SqliteInboxStore has all of it)."""

    def accounts(self) -> list[Account]: ...
    def thread(self, thread_id: int) -> ThreadRow | None: ...
    def threads(self, thread_ids: Iterable[int]) -> list[ThreadRow]: ...
    def thread_posts(self, thread_id: int) -> list[StoredPost]: ...
    def posts_for_threads(self, thread_ids: Iterable[int]) -> dict[int, list[StoredPost]]: ...
    def set_status(
        self, thread_id: int, status: ThreadStatus, snoozed_until: datetime | None = None
    ) -> ThreadStatus: ...

    def save_draft(
        self,
        thread_id: int,
        text: str,
        template_id: int | None = None,
        *,
        seen: datetime | None = None,
    ) -> Draft | None:
        """`seen`: the stored draft's `updated_at` the editor last showed (None: none).
        A draft changed since (a merge) is kept, not overwritten; the thread may be
        one merged away, and the draft then lands in the one that stayed."""
        ...

    def get_draft(self, thread_id: int) -> Draft | None: ...
    def delete_draft(self, thread_id: int) -> bool: ...

    def list_templates(self, kind: TemplateKind | None = None) -> list[Template]: ...
    def add_template(self, kind: TemplateKind, title: str, body: str) -> Template: ...
    def update_template(
        self,
        template_id: int,
        *,
        kind: TemplateKind | None = None,
        title: str | None = None,
        body: str | None = None,
    ) -> Template: ...
    def delete_template(self, template_id: int) -> bool: ...
    def restore_builtins(self, builtins: Iterable[Mapping[str, str]]) -> int: ...

    def enqueue_reply(
        self,
        thread_id: int,
        parent_remote_id: str,
        text: str,
        idempotency_key: str,
        *,
        template_id: int | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> OutboxItem: ...
    def outbox_item(self, item_id: int) -> OutboxItem | None: ...
    def retry(self, item_id: int) -> OutboxItem: ...
    def cancel_outbox_item(self, item_id: int) -> bool:
        """Take a queued or failed reply out of the outbox (False: it already left)."""
        ...

    def mark_reply_deleted(self, item_id: int) -> OutboxItem: ...

    def contact_for_post(self, post_id: int) -> Contact | None: ...
    def contact_history(self, contact_id: int, limit: int = 200) -> list[StoredPost]: ...
    def linked_contacts(self, contact_id: int) -> list[Contact]: ...
    def set_contact_note(self, contact_id: int, note: str) -> None: ...


class OpenThreadStore(OutboxReader, Protocol):
    """What reading a conversation again needs from the store (`read_conversation`)."""

    def thread(self, thread_id: int) -> ThreadRow | None: ...
    def thread_posts(self, thread_id: int) -> list[StoredPost]: ...


class SchedulerStore(Protocol):
    """Reads the scheduler makes itself (writes go through SyncService and the lane)."""

    def accounts(self) -> list[Account]: ...

    def outbox_items(
        self, states: Any = None, *, thread_id: int | None = None, account_id: int | None = None
    ) -> list[OutboxItem]: ...


class NotifierStore(Protocol):
    """What the tray reads to name the customers in a new-mentions summary."""

    def post(self, post_id: int) -> StoredPost | None: ...


class Rescorer(Protocol):
    """Storage's side of rescoring (app.storage.word_list.StoredPostRescorer)."""

    def post_ids(self) -> list[int]: ...

    def score_batch(self, post_ids: Sequence[int], score: Scorer) -> ScoredBatch: ...

    def write_scores(self, batch: ScoredBatch) -> None: ...

    def scored_with(self) -> int | None: ...

    def mark_scored_with(self, version: int) -> None: ...

    def learner(self) -> Any: ...

    def forget_learned(self) -> int: ...


class AppStore(
    InboxStore, AnswerStore, SchedulerStore, NotifierStore, ExportStore, ReportStore, Protocol
):
    """The one store behind every part of the window (SqliteInboxStore is one)."""

    @property
    def offline(self) -> bool:
        """The team inbox's local copy, read while the database is away: never synced."""
