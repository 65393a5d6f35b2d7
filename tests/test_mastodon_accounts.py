"""Adding a Mastodon account on servers that are not upstream Mastodon, end to end:
the local test server with one personality switched on, the real keychain, the
SQLite file. Run under a Secret Service keychain (tests/run.sh)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from PySide6.QtGui import QDesktopServices

from app.core.connections import key_for
from app.core.errors import AuthError
from app.core.models import Network
from app.core.reply_rules import length_check
from app.core.sync import account_label
from app.net.mastodon import MastodonClient
from app.services.accounts import AppAccountService
from app.storage.credentials import CredentialStore
from app.storage.inbox_store import SqliteInboxStore
from app.ui.add_account_dialog import AddAccountDialog
from app.ui.task_runner import TaskRunner
from tests.mastodon_server import MastodonServer, browser, user_copies_code

WAIT = 10_000


@contextmanager
def serving(**switches: Any) -> Iterator[MastodonServer]:
    """The local test server with these personality switches, for one test."""
    server = MastodonServer(**switches).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def service(store: Any, keychain: Any) -> AppAccountService:
    return AppAccountService(store, keychain)


def sign_in_with_code(service: AppAccountService, server: MastodonServer) -> Any:
    request = service.start_mastodon_sign_in(server.url, loopback=False)
    return service.finish_mastodon_sign_in(request, user_copies_code(request.url))


# ---------------------------------------------------------------- who am I


def test_the_account_knows_its_own_address_when_its_domain_is_not_the_host(
    service: AppAccountService, store: Any
) -> None:
    with serving(account_domain="example.com") as server:
        account = service.add_mastodon_token(server.url, server.token)
        assert account.domain == "example.com"
        assert store.accounts()[0].domain == "example.com"  # stored, not guessed again
        assert account_label(account) == "@shop@example.com (Mastodon)"  # not @shop@127.0.0.1

        alice = server.add_account("alice", "remote.example")
        server.add_mention(alice, "@shop@example.com @bob@else.example is the cake gluten free?")
        server.add_account("bob", "else.example")
        client = service.connections.client_for(account)  # as the sync builds it
        parent = client.mentions(None).posts[-1]
        text = "x" * 470
        check = length_check(account, Network.MASTODON, text, store_post(parent))
        sent = client.reply_text(parent, text)  # type: ignore[attr-defined]
        assert check.prefix + text == sent and "@shop" not in sent
        assert check.used == client.count_chars(sent)


def store_post(post: Any) -> Any:
    """The composer's view of a synced post (only `.post` is read)."""

    class Stored:
        def __init__(self, p: Any) -> None:
            self.post = p

    return Stored(post)


# ---------------------------------------------------------------- sign-in


def test_sign_in_on_a_server_that_knows_only_the_classic_scopes(
    service: AppAccountService, keychain: Any
) -> None:
    with serving(classic_scopes_only=True) as server:
        account = sign_in_with_code(service, server)
        assert account.handle == "@shop"
        token = keychain.load(key_for(account))["access_token"]
        assert server.token_scopes[token] == {"read", "write"}
        client = MastodonClient(server.url, token)
        assert client.verify().remote_id == server.owner["id"]


def test_a_read_only_token_is_refused_when_added_in_plain_words(
    service: AppAccountService, store: Any, keychain: Any
) -> None:
    with serving() as server:
        token = server.issue_token(server.owner, scopes="read")
        with pytest.raises(AuthError) as exc:
            service.add_mastodon_token(server.url, token)
        assert "can read but not reply" in exc.value.user_message
        assert "create one with write access" in exc.value.user_message
        assert store.accounts() == [] and keychain.saved_keys == set()
        assert server.posted == [] and not any(s["content"] == "" for s in server.statuses.values())


def test_a_refusal_names_its_real_cause_not_a_guess() -> None:
    with serving(classic_scopes_only=True) as server:
        token = server.issue_token(server.owner, scopes="profile read:notifications")
        with pytest.raises(AuthError) as exc:
            MastodonClient(server.url, token).verify()
        message = exc.value.user_message
        assert "403" in message and "outside the authorized scopes" in message
        assert "disabled" not in message and "suspended" not in message


# ---------------------------------------------------------------- keychain


def test_two_data_folders_with_the_same_account_keep_their_own_token(
    tmp_path: Any, keychain: Any
) -> None:
    with serving() as server:
        second_token = server.issue_token(server.owner)
        folders = []
        for name, token in (("shop-a", server.token), ("shop-b", second_token)):
            store = SqliteInboxStore.open(tmp_path / name / "shopkeep.sqlite3")
            credentials = CredentialStore(keychain.service, folder_id=store.data_folder_id())
            service = AppAccountService(store, credentials)
            account = service.add_mastodon_token(server.url, token)
            folders.append((store, credentials, service, account))
        try:
            (_, creds_a, _, account_a), (_, creds_b, _, account_b) = folders
            assert key_for(account_a) == key_for(account_b)  # same account, same name...
            assert creds_a.load(key_for(account_a)) == {"access_token": server.token}
            assert creds_b.load(key_for(account_b)) == {"access_token": second_token}
        finally:
            for store, _credentials, service, account in folders:
                service.remove(account)
                store.close()
            assert creds_a.load(key_for(account_a)) is None


def test_an_entry_from_before_folder_ids_is_picked_up_by_the_folder(keychain: Any) -> None:
    key = "mastodon:https://example.social:@shop"
    keychain.save(key, {"access_token": "old-one"})  # written by an older Shopkeep
    folder = CredentialStore(keychain.service, folder_id="f1")
    try:
        assert folder.load(key) == {"access_token": "old-one"}
        folder.save(key, {"access_token": "new-one"})
        assert keychain.load(key) == {"access_token": "old-one"}  # another folder's is kept
        assert folder.load(key) == {"access_token": "new-one"}
    finally:
        folder.delete(key)


# ---------------------------------------------------------------- the dialog


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    urls: list[str] = []

    def open_url(url: Any) -> bool:
        urls.append(url.toString())
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(open_url))
    return urls


def test_a_server_that_refuses_the_loopback_redirect_gets_the_code_instead(
    qtbot: Any, service: AppAccountService, opened: list[str]
) -> None:
    runner = TaskRunner()
    try:
        with serving(refuse_loopback=True) as server:
            dialog = AddAccountDialog(service, runner)
            qtbot.addWidget(dialog)
            dialog.loopback_wait = 0.5  # the owner would wait a minute or so
            dialog.show()
            dialog.mastodon_choice.click()
            dialog.server_edit.setText(server.url)
            dialog.next_button.click()
            qtbot.waitUntil(lambda: len(opened) == 1, timeout=WAIT)
            assert browser().get(opened[0], timeout=5).status_code == 400  # never comes back
            qtbot.waitUntil(lambda: len(opened) == 2 and dialog.code_edit.isVisible(), timeout=WAIT)
            assert "urn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob" in opened[1]
            assert "did not come back" in dialog.browser_page.text.text()
            dialog.code_edit.setText(user_copies_code(opened[1]))
            with qtbot.waitSignal(dialog.account_added, timeout=WAIT):
                dialog.next_button.click()
            assert f"@shop@{server.domain} " in dialog.identity.details.text()  # its address
    finally:
        runner.shutdown()


def test_accounts_saved_before_the_domain_was_kept_get_it_at_their_next_check(
    tmp_path: Any, keychain: Any
) -> None:
    from app.storage.database import open_database
    from app.storage.migrations import MIGRATIONS, migrate

    path = tmp_path / "old" / "shopkeep.sqlite3"
    path.parent.mkdir()
    db = open_database(path)
    migrate(db, [step for step in MIGRATIONS if step[0] <= 3])
    db.execute_sql("ALTER TABLE account DROP COLUMN domain")  # as a v3 file really is
    db.execute_sql(
        "INSERT INTO account (network, server, handle, remote_id, display_name, state, is_demo,"
        " max_chars, default_visibility, last_error, created_at)"
        " VALUES ('mastodon', 'https://example.social', '@shop', '1', '', 'connected', 0, 500,"
        " 'public', '', '2026-01-01 00:00:00')"
    )
    db.close()
    store = SqliteInboxStore.open(path)  # migrates to the latest version
    try:
        (old,) = store.accounts()
        assert old.domain == "" and account_label(old) == "@shop@example.social (Mastodon)"
        with serving(account_domain="example.com") as server:
            service = AppAccountService(store, keychain)
            account = service.add_mastodon_token(server.url, server.token)
            store.db.execute_sql("UPDATE account SET domain = '' WHERE id = ?", (account.id,))
            assert store.accounts()[-1].domain == ""  # as if added by an older Shopkeep
            assert service.check(store.accounts()[-1]).value == "connected"
            assert store.accounts()[-1].domain == "example.com"
    finally:
        store.close()
