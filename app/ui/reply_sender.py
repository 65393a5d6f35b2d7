"""Getting a reply from the composer into the outbox, and watching it go out.

Three background steps, none of them on the GUI thread: look at what was
sent in the last day (so the same words do not reach too many people),
queue the reply with its idempotency key chosen now (the outbox rules), and
re-read the outbox item while it is on its way so the composer can say
"queued", "sending", "sent" or "not sent, because…".
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal

from app.core import outbox as outbox_rules
from app.core.models import Account, OutboxItem, OutboxState, StoredPost, ThreadRow
from app.core.templates import ScriptedVerdict
from app.ui import compose_logic as logic
from app.ui.answer_services import AnswerServices

POLL_MS = 1500


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One reply the owner asked to send."""

    thread: ThreadRow
    target: StoredPost
    account: Account | None
    text: str
    template_id: int | None = None


class ReplySender(QObject):
    """Signals: `scripted(message, outgoing)`, `queued(item, thread_row_or_None)`,
    `failed(message)`, `state(item_or_None)` for the thread being watched."""

    scripted = Signal(str, object)
    queued = Signal(object, object)
    failed = Signal(str)
    state = Signal(object)

    def __init__(self, services: AnswerServices, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.busy = False
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

        def look() -> ScriptedVerdict:
            since = now - check.window
            items = [i for i in store.outbox_items() if (i.sent_at or i.created_at) >= since]
            rows = {r.id: r for r in store.threads({i.thread_id for i in items})}
            recent = logic.recent_replies(items, rows, logic.names_of(rows), now,
                                          check.window)
            return check.check(out.text, out.thread.author_handle, recent,
                               recipient_names=names, now=now)

        def judged(verdict: ScriptedVerdict) -> None:
            if not verdict.scripted:
                self._enqueue(out)
                return
            self.busy = False
            self.scripted.emit(verdict.message, out)

        self.services.runner.run(look, judged, self._on_error, name="scripted check")

    def _enqueue(self, out: Outgoing) -> None:
        store = self.services.store

        def write() -> tuple[OutboxItem, ThreadRow | None]:
            if out.account is not None:
                outbox_rules.check_length(out.account, out.text)  # raises TooLong, in words
            key = outbox_rules.new_idempotency_key(out.thread.network)
            item = store.enqueue_reply(out.thread.id, out.target.post.remote_id, out.text, key,
                                       template_id=out.template_id)
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
            self._kick()

        self.services.runner.run(write, done, self._on_error, write=True, name="queue reply")

    def retry(self, item_id: int) -> None:
        store = self.services.store

        def done(item: OutboxItem) -> None:
            if item.thread_id == self._watched:
                self.state.emit(item)
                self._poll.start()
            self._kick()

        self.services.runner.run(lambda: store.retry(item_id), done, self._on_error,
                                 write=True, name="retry reply")

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
            waiting = item is not None and item.state in (OutboxState.QUEUED,
                                                          OutboxState.SENDING)
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
        self.failed.emit(getattr(exc, "user_message", "")
                         or "The reply could not be queued. Your text is still here.")
