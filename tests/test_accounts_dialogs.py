"""The account dialogs, driven like a user would, over the real service, keychain and store.

The TaskRunner uses real threads (the loopback wait must not block the GUI),
the browser is `requests`, and QDesktopServices.openUrl is patched to record
the URL instead of launching a browser.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import keyring
import keyring.backends.fail
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QLabel, QMessageBox

from app.core.connections import key_for
from app.core.errors import InsecureServer, ServerUnreachable
from app.core.models import Account, AccountState, Network
from app.services.accounts import (
    MAIN_PASSWORD_REFUSED,
    WRONG_CODE,
    WRONG_TOKEN,
    AppAccountService,
)
from app.storage.credentials import keychain_help
from app.ui.accounts_dialog import AccountsDialog
from app.ui.add_account_dialog import AddAccountDialog
from app.ui.task_runner import TaskRunner
from tests.mastodon_server import MastodonServer, browser, user_copies_code
from tests.test_accounts_service import closed_port

WAIT = 10_000


@pytest.fixture
def runner(qtbot: Any) -> Iterator[TaskRunner]:
    r = TaskRunner()
    yield r
    r.shutdown()


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """URLs the app asked the system browser to open."""
    urls: list[str] = []

    def open_url(url: Any) -> bool:
        urls.append(url.toString())
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(open_url))
    return urls


@pytest.fixture
def service(store: Any, keychain: Any) -> AppAccountService:
    return AppAccountService(store, keychain)


def add_dialog(
    qtbot: Any, service: Any, runner: TaskRunner, reauth: Account | None = None
) -> AddAccountDialog:
    dialog = AddAccountDialog(service, runner, reauth=reauth)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def error_on(qtbot: Any, dialog: AddAccountDialog) -> str:
    """Wait for the plain sentence on the current page and return it."""
    qtbot.waitUntil(lambda: not dialog.stack.currentWidget().error.isHidden(), timeout=WAIT)
    text = dialog.stack.currentWidget().error.text()
    assert text.endswith(".") and "HTTP" not in text and "Traceback" not in text
    return text


def start_mastodon(qtbot: Any, dialog: AddAccountDialog, server: str) -> None:
    qtbot.mouseClick(dialog.mastodon_choice, Qt.MouseButton.LeftButton)
    assert dialog.stack.currentWidget() is dialog.server_page
    dialog.server_edit.setText(server)
    dialog.next_button.click()


# ---------------------------------------------------------------- Mastodon


def test_code_flow_through_the_dialog_then_listed_as_connected(
    qtbot: Any,
    service: AppAccountService,
    runner: TaskRunner,
    opened: list[str],
    mastodon_server: MastodonServer,
    keychain: Any,
) -> None:
    dialog = add_dialog(qtbot, service, runner)
    start_mastodon(qtbot, dialog, mastodon_server.url)
    qtbot.waitUntil(lambda: len(opened) == 1, timeout=WAIT)  # loopback first
    assert dialog.stack.currentWidget() is dialog.browser_page
    assert not dialog.busy_bar.isHidden()  # "Waiting for your browser…" with Cancel
    dialog.use_code_link.click()  # the owner prefers to paste a code
    qtbot.waitUntil(lambda: len(opened) == 2 and dialog.code_edit.isVisible(), timeout=WAIT)
    assert "urn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob" in opened[1]
    assert "code_challenge_method=S256" in opened[1]
    dialog.code_edit.setText(user_copies_code(opened[1]))
    with qtbot.waitSignal(dialog.account_added, timeout=WAIT) as added:
        dialog.next_button.click()
    account = added.args[0]
    assert dialog.stack.currentWidget() is dialog.done_page
    assert dialog.identity.name.text() == "The Shop"
    assert "@shop" in dialog.identity.details.text()
    assert keychain.load(key_for(account))["access_token"] in mastodon_server.tokens
    dialog.next_button.click()  # Done
    assert dialog.result() == dialog.DialogCode.Accepted

    accounts = AccountsDialog(service, runner)
    qtbot.addWidget(accounts)
    accounts.show()
    qtbot.waitUntil(
        lambda: (
            account.id in accounts.rows and accounts.rows[account.id].pill.text() == "Connected"
        ),
        timeout=WAIT,
    )


def test_loopback_redirect_finishes_by_itself(
    qtbot: Any,
    service: AppAccountService,
    runner: TaskRunner,
    opened: list[str],
    mastodon_server: MastodonServer,
) -> None:
    dialog = add_dialog(qtbot, service, runner)
    start_mastodon(qtbot, dialog, mastodon_server.url)
    qtbot.waitUntil(lambda: len(opened) == 1, timeout=WAIT)
    with qtbot.waitSignal(dialog.account_added, timeout=WAIT):
        page = browser().get(opened[0], timeout=5)  # the browser follows the redirect
    assert "signed in" in page.text
    assert dialog.stack.currentWidget() is dialog.done_page


def test_cancel_while_waiting_for_the_browser(
    qtbot: Any,
    service: AppAccountService,
    runner: TaskRunner,
    opened: list[str],
    mastodon_server: MastodonServer,
    store: Any,
) -> None:
    dialog = add_dialog(qtbot, service, runner)
    start_mastodon(qtbot, dialog, mastodon_server.url)
    qtbot.waitUntil(lambda: len(opened) == 1, timeout=WAIT)
    dialog.cancel_button.click()
    assert dialog.busy_bar.isHidden() and dialog.stack.currentWidget() is dialog.server_page
    runner.wait_idle(WAIT)  # the loopback wait ended instead of blocking a pool thread
    assert store.accounts() == []


def test_pasted_token_and_failures_in_plain_words(
    qtbot: Any,
    service: AppAccountService,
    runner: TaskRunner,
    opened: list[str],
    mastodon_server: MastodonServer,
    store: Any,
) -> None:
    dialog = add_dialog(qtbot, service, runner)
    dialog.mastodon_choice.click()
    dialog.token_link.click()
    assert dialog.stack.currentWidget() is dialog.token_page
    dialog.token_server_edit.setText(mastodon_server.url)
    dialog.token_edit.setText("not-a-real-token")
    dialog.next_button.click()
    assert error_on(qtbot, dialog) == WRONG_TOKEN
    dialog.token_edit.setText(mastodon_server.token)
    with qtbot.waitSignal(dialog.account_added, timeout=WAIT):
        dialog.next_button.click()
    assert len(store.accounts()) == 1 and opened == []


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("http://social.example", InsecureServer.user_message),
        ("closed", "Shopkeep could not reach 127.0.0.1:"),
    ],
)
def test_bad_server_addresses(
    qtbot: Any,
    service: AppAccountService,
    runner: TaskRunner,
    opened: list[str],
    address: str,
    expected: str,
) -> None:
    dialog = add_dialog(qtbot, service, runner)
    start_mastodon(qtbot, dialog, closed_port() if address == "closed" else address)
    assert error_on(qtbot, dialog).startswith(expected)
    assert dialog.stack.currentWidget() is dialog.server_page and opened == []


def test_wrong_code_is_refused(
    qtbot: Any,
    service: AppAccountService,
    runner: TaskRunner,
    opened: list[str],
    mastodon_server: MastodonServer,
) -> None:
    dialog = add_dialog(qtbot, service, runner)
    start_mastodon(qtbot, dialog, mastodon_server.url)
    qtbot.waitUntil(lambda: len(opened) == 1, timeout=WAIT)
    dialog.use_code_link.click()
    qtbot.waitUntil(lambda: dialog.code_edit.isVisible(), timeout=WAIT)
    dialog.code_edit.setText("typo")
    dialog.next_button.click()
    assert error_on(qtbot, dialog) == WRONG_CODE


def test_no_keychain_explains_and_saves_nothing(
    qtbot: Any,
    service: AppAccountService,
    runner: TaskRunner,
    opened: list[str],
    mastodon_server: MastodonServer,
    store: Any,
) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        dialog = add_dialog(qtbot, service, runner)
        start_mastodon(qtbot, dialog, mastodon_server.url)
        assert error_on(qtbot, dialog) == keychain_help()
        dialog.show_page(dialog.token_page)
        dialog.token_server_edit.setText(mastodon_server.url)
        dialog.token_edit.setText(mastodon_server.token)
        dialog.next_button.click()
        assert error_on(qtbot, dialog) == keychain_help()
    finally:
        keyring.set_keyring(previous)
    assert store.accounts() == [] and opened == []


# ---------------------------------------------------------------- the accounts list


def test_revoked_token_shows_needs_sign_in_and_sign_in_again(
    qtbot: Any,
    service: AppAccountService,
    runner: TaskRunner,
    opened: list[str],
    mastodon_server: MastodonServer,
) -> None:
    account = service.add_mastodon_token(mastodon_server.url, mastodon_server.token)
    del mastodon_server.tokens[mastodon_server.token]
    dialog = AccountsDialog(service, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    row = None
    qtbot.waitUntil(
        lambda: (
            account.id in dialog.rows
            and dialog.rows[account.id].pill.text() == "Needs sign-in again"
        ),
        timeout=WAIT,
    )
    row = dialog.rows[account.id]
    assert "sign in again" in row.problem.text().lower() and not row.problem.isHidden()
    again = dialog.sign_in_again()
    assert again is not None and again.server_edit.text() == mastodon_server.url
    qtbot.addWidget(again)
    again.next_button.click()
    qtbot.waitUntil(lambda: len(opened) == 1, timeout=WAIT)
    with qtbot.waitSignal(again.account_added, timeout=WAIT):
        browser().get(opened[0], timeout=5)
    qtbot.waitUntil(
        lambda: account.id in dialog.rows and dialog.rows[account.id].pill.text() == "Connected",
        timeout=WAIT,
    )


def test_unreachable_server_is_shown(
    qtbot: Any, service: AppAccountService, runner: TaskRunner, mastodon_server: MastodonServer
) -> None:
    account = service.add_mastodon_token(mastodon_server.url, mastodon_server.token)
    mastodon_server.go_offline()
    dialog = AccountsDialog(service, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(
        lambda: (
            account.id in dialog.rows
            and dialog.rows[account.id].pill.text() == "Server unreachable"
        ),
        timeout=WAIT,
    )
    assert dialog.rows[account.id].problem.text() == ServerUnreachable.user_message


def test_remove_confirms_with_thread_count_then_deletes_everything(
    qtbot: Any,
    service: AppAccountService,
    runner: TaskRunner,
    opened: list[str],
    mastodon_server: MastodonServer,
    store: Any,
    keychain: Any,
    make_post: Any,
    keyword_score: Any,
) -> None:
    request = service.start_mastodon_sign_in(mastodon_server.url, loopback=False)
    account = service.finish_mastodon_sign_in(request, user_copies_code(request.url))
    token = keychain.load(key_for(account))["access_token"]
    store.ingest(
        account.id,
        [make_post(str(i), f"hello {i}", author=f"p{i}") for i in range(3)],
        keyword_score,
    )
    dialog = AccountsDialog(service, runner, check_on_open=False)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.selected() is not None, timeout=WAIT)

    def confirmation() -> QMessageBox | None:
        return next((b for b in dialog.findChildren(QMessageBox) if b.isVisible()), None)

    dialog.remove_button.click()
    qtbot.waitUntil(lambda: confirmation() is not None, timeout=WAIT)
    box = confirmation()
    assert "3 conversations" in box.informativeText()
    assert "signs Shopkeep out" in box.informativeText()
    box.button(QMessageBox.StandardButton.Cancel).click()  # changed their mind
    runner.wait_idle(WAIT)
    assert len(store.accounts()) == 1

    dialog.remove_button.click()
    qtbot.waitUntil(lambda: confirmation() is not None, timeout=WAIT)
    with qtbot.waitSignal(dialog.accounts_changed, timeout=WAIT):
        dialog.confirm_button.click()
    assert keychain.load(key_for(account)) is None
    assert token not in mastodon_server.tokens
    assert store.accounts() == [] and service.count_threads(account) == 0
    qtbot.waitUntil(lambda: not dialog.empty.isHidden(), timeout=WAIT)


# ---------------------------------------------------------------- Bluesky (real devnet)


@pytest.mark.devnet
def test_bluesky_through_the_dialog(
    qtbot: Any, store: Any, keychain: Any, devnet: Any, runner: TaskRunner
) -> None:
    service = AppAccountService(
        store, keychain, bluesky_service=devnet.pds_url, plc_url=devnet.plc_url
    )
    shop = devnet.create_account("shop")
    app_password = devnet.create_app_password(shop)
    dialog = add_dialog(qtbot, service, runner)
    dialog.bluesky_choice.click()
    dialog.handle_edit.setText(shop.handle)
    dialog.password_edit.setText(shop.password)  # the main password
    dialog.next_button.click()
    assert error_on(qtbot, dialog) == MAIN_PASSWORD_REFUSED
    dialog.password_edit.setText("wrong-pass-word-here")
    dialog.next_button.click()
    qtbot.waitUntil(lambda: dialog.bluesky_page.error.text() != MAIN_PASSWORD_REFUSED, timeout=WAIT)
    assert "did not accept" in error_on(qtbot, dialog)
    dialog.password_edit.setText(app_password)
    with qtbot.waitSignal(dialog.account_added, timeout=WAIT) as added:
        dialog.next_button.click()
    account = added.args[0]
    assert account.network is Network.BLUESKY and account.handle == shop.handle
    assert service.check(account) is AccountState.CONNECTED
    assert keychain.load(key_for(account)) is not None


def test_accounts_list_without_keychain_says_how_to_fix_it(
    qtbot: Any, service: AppAccountService, runner: TaskRunner, mastodon_server: MastodonServer
) -> None:
    account = service.add_mastodon_token(mastodon_server.url, mastodon_server.token)
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        dialog = AccountsDialog(service, runner)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: not dialog.error.isHidden(), timeout=WAIT)
        assert dialog.error.text() == keychain_help()
        assert dialog.rows[account.id].pill.text() == "Connected"  # not stuck on "Checking…"
    finally:
        keyring.set_keyring(previous)


def test_the_bluesky_help_stays_whole_when_an_error_shows(
    qtbot: Any, service: AppAccountService, runner: TaskRunner
) -> None:
    """Issue 21, item 11: the app-password help was squeezed to one line by an error."""
    dialog = add_dialog(qtbot, service, runner)
    dialog.choose(Network.BLUESKY)
    page = dialog.bluesky_page
    help_box = next(w for w in page.findChildren(QLabel) if w.objectName() == "helpBox")
    qtbot.waitUntil(lambda: help_box.isVisible())
    page.show_error(
        "Bluesky did not accept that handle and app password. Check both and "
        "try again; an app password looks like xxxx-xxxx-xxxx-xxxx."
    )
    qtbot.waitUntil(lambda: page.error.isVisible())
    for shown in (help_box, page.error):
        needed = shown.heightForWidth(shown.width())
        assert shown.height() >= needed, (shown.objectName(), shown.height(), needed)
