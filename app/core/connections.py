"""From a stored Account to a live NetworkClient, without core importing net.

main.py registers one factory per network (MastodonClient, BlueskyClient);
sync, outbox and the UI ask `Connections.client_for(account)` and get a client
built from the keychain's secrets. Secrets pass through here only in memory.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from typing import Protocol

from app.core.errors import AuthError
from app.core.models import Account, Network
from app.core.ports import NetworkClient

log = logging.getLogger(__name__)

Secrets = Mapping[str, str]
ClientFactory = Callable[[Account, Secrets], NetworkClient]


class SecretSource(Protocol):
    """What Connections needs from the credential store (app.storage.credentials)."""

    def load(self, account_key: str) -> dict[str, str] | None: ...

    def save(self, account_key: str, secrets: Mapping[str, str]) -> None: ...


def account_key(network: Network | str, server: str, handle: str) -> str:
    """The keychain entry name for an account: 'mastodon:https://example.social:@shop'."""
    return f"{Network(network).value}:{server.rstrip('/')}:{handle}"


def key_for(account: Account) -> str:
    return account_key(account.network, account.server, account.handle)


class MissingSecrets(AuthError):
    """The account exists but the keychain has nothing for it (moved laptop, wiped keychain)."""

    user_message = "Shopkeep has no saved sign-in for this account. Please sign in again."


class Connections:
    """A small registry of client factories plus a per-account client cache."""

    def __init__(self, secrets: SecretSource) -> None:
        self._secrets = secrets
        self._factories: dict[Network, ClientFactory] = {}
        self._clients: dict[int, NetworkClient] = {}
        self._lock = threading.Lock()

    def register(self, network: Network, factory: ClientFactory) -> None:
        self._factories[Network(network)] = factory

    def saver_for(self, account: Account) -> Callable[[dict[str, str]], None]:
        """A callback a client can call with rotated secrets; saves them as one entry."""
        key = key_for(account)

        def save(new_secrets: dict[str, str]) -> None:
            self._secrets.save(key, new_secrets)

        return save

    def client_for(self, account: Account) -> NetworkClient:
        """The cached client for this account, built on first use.

        Raises MissingSecrets, KeychainUnavailable, or KeyError for a network
        nobody registered (a wiring bug).
        """
        with self._lock:
            client = self._clients.get(account.id)
            if client is not None:
                return client
        factory = self._factories.get(Network(account.network))
        if factory is None:
            raise KeyError(f"no client factory registered for {account.network}")
        secrets = self._secrets.load(key_for(account))
        if not secrets:
            raise MissingSecrets(f"no keychain entry for account {account.id}")
        client = factory(account, secrets)
        with self._lock:
            return self._clients.setdefault(account.id, client)

    def forget(self, account_id: int) -> None:
        """Drop a cached client (after sign-out, or when its token was refused)."""
        with self._lock:
            client = self._clients.pop(account_id, None)
        close = getattr(client, "close", None)
        if callable(close):
            close()

    def close(self) -> None:
        with self._lock:
            ids = list(self._clients)
        for account_id in ids:
            self.forget(account_id)
