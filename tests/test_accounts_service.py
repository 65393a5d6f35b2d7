"""AccountService end to end: the local Mastodon server, the real keychain, the SQLite file.

Run under a Secret Service keychain (tests/run.sh). The browser is simulated
with `requests`: it opens the authorize URL and reads the code, or follows the
redirect to Shopkeep's loopback listener, exactly as a user's browser would.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import keyring
import keyring.backends.fail
import pytest

from app.core.connections import key_for
from app.core.errors import (
    AuthError,
    BadResponse,
    InsecureServer,
    KeychainUnavailable,
    ServerUnreachable,
    WrongCredentials,
)
from app.core.models import AccountState, Network
from app.services.accounts import (
    MAIN_PASSWORD_REFUSED,
    WRONG_CODE,
    WRONG_TOKEN,
    AppAccountService,
)
from tests.mastodon_server import MastodonServer, browser, user_copies_code


def closed_port() -> str:
    """A loopback address where nothing listens (connections are refused at once)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def assert_nowhere_on_disk(folder: Path, *secrets: str) -> None:
    """No secret in any file under `folder` (database, WAL, logs, settings)."""
    found = files_under(folder)
    assert found
    for path in found:
        data = path.read_bytes()
        for secret in secrets:
            assert secret.encode() not in data, f"secret found in {path.name}"


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    """Everything logged at any level during the test, in a real file."""
    path = tmp_path / "data" / "logs" / "shopkeep.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield path
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        handler.close()


@pytest.fixture
def service(store: Any, keychain: Any) -> AppAccountService:
    return AppAccountService(store, keychain)


def sign_in_with_code(service: AppAccountService, server: MastodonServer) -> Any:
    request = service.start_mastodon_sign_in(server.url, loopback=False)
    return service.finish_mastodon_sign_in(request, user_copies_code(request.url))


# ---------------------------------------------------------------- Mastodon


def test_code_flow_with_pkce_verifies_then_keeps_the_token_only_in_the_keychain(
    service: AppAccountService,
    mastodon_server: MastodonServer,
    keychain: Any,
    store: Any,
    tmp_path: Path,
    log_file: Path,
) -> None:
    request = service.start_mastodon_sign_in(mastodon_server.url, loopback=False)
    query = parse_qs(urlsplit(request.url).query)
    assert query["code_challenge_method"] == ["S256"] and not request.uses_loopback
    account = service.finish_mastodon_sign_in(request, f" {user_copies_code(request.url)}\n")

    assert (account.handle, account.display_name, account.server) == (
        "@shop",
        "The Shop",
        mastodon_server.url,
    )
    assert account.network is Network.MASTODON and account.state is AccountState.CONNECTED
    assert [a.id for a in store.accounts()] == [account.id]
    saved = keychain.load(key_for(account))
    assert saved is not None and set(saved) == {"access_token", "client_id", "client_secret"}
    token = saved["access_token"]
    assert mastodon_server.tokens[token] == mastodon_server.owner["id"]
    assert service.check(account) is AccountState.CONNECTED

    store.close()  # flush the WAL so the whole database is in files we can read
    assert_nowhere_on_disk(tmp_path / "data", token, saved["client_secret"])
    assert log_file.read_text() and token not in log_file.read_text()


def test_loopback_redirect_finishes_by_itself(
    service: AppAccountService, mastodon_server: MastodonServer
) -> None:
    request = service.start_mastodon_sign_in(mastodon_server.url)
    assert request.uses_loopback and "redirect_uri=http%3A%2F%2F127.0.0.1" in request.url
    page = browser().get(request.url, timeout=5)  # follows the 302 to the listener
    assert page.status_code == 200 and "signed in" in page.text
    code = service.wait_for_code(request, timeout=5)
    assert code
    account = service.finish_mastodon_sign_in(request, code)
    assert account.handle == "@shop"
    with pytest.raises(AuthError):  # the request is used up
        service.finish_mastodon_sign_in(request, code)


def test_cancel_stops_the_wait(service: AppAccountService, mastodon_server: MastodonServer) -> None:
    request = service.start_mastodon_sign_in(mastodon_server.url)
    service.cancel_sign_in(request)
    assert service.wait_for_code(request, timeout=2) is None


def test_wrong_code_is_refused_in_plain_words(
    service: AppAccountService, mastodon_server: MastodonServer, store: Any
) -> None:
    request = service.start_mastodon_sign_in(mastodon_server.url, loopback=False)
    with pytest.raises(AuthError) as info:
        service.finish_mastodon_sign_in(request, "not-the-code")
    assert info.value.user_message == WRONG_CODE
    assert store.accounts() == []


def test_pasted_access_token(
    service: AppAccountService, mastodon_server: MastodonServer, keychain: Any
) -> None:
    account = service.add_mastodon_token(mastodon_server.url, f"  {mastodon_server.token} ")
    assert account.handle == "@shop"
    assert keychain.load(key_for(account)) == {"access_token": mastodon_server.token}
    plan = service.removal_plan(account)
    assert plan.threads == 0 and plan.revokes_on_server is False


def test_remove_revokes_and_deletes_secret_and_threads(
    service: AppAccountService,
    mastodon_server: MastodonServer,
    keychain: Any,
    store: Any,
    make_post: Any,
    keyword_score: Any,
) -> None:
    account = sign_in_with_code(service, mastodon_server)
    token = keychain.load(key_for(account))["access_token"]
    store.ingest(
        account.id,
        [
            make_post("1", "hello"),
            make_post("2", "angry", author="bo"),
            make_post("3", "thanks", parent="1", minutes=1),
        ],
        keyword_score,
    )
    plan = service.removal_plan(account)
    assert plan.threads == 2 and plan.revokes_on_server
    service.remove(account)
    assert keychain.load(key_for(account)) is None
    assert token not in mastodon_server.tokens  # revoked on the server
    assert store.accounts() == [] and service.count_threads(account) == 0


def test_revoked_token_needs_sign_in_again(
    service: AppAccountService, mastodon_server: MastodonServer, store: Any
) -> None:
    account = service.add_mastodon_token(mastodon_server.url, mastodon_server.token)
    del mastodon_server.tokens[mastodon_server.token]  # revoked on the website
    assert service.check(account) is AccountState.NEEDS_SIGN_IN
    stored = store.account(account.id)
    assert stored.state is AccountState.NEEDS_SIGN_IN
    assert "sign in again" in stored.last_error.lower()


def test_unreachable_server(
    service: AppAccountService, mastodon_server: MastodonServer, store: Any
) -> None:
    account = service.add_mastodon_token(mastodon_server.url, mastodon_server.token)
    mastodon_server.go_offline()
    assert service.check(account) is AccountState.UNREACHABLE
    assert "could not be reached" in store.account(account.id).last_error
    with pytest.raises(ServerUnreachable) as info:
        service.start_mastodon_sign_in(closed_port())
    assert info.value.user_message.startswith("Shopkeep could not reach 127.0.0.1:")


def test_not_a_mastodon_server(service: AppAccountService, mastodon_server: MastodonServer) -> None:
    mastodon_server.respond_next("/api/v1/apps", 404, b"<html>Not Found</html>")
    with pytest.raises(BadResponse) as info:
        service.start_mastodon_sign_in(mastodon_server.url)
    assert "does not look like a Mastodon server" in info.value.user_message


def test_wrong_pasted_token(
    service: AppAccountService, mastodon_server: MastodonServer, store: Any
) -> None:
    with pytest.raises(AuthError) as info:
        service.add_mastodon_token(mastodon_server.url, "wrong-token")
    assert info.value.user_message == WRONG_TOKEN and store.accounts() == []


@pytest.mark.parametrize("address", ["http://social.example", "http://10.0.0.5:3000"])
def test_plain_http_refused_except_loopback(service: AppAccountService, address: str) -> None:
    with pytest.raises(InsecureServer) as info:
        service.start_mastodon_sign_in(address)
    assert "https://" in info.value.user_message
    with pytest.raises(InsecureServer):
        service.add_mastodon_token(address, "token")


def test_no_keychain_saves_nothing_and_signs_out(
    service: AppAccountService, mastodon_server: MastodonServer, store: Any
) -> None:
    request = service.start_mastodon_sign_in(mastodon_server.url, loopback=False)
    code = user_copies_code(request.url)
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        with pytest.raises(KeychainUnavailable) as info:
            service.finish_mastodon_sign_in(request, code)
        with pytest.raises(KeychainUnavailable):
            service.start_mastodon_sign_in(mastodon_server.url)
    finally:
        keyring.set_keyring(previous)
    assert "keychain" in info.value.user_message.lower()
    assert store.accounts() == []
    assert list(mastodon_server.tokens) == [mastodon_server.token]  # the new token was revoked


# ---------------------------------------------------------------- Bluesky (real devnet)


@pytest.mark.devnet
def test_bluesky_app_password_round_trip(
    store: Any, keychain: Any, devnet: Any, tmp_path: Path, log_file: Path
) -> None:
    service = AppAccountService(
        store, keychain, bluesky_service=devnet.pds_url, plc_url=devnet.plc_url
    )
    shop = devnet.create_account("shop")
    app_password = devnet.create_app_password(shop)

    with pytest.raises(WrongCredentials) as info:
        service.add_bluesky(shop.handle, shop.password)
    assert info.value.user_message == MAIN_PASSWORD_REFUSED
    with pytest.raises(WrongCredentials):
        service.add_bluesky(shop.handle, "aaaa-bbbb-cccc-dddd")
    assert store.accounts() == []

    account = service.add_bluesky(f"@{shop.handle}", app_password)
    assert (account.handle, account.remote_id, account.server) == (
        shop.handle,
        shop.did,
        devnet.pds_url,
    )
    saved = keychain.load(key_for(account))
    assert saved is not None and set(saved) == {"access_jwt", "refresh_jwt", "pds_url"}
    assert service.check(account) is AccountState.CONNECTED

    service.remove(account)
    assert keychain.load(key_for(account)) is None and store.accounts() == []
    store.close()
    assert_nowhere_on_disk(
        tmp_path / "data", app_password, saved["refresh_jwt"], saved["access_jwt"], shop.password
    )
