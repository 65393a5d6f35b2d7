"""Connecting a Mastodon or Bluesky account, one calm page at a time.

Mastodon signs in in the system browser (the owner never types a password
into Shopkeep): the loopback redirect finishes by itself, or the owner pastes
the code the server shows, or a token from the server's settings. Bluesky
uses an app password. Every network and keychain call runs in the TaskRunner
with a progress bar and a Cancel button; failures are the error's
`user_message`, in plain words, on the page where they happened.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.accounts import (
    APP_PASSWORD_HELP_URL,
    MASTODON_TOKEN_HELP,
    AccountService,
    SignInRequest,
)
from app.core.models import Account, Network
from app.ui import palette
from app.ui.account_parts import (
    STYLE,
    IdentityCard,
    NetworkChoice,
    Page,
    error_text,
    label,
    link_button,
)
from app.ui.task_runner import TaskRunner

log = logging.getLogger(__name__)

# The browser comes back within seconds when the server allows the loopback redirect.
# Some servers refuse it and the browser never comes back: after this long the same
# dialog switches to the code the server shows, which every server supports.
LOOPBACK_WAIT_SECONDS = 90.0


class AddAccountDialog(QDialog):
    """Signals `account_added(Account)` once an account is verified and saved."""

    account_added = Signal(object)

    def __init__(
        self,
        service: AccountService,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        reauth: Account | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.runner = runner
        self.reauth = reauth
        self.request: SignInRequest | None = None
        self.loopback_wait = LOOPBACK_WAIT_SECONDS  # then the code-paste path, same dialog
        self._loopback_gave_up = False
        self.added: Account | None = None
        self._token = 0  # bumped by Cancel and by every new task: stale answers are ignored
        self.setWindowTitle("Sign in again" if reauth else "Add account")
        palette.style(self, STYLE)
        self.setMinimumSize(520, 440)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.stack = QStackedWidget(self)
        outer.addWidget(self.stack, 1)
        self._build_choice()
        self._build_server()
        self._build_browser()
        self._build_token()
        self._build_bluesky()
        self._build_done()
        outer.addWidget(self._build_busy())
        self.footer = QHBoxLayout()
        self.footer.setContentsMargins(28, 12, 28, 18)
        self.back_button = QPushButton("Back", self)
        self.back_button.clicked.connect(self.go_back)
        self.close_button = QPushButton("Cancel", self)
        self.close_button.clicked.connect(self.reject)
        self.next_button = QPushButton("Continue", self)
        self.next_button.setObjectName("primaryButton")
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self.go_next)
        self.footer.addWidget(self.back_button)
        self.footer.addStretch(1)
        self.footer.addWidget(self.close_button)
        self.footer.addWidget(self.next_button)
        outer.addLayout(self.footer)
        if reauth is not None:
            self._prefill(reauth)
        else:
            self.show_page(self.choice_page)

    # ------------------------------------------------------------ pages

    def _build_choice(self) -> None:
        page = self.choice_page = Page(
            "Add an account",
            "Shopkeep reads the mentions of your shop's account and helps you answer them. "
            "Which network is it on?",
            self,
        )
        for network, title, text in (
            (
                Network.MASTODON,
                "Mastodon",
                "Any Mastodon server. You approve Shopkeep in your browser.",
            ),
            (Network.BLUESKY, "Bluesky", "Sign in with an app password made for Shopkeep."),
        ):
            button = NetworkChoice(network, title, text, page)
            button.clicked.connect(lambda _=False, n=network: self.choose(n))
            page.body.addWidget(button)
            setattr(self, f"{network.value}_choice", button)
        self.stack.addWidget(page)

    def _build_server(self) -> None:
        page = self.server_page = Page(
            "Your Mastodon server",
            "Shopkeep opens your server's sign-in page in your browser, so you never type "
            "your password into Shopkeep.",
            self,
        )
        self.server_edit = page.field("Server address", QLineEdit(page))
        self.server_edit.setPlaceholderText("for example mastodon.social")
        self.server_edit.returnPressed.connect(self.go_next)
        self.token_link = link_button("Paste an access token instead", page)
        self.token_link.clicked.connect(lambda: self.show_page(self.token_page))
        page.body.addWidget(self.token_link, 0, Qt.AlignmentFlag.AlignLeft)
        self.stack.addWidget(page)

    def _build_browser(self) -> None:
        page = self.browser_page = Page("Approve Shopkeep in your browser", "", self)
        self.steps = label(
            "1.  Sign in to your server in the browser, if it asks.\n"
            "2.  Check that it names Shopkeep, then click Authorize.\n"
            "3.  Come back here: Shopkeep finishes by itself.",
            "stepsBox",
            page,
        )
        page.body.addWidget(self.steps)
        self.code_caption = label("Code from the server", "fieldLabel", page)
        page.body.addWidget(self.code_caption)  # hidden with the field when the browser answers
        self.code_edit = QLineEdit(page)
        page.body.addWidget(self.code_edit)
        self.code_edit.setPlaceholderText("Paste the authorization code here")
        self.code_edit.returnPressed.connect(self.go_next)
        row = QHBoxLayout()
        self.copy_link = link_button("Copy the link", page)
        self.copy_link.clicked.connect(self._copy_link)
        self.reopen_link = link_button("Open the browser again", page)
        self.reopen_link.clicked.connect(self._open_browser)
        self.use_code_link = link_button("Use a code instead", page)
        self.use_code_link.clicked.connect(lambda: self._start_mastodon(loopback=False))
        for link in (self.reopen_link, self.copy_link, self.use_code_link):
            row.addWidget(link)
        row.addStretch(1)
        page.body.addLayout(row)
        self.stack.addWidget(page)

    def _build_token(self) -> None:
        page = self.token_page = Page("Paste an access token", MASTODON_TOKEN_HELP, self)
        self.token_server_edit = page.field("Server address", QLineEdit(page))
        self.token_server_edit.setPlaceholderText("for example mastodon.social")
        self.token_edit = page.field("Access token", QLineEdit(page))
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.returnPressed.connect(self.go_next)
        self.stack.addWidget(page)

    def _build_bluesky(self) -> None:
        page = self.bluesky_page = Page("Sign in to Bluesky", "", self)
        self.handle_edit = page.field("Handle", QLineEdit(page))
        self.handle_edit.setPlaceholderText("yourshop.bsky.social")
        self.password_edit = page.field("App password", QLineEdit(page))
        self.password_edit.setPlaceholderText("xxxx-xxxx-xxxx-xxxx")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.returnPressed.connect(self.go_next)
        page.body.addSpacing(4)
        page.body.addWidget(
            label(
                "An app password is a separate password just for Shopkeep. It can read and "
                "answer mentions but cannot change your account, and you can revoke it at any "
                "time. Create one in Bluesky under Settings, Privacy and security, App passwords. "
                "Please don't use your main password.",
                "helpBox",
                page,
            )
        )
        self.app_password_link = link_button("Open Bluesky's app password settings", page)
        self.app_password_link.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl(APP_PASSWORD_HELP_URL))
        )
        page.body.addWidget(self.app_password_link, 0, Qt.AlignmentFlag.AlignLeft)
        self.provider_link = link_button("Use another hosting provider", page)
        self.provider_edit = QLineEdit(page)
        self.provider_edit.setPlaceholderText("bsky.social")
        self.provider_edit.setVisible(False)
        self.provider_link.clicked.connect(self._show_provider)
        page.body.addWidget(self.provider_link, 0, Qt.AlignmentFlag.AlignLeft)
        page.body.addWidget(self.provider_edit)
        self.stack.addWidget(page)

    def _build_done(self) -> None:
        page = self.done_page = Page(
            "Account connected", "The server confirmed who this account is:", self
        )
        self.identity = IdentityCard(page)
        page.body.addWidget(self.identity)
        page.body.addWidget(
            label(
                "Its password or token is kept in your system keychain, never in Shopkeep's "
                "files. New mentions arrive with the next sync.",
                "hint",
                page,
            )
        )
        self.stack.addWidget(page)

    def _build_busy(self) -> QWidget:
        bar = QWidget(self)
        bar.setObjectName("busyBar")
        row = QHBoxLayout(bar)
        row.setContentsMargins(28, 8, 28, 0)
        self.busy_label = label("", "hint", bar)
        self.progress = QProgressBar(bar)
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setFixedWidth(120)
        self.cancel_button = QPushButton("Cancel", bar)
        self.cancel_button.clicked.connect(self.cancel_task)
        row.addWidget(self.busy_label, 1)
        row.addWidget(self.progress)
        row.addSpacing(8)
        row.addWidget(self.cancel_button)
        bar.setVisible(False)
        self.busy_bar = bar
        return bar

    # ------------------------------------------------------------ navigation

    def _prefill(self, account: Account) -> None:
        if account.network is Network.MASTODON:
            self.server_edit.setText(account.server)
            self.token_server_edit.setText(account.server)
            self.server_page.title.setText(f"Sign in again to {account.handle}")
            self.show_page(self.server_page)
        else:
            self.handle_edit.setText(account.handle)
            self.bluesky_page.title.setText(f"Sign in again to {account.handle}")
            self.show_page(self.bluesky_page)
            self.password_edit.setFocus()

    def show_page(self, page: Page) -> None:
        page.show_error("")
        self.stack.setCurrentWidget(page)
        self.back_button.setVisible(
            page not in (self.choice_page, self.done_page)
            and not (self.reauth and page in (self.server_page, self.bluesky_page))
        )
        self.next_button.setVisible(page is not self.choice_page)
        self.close_button.setVisible(page is not self.done_page)
        words = {self.done_page: "Done", self.server_page: "Continue", self.token_page: "Connect"}
        self.next_button.setText(words.get(page, "Sign in"))
        first = {
            self.server_page: self.server_edit,
            self.token_page: self.token_server_edit,
            self.bluesky_page: self.handle_edit,
        }.get(page)
        if first is not None:
            first.setFocus()

    def choose(self, network: Network) -> None:
        self.show_page(self.server_page if network is Network.MASTODON else self.bluesky_page)

    def go_back(self) -> None:
        self._stop()
        page = self.stack.currentWidget()
        target = (
            self.server_page if page in (self.browser_page, self.token_page) else self.choice_page
        )
        self.show_page(target)

    def go_next(self) -> None:
        if self.busy_bar.isVisible():
            return
        page = self.stack.currentWidget()
        if page is self.server_page:
            self._start_mastodon(loopback=not self.runner.synchronous)
        elif page is self.browser_page:
            self._finish_mastodon(self.code_edit.text())
        elif page is self.token_page:
            server, token = self.token_server_edit.text(), self.token_edit.text()
            self._run(
                lambda: self.service.add_mastodon_token(server, token),
                f"Checking the token with {server.strip() or 'the server'}…",
                self._added,
            )
        elif page is self.bluesky_page:
            handle, password = self.handle_edit.text(), self.password_edit.text()
            provider = self.provider_edit.text().strip() or None
            self._run(
                lambda: self.service.add_bluesky(handle, password, provider),
                "Signing in to Bluesky…",
                self._added,
            )
        elif page is self.done_page:
            self.accept()

    # ------------------------------------------------------------ Mastodon steps

    def _start_mastodon(self, *, loopback: bool) -> None:
        self._stop()
        server = self.server_edit.text().strip() or (self.request.server if self.request else "")
        self._run(
            lambda: self.service.start_mastodon_sign_in(server, loopback=loopback),
            f"Contacting {server or 'the server'}…",
            self._browser_ready,
            page=self.server_page,
        )

    def _browser_ready(self, request: SignInRequest) -> None:
        self.request = request
        page = self.browser_page
        self.show_page(page)
        where = request.server.split("://", 1)[-1]
        if request.uses_loopback:
            page.text.setText(
                f"Your browser opened {where}, where you can let Shopkeep read "
                "and answer your mentions."
            )
        else:
            before = (
                "Your browser did not come back to Shopkeep, so let's use a code. "
                if self._loopback_gave_up
                else ""
            )
            page.text.setText(
                f"{before}Your browser opened {where}. Click Authorize, then "
                "copy the code the page shows and paste it below."
            )
        self._loopback_gave_up = False
        page.text.setVisible(True)
        for widget in (self.code_edit, self.code_caption):
            widget.setVisible(not request.uses_loopback)
        self.steps.setVisible(request.uses_loopback)
        self.use_code_link.setVisible(request.uses_loopback)
        self.next_button.setVisible(not request.uses_loopback)
        if not self._open_browser():
            page.show_error(
                "Shopkeep could not open your browser. Copy the link and open "
                "it in your browser yourself."
            )
        if request.uses_loopback:
            service = self.service
            wait = self.loopback_wait
            self._run(
                lambda: service.wait_for_code(request, wait),
                "Waiting for your browser…",
                self._code_arrived,
                cancel_back=True,
            )
        else:
            self.code_edit.setFocus()

    def _open_browser(self) -> bool:
        return self.request is not None and QDesktopServices.openUrl(QUrl(self.request.url))

    def _copy_link(self) -> None:
        if self.request is not None:
            QGuiApplication.clipboard().setText(self.request.url)
            self.copy_link.setText("Link copied")

    def _code_arrived(self, code: str | None) -> None:
        if code:
            self._finish_mastodon(code)
        elif self.request is not None:  # not cancelled: the browser never came back
            log.info(
                "no loopback redirect within %.0f s; offering the code instead", self.loopback_wait
            )
            self._loopback_gave_up = True
            self._start_mastodon(loopback=False)

    def _finish_mastodon(self, code: str) -> None:
        request = self.request
        if request is None:
            return
        self._run(
            lambda: self.service.finish_mastodon_sign_in(request, code),
            "Checking who you are…",
            self._added,
        )

    # ------------------------------------------------------------ running tasks

    def _run(
        self,
        fn: Callable[[], Any],
        busy: str,
        done: Callable[[Any], None],
        *,
        page: QWidget | None = None,
        cancel_back: bool = False,
    ) -> None:
        """Run `fn` off the GUI thread; its error lands on `page` (default: the current one)."""
        self._token += 1
        token = self._token
        where = page or self.stack.currentWidget()
        assert isinstance(where, Page)
        where.show_error("")
        self._set_busy(busy, cancel_back)

        def ok(result: Any) -> None:
            if token != self._token:
                if isinstance(result, Account):  # saved after Cancel: still tell the window
                    self.account_added.emit(result)
                return
            self._set_busy("")
            done(result)

        def failed(exc: BaseException) -> None:
            if token != self._token:
                return
            self._set_busy("")
            if self.stack.currentWidget() is not where:
                self.show_page(where)
            where.show_error(error_text(exc))

        self.runner.run(fn, ok, failed, write=False, name="account setup")

    def _set_busy(self, text: str, cancel_back: bool = False) -> None:
        busy = bool(text)
        self.busy_label.setText(text)
        self.busy_bar.setVisible(busy)
        page = self.stack.currentWidget()
        if page is not None:
            page.setEnabled(not busy or cancel_back)
        self.next_button.setEnabled(not busy)
        self.back_button.setEnabled(not busy or cancel_back)
        self.close_button.setVisible(not busy and self.stack.currentWidget() is not self.done_page)

    def cancel_task(self) -> None:
        """The busy bar's Cancel: stop waiting and go back to where the owner can act."""
        on_browser = self.stack.currentWidget() is self.browser_page
        self._stop()
        if on_browser:
            self.show_page(self.server_page)

    def _stop(self) -> None:
        """Cancel: forget the running task's answer and end a pending browser sign-in."""
        self._token += 1
        self._set_busy("")
        if self.request is not None:
            request, self.request = self.request, None
            service = self.service
            self.runner.run(lambda: service.cancel_sign_in(request), name="cancel sign-in")

    def _added(self, account: Account) -> None:
        self.added = account
        self.request = None
        self.identity.show_account(account)
        self.show_page(self.done_page)
        self.account_added.emit(account)

    # ------------------------------------------------------------ closing

    def reject(self) -> None:
        if self.busy_bar.isVisible() or self.request is not None:
            self._stop()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._stop()
        super().closeEvent(event)

    def _show_provider(self) -> None:
        self.provider_link.setVisible(False)
        self.provider_edit.setVisible(True)
        self.provider_edit.setFocus()
