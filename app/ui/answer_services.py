"""What the answering widgets need, handed in by main.py: a store, a runner, the shop's voice.

The composer, history panel, templates dialog and thread actions only talk to
the store through `AnswerStore` (a Protocol, so `app.storage` is never
imported here) and only off the GUI thread, through the `TaskRunner`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from app.core.models import (
    Account,
    Contact,
    Draft,
    OutboxItem,
    OutboxState,
    StoredPost,
    Template,
    TemplateKind,
    ThreadRow,
    ThreadStatus,
)
from app.core.outbox import DEFAULT_UNDO_SECONDS
from app.core.ports import NetworkClient
from app.core.templates import ScriptedCheck
from app.ui.task_runner import TaskRunner


class AnswerStore(Protocol):
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
    def outbox_items(
        self,
        states: Iterable[OutboxState] | None = None,
        *,
        thread_id: int | None = None,
        account_id: int | None = None,
    ) -> list[OutboxItem]: ...
    def retry(self, item_id: int) -> OutboxItem: ...
    def cancel_outbox_item(self, item_id: int) -> bool:
        """Take a queued or failed reply out of the outbox (False: it already left)."""
        ...

    def mark_reply_deleted(self, item_id: int) -> OutboxItem: ...

    def contact_for_post(self, post_id: int) -> Contact | None: ...
    def contact_history(self, contact_id: int, limit: int = 200) -> list[StoredPost]: ...
    def linked_contacts(self, contact_id: int) -> list[Contact]: ...
    def set_contact_note(self, contact_id: int, note: str) -> None: ...


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class AnswerServices:
    """Everything install_answer_pane needs. Empty business/signature fall back sensibly.

    `send_now` is called (on the GUI thread) after a reply is queued or retried
    (and again once its undo window is over),
    so main.py can start the outbox sender; with none, replies wait in the
    queue for the next sync. `save_profile(business, signature)` persists the
    owner's details edited in the templates dialog (main.py: settings.json).
    """

    store: AnswerStore
    runner: TaskRunner
    business: str = ""
    signature: str = ""
    send_now: Callable[[], None] | None = None
    save_profile: Callable[[str, str], None] | None = None
    scripted: ScriptedCheck = field(default_factory=ScriptedCheck)
    clock: Callable[[], datetime] = utc_now
    undo_seconds: int = DEFAULT_UNDO_SECONDS  # after Send, the reply waits this long
    # The account's network client, for deleting a sent reply (None: not offered).
    client_for: Callable[[Account], NetworkClient] | None = None

    def business_for(self, account: Account | None) -> str:
        """The shop's name: the owner's setting, else the account's display name."""
        if self.business.strip():
            return self.business.strip()
        return account.display_name.strip() if account is not None else ""

    def signature_for(self, account: Account | None) -> str:
        """The owner's sign-off; by default "— <business>" so replies never end bare."""
        if self.signature.strip():
            return self.signature.strip()
        business = self.business_for(account)
        return f"— {business}" if business else ""
