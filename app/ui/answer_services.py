"""What the answering widgets need, handed in by main.py: a store, a runner, the shop's voice.

The composer, history panel, templates dialog and thread actions only talk to
the store through `AnswerStore` (a Protocol, so `app.storage` is never
imported here) and only off the GUI thread, through the `TaskRunner`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from app.core.models import (
    Account,
)
from app.core.outbox import DEFAULT_UNDO_SECONDS
from app.core.ports import NetworkClient
from app.core.templates import ScriptedCheck
from app.ui.ports import AnswerStore
from app.ui.task_runner import TaskRunner


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
