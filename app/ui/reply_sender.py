"""Getting a reply from the composer into the outbox, and watching it go out.

Three background steps, none of them on the GUI thread: look at what was
sent in the last day (so the same words do not reach too many people),
queue the reply with its idempotency key chosen now (the outbox rules), and
re-read the outbox item while it is on its way so the composer can say
"queued", "sending", "sent" or "not sent, because…".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from PySide6.QtCore import QObject, QTimer, Signal

from app.core import outbox as outbox_rules
from app.core import reply_rules as logic
from app.core.models import Account, Network, OutboxItem, OutboxState, StoredPost, ThreadRow
from app.core.templates import ScriptedVerdict
from app.ui.answer_services import AnswerServices

POLL_MS = 1500
HOLD_SLACK_MS = 250  # the sender is started this long after the undo window ends


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One reply the owner asked to send."""

    thread: ThreadRow
    target: StoredPost
    account: Account | None
    text: str
    template_id: int | None = None
    private: bool = False  # Mastodon: a direct reply to the customer alone


class ReplySender(QObject):
    """Signals: `scripted(message, outgoing)`, `queued(item, thread_row_or_None)`,
    `failed(message)`, `state(item_or_None)` for the thread being watched,
    `taken_back(item, thread_row_or_None)` once a queued reply left the outbox
    unsent (undo, edit or cancel), `too_late(message)` when it had already gone,
    `deleted(item, thread_row_or_None)` once a sent reply was deleted from the server,
    `asked(question, outgoing)` when `send_check` wants the owner to confirm first."""

    scripted = Signal(str, object)
    queued = Signal(object, object)
    failed = Signal(str)
    state = Signal(object)
    taken_back = Signal(object, object)
    too_late = Signal(str)
    deleted = Signal(object, object)
    asked = Signal(str, object)

    def __init__(self, services: AnswerServices, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.busy = False
        # A team inbox: thread id -> "Sam replied 2 minutes ago. Send yours too?" or None;
        # run in the task runner before the reply is queued (see app/ui/team_people.py).
        self.send_check: Callable[[int], str | None] | None = None
        self._watched: int | None = None
        self._poll = QTimer(self, interval=POLL_MS)
        self._poll.timeout.connect(self.refresh)

    def send(self, out: Outgoing, *, force: bool = False) -> None:
        """Queue `out`, unless these words already went to too many people (then warn)."""
        if self.busy:
            return
        self.busy = True
        if force:
            self._enqueue(out)
            return
        store, check, now = self.services.store, self.services.scripted, self.services.clock()
        author = out.target.post.author
        names = (author.first_name, author.display_name)

        send_check = self.send_check

        def look() -> ScriptedVerdict | str:
            question = send_check(out.thread.id) if send_check is not None else None
            if question:
                return question
            since = now - check.window
            items = [i for i in store.outbox_items() if (i.sent_at or i.created_at) >= since]
            rows = {r.id: r for r in store.threads({i.thread_id for i in items})}
            recent = logic.recent_replies(items, rows, logic.names_of(rows), now, check.window)
            return check.check(
                out.text, out.thread.author_handle, recent, recipient_names=names, now=now
            )

        def judged(verdict: ScriptedVerdict | str) -> None:
            if isinstance(verdict, str):
                self.busy = False
                self.asked.emit(verdict, out)
                return
            if not verdict.scripted:
                self._enqueue(out)
                return
            self.busy = False
            self.scripted.emit(verdict.message, out)

        self.services.runner.run(look, judged, self._on_error, name="scripted check")

    def _enqueue(self, out: Outgoing) -> None:
        store = self.services.store
        undo = max(0, self.services.undo_seconds)
        private = out.private and out.thread.network is Network.MASTODON

        def write() -> tuple[OutboxItem, ThreadRow | None]:
            if out.account is not None:
                outbox_rules.check_length(out.account, out.text)  # raises TooLong, in words
            key = outbox_rules.new_idempotency_key(out.thread.network)
            # the sender checks the hold against the real clock, so it is set from it too
            extra = outbox_rules.send_options(datetime.now(UTC), undo, private=private)
            item = store.enqueue_reply(
                out.thread.id,
                out.target.post.remote_id,
                out.text,
                key,
                template_id=out.template_id,
                payload=extra,
            )
            # Still Needs reply (marked "reply waiting"): it counts as answered once the
            # reply is on the server (the outbox marks it Replied then).
            return item, store.thread(out.thread.id)

        def done(result: tuple[OutboxItem, ThreadRow | None]) -> None:
            self.busy = False
            item, row = result
            self.queued.emit(item, row)
            if item.thread_id == self._watched:
                self.state.emit(item)
                self._poll.start()
            if undo:  # no sender takes it before the window ends: start one right then
                QTimer.singleShot(undo * 1000 + HOLD_SLACK_MS, self, self._kick)
            else:
                self._kick()

        self.services.runner.run(write, done, self._on_error, write=True, name="queue reply")

    def take_back(self, item: OutboxItem) -> None:
        """Undo send / Edit / Cancel: take the reply out of the outbox if it has not left.

        The store deletes it only while it is queued or failed, in one transaction,
        so a sender that took it a moment earlier wins and the owner is told."""
        store = self.services.store

        def write() -> tuple[bool, ThreadRow | None]:
            return store.cancel_outbox_item(item.id), store.thread(item.thread_id)

        def done(result: tuple[bool, ThreadRow | None]) -> None:
            gone, row = result
            if gone:
                self.taken_back.emit(item, row)
            else:
                self.too_late.emit("Too late: the reply had already left.")
            if item.thread_id == self._watched:
                self.refresh()

        self.services.runner.run(write, done, self._on_error, write=True, name="take a reply back")

    def delete_sent(self, item: OutboxItem, account: Account) -> None:
        """Delete a sent reply from the server, then record it (two steps: the network
        call never holds up the write lane)."""
        client_for, store = self.services.client_for, self.services.store
        if client_for is None or not item.remote_id:
            self.failed.emit("This reply cannot be deleted from here.")
            return
        remote_id = item.remote_id

        def ask_server() -> None:
            client_for(account).delete_post(remote_id)

        def record() -> tuple[OutboxItem, ThreadRow | None]:
            return store.mark_reply_deleted(item.id), store.thread(item.thread_id)

        def recorded(result: tuple[OutboxItem, ThreadRow | None]) -> None:
            self.deleted.emit(*result)
            if item.thread_id == self._watched:
                self.refresh()

        def on_server(_none: None) -> None:
            self.services.runner.run(
                record, recorded, self._on_delete_error, write=True, name="record a deleted reply"
            )

        self.services.runner.run(
            ask_server, on_server, self._on_delete_error, name="delete a reply from the server"
        )

    def _on_delete_error(self, exc: BaseException) -> None:
        words = getattr(exc, "user_message", "") or "the server did not answer"
        self.failed.emit(f"The reply was not deleted: {words}")

    def retry(self, item_id: int) -> None:
        store = self.services.store

        def done(item: OutboxItem) -> None:
            if item.thread_id == self._watched:
                self.state.emit(item)
                self._poll.start()
            self._kick()

        self.services.runner.run(
            lambda: store.retry(item_id), done, self._on_error, write=True, name="retry reply"
        )

    def watch(self, thread_id: int | None) -> None:
        """Follow the latest reply of this thread (None: stop)."""
        self._watched = thread_id
        self._poll.stop()
        if thread_id is not None:
            self.refresh()
        else:
            self.state.emit(None)

    def refresh(self) -> None:
        """Re-read the watched thread's latest reply; keeps polling while it is on its way."""
        thread_id = self._watched
        if thread_id is None:
            return
        store = self.services.store

        def read() -> OutboxItem | None:
            items = store.outbox_items(thread_id=thread_id)
            return items[-1] if items else None

        def show(item: OutboxItem | None) -> None:
            if thread_id != self._watched:
                return
            self.state.emit(item)
            waiting = item is not None and item.state in (OutboxState.QUEUED, OutboxState.SENDING)
            if waiting and not self._poll.isActive():
                self._poll.start()
            elif not waiting:
                self._poll.stop()

        self.services.runner.run(read, show, name="read outbox state")

    def _kick(self) -> None:
        if self.services.send_now is not None:
            self.services.send_now()

    def _on_error(self, exc: BaseException) -> None:
        self.busy = False
        self.failed.emit(
            getattr(exc, "user_message", "")
            or "The reply could not be queued. Your text is still here."
        )
