"""The reply composer under the conversation: canned replies, live count, Send.

Nothing here waits on the disk: drafts go through `DraftSaver`, the
"does this read as scripted?" look-up and the enqueue run in the task
runner, and the outbox state is re-read in the background while a reply is
on its way. The decisions themselves live in `app/core/reply_rules.py` (plain Python).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QStandardItemModel, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core import audience
from app.core import outbox as outbox_rules
from app.core import reply_rules as logic
from app.core.models import (
    Account,
    Draft,
    Network,
    OutboxItem,
    OutboxState,
    StoredPost,
    Template,
    ThreadRow,
    ThreadStatus,
)
from app.core.templates import FillContext
from app.ui import palette, theme
from app.ui.answer_services import AnswerServices
from app.ui.composer_parts import KIND_TITLES, STYLE, OutboxStrip, ScriptedBar, reply_deleted
from app.ui.draft_saver import DraftSaver
from app.ui.elided_label import ElidedLabel
from app.ui.reply_sender import Outgoing, ReplySender

DEMO_WORDS = "Demo data: replies are not sent. Add your account to answer customers."
EDITOR_MIN_HEIGHT = 74  # with the audience row, the window still fits 1280x720
LONG_TEXT = 1500  # above this many characters the counter waits for a pause in typing


class Composer(QFrame):
    """One reply at a time, for the thread `set_thread` was given.

    Signals: `replied(ThreadRow)` once a reply is queued (the thread row as it
    now is), `edit_templates_requested()`, `draft_presence_changed(id, bool)`.
    """

    replied = Signal(object)
    edit_templates_requested = Signal()
    draft_presence_changed = Signal(int, bool)

    def __init__(
        self, services: AnswerServices, parent: QWidget | None = None, *, build: bool = True
    ) -> None:
        """`build=False`: the widgets are made by `build_steps()`, a step at a time."""
        super().__init__(parent)
        self.services = services
        self.setObjectName("composer")
        palette.style(self, STYLE)
        self.current_thread: ThreadRow | None = None
        self._reply_item: OutboxItem | None = None  # this thread's latest outbox reply
        self.posts: list[StoredPost] = []
        self.account: Account | None = None
        self.target: StoredPost | None = None
        self.templates: list[Template] = []
        self.template_id: int | None = None
        self.suggested: Template | None = None
        self._token = 0
        self.saver = DraftSaver(services.store, services.runner, self)
        self.saver.presence_changed.connect(self.draft_presence_changed)
        self.saver.failed.connect(self._show_note)
        self.saver.reconciled.connect(self._on_reconciled)
        self.reply_sender = ReplySender(services, self)
        self.reply_sender.scripted.connect(self._on_scripted)
        self.reply_sender.queued.connect(self._on_queued)
        self.reply_sender.failed.connect(self._on_send_failed)
        self.reply_sender.state.connect(self._on_state)
        self.reply_sender.taken_back.connect(self._on_taken_back)
        self.reply_sender.too_late.connect(self._show_note)
        self.reply_sender.deleted.connect(self._on_deleted)
        self.reply_sender.asked.connect(self._on_asked)
        self._take_intent: dict[int, str] = {}  # outbox item id -> "edit" or "cancel"
        if build:
            for _step in self.build_steps():
                pass

    # -- construction ---------------------------------------------------------

    def build_steps(self) -> Iterator[None]:
        """Make the widgets, yielding between pieces of a few milliseconds each (the
        answering parts are built after the first paint a piece per event-loop turn)."""
        col = QVBoxLayout(self)
        col.setContentsMargins(16, 10, 16, 12)
        col.setSpacing(8)
        top = QHBoxLayout()
        self.title = ElidedLabel("Reply", self)
        self.title.setObjectName("composerTitle")
        top.addWidget(self.title, 1)
        self.picker = QComboBox(self)
        self.picker.setObjectName("templatePicker")
        self.picker.setAccessibleName("Canned replies")
        self.picker.setPlaceholderText("Canned replies…")
        self.picker.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.picker.setMinimumContentsLength(18)  # its width never follows a template title
        self.picker.activated.connect(self._on_picked)
        top.addWidget(self.picker)
        self.edit_templates = QToolButton(self)
        self.edit_templates.setText("Templates…")
        self.edit_templates.setToolTip("Create, edit or restore canned replies")
        self.edit_templates.clicked.connect(self.edit_templates_requested)
        top.addWidget(self.edit_templates)
        col.addLayout(top)

        self.suggestion = QFrame(self)
        self.suggestion.setObjectName("suggestionBar")
        sl = QHBoxLayout(self.suggestion)
        sl.setContentsMargins(10, 6, 6, 6)
        self.suggestion_text = QLabel(self.suggestion)
        self.suggestion_text.setObjectName("suggestionText")
        self.suggestion_text.setTextFormat(Qt.TextFormat.PlainText)
        self.suggestion_text.setWordWrap(True)
        sl.addWidget(self.suggestion_text, 1)
        self.use_button = QPushButton("Use it", self.suggestion)
        self.use_button.setToolTip("Fill in the suggested reply (Ctrl+Z in the text undoes it)")
        self.use_button.clicked.connect(self.use_suggestion)
        sl.addWidget(self.use_button)
        col.addWidget(self.suggestion)
        yield

        self.scripted = ScriptedBar(self)
        self.scripted.personalise_clicked.connect(self.personalise)
        self.scripted.send_anyway_clicked.connect(lambda: self.send(force=True))
        col.addWidget(self.scripted)

        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("replyEditor")
        self.editor.setAccessibleName("Reply text")
        self.editor.setTabChangesFocus(True)
        self.editor.setMinimumHeight(EDITOR_MIN_HEIGHT)
        self.editor.setMaximumHeight(150)
        self.editor.textChanged.connect(self._on_text_changed)
        col.addWidget(self.editor)
        who = QHBoxLayout()
        who.setSpacing(10)
        self._build_audience(who)
        col.addLayout(who)
        yield

        bottom = QHBoxLayout()
        bottom.setSpacing(10)
        self.outbox = OutboxStrip(self)
        self.outbox.retry_clicked.connect(lambda item_id: self.reply_sender.retry(item_id))
        self.outbox.undo_clicked.connect(lambda item: self.take_back(item, "edit"))
        self.outbox.edit_clicked.connect(lambda item: self.take_back(item, "edit"))
        self.outbox.cancel_clicked.connect(self.ask_cancel)
        self.outbox.delete_clicked.connect(self.ask_delete)
        col.addWidget(self.outbox)  # its own row: the state, the reason and its buttons fit
        self.reason = QLabel(self)
        self.reason.setObjectName("sendReason")
        self.reason.setTextFormat(Qt.TextFormat.PlainText)
        self.reason.setWordWrap(True)  # a long reason wraps; it never widens the pane
        bottom.addWidget(self.reason, 1)
        self.counter = QLabel(self)
        self.counter.setObjectName("charCounter")
        self.counter.setAccessibleName("Characters used")
        bottom.addWidget(self.counter)
        self.send_button = QPushButton("Send", self)
        self.send_button.setObjectName("primaryButton")
        self.send_button.setToolTip("Send the reply (Ctrl+Enter)")
        self.send_button.clicked.connect(lambda: self.send())
        bottom.addWidget(self.send_button)
        col.addLayout(bottom)

        self.send_action = QAction("Send reply", self)
        self.send_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.send_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.send_action.triggered.connect(lambda: self.send())
        self.addAction(self.send_action)
        self._count_timer = QTimer(self, singleShot=True)
        self._count_timer.timeout.connect(self._update_count)
        self.setEnabled(False)
        policy = self.sizePolicy()
        policy.setVerticalPolicy(policy.Policy.Maximum)  # spare height goes to the conversation
        self.setSizePolicy(policy)

    def _build_audience(self, who: QHBoxLayout) -> None:
        """Who sees the reply, under the text: its audience, and the private choice."""
        self.audience = ElidedLabel("", self)  # one line: the whole sentence is its tooltip
        self.audience.setObjectName("audienceText")
        self.audience.setAccessibleName("Who sees this reply")
        who.addWidget(self.audience, 1)
        self.private_box = QCheckBox("Only the customer", self)
        self.private_box.setObjectName("privateReply")
        self.private_box.toggled.connect(self._on_private_toggled)
        who.addWidget(self.private_box)
        self.copy_dm = QPushButton("Copy for a DM", self)
        self.copy_dm.setToolTip("Copy the reply, then paste it into a Bluesky chat with them")
        self.copy_dm.clicked.connect(self.copy_for_dm)
        who.addWidget(self.copy_dm)

    # -- showing a thread --------------------------------------------------------

    def set_templates(self, templates: list[Template]) -> None:
        self.templates = list(templates)
        self._refresh_suggestion()

    def set_thread(
        self, thread: ThreadRow, posts: list[StoredPost], account: Account | None
    ) -> None:
        """Show `thread`: the previous thread's text is flushed, this one's draft restored."""
        self.saver.flush()
        self._token += 1
        token = self._token
        self.current_thread, self.posts, self.account = thread, list(posts), account
        self.target = logic.reply_target(posts)
        self.template_id = None
        self.scripted.hide()
        self._set_text("")
        who = thread.author_name or thread.author_handle
        self.title.setText(f"Reply to {who} on {theme.NETWORK_NAMES[thread.network]}")
        self.editor.setPlaceholderText(
            f"Write to {self._first_name()}, or pick a canned reply above.   "
            "R focuses here · Ctrl+Enter sends"
        )
        self.setEnabled(self.target is not None)
        self.private_box.setChecked(False)  # the default: the parent's audience or narrower
        self._refresh_suggestion()
        self._update_audience()
        self.saver.load(thread.id, lambda draft: self._on_draft(token, draft))
        self.reply_sender.watch(thread.id)

    def set_account(self, account: Account | None) -> None:
        """The shop account arrived late: refresh the limit, the business and the count."""
        self.account = account
        self._refresh_suggestion()
        self._update_count()
        self._update_audience()

    def _on_draft(self, token: int, draft: object) -> None:
        if token != self._token or not isinstance(draft, Draft) or self.current_thread is None:
            return
        if not self.editor.toPlainText():
            self.template_id = draft.template_id
            self._set_text(draft.text)
            self.editor.moveCursor(QTextCursor.MoveOperation.End)
            self.saver.mark_seen(self.current_thread.id, draft)
        elif self._surround(self.editor.toPlainText(), draft.text):
            self.saver.mark_seen(self.current_thread.id, draft)
        # else: the editor holds text the draft lacks and the other way round; the
        # next save keeps both (the store never overwrites a draft the editor lacks)

    def follow_merge(self, old_id: int, thread: ThreadRow, posts: list[StoredPost]) -> None:
        """The open conversation was merged into `thread` by a sync (a late parent post):
        keep the editor's text and cursor as they are and carry on in `thread`."""
        if self.current_thread is None or self.current_thread.id != old_id:
            return
        self.saver.follow(old_id, thread.id)
        self.saver.flush()  # lands in `thread`; the store keeps whatever the merge moved
        self._token += 1
        token = self._token
        self.current_thread, self.posts = thread, list(posts)
        self.target = logic.reply_target(posts) or self.target
        self.saver.load(thread.id, lambda draft: self._on_draft(token, draft))
        self.reply_sender.watch(thread.id)

    def _on_reconciled(self, thread_id: int, sent: str, draft: object) -> None:
        """The store kept more than the text sent (a draft this editor had not shown)."""
        if self.current_thread is None or not isinstance(draft, Draft):
            return
        if self.current_thread.id not in (thread_id, draft.thread_id):
            return
        if not self._surround(sent, draft.text):
            self._show_note("This reply's saved draft had more text; it is kept in Drafts.")

    def _surround(self, held: str, whole: str) -> bool:
        """Add what `whole` has around `held` to the editor (which shows `held`, maybe
        typed on since) without moving the cursor: never swap text under it."""
        core = held.strip()
        at = whole.find(core) if core else -1
        if at < 0:
            return False
        current = self.editor.toPlainText()
        before, after = whole[:at], whole[at + len(core) :]
        if before and not current.startswith(before):
            cursor = QTextCursor(self.editor.document())
            cursor.movePosition(QTextCursor.MoveOperation.Start)
            cursor.insertText(before)
        if after and not current.endswith(after):
            cursor = QTextCursor(self.editor.document())
            cursor.movePosition(QTextCursor.MoveOperation.End)
            cursor.insertText(after)
        return True

    # -- templates -----------------------------------------------------------------

    def context(self) -> FillContext:
        business = self.services.business_for(self.account)
        return logic.fill_context(self.target, business, self.services.signature_for(self.account))

    def _refresh_suggestion(self) -> None:
        kind = logic.suggested_kind(self.target)
        ranked = logic.rank_templates(self.templates, kind, logic.customer_texts(self.posts))
        self.suggested = ranked[0] if ranked and ranked[0].kind.value == kind else None
        why = logic.WHY_WORDS[kind]
        if self.already_answered():
            # "Use it" here invited a second reply to a post the shop had answered
            self.suggestion_text.setText(
                f"You have answered {self._first_name()}'s latest post. Anything you send "
                "now is a second reply."
            )
            self.use_button.setVisible(False)
        elif self.suggested is not None:
            self.suggestion_text.setText(
                f"{why}, so {logic.KIND_WORDS[kind]} fits. "
                f"Suggested: “{self.suggested.title}”, filled in for {self._first_name()}."
            )
        else:
            self.suggestion_text.setText(f"{why}. Write {logic.KIND_WORDS[kind]} in your words.")
        self.use_button.setVisible(self.suggested is not None and not self.already_answered())
        self.suggestion.setProperty("kind", kind)
        self.suggestion.style().unpolish(self.suggestion)
        self.suggestion.style().polish(self.suggestion)
        self._fill_picker(ranked, kind)

    def already_answered(self) -> bool:
        """The thread is Replied, a reply to it waits in the outbox (it stays in Needs reply
        until the server has it), or the shop posted after the customer's latest post."""
        if self.current_thread is not None and self.current_thread.status is ThreadStatus.REPLIED:
            return True
        item = self._reply_item
        if (
            self.current_thread is not None
            and item is not None
            and item.thread_id == self.current_thread.id
            and item.state is not OutboxState.FAILED
            and not reply_deleted(item)
        ):
            return True
        target = self.target
        return target is not None and any(
            p.is_own and not p.post.deleted and p.post.created_at > target.post.created_at
            for p in self.posts
        )

    def _first_name(self) -> str:
        return self.target.post.author.first_name if self.target else "them"

    def _fill_picker(self, ranked: list[Template], kind: str) -> None:
        """The same order in every conversation (kinds, then titles), so the owner learns
        where each reply is; the suggested kind is marked, not moved. Titles start the
        row, so typing "So" in the open list jumps to "Sorry…"."""
        self.picker.clear()
        order = {k: i for i, k in enumerate(KIND_TITLES)}
        last = None
        for template in sorted(
            ranked, key=lambda t: (order.get(t.kind.value, 99), t.title.lower(), t.id)
        ):
            if template.kind != last:
                last = template.kind
                title = KIND_TITLES[template.kind.value].upper()
                if template.kind.value == kind:
                    title += "  · suggested"
                self.picker.addItem(title, None)
                model = self.picker.model()  # a QComboBox's own model: QStandardItemModel
                item = (
                    model.item(self.picker.count() - 1)
                    if isinstance(model, QStandardItemModel)
                    else None
                )
                if item is not None:
                    item.setEnabled(False)  # a heading, not a choice
            self.picker.addItem(template.title, template.id)
        self.picker.setCurrentIndex(-1)  # shows the placeholder, not a fake first row

    def _on_picked(self, index: int) -> None:
        template_id = self.picker.itemData(index)
        self.picker.setCurrentIndex(-1)
        template = next((t for t in self.templates if t.id == template_id), None)
        if template is not None:
            self.use_template(template)

    def use_suggestion(self) -> None:
        if self.suggested is not None:
            self.use_template(self.suggested)

    def use_template(self, template: Template) -> None:
        """Put the filled template in the editor as one undoable edit."""
        text, problem = logic.fill_template(template, self.context())
        if problem:
            self._show_note(problem)
            return
        replaced = bool(self.editor.toPlainText().strip())
        cursor = self.editor.textCursor()
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)
        cursor.endEditBlock()
        self.template_id = template.id
        self._on_text_changed()  # save with the template id
        self.suggestion_text.setText(
            f"“{template.title}”, filled in for {self._first_name()}. "
            "Make it yours, then Ctrl+Enter to send."
        )
        self.use_button.hide()
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        self.editor.moveCursor(QTextCursor.MoveOperation.End)
        if replaced:
            self._show_note("Replaced your text. Ctrl+Z in the reply brings it back.")

    # -- typing ----------------------------------------------------------------------

    def _set_text(self, text: str) -> None:
        """Set the editor without saving a draft (restoring or clearing)."""
        self.editor.blockSignals(True)
        self.editor.setPlainText(text)
        self.editor.blockSignals(False)
        self._update_count()

    def _on_text_changed(self) -> None:
        if self.current_thread is None:
            return
        if self.scripted.isVisible():
            self.scripted.hide()
        text = self.editor.toPlainText()
        self.saver.text_changed(self.current_thread.id, text, self.template_id)
        if len(text) > LONG_TEXT:
            self._count_timer.start(120)  # a long paste: count once typing pauses
        else:
            self._count_timer.stop()
            self._update_count()

    def length(self) -> logic.LengthCheck:
        network = self.current_thread.network if self.current_thread else Network.MASTODON
        return logic.length_check(
            self.account, network, self.editor.toPlainText(), self.target, self.private_chosen()
        )

    def send_problem(self) -> str:
        if self.current_thread is None or self.target is None:
            return "Pick a conversation first."
        if self.current_thread.is_demo or (self.account is not None and self.account.is_demo):
            return DEMO_WORDS
        return logic.send_problem(
            self.editor.toPlainText(),
            self.length(),
            theme.NETWORK_NAMES[self.current_thread.network],
        )

    def _update_count(self) -> None:
        check = self.length()
        text = f"{check.used:,} / {check.limit:,}"
        if check.over:
            text += f"  ({check.over:,} over)"
        self.counter.setText(text)
        self.counter.setProperty("over", not check.ok)
        self.counter.style().unpolish(self.counter)
        self.counter.style().polish(self.counter)
        self.counter.updateGeometry()
        tip = "Counted the way the network counts: one per character you see"
        if check.network is Network.MASTODON:
            tip += ", 23 per link"
        if check.prefix:
            tip += f"; includes {check.prefix.strip()}, added in front automatically"
        self.counter.setToolTip(tip + ".")
        problem = self.send_problem() if self.current_thread else ""
        shown = problem if self.editor.toPlainText().strip() or problem == DEMO_WORDS else ""
        self.reason.setText(shown)
        self.reason.setProperty("error", bool(problem and check.over))
        self.reason.style().unpolish(self.reason)
        self.reason.style().polish(self.reason)
        self.send_button.setEnabled(not problem and not self.reply_sender.busy)
        self.send_button.setToolTip(problem or "Send the reply (Ctrl+Enter)")
        self._update_audience()  # a handle typed by the owner is not added again

    def focus_editor(self) -> None:
        if self.isEnabled():
            self.editor.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.editor.moveCursor(QTextCursor.MoveOperation.End)

    def personalise(self) -> None:
        """Put the cursor after the greeting, where a personal line reads best."""
        self.scripted.hide()
        text = self.editor.toPlainText()
        ends = [i for i in (text.find(". "), text.find("! "), text.find(", ")) if i >= 0]
        cursor = self.editor.textCursor()
        cursor.setPosition(min(ends) + 1 if ends else len(text))
        self.editor.setTextCursor(cursor)
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        self._show_note(f"Add a word about what {self._first_name()} said, then send.")

    def _show_note(self, message: str) -> None:
        self.outbox.show_note(message)

    # -- sending ---------------------------------------------------------------------

    def send(self, force: bool = False) -> None:
        """Queue the reply; first warn if these words already went to many people."""
        problem = self.send_problem()
        if problem:
            self._show_note(problem)
            return
        if self.reply_sender.busy or self.current_thread is None or self.target is None:
            return
        out = Outgoing(
            self.current_thread,
            self.target,
            self.account,
            self.editor.toPlainText().strip(),
            self.template_id,
            private=self.private_chosen(),
        )
        self.scripted.hide()
        self.saver.flush()  # the draft is safe even if queueing fails
        self.reply_sender.send(out, force=force)
        self._update_count()

    def _on_asked(self, question: str, out: Outgoing) -> None:
        """Someone else answered this thread since it was opened: send too only if asked to."""
        self._update_count()
        self._confirm(
            "Someone else replied",
            question,
            "Send mine too",
            lambda: self.reply_sender.send(out, force=True),
        )

    def _on_scripted(self, message: str, out: Outgoing) -> None:
        self._update_count()
        if self.current_thread is not None and out.thread.id == self.current_thread.id:
            self.scripted.show_verdict(message, self._first_name())

    def _on_queued(self, item: OutboxItem, row: ThreadRow | None) -> None:
        self._update_count()
        if self.current_thread is not None and item.thread_id == self.current_thread.id:
            self._reply_item = item
            self.saver.discard(item.thread_id)
            self.template_id = None
            self.private_box.setChecked(False)  # the next reply starts from the default
            self._set_text("")
            if row is not None:
                self.current_thread = row
                self._refresh_suggestion()
        if row is not None:
            self.replied.emit(row)
        self.draft_presence_changed.emit(item.thread_id, False)

    def _on_send_failed(self, message: str) -> None:
        self._update_count()
        self._show_note(message)

    def _on_state(self, item: OutboxItem | None) -> None:
        network = self.current_thread.network if self.current_thread else Network.MASTODON
        self.outbox.can_delete = self.services.client_for is not None and not (
            (self.current_thread is not None and self.current_thread.is_demo)
            or (self.account is not None and self.account.is_demo)
        )
        self.outbox.show_item(item, network)
        answered = self.already_answered()
        self._reply_item = item
        if self.already_answered() != answered:
            self._refresh_suggestion()

    # -- who sees it ---------------------------------------------------------------

    def private_chosen(self) -> bool:
        """The owner ticked "only the customer" (Mastodon only: Bluesky posts are public)."""
        return (
            self.private_box.isChecked()
            and self.current_thread is not None
            and self.current_thread.network is Network.MASTODON
        )

    def _on_private_toggled(self, _checked: bool) -> None:
        self._update_count()
        self._update_audience()

    def _update_audience(self) -> None:
        """Say who will see the reply: its visibility and who is @-mentioned."""
        thread, target = self.current_thread, self.target
        if thread is None or target is None:
            self.audience.setText("")
            self.private_box.hide()
            self.copy_dm.hide()
            return
        network = thread.network
        private = self.private_chosen()
        default = self.account.default_visibility if self.account is not None else "public"
        visibility = audience.reply_visibility(target.post.visibility, default, private)
        names = logic.mentioned(self.account, target, self.editor.toPlainText(), private)
        if network is Network.MASTODON and not names and self.account is None:
            names = [target.post.author.handle]  # the account is still loading
        words = audience.audience_words(network, visibility, names)
        self.audience.setText(words)
        self.audience.setToolTip(words)
        self.audience.setAccessibleDescription(words)
        mastodon = network is Network.MASTODON
        self.private_box.setVisible(mastodon)
        self.private_box.setText(f"Only {self._first_name()}")
        self.private_box.setToolTip(
            f"A direct reply: only {target.post.author.handle} sees "
            "it, nobody else mentioned in the conversation"
        )
        self.copy_dm.setVisible(not mastodon)

    def copy_for_dm(self) -> None:
        """Bluesky has no private replies: hand the text over for a direct message."""
        text = self.editor.toPlainText().strip()
        if not text:
            self._show_note("Write the reply first, then copy it.")
            return
        QGuiApplication.clipboard().setText(text)
        self._show_note(
            f"Copied. Paste it into a chat with {self._first_name()} "
            "in the Bluesky app; nothing was posted."
        )

    # -- the outbox: undo, edit, cancel, delete ---------------------------------------

    def take_back(self, item: OutboxItem, intent: str) -> None:
        """Undo / Edit ("edit": the text returns to the editor) or Cancel ("cancel")."""
        self._take_intent[item.id] = intent
        self.reply_sender.take_back(item)

    def ask_cancel(self, item: OutboxItem) -> None:
        self._confirm(
            "Cancel this reply?",
            "It will not be sent, and its words are thrown away. "
            "(Edit brings them back into the editor instead.)",
            "Cancel reply",
            lambda: self.take_back(item, "cancel"),
        )

    def ask_delete(self, item: OutboxItem) -> None:
        network = (
            theme.NETWORK_NAMES[self.current_thread.network]
            if self.current_thread
            else "the network"
        )
        account = self.account
        if account is None:
            return
        self._confirm(
            f"Delete this reply from {network}?",
            f"It is removed from {network} for everyone. {self._first_name()} "
            "may already have read it. This cannot be undone.",
            "Delete from server",
            lambda: self.reply_sender.delete_sent(item, account),
        )

    def _confirm(self, title: str, text: str, yes_text: str, then: Callable[[], None]) -> None:
        """A window-modal question (never blocking the event loop); `then` on yes."""
        box = QMessageBox(
            QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, self
        )
        box.setObjectName("confirmBox")
        yes = box.addButton(yes_text, QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("Keep it", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.buttonClicked.connect(lambda button: then() if button is yes else None)
        box.finished.connect(lambda _r: box.deleteLater())
        box.open()

    def _on_taken_back(self, item: OutboxItem, row: ThreadRow | None) -> None:
        intent = self._take_intent.pop(item.id, "edit")
        mine = self.current_thread is not None and item.thread_id == self.current_thread.id
        if row is not None:  # first: the list and header update (and focus may move)
            if mine:
                self.current_thread = row
            self.replied.emit(row)
        if not mine:
            return
        self._reply_item = None
        if intent == "edit":
            current = self.editor.toPlainText()
            self.editor.setPlainText(
                f"{current.rstrip()}\n\n{item.text}" if current.strip() else item.text
            )  # saved as the thread's draft again
            self.private_box.setChecked(outbox_rules.is_private(item))
            self.editor.moveCursor(QTextCursor.MoveOperation.End)
            self.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        self._refresh_suggestion()
        self._show_note(
            "Back in the editor: change it and send again."
            if intent == "edit"
            else "Cancelled: that reply will not be sent."
        )

    def _on_deleted(self, item: OutboxItem, row: ThreadRow | None) -> None:
        if self.current_thread is not None and item.thread_id == self.current_thread.id:
            network = theme.NETWORK_NAMES[self.current_thread.network]
            if row is not None:
                self.current_thread = row
            self.posts = [
                replace(p, post=replace(p.post, deleted=True))
                if p.post.remote_id == item.remote_id
                else p
                for p in self.posts
            ]
            self._refresh_suggestion()
            self._show_note(f"Deleted from {network}.")
        if row is not None:
            self.replied.emit(row)

    def refresh_outbox(self) -> None:
        """Re-read the reply state now (main.py may call this when the sender reports)."""
        self.reply_sender.refresh()
