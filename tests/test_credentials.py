"""Secrets through the real OS keychain, and the plain message when there is none."""

from __future__ import annotations

import json

import keyring
import keyring.backends.null
import pytest

from app.core.connections import Connections, MissingSecrets, account_key, key_for
from app.core.errors import KeychainUnavailable
from app.core.models import Account, Network
from app.storage.credentials import CredentialStore

KEY = "mastodon:https://social.example:@shop"


def test_round_trip_through_the_real_keychain(keychain):
    assert keychain.load(KEY) is None
    keychain.save(KEY, {"access_token": "tok-1", "client_secret": "cs"})
    assert keychain.load(KEY) == {"access_token": "tok-1", "client_secret": "cs"}
    # A rotation replaces the whole set in one write: no stale field survives.
    keychain.save(KEY, {"access_token": "tok-2"})
    assert keychain.load(KEY) == {"access_token": "tok-2"}
    keychain.delete(KEY)
    assert keychain.load(KEY) is None
    keychain.delete(KEY)  # deleting twice is fine


def test_entries_are_one_json_blob_per_account(keychain):
    bsky = "bluesky:https://pds.example:shop.example"
    keychain.save(bsky, {"access_jwt": "a", "refresh_jwt": "r", "app_password": "p"})
    keychain.save(KEY, {"access_token": "t"})
    raw = keyring.get_password(keychain.service, bsky)
    assert json.loads(raw) == {"access_jwt": "a", "app_password": "p", "refresh_jwt": "r"}
    assert keychain.load(KEY) == {"access_token": "t"}
    # Another service name never sees these entries.
    assert CredentialStore(keychain.service + "-other").load(bsky) is None


def test_unicode_and_odd_values_survive(keychain):
    secrets = {"app_password": 'pä$$ wörd 🔑 "quoted" \n newline'}
    keychain.save(KEY, secrets)
    assert keychain.load(KEY) == secrets


def test_no_keychain_says_so_plainly(no_keychain):
    store = CredentialStore("Shopkeep-test-none")
    for call in (
        lambda: store.save(KEY, {"t": "x"}),
        lambda: store.load(KEY),
        lambda: store.delete(KEY),
        store.check,
    ):
        with pytest.raises(KeychainUnavailable) as info:
            call()
        message = info.value.user_message
        assert "keychain" in message
        assert "Keyring" in message or "Keychain" in message or "Credential" in message
        assert message.endswith(".") and "Error" not in message and "\n" not in message


def test_null_backend_is_refused_too():
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.null.Keyring())
    try:
        with pytest.raises(KeychainUnavailable):
            CredentialStore("Shopkeep-test-null").save(KEY, {"t": "x"})
    finally:
        keyring.set_keyring(previous)


def test_account_key_format():
    account = Account(
        id=1,
        network=Network.MASTODON,
        server="https://social.example/",
        handle="@shop",
        remote_id="1",
    )
    assert key_for(account) == KEY
    assert account_key("bluesky", "https://pds.example", "shop.example") == (
        "bluesky:https://pds.example:shop.example"
    )


def test_connections_build_clients_from_keychain_secrets(keychain):
    account = Account(
        id=7,
        network=Network.MASTODON,
        server="https://social.example",
        handle="@shop",
        remote_id="1",
    )
    seen = {}

    def factory(acc, secrets):
        seen["secrets"] = dict(secrets)
        return object()

    connections = Connections(keychain)
    connections.register(Network.MASTODON, factory)
    with pytest.raises(MissingSecrets):
        connections.client_for(account)
    keychain.save(key_for(account), {"access_token": "tok"})
    client = connections.client_for(account)
    assert connections.client_for(account) is client  # cached
    assert seen["secrets"] == {"access_token": "tok"}
    connections.saver_for(account)({"access_token": "tok-rotated"})
    assert keychain.load(key_for(account)) == {"access_token": "tok-rotated"}
