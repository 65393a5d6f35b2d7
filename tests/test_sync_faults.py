"""Fault injection: a sync stopped at any point, then run again, ends as if never stopped.

Every network call of a sync (each request the test server answers, numbered)
and every storage write (before and after it commits, tests/fault_points.py) is
a named point. At each one the sync is stopped: a real `kill -9` of a child
process running it, or an error raised there (a 503 from the server, a full
disk). Then one clean sync runs, and the database must equal the one an
uninterrupted sync leaves: posts, parents, threads, statuses, cursors, and no
work left over. Two syncs are cut this way: a first sync with the refresh off
(the durable work alone must bring every conversation back: issue 19, failures
1 and 13), and a later one whose refresh brings a reply without a mention, an
edit and a deletion (failures 2 and 13).
"""

from __future__ import annotations

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

from app.core.sync import SyncService
from app.storage.inbox_store import SqliteInboxStore
from tests.crash_worker import quick_score
from tests.fault_points import PointStore, raise_at, snapshot
from tests.mastodon_server import MastodonServer
from tests.sync_support import client_for, mastodon_account

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs kill -9 (POSIX)")


@dataclass
class Scenario:
    server: MastodonServer
    blank: Path  # a database with the shop's account and nothing synced
    account_id: int
    reference: dict[str, Any]  # what an uninterrupted sync leaves
    requests: int  # network calls of an uninterrupted sync
    writes: list[str]  # its storage points, in order
    refresh_limit: int  # 0: the first sync, refresh off; else a later sync that refreshes


def customers_write(server: MastodonServer) -> dict[str, dict[str, Any]]:
    """Five mentions in four conversations, paged two at a time.

    One conversation the shop already answered, with a second mention below the
    answer (found inside the first one's conversation); one under the shop's own
    post; one with a reply that does not mention the shop.
    """
    ann = server.add_account("ann", "town.example", display_name="Ann")
    bob = server.add_account("bob", "far.example", display_name="Bob")
    cy = server.add_account("cy", "town.example", display_name="Cy")
    cake = server.add_status(bob, "Which bakery does the best cake?")
    first = server.add_mention(ann, "@shop does, their lemon cake is the best", in_reply_to=cake)
    answer = server.add_status(server.owner, "@ann thank you so much!", in_reply_to=first)
    server.add_mention(ann, "@shop and the scones are great too", in_reply_to=answer)
    server.add_mention(ann, "Is the shop open on Sunday?")
    news = server.add_status(server.owner, "New: rye bread on Fridays")
    rye = server.add_mention(cy, "@shop my rye was burnt, very disappointed", in_reply_to=news)
    where = server.add_status(bob, "Where can I get gluten-free bread?")
    tip = server.add_mention(ann, "@shop has some on Mondays", in_reply_to=where)
    thanks = server.add_status(bob, "thanks Ann, going there", in_reply_to=tip)
    return {"ann": ann, "answer": answer, "rye": rye, "thanks": thanks}


def customers_change(server: MastodonServer, made: dict[str, dict[str, Any]]) -> None:
    """No notification for any of these: only a refresh can see them."""
    server.add_status(made["ann"], "one more: do you deliver?", in_reply_to=made["answer"])
    with server.lock:
        made["rye"]["content"] = server.render("@shop my rye was burnt, edit: and late", [])
        made["rye"]["edited_at"] = "2026-12-01T10:00:00.000Z"
    server.delete_status(made["thanks"]["id"])


def clean_sync(
    db_path: Path,
    server: MastodonServer,
    account_id: int,
    store_wrapper: Any = None,
    refresh_limit: int = 0,
) -> Any:
    store = SqliteInboxStore.open(db_path)
    try:
        used = store if store_wrapper is None else store_wrapper(store)
        service = SyncService(
            used, lambda a: client_for(server), quick_score, refresh_limit=refresh_limit
        )
        return service.sync_account(store.account(account_id))
    finally:
        store.close()


@pytest.fixture(scope="module", params=["first sync", "refresh sync"])
def scenario(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Scenario]:
    server = MastodonServer(limit_cap=2).start()
    folder = tmp_path_factory.mktemp("faults")
    blank = folder / "blank.sqlite3"
    store = SqliteInboxStore.open(blank)
    account = mastodon_account(store, server)
    store.close()
    made = customers_write(server)
    refresh_limit = 0
    if request.param == "refresh sync":  # the first sync went well; then customers wrote
        assert clean_sync(blank, server, account.id).ok
        customers_change(server, made)
        refresh_limit = 20
    first = folder / "reference.sqlite3"
    shutil.copy(blank, first)
    writes: list[str] = []
    server.api_count = 0
    report = clean_sync(
        first, server, account.id, lambda s: PointStore(s, writes.append), refresh_limit
    )
    assert report.ok, report
    requests = server.api_count
    reference = snapshot(first)
    assert reference["jobs"] == [] and reference["integrity"] == "ok"
    assert len(reference["threads"]) == 4
    if refresh_limit:
        assert report.refreshed_threads == 4 and report.new_posts == 1
        assert sum(post[4] for post in reference["posts"]) == 1  # the deletion arrived
    else:
        assert report.new_posts == 10
    try:
        yield Scenario(server, blank, account.id, reference, requests, writes, refresh_limit)
    finally:
        server.stop()


def fresh_copy(scenario: Scenario, tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name.replace(' ', '-')}.sqlite3"
    shutil.copy(scenario.blank, path)
    return path


def run_child(
    scenario: Scenario, db_path: Path, target: str = "", kill_at_request: int | None = None
) -> subprocess.CompletedProcess[str]:
    """The sync in a child process; killed at a storage point or at the n-th request."""
    server = scenario.server
    server.api_count = 0
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.crash_worker",
            "fault-sync",
            str(db_path),
            server.url,
            server.token,
            str(scenario.account_id),
            target,
            str(scenario.refresh_limit),
        ],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    if kill_at_request is not None:
        server.on_api_request = lambda number: (
            os.kill(proc.pid, signal.SIGKILL) if number == kill_at_request else None
        )
    try:
        out, err = proc.communicate(input="go\n", timeout=60)
    finally:
        server.on_api_request = None
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def finish_and_compare(scenario: Scenario, db_path: Path, point: str) -> None:
    report = clean_sync(
        db_path, scenario.server, scenario.account_id, refresh_limit=scenario.refresh_limit
    )
    assert report.ok, f"{point}: the clean sync failed: {report.error!r}"
    assert snapshot(db_path) == scenario.reference, f"stopped at {point}: the result differs"


def test_the_scenario_has_points_everywhere(scenario: Scenario) -> None:
    # notification pages, conversations, deletion checks (a lone post needs no request)
    assert scenario.requests >= 7
    assert "after store_fetched 4" in scenario.writes
    if not scenario.refresh_limit:
        assert "before store_mentions 1" in scenario.writes


@pytest.mark.parametrize("where", ["network", "storage"])
def test_kill_9_at_any_point_then_a_clean_sync_equals_an_uninterrupted_one(
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


@pytest.mark.parametrize("where", ["network", "storage"])
def test_an_error_at_any_point_then_a_clean_sync_equals_an_uninterrupted_one(
    scenario: Scenario, tmp_path: Path, where: str
) -> None:
    server = scenario.server
    points = (
        [f"request {n}" for n in range(1, scenario.requests + 1)]
        if where == "network"
        else scenario.writes
    )
    for point in points:
        db_path = fresh_copy(scenario, tmp_path, point)
        if where == "network":  # a 503 from this request on
            server.fail_path, server.fail_after = "/api/", int(point.split()[1]) - 1
            try:
                report = clean_sync(
                    db_path, server, scenario.account_id, refresh_limit=scenario.refresh_limit
                )
            finally:
                server.fail_after = None
        else:  # the disk fills up at this write
            report = clean_sync(
                db_path,
                server,
                scenario.account_id,
                lambda s, p=point: PointStore(s, raise_at(p, [])),
                scenario.refresh_limit,
            )
        if not point.startswith(("after update_account", "before update_account")):
            assert not report.ok, f"{point}: the injected error went unnoticed"
        finish_and_compare(scenario, db_path, point)
