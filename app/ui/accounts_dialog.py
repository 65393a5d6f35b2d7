"""The accounts the inbox reads from, whether each still works, and how to fix it.

Opening the dialog asks every server (in the TaskRunner) whether the saved
sign-in still works, so "needs sign-in again" and "server unreachable" show up
here before a sync fails. Removing asks first, saying in numbers what goes.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.accounts import STATE_WORDS, AccountService, RemovalPlan, threads_phrase
from app.core.errors import KeychainUnavailable
from app.core.models import Account, AccountState
from app.ui import palette, theme
from app.ui.account_parts import STYLE, error_text, label
from app.ui.add_account_dialog import AddAccountDialog
from app.ui.task_runner import TaskRunner

STATE_STYLE: dict[AccountState, tuple[str, str]] = {  # text colour, background
    AccountState.CONNECTED: ("@ok_text", "@ok_bg"),
    AccountState.NEEDS_SIGN_IN: ("@warn_text", "@warn_bg"),
    AccountState.UNREACHABLE: ("@text_secondary", "@divider_soft"),
    AccountState.DEMO: ("@notice_text", "@notice_bg"),
}
CHECKING = "Checking…"

LIST_STYLE = """
QListWidget#accountList { border: 1px solid @border; border-radius: 8px; background: @base;
    outline: 0; }
QListWidget#accountList::item { border-bottom: 1px solid @divider_soft; }
QListWidget#accountList::item:selected { background: @selection_soft; }
QLabel#accountName { font-weight: 600; color: @text; }
QLabel#statePill { border-radius: 9px; padding: 2px 10px; font-weight: 600; }
QLabel#emptyAccounts { color: @text_muted; padding: 24px; }
QPushButton#dangerButton { color: @error_text; }
QPushButton#dangerButton:disabled { color: @disabled; }
"""


class AccountRow(QFrame):
    """One account: network mark, name, handle and server, a state pill, and why."""

    def __init__(self, account: Account, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 10, 14, 10)
        row.setSpacing(12)
        icon = QLabel(self)
        icon.setPixmap(theme.network_icon(account.network).pixmap(28, 28))
        row.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        col = QVBoxLayout()
        col.setSpacing(2)
        self.name = label(account.display_name or account.handle, "accountName", self)
        server = account.server.split("://", 1)[-1]
        self.details = label(
            f"{theme.NETWORK_NAMES[account.network]} · {account.address} · {server}", "hint", self
        )
        self.problem = label("", "hint", self)
        palette.style(self.problem, "color: @warn_text;")
        for single_line in (self.name, self.details):
            single_line.setWordWrap(False)
        col.addWidget(self.name)
        col.addWidget(self.details)
        col.addWidget(self.problem)
        row.addLayout(col, 1)
        self.pill = QLabel(self)
        self.pill.setObjectName("statePill")
        row.addWidget(self.pill, 0, Qt.AlignmentFlag.AlignTop)
        self.show_state(account.state, account.last_error)

    def show_state(self, state: AccountState, problem: str = "", *, checking: bool = False) -> None:
        fg, bg = STATE_STYLE[state]
        words = CHECKING if checking else STATE_WORDS[state]
        self.pill.setText(words)
        palette.style(self.pill, f"color: {fg}; background: {bg};")
        shown = (
            problem
            if state in (AccountState.NEEDS_SIGN_IN, AccountState.UNREACHABLE) and not checking
            else ""
        )
        self.problem.setText(shown)
        self.problem.setVisible(bool(shown))


class AccountsDialog(QDialog):
    """Signals `accounts_changed()` after an add or remove, so the window reloads its side."""

    accounts_changed = Signal()

    def __init__(
        self,
        service: AccountService,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        check_on_open: bool = True,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.runner = runner
        self.accounts: list[Account] = []
        self.rows: dict[int, AccountRow] = {}
        self.states: dict[int, AccountState] = {}
        self._check_on_open = check_on_open
        self.setWindowTitle("Accounts")
        palette.style(self, STYLE + LIST_STYLE)
        self.resize(620, 440)
        box = QVBoxLayout(self)
        box.setContentsMargins(24, 20, 24, 18)
        box.setSpacing(10)
        box.addWidget(label("Accounts", "pageTitle", self))
        box.addWidget(
            label(
                "Shopkeep reads the mentions of these accounts. Their passwords "
                "and tokens stay in your system keychain.",
                "pageText",
                self,
            )
        )
        self.error = label("", "formError", self)
        self.error.setVisible(False)
        box.addWidget(self.error)
        self.list = QListWidget(self)
        self.list.setObjectName("accountList")
        self.list.setSelectionMode(QListWidget.SelectionMode.SingleSelection)
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())
        box.addWidget(self.list, 1)
        self.empty = label(
            "No accounts yet. Add your shop's Mastodon or Bluesky account to "
            "see its mentions here.",
            "emptyAccounts",
            self,
        )
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setVisible(False)
        box.addWidget(self.empty, 1)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add account…", self)
        self.add_button.setObjectName("primaryButton")
        self.add_button.clicked.connect(self.add_account)
        self.sign_in_button = QPushButton("Sign in again…", self)
        self.sign_in_button.clicked.connect(self.sign_in_again)
        self.remove_button = QPushButton("Remove…", self)
        self.remove_button.setObjectName("dangerButton")
        self.remove_button.clicked.connect(self.remove_selected)
        self.close_button = QPushButton("Close", self)
        self.close_button.clicked.connect(self.accept)
        for button in (self.add_button, self.sign_in_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        box.addLayout(buttons)
        self._update_buttons()
        self.reload()

    # ------------------------------------------------------------ list

    def reload(self) -> None:
        self.runner.run(
            self.service.accounts, self._show_accounts, self._show_error, name="load accounts"
        )

    def _show_accounts(self, accounts: list[Account]) -> None:
        self.accounts = accounts
        self.list.clear()
        self.rows.clear()
        for account in accounts:
            row = AccountRow(account, self.list)
            item = QListWidgetItem(self.list)
            item.setData(Qt.ItemDataRole.UserRole, account.id)
            self.list.setItemWidget(item, row)
            self.rows[account.id] = row
            self.states[account.id] = account.state
            self._fit(account.id)
        self.list.setVisible(bool(accounts))
        self.empty.setVisible(not accounts)
        if accounts:
            self.list.setCurrentRow(0)
        self._update_buttons()
        if self._check_on_open:
            self.check_all()

    def check_all(self) -> None:
        """Ask each server whether the saved sign-in still works, off the GUI thread."""
        for account in self.accounts:
            if account.is_demo:
                continue
            self.rows[account.id].show_state(account.state, checking=True)
            self.runner.run(
                partial(self._check, account),
                lambda result: self._checked(*result),
                self._show_error,
                name="check account",
            )

    def _check(self, account: Account) -> tuple[int, AccountState, str]:
        state = self.service.check(account)
        fresh = next((a for a in self.service.accounts() if a.id == account.id), account)
        return account.id, state, fresh.last_error

    def _checked(self, account_id: int, state: AccountState, problem: str) -> None:
        row = self.rows.get(account_id)
        if row is None:
            return
        self.states[account_id] = state
        row.show_state(state, problem)
        self._fit(account_id)
        self._update_buttons()

    def _fit(self, account_id: int) -> None:
        """Row height for the list's width, so a wrapped problem sentence is never cut off."""
        row = self.rows[account_id]
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == account_id:
                width = max(self.list.viewport().width(), 400)
                layout = row.layout()
                height = (
                    layout.heightForWidth(width)
                    if layout is not None and layout.hasHeightForWidth()
                    else row.sizeHint().height()
                )
                item.setSizeHint(QSize(width, height))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        for account_id in self.rows:
            self._fit(account_id)

    def selected(self) -> Account | None:
        item = self.list.currentItem()
        if item is None:
            return None
        wanted = item.data(Qt.ItemDataRole.UserRole)
        return next((a for a in self.accounts if a.id == wanted), None)

    def _update_buttons(self) -> None:
        account = self.selected()
        self.remove_button.setEnabled(account is not None)
        self.sign_in_button.setEnabled(account is not None and not account.is_demo)
        needs = account is not None and self.states.get(account.id) is AccountState.NEEDS_SIGN_IN
        self.sign_in_button.setObjectName("primaryButton" if needs else "")
        self.add_button.setObjectName("" if needs else "primaryButton")
        for button in (self.sign_in_button, self.add_button):
            button.style().unpolish(button)
            button.style().polish(button)

    def _show_error(self, exc: BaseException) -> None:
        self.error.setText(error_text(exc))
        self.error.setVisible(True)
        if isinstance(exc, KeychainUnavailable):  # no answer from any server: stop "Checking…"
            for account in self.accounts:
                if account.id in self.rows:
                    self.rows[account.id].show_state(account.state, account.last_error)

    # ------------------------------------------------------------ actions

    def _open_add(self, reauth: Account | None) -> AddAccountDialog:
        dialog = AddAccountDialog(self.service, self.runner, self, reauth=reauth)
        dialog.account_added.connect(lambda _a: self._changed())
        dialog.open()
        return dialog

    def add_account(self) -> AddAccountDialog:
        return self._open_add(None)

    def sign_in_again(self) -> AddAccountDialog | None:
        account = self.selected()
        return self._open_add(account) if account is not None else None

    def _changed(self) -> None:
        self.error.setVisible(False)
        self.accounts_changed.emit()
        self.reload()

    def remove_selected(self) -> None:
        account = self.selected()
        if account is None:
            return
        self.error.setVisible(False)
        self.runner.run(
            lambda: self.service.removal_plan(account),
            self._confirm_removal,
            self._show_error,
            name="plan removal",
        )

    def removal_box(self, plan: RemovalPlan) -> QMessageBox:
        """The confirmation, built apart from showing it so its words can be read."""
        account = plan.account
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Remove account",
            f"Remove {account.handle} from Shopkeep?",
            parent=self,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        what = (
            (
                f"This deletes its {threads_phrase(plan.threads)} and their drafts and "
                "queued replies from this computer"
            )
            if plan.threads
            else ("It has no saved conversations; its settings are deleted from this computer")
        )
        if account.is_demo:
            signout = "."
        elif plan.revokes_on_server:
            signout = (
                ", removes its sign-in from your keychain and signs Shopkeep out on the server."
            )
        else:
            signout = (
                ", and removes its token from your keychain. The access token you "
                "pasted stays valid until you delete it in your server's settings."
            )
        box.setInformativeText(
            f"{what}{signout} Nothing is deleted from "
            f"{theme.NETWORK_NAMES[account.network]} itself."
        )
        self.confirm_button = box.addButton(
            "Remove account", QMessageBox.ButtonRole.DestructiveRole
        )
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return box

    def _confirm_removal(self, plan: RemovalPlan) -> None:
        box = self.removal_box(plan)
        box.finished.connect(lambda _r: self._answered(box, plan))
        box.open()

    def _answered(self, box: QMessageBox, plan: RemovalPlan) -> None:
        if box.clickedButton() is not self.confirm_button:
            return
        row = self.rows.get(plan.account.id)
        if row is not None:
            row.pill.setText("Removing…")
        self.remove_button.setEnabled(False)
        self.runner.run(
            lambda: self.service.remove(plan.account),
            lambda _none: self._changed(),
            self._removal_failed,
            write=True,
            name="remove account",
        )

    def _removal_failed(self, exc: BaseException) -> None:
        self._show_error(exc)
        self.reload()


def open_accounts_dialog(
    service: AccountService, runner: TaskRunner, parent: QWidget | None = None, **kwargs: Any
) -> AccountsDialog:
    """What main.py connects to the window's "Accounts…" action."""
    dialog = AccountsDialog(service, runner, parent, **kwargs)
    dialog.open()
    return dialog
