"""The window's furniture: demo banner and status bar (account states, "Last synced 2 min
ago", offline mark)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QStatusBar, QWidget

from app.core.models import Account, AccountState
from app.ui import palette, theme
from app.ui.folder_model import STATE_WORDS
from app.ui.plain_tip import plain_tip

DEMO_TEXT = (
    "You are looking at demo data. Add your Mastodon or Bluesky account to see your own mentions."
)
MIXED_TEXT = (
    "The demo shop's conversations are shown beside your own. Remove them when "
    "you no longer need them."
)
NO_ACCOUNT_TEXT = "No account yet. Add your Mastodon or Bluesky account to see your mentions here."


class DemoBanner(QFrame):
    """A calm strip above the panes while demo data is shown."""

    add_account_clicked = Signal()
    remove_demo_clicked = Signal()
    show_demo_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("demoBanner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 8, 12, 8)
        layout.setSpacing(10)
        mark = QLabel(self)
        mark.setPixmap(theme.icon("info").pixmap(18, 18))
        layout.addWidget(mark)
        self.label = QLabel(DEMO_TEXT, self)
        self.label.setObjectName("demoBannerText")
        self.label.setWordWrap(True)
        layout.addWidget(self.label, 1)
        self.add_button = QPushButton("Add account…", self)
        self.add_button.setObjectName("primaryButton")
        self.add_button.clicked.connect(self.add_account_clicked)
        self.remove_button = QPushButton("Remove demo data", self)
        self.remove_button.clicked.connect(self.remove_demo_clicked)
        self.demo_button = QPushButton("Show the demo shop", self)
        self.demo_button.setToolTip("Look around with a small bakery's inbox again")
        self.demo_button.clicked.connect(self.show_demo_clicked)
        layout.addWidget(self.add_button)
        layout.addWidget(self.remove_button)
        layout.addWidget(self.demo_button)

    def show_state(self, demo: bool, own_accounts: bool) -> None:
        """Demo only; demo beside real accounts; nothing at all (never a dead end)."""
        if own_accounts and not demo:
            self.setVisible(False)
            return
        self.label.setText(
            DEMO_TEXT if demo and not own_accounts else MIXED_TEXT if demo else NO_ACCOUNT_TEXT
        )
        self.add_button.setVisible(not own_accounts)
        self.remove_button.setVisible(demo)
        self.demo_button.setVisible(not demo and not own_accounts)  # the way back to the demo
        self.setVisible(True)


SYNCED_TICK_MS = 30_000  # "Last synced 2 min ago" is re-said this often


def synced_words(when: datetime, now: datetime) -> str:
    """ "Last synced just now / 2 min ago / 3 h ago / 2 d ago": how fresh the inbox is."""
    seconds = max(0, int((now - when).total_seconds()))
    if seconds < 60:
        return "Last synced just now"
    if seconds < 3600:
        return f"Last synced {seconds // 60} min ago"
    if seconds < 86400:
        return f"Last synced {seconds // 3600} h ago"
    return f"Last synced {seconds // 86400} d ago"


class AccountStatusBar(QStatusBar):
    """Per-account sync state on the left, an offline mark and thread count on the right.

    `sign_in_requested(account_id)`: the "Sign in again" link of an account whose
    token the server refused.
    """

    sign_in_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeGripEnabled(False)
        self._accounts = QWidget(self)
        self._accounts_layout = QHBoxLayout(self._accounts)
        self._accounts_layout.setContentsMargins(8, 0, 0, 0)
        self._accounts_layout.setSpacing(16)
        self.addWidget(self._accounts)
        self.offline_label = QLabel("Offline – replies wait in the Outbox", self)
        self.offline_label.setObjectName("offlineMark")
        self.offline_label.setVisible(False)
        self.addPermanentWidget(self.offline_label)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("threadCount")
        self.addPermanentWidget(self.count_label)
        self.account_labels: list[QLabel] = []
        self._account_widgets: list[QWidget] = []
        self._shown: list[Account] | None = None
        self.labels_by_account: dict[int, QLabel] = {}
        self.sign_in_buttons: dict[int, QPushButton] = {}
        self._progress: dict[int, str] = {}
        self._reach: dict[int, tuple[str, bool]] = {}  # account -> (words, older still coming)
        self._synced: dict[int, datetime] = {}  # account -> when its last sync finished well
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        self.synced_timer = QTimer(self)  # the ages move on while the window stays open
        self.synced_timer.setInterval(SYNCED_TICK_MS)
        self.synced_timer.timeout.connect(self.refresh_ages)

    def set_accounts(self, accounts: list[Account]) -> None:
        if accounts == self._shown:
            return  # unchanged: keep the widgets (and any sync progress shown in them)
        self._shown = list(accounts)
        self.labels_by_account = {}
        self.sign_in_buttons = {}
        for widget in self._account_widgets:
            self._accounts_layout.removeWidget(widget)
            widget.deleteLater()
        self._account_widgets = []
        self.account_labels = []
        if not accounts:
            label = QLabel("No accounts yet", self._accounts)
            label.setObjectName("accountState")
            self._add(label, label)
            return
        for account in accounts:
            ok = (
                account.state in (AccountState.CONNECTED, AccountState.DEMO)
                and not account.last_error
            )
            label = QLabel(self._accounts)
            label.setObjectName("accountState")
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setProperty("who", f"{theme.NETWORK_NAMES[account.network]} {account.handle}")
            label.setProperty("stateWords", self._state_words(account))
            label.setToolTip(plain_tip(account.last_error or STATE_WORDS[account.state]))
            self.labels_by_account[account.id] = label
            self._show_text(account.id)
            dot = QLabel("●", self._accounts)
            palette.style(
                dot, f"QLabel {{ color: @{'praise' if ok else 'complaint'}; padding-right: 0px; }}"
            )
            dot.setAccessibleName("")
            box = QWidget(self._accounts)
            row = QHBoxLayout(box)
            row.setContentsMargins(0, 0, 0, 0)
            row.setSpacing(5)
            row.addWidget(dot)
            row.addWidget(label)
            if not ok:
                palette.style(label, "QLabel { color: @warn_text; }")
            if account.state is AccountState.NEEDS_SIGN_IN:
                button = QPushButton("Sign in again", box)
                button.setObjectName("signInAgain")
                button.setFlat(True)
                button.setCursor(Qt.CursorShape.PointingHandCursor)
                button.setToolTip(plain_tip(f"Open Accounts to sign {account.handle} in again"))
                button.clicked.connect(
                    lambda _c=False, i=account.id: self.sign_in_requested.emit(i)
                )
                row.addWidget(button)
                self.sign_in_buttons[account.id] = button
            self._add(box, label)

    @staticmethod
    def _state_words(account: Account) -> str:
        if account.state is AccountState.CONNECTED and account.last_error:
            return "Will retry"  # e.g. rate limited; the full sentence is in the tooltip
        return STATE_WORDS[account.state]

    def set_account_progress(self, account_id: int, text: str | None) -> None:
        """Show a sync step beside the account ("Fetching conversations 12/80"); None ends it."""
        if text:
            self._progress[account_id] = text
        else:
            self._progress.pop(account_id, None)
        self._show_text(account_id)

    def set_account_reach(self, account_id: int, words: str, *, still_coming: bool) -> None:
        """How far back the inbox goes: in the tooltip, and beside the state while older
        mentions are still coming in."""
        self._reach[account_id] = (words, still_coming)
        self._show_text(account_id)

    def set_account_synced(self, account_id: int, when: datetime) -> None:
        """A sync of the account finished well at `when`: say how long ago, from now on."""
        self._synced[account_id] = when
        if not self.synced_timer.isActive():
            self.synced_timer.start()
        self._show_text(account_id)

    def refresh_ages(self) -> None:
        for account_id in self._synced:
            self._show_text(account_id)

    def _show_text(self, account_id: int) -> None:
        label = self.labels_by_account.get(account_id)
        if label is None:
            return
        words = self._progress.get(account_id) or str(label.property("stateWords"))
        reach, coming = self._reach.get(account_id, ("", False))
        if reach and coming and account_id not in self._progress:
            words = f"{words} · {reach}"
        synced = self._synced.get(account_id)
        if synced is not None and account_id not in self._progress:
            words = f"{words} · {synced_words(synced, self.clock())}"
        if reach and not label.property("baseTip"):
            label.setProperty("baseTip", label.toolTip())
        if reach:
            label.setToolTip(f"{label.property('baseTip')}\n{reach}")
        label.setText(f"{label.property('who')}: {words}")
        label.setAccessibleName(label.text())

    def _add(self, widget: QWidget, label: QLabel) -> None:
        self._accounts_layout.addWidget(widget)
        self._account_widgets.append(widget)
        self.account_labels.append(label)

    def set_offline(self, offline: bool) -> None:
        self.offline_label.setVisible(offline)

    def set_thread_count(self, shown: int, total: int | None = None) -> None:
        n = total if total is not None else shown
        self.count_label.setText(f"{n} conversation{'s' if n != 1 else ''}")
