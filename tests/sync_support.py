"""Helpers shared by the sync, outbox and CLI tests: a real store, a Mastodon
account on the local test server, and taking that server off the network and
back on the same port (the app sees "offline", then the same server again)."""

from __future__ import annotations

import threading
from http.server import ThreadingHTTPServer

from app.core import sentiment
from app.core.models import Account, AccountInfo, Network
from app.net.mastodon import MastodonClient
from app.storage.inbox_store import SqliteInboxStore
from tests.mastodon_server import MastodonServer, _Handler

score = sentiment.score


def mastodon_account(store: SqliteInboxStore, server: MastodonServer) -> Account:
    """The shop's account on `server`, saved the way the sign-in dialog saves it."""
    client = MastodonClient(server.url, server.token, page_pause=0.0)
    try:
        info = client.verify()
    finally:
        client.close()
    return store.add_account(info)


def account_for(store: SqliteInboxStore, server_url: str, handle: str, remote_id: str) -> Account:
    return store.add_account(
        AccountInfo(network=Network.MASTODON, server=server_url, handle=handle, remote_id=remote_id)
    )


def client_for(server: MastodonServer, token: str | None = None) -> MastodonClient:
    return MastodonClient(server.url, token or server.token, page_pause=0.0, timeout=(1.0, 2.0))


def take_offline(server: MastodonServer) -> None:
    """Close the listening socket: connections are refused, as with no network."""
    server.stop()


def bring_back(server: MastodonServer) -> None:
    """Listen again on the same port with the same data."""
    port = int(server.url.rsplit(":", 1)[1])
    httpd = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
    httpd.daemon_threads = True
    httpd.app = server  # type: ignore[attr-defined]
    server._httpd = httpd
    server._thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    server._thread.start()


def mention_thread(
    store: SqliteInboxStore, account: Account, server: MastodonServer, customer: dict, text: str
) -> tuple[int, object]:
    """A customer's mention on the server, synced into the store: (thread id, parent Post)."""
    status = server.add_mention(customer, text)
    client = client_for(server)
    try:
        posts = client.thread(client.status(status["id"]))
    finally:
        client.close()
    store.ingest(account.id, posts, score)
    row = next(p for p in posts if p.remote_id == status["id"])
    stored = [
        sp
        for t in store.list_threads(_all(), 0, 1000)
        for sp in store.thread_posts(t.id)
        if sp.post.remote_id == row.remote_id
    ]
    return stored[0].thread_id, stored[0].post


def _all():
    from app.core.ports import ThreadQuery

    return ThreadQuery()
