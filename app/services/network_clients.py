"""The concrete network clients behind core's `Connections` registry.

A neutral wiring module (no Qt, no CLI): the GUI (main.py), the account
service and `python -m app sync` all build their `Connections` through
`register_network_clients`, so an account syncs the same way everywhere.
"""

from __future__ import annotations

from app.core.connections import Connections, Secrets
from app.core.models import Account, Network
from app.core.ports import NetworkClient


def register_network_clients(connections: Connections) -> None:
    """Register the Mastodon and Bluesky factories; each imports its client on first use,
    so opening the window does not pay for `requests` before the first paint."""

    def mastodon(account: Account, secrets: Secrets) -> NetworkClient:
        from app.net.mastodon import MastodonClient

        return MastodonClient(
            account.server,
            secrets["access_token"],
            max_chars=account.max_chars or None,
            account_domain=account.domain,
        )

    def bluesky(account: Account, secrets: Secrets) -> NetworkClient:
        from app.net.bluesky import BlueskyClient

        save = connections.saver_for(account)
        kept = dict(secrets)

        def save_tokens(access_jwt: str, refresh_jwt: str) -> None:
            kept.update(access_jwt=access_jwt, refresh_jwt=refresh_jwt)
            save(dict(kept))  # both tokens in one keychain write

        return BlueskyClient(
            secrets.get("pds_url") or account.server,
            account.remote_id,
            secrets["access_jwt"],
            secrets["refresh_jwt"],
            save_tokens,
            handle=account.handle,
        )

    connections.register(Network.MASTODON, mastodon)
    connections.register(Network.BLUESKY, bluesky)
