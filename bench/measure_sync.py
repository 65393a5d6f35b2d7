"""Sync wall time against the official SDKs, same server, same run.

Mastodon: the in-process test server (tests/mastodon_server.py) holds N mentions;
Shopkeep runs `SyncService.sync_account` (mention pages, each conversation,
ingest into a fresh store) with the client as the app builds it; Mastodon.py
makes the plain requests (notification pages, status + context per mention; Shopkeep
skips what it need not ask, issue 27).
Bluesky: the local AT Protocol network (tests/devnet); Shopkeep's sync against
the atproto SDK doing listNotifications pages plus getPostThread per mention.
"""

from __future__ import annotations

import os
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.core.models import AccountInfo, Network
from app.core.sentiment import score
from app.core.sync import SyncService
from app.storage.inbox_store import SqliteInboxStore
from bench.generate import customer_text

INSTALL_HINT = "pip install Mastodon.py atproto   (or: pip install -e '.[bench]')"


def missing_sdks() -> list[str]:
    """The peer SDKs that are not installed (their rows print how to install them)."""
    out = []
    for module, name in (("mastodon", "Mastodon.py"), ("atproto", "atproto")):
        try:
            __import__(module)
        except ImportError:
            out.append(name)
    return out


def _fresh_store(tmp: str, info: AccountInfo) -> tuple[SqliteInboxStore, Any]:
    store = SqliteInboxStore.open(Path(tmp) / "sync.sqlite3")
    return store, store.add_account(info)


# ---------------------------------------------------------------- Mastodon


def mastodon_server(mentions: int, seed: int = 7) -> Any:
    """A started test server with `mentions` mentions from 200 people, some as replies."""
    from tests.mastodon_server import MastodonServer

    rng = random.Random(seed)
    server = MastodonServer().start()
    people = [
        server.add_account(f"cust{i}", "mastodon.test", display_name=f"Customer {i}")
        for i in range(200)
    ]
    made: list[dict[str, Any]] = []
    for i in range(mentions):
        parent = rng.choice(made) if made and rng.random() < 0.3 else None
        made.append(
            server.add_mention(
                rng.choice(people), customer_text(rng, "shop", i), in_reply_to=parent
            )
        )
    return server


def shopkeep_mastodon(server: Any, max_mentions: int) -> float:
    from app.net.mastodon import MastodonClient

    info = AccountInfo(Network.MASTODON, server.url, "shop", server.owner["id"], "The Shop")
    with tempfile.TemporaryDirectory(prefix="shopkeep-bench-") as tmp:
        store, account = _fresh_store(tmp, info)
        client = MastodonClient(server.url, server.token)  # as app.cli.sync builds it
        service = SyncService(store, lambda _a: client, score, max_mentions=max_mentions)
        start = time.perf_counter()
        report = service.sync_account(account)
        elapsed = time.perf_counter() - start
        client.close()
        store.close()
    if not report.ok or report.new_posts < 1:
        raise RuntimeError(f"Shopkeep's Mastodon sync failed: {report.error_message}")
    return elapsed


def sdk_mastodon(server: Any, max_mentions: int) -> float:
    from mastodon import Mastodon

    api = Mastodon(
        access_token=server.token,
        api_base_url=server.url,
        version_check_mode="none",
        ratelimit_method="wait",
    )
    start = time.perf_counter()
    page = api.notifications(types=["mention"], limit=40)
    notes: list[Any] = []
    while page and len(notes) < max_mentions:
        notes.extend(page)
        page = api.fetch_next(page)
    for note in notes[:max_mentions]:
        api.status(note["status"]["id"])
        api.status_context(note["status"]["id"])
    return time.perf_counter() - start


def measure_mastodon(mentions: int, runs: int) -> tuple[list[float], list[float]]:
    """(Shopkeep s, Mastodon.py s), alternating on one server."""
    server = mastodon_server(mentions)
    try:
        ours, theirs = [], []
        for _ in range(runs):
            theirs.append(sdk_mastodon(server, mentions))
            ours.append(shopkeep_mastodon(server, mentions))
        return ours, theirs
    finally:
        server.stop()


# ---------------------------------------------------------------- Bluesky


def devnet_url() -> str | None:
    """The running devnet's PDS, or None (this bench never starts or stops it)."""
    import subprocess

    url = os.environ.get("SHOPKEEP_DEVNET_URL")
    if url:
        return url
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        ["bash", str(root / "tests" / "devnet" / "start.sh"), "status"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return "http://localhost:2583" if done.returncode == 0 else None


def seed_bluesky(pds: str, mentions: int, progress: Callable[[str], None]) -> tuple[Any, Any]:
    """A shop account and `mentions` mentions of it from 10 customers; waits until indexed."""
    from tests.fixtures.bluesky import _devnet_from

    net = _devnet_from(pds)
    shop = net.create_account("shop")
    password = net.create_app_password(shop)
    people = [net.create_account("cust") for _ in range(10)]
    rng = random.Random(11)
    for i in range(mentions):
        text = customer_text(rng, shop.handle, i)
        if f"@{shop.handle}" not in text:
            text = f"@{shop.handle} {text}"
        net.post(rng.choice(people), text[:290], mention=[shop])
        if i % 100 == 99:
            progress(f"  bluesky: {i + 1}/{mentions} mentions posted")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        seen, cursor = 0, None
        while True:
            params: dict[str, Any] = {"limit": 100}
            if cursor:
                params["cursor"] = cursor
            body = net.xrpc(
                "GET", "app.bsky.notification.listNotifications", token=shop.access, params=params
            )
            seen += len(body["notifications"])
            cursor = body.get("cursor")
            if not cursor or not body["notifications"]:
                break
        if seen >= mentions:
            break
        time.sleep(0.5)
    return net, (shop, password)


def shopkeep_bluesky(net: Any, shop: Any, password: str, mentions: int) -> float:
    from app.net.bluesky import BlueskyClient
    from app.net.bluesky_session import login

    result = login(shop.handle, password, service=net.pds_url, plc_url=net.plc_url)
    info = AccountInfo(Network.BLUESKY, result.pds_url, shop.handle, shop.did)
    with tempfile.TemporaryDirectory(prefix="shopkeep-bench-") as tmp:
        store, account = _fresh_store(tmp, info)
        client = BlueskyClient.from_login(result, lambda _a, _r: None)
        service = SyncService(store, lambda _a: client, score, max_mentions=mentions)
        start = time.perf_counter()
        report = service.sync_account(account)
        elapsed = time.perf_counter() - start
        client.close()
        store.close()
    if not report.ok or report.new_posts < 1:
        raise RuntimeError(f"Shopkeep's Bluesky sync failed: {report.error_message}")
    return elapsed


def sdk_bluesky(net: Any, shop: Any, password: str, mentions: int) -> float:
    from atproto import Client

    client = Client(base_url=f"{net.pds_url}/xrpc")
    client.login(shop.handle, password)
    start = time.perf_counter()
    uris: list[str] = []
    cursor = None
    while len(uris) < mentions:
        params: dict[str, Any] = {"limit": 100, "reasons": ["mention", "reply", "quote"]}
        if cursor:
            params["cursor"] = cursor
        page = client.app.bsky.notification.list_notifications(params)
        uris += [n.uri for n in page.notifications if n.reason in ("mention", "reply", "quote")]
        cursor = page.cursor
        if not cursor or not page.notifications:
            break
    for uri in uris[:mentions]:
        client.get_post_thread(uri, depth=10, parent_height=20)
    return time.perf_counter() - start


def measure_bluesky(
    mentions: int, runs: int, progress: Callable[[str], None]
) -> tuple[list[float], list[float]]:
    pds = devnet_url()
    if pds is None:
        raise RuntimeError("no local AT Protocol network: run `bash tests/devnet/start.sh start`")
    net, (shop, password) = seed_bluesky(pds, mentions, progress)
    ours, theirs = [], []
    for _ in range(runs):
        theirs.append(sdk_bluesky(net, shop, password, mentions))
        ours.append(shopkeep_bluesky(net, shop, password, mentions))
    return ours, theirs
