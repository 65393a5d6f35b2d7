"""Fault injection on the real local AT Protocol network: a Bluesky sync stopped at any
point, then run again, ends as if never stopped (issue 19, failure 13).

The same harness as tests/test_sync_faults.py, against the devnet instead of a
test server. Every network call of the sync passes a loopback relay in front of
the PDS (tests/counting_proxy.py) that numbers it; every storage write passes
two named points (tests/fault_points.py). At each one a child process running
the sync is killed with a real `kill -9` (or, in-process, the relay answers 503
from there on, or the write fails like a full disk). Then a clean sync runs, and
the database must equal the one an uninterrupted sync leaves.

Two syncs are cut this way. The first, with the refresh off, meets a thread 13
posts deep whose replies name no one (only the thread fetch below the depth
limit reaches its end) and a reply under the shop's own post. The later one
refreshes the old conversations after customers changed them with no
notification: a 13th reply at the bottom of the deep thread, a reply deleted, and
a customer who blocks the shop after being synced (their post stays as written).

The child fetches threads one at a time (prefetch off) so the request numbers
are the same on every run; one more test kills it with conversations fetched
ahead on worker threads, as the app runs.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app.core.models import AccountInfo, Network
from app.core.sync import SyncService
from app.net.bluesky import THREAD_DEPTH, BlueskyClient
from app.net.bluesky_session import login
from app.storage.inbox_store import SqliteInboxStore
from tests.counting_proxy import CountingProxy
from tests.crash_worker import quick_score
from tests.fault_points import PointStore, raise_at, snapshot
from tests.fixtures.bluesky import Devnet, DevnetAccount
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parent.parent
DEEP = THREAD_DEPTH + 2  # replies under the opening mention: deeper than one fetch reaches
WAIT = 60.0  # seconds the AppView may take to index, under a loaded machine
pytestmark = [
    pytest.mark.devnet,
    pytest.mark.timeout(1200),
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs kill -9"),
]


@dataclass
class Shop:
    person: DevnetAccount
    access: str
    refresh: str


@dataclass
class Scenario:
    shop: Shop
    proxy: CountingProxy
    blank: Path  # the database before the sync under test
    account_id: int
    reference: dict[str, Any]  # what an uninterrupted sync leaves
    requests: int  # network calls of an uninterrupted sync
    writes: list[str]  # its storage points, in order
    refresh_limit: int  # 0: the first sync, refresh off; else a later sync that refreshes
    made: dict[str, Any]  # what the customers (and the shop) posted, by name
    report: Any  # the uninterrupted sync's report
    stored: dict[str, tuple[str, bool]]  # after it: remote id -> (text, deleted)


def customers_write(devnet: Devnet, shop: DevnetAccount) -> dict[str, dict[str, Any]]:
    """Three conversations: a reply under the shop's post, a plain mention the shop
    answered and Ann answered back, and a sourdough question 13 posts deep."""
    ann, bob, cat = (devnet.create_account(n) for n in ("ann", "bob", "cat"))
    made: dict[str, Any] = {"ann": ann, "bob": bob, "cat": cat}
    made["news"] = devnet.post(shop, "New: rye bread on Fridays")
    devnet.wait_indexed(made["news"]["uri"], WAIT)
    made["rye"] = devnet.post(cat, "my rye was burnt, very disappointed", reply_to=made["news"])
    made["ask"] = devnet.post(ann, f"@{shop.handle} open on Sunday?", mention=[shop])
    devnet.wait_indexed(made["ask"]["uri"], WAIT)
    made["answer"] = devnet.post(shop, "Yes, 9 to 1!", reply_to=made["ask"])
    devnet.wait_indexed(made["answer"]["uri"], WAIT)
    made["thanks"] = devnet.post(ann, "great, see you then", reply_to=made["answer"])
    parent = made["opening"] = devnet.post(
        ann, f"@{shop.handle} which flour for sourdough?", mention=[shop]
    )
    for level in range(1, DEEP + 1):  # nobody names the shop down there: no notification
        devnet.wait_indexed(parent["uri"], WAIT)
        parent = devnet.post((bob, ann)[level % 2], f"flour level {level}", reply_to=parent)
    made["bottom"] = parent
    devnet.wait_indexed(parent["uri"], WAIT)
    for name in ("rye", "ask", "thanks", "opening"):
        devnet.wait_for_uri(shop, made[name]["uri"], WAIT)
    return made


def customers_change(devnet: Devnet, shop: DevnetAccount, made: dict[str, Any]) -> None:
    """No notification for any of these: only a refresh of the old threads can see them."""
    ann, cat = made["ann"], made["cat"]
    made["deeper"] = devnet.post(ann, f"flour level {DEEP + 1}", reply_to=made["bottom"])
    rkey = made["thanks"]["uri"].rsplit("/", 1)[1]
    devnet.xrpc(
        "POST",
        "com.atproto.repo.deleteRecord",
        token=ann.access,
        body={"repo": ann.did, "collection": "app.bsky.feed.post", "rkey": rkey},
    )
    devnet.block(cat, shop)
    devnet.wait_indexed(made["deeper"]["uri"], WAIT)
    wait_until(
        lambda: not indexed(devnet, made["thanks"]["uri"]),
        "the deletion to reach the AppView",
        WAIT,
    )
    wait_until(
        lambda: devnet.blocked_for(shop, made["rye"]["uri"]), "the block to reach the AppView", WAIT
    )


def indexed(devnet: Devnet, uri: str) -> bool:
    resp = devnet.http.get(
        f"{devnet.appview_url}/xrpc/app.bsky.feed.getPosts", params={"uris": uri}, timeout=10
    )
    return resp.status_code == 200 and bool(resp.json().get("posts"))


def client_for(scenario_shop: Shop, proxy: CountingProxy) -> BlueskyClient:
    return BlueskyClient(
        proxy.url,
        scenario_shop.person.did,
        scenario_shop.access,
        scenario_shop.refresh,
        lambda a, r: None,
        handle=scenario_shop.person.handle,
        prefetch_threads=False,
    )


def clean_sync(
    db_path: Path,
    shop: Shop,
    proxy: CountingProxy,
    account_id: int,
    store_wrapper: Any = None,
    refresh_limit: int = 0,
) -> Any:
    store = SqliteInboxStore.open(db_path)
    client = client_for(shop, proxy)
    try:
        used = store if store_wrapper is None else store_wrapper(store)
        service = SyncService(used, lambda a: client, quick_score, refresh_limit=refresh_limit)
        return service.sync_account(store.account(account_id))
    finally:
        client.close()
        store.close()


def post_rows(db_path: Path) -> dict[str, tuple[str, bool]]:
    """remote id -> (text, deleted), for every stored post."""
    rows = snapshot(db_path)["posts"]  # remote_id, parent, root, text, deleted, ...
    return {row[0]: (row[3], bool(row[4])) for row in rows}


@pytest.fixture(scope="module", params=["first sync", "refresh sync"])
def scenario(
    request: pytest.FixtureRequest, devnet: Devnet, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Scenario]:
    person = devnet.create_account("shop")
    signed = login(
        person.handle,
        devnet.create_app_password(person),
        service=devnet.pds_url,
        plc_url=devnet.plc_url,
    )
    shop = Shop(person, signed.access_jwt, signed.refresh_jwt)
    proxy = CountingProxy(devnet.pds_url).start()
    folder = tmp_path_factory.mktemp("bluesky-faults")
    blank = folder / "blank.sqlite3"
    store = SqliteInboxStore.open(blank)
    account = store.add_account(
        AccountInfo(
            network=Network.BLUESKY,
            server=devnet.pds_url,
            handle=person.handle,
            remote_id=person.did,
        )
    )
    store.close()
    made = customers_write(devnet, person)
    refresh_limit = 0
    if request.param == "refresh sync":  # the first sync went well; then customers changed
        assert clean_sync(blank, shop, proxy, account.id).ok
        customers_change(devnet, person, made)
        refresh_limit = 20
    first = folder / "reference.sqlite3"
    shutil.copy(blank, first)
    writes: list[str] = []
    proxy.count = 0
    report = clean_sync(
        first, shop, proxy, account.id, lambda s: PointStore(s, writes.append), refresh_limit
    )
    assert report.ok, report.error_message
    requests = proxy.count
    reference = snapshot(first)
    assert reference["jobs"] == [] and reference["integrity"] == "ok"
    assert len(reference["threads"]) == 3
    try:
        yield Scenario(
            shop,
            proxy,
            blank,
            account.id,
            reference,
            requests,
            writes,
            refresh_limit,
            made,
            report,
            post_rows(first),
        )
    finally:
        proxy.stop()


def fresh_copy(scenario: Scenario, tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name.replace(' ', '-')}.sqlite3"
    shutil.copy(scenario.blank, path)
    return path


def run_child(
    scenario: Scenario,
    db_path: Path,
    target: str = "",
    kill_at_request: int | None = None,
    prefetch: bool = False,
) -> subprocess.CompletedProcess[str]:
    """The sync in a child process; killed at a storage point or at the n-th request."""
    proxy, person = scenario.proxy, scenario.shop.person
    proxy.count = 0
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.crash_worker",
            "bluesky-fault-sync",
            str(db_path),
            proxy.url,
            person.did,
            person.handle,
            str(scenario.account_id),
            target,
            str(scenario.refresh_limit),
            "1" if prefetch else "0",
        ],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )

    def kill(number: int) -> bool:
        if number != kill_at_request:
            return False
        os.kill(proc.pid, signal.SIGKILL)
        return True

    if kill_at_request is not None:
        proxy.on_request = kill
    tokens = json.dumps({"access": scenario.shop.access, "refresh": scenario.shop.refresh})
    try:
        out, err = proc.communicate(input=tokens + "\n", timeout=120)
    finally:
        proxy.on_request = None
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def finish_and_compare(scenario: Scenario, db_path: Path, point: str) -> None:
    report = clean_sync(
        db_path,
        scenario.shop,
        scenario.proxy,
        scenario.account_id,
        refresh_limit=scenario.refresh_limit,
    )
    assert report.ok, f"{point}: the clean sync failed: {report.error_message}"
    assert snapshot(db_path) == scenario.reference, f"stopped at {point}: the result differs"


def test_a_conversation_13_posts_deep_is_stored_to_its_last_post(scenario: Scenario) -> None:
    made, stored = scenario.made, scenario.stored
    assert stored[made["bottom"]["uri"]] == (f"flour level {DEEP}", False)
    assert stored[made["news"]["uri"]][0] == "New: rye bread on Fridays"  # the shop's own
    assert made["answer"]["uri"] in stored
    if not scenario.refresh_limit:
        assert len(stored) == DEEP + 6, sorted(text for text, _ in stored.values())


@pytest.mark.parametrize("scenario", ["refresh sync"], indirect=True)
def test_the_refresh_sees_a_deeper_reply_a_deletion_and_keeps_a_blocked_customers_post(
    scenario: Scenario,
) -> None:
    made, stored = scenario.made, scenario.stored
    assert scenario.report.refreshed_threads == 3, scenario.report
    # a reply below the 13th level, notified to no one, found in the old thread
    assert stored[made["deeper"]["uri"]] == (f"flour level {DEEP + 1}", False)
    # Ann's reply, synced earlier and deleted since, is marked deleted
    assert stored[made["thanks"]["uri"]][1] is True
    # Cat blocked the shop after being synced: her post stays as she wrote it
    assert stored[made["rye"]["uri"]][0] == "my rye was burnt, very disappointed"


def test_the_bluesky_scenario_has_points_everywhere(scenario: Scenario) -> None:
    assert scenario.requests >= 5  # notifications, three threads, the deep one's lower part
    assert any(w.startswith("after store_fetched") for w in scenario.writes)
    if not scenario.refresh_limit:
        assert "before store_mentions 1" in scenario.writes


@pytest.mark.parametrize("where", ["network", "storage"])
def test_kill_9_during_a_bluesky_sync_then_a_clean_sync_equals_an_uninterrupted_one(
    scenario: Scenario, tmp_path: Path, where: str
) -> None:
    points = (
        [f"request {n}" for n in range(1, scenario.requests + 1)]
        if where == "network"
        else scenario.writes
    )
    for point in points:
        db_path = fresh_copy(scenario, tmp_path, point)
        if where == "network":
            done = run_child(scenario, db_path, kill_at_request=int(point.split()[1]))
        else:
            done = run_child(scenario, db_path, target=point)
        assert done.returncode == -signal.SIGKILL, f"{point}: not killed: {done.stderr[-500:]}"
        finish_and_compare(scenario, db_path, point)


def test_kill_9_while_threads_are_fetched_ahead_then_a_clean_sync_equals_an_uninterrupted_one(
    scenario: Scenario, tmp_path: Path
) -> None:
    """As the app runs it: conversations fetched ahead on worker threads, so several
    requests are in flight when the n-th one kills the process."""
    for number in range(1, scenario.requests + 1):
        point = f"request {number} (prefetch)"
        db_path = fresh_copy(scenario, tmp_path, point)
        done = run_child(scenario, db_path, kill_at_request=number, prefetch=True)
        if done.returncode != -signal.SIGKILL:  # ahead-fetching may need fewer requests
            assert done.returncode == 0 and scenario.proxy.count < number, done.stderr[-500:]
        finish_and_compare(scenario, db_path, point)


@pytest.mark.parametrize("where", ["network", "storage"])
def test_an_error_during_a_bluesky_sync_then_a_clean_sync_equals_an_uninterrupted_one(
    scenario: Scenario, tmp_path: Path, where: str
) -> None:
    proxy = scenario.proxy
    points = (
        [f"request {n}" for n in range(1, scenario.requests + 1)]
        if where == "network"
        else scenario.writes
    )
    for point in points:
        db_path = fresh_copy(scenario, tmp_path, point)
        if where == "network":  # a 503 from this request on
            proxy.count, proxy.fail_from = 0, int(point.split()[1])
            try:
                report = clean_sync(
                    db_path,
                    scenario.shop,
                    proxy,
                    scenario.account_id,
                    refresh_limit=scenario.refresh_limit,
                )
            finally:
                proxy.fail_from = None
        else:  # the disk fills up at this write
            report = clean_sync(
                db_path,
                scenario.shop,
                proxy,
                scenario.account_id,
                lambda s, p=point: PointStore(s, raise_at(p, [])),
                scenario.refresh_limit,
            )
        if not point.startswith(("after update_account", "before update_account")):
            assert not report.ok, f"{point}: the injected error went unnoticed"
        finish_and_compare(scenario, db_path, point)
