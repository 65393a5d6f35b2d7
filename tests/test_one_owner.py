"""One owner of the database at a time (issue 20, item 5): the window and `shopkeep
sync` from cron share the file without "database is locked"; two syncs at once and
two windows on one data folder are told apart plainly. Real processes throughout."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

from app.cli import sync as cli_sync
from app.core.connections import key_for
from app.core.paths import AppPaths
from tests.mastodon_server import MastodonServer
from tests.sync_support import mastodon_account, mention_thread
from tests.test_cli_sync import run_sync
from tests.test_crash_kill9 import Worker, kill_list  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent


class Typing(Worker):
    """tests/busy_writer.py: the window's write lane saving drafts as the owner types."""

    def __init__(self, *args: str) -> None:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.busy_writer", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines = []


def test_a_cron_sync_beside_a_typing_owner_never_fails_on_a_locked_database(
    store,
    keychain,
    mastodon_server: MastodonServer,
    tmp_path: Path,
    kill_list: list[Worker],  # noqa: F811
) -> None:
    data_dir = tmp_path / "data"
    shop = mastodon_account(store, mastodon_server)
    keychain.save(key_for(shop), {"access_token": mastodon_server.token})
    ann = mastodon_server.add_account("ann", "town.example", display_name="Ann")
    thread_id, _ = mention_thread(store, shop, mastodon_server, ann, "first question")
    for n in range(40):
        mastodon_server.add_mention(ann, f"question number {n} about my order")
    store.close()
    typing = Typing(str(data_dir / "shopkeep.sqlite3"), str(thread_id), "0.3")
    kill_list.append(typing)
    typing.wait_for(lambda line: line.startswith("saved"))

    result = run_sync(data_dir, keychain.service)

    assert typing.proc.poll() is None  # the owner was typing the whole time
    assert "locked" not in (result.stdout + result.stderr).lower()
    assert "could not save" not in result.stdout + result.stderr
    assert result.returncode == 0, result.stderr + result.stdout
    assert "40 new posts" in result.stdout


def start_sync(data_dir: Path, service: str, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "SHOPKEEP_KEYCHAIN_SERVICE": service}
    env.pop("SHOPKEEP_DATA_DIR", None)
    return subprocess.Popen(
        [sys.executable, "-m", "app", "sync", "--data-dir", str(data_dir), *extra],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        stdin=subprocess.DEVNULL,
    )


def test_two_syncs_at_once_take_turns_without_a_traceback(
    store, keychain, mastodon_server: MastodonServer, tmp_path: Path
) -> None:
    """Cron starts a sync while the owner's own `shopkeep sync` is still fetching."""
    data_dir = tmp_path / "data"
    shop = mastodon_account(store, mastodon_server)
    keychain.save(key_for(shop), {"access_token": mastodon_server.token})
    ann = mastodon_server.add_account("ann", "town.example", display_name="Ann")
    for n in range(5):
        mastodon_server.add_mention(ann, f"is cake {n} still there?")
    store.close()
    mastodon_server.delay["/api/v1/notifications"] = 1.0  # the first sync is mid-fetch
    first = start_sync(data_dir, keychain.service)
    try:
        deadline = time.monotonic() + 60
        while not mastodon_server.requests_to("/api/v1/notifications"):
            assert first.poll() is None and time.monotonic() < deadline, first.stderr
            time.sleep(0.02)  # polling the server for the condition
        second = start_sync(data_dir, keychain.service)
        out2, err2 = second.communicate(timeout=120)
        out1, err1 = first.communicate(timeout=120)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == 0 and second.returncode == 0, err1 + err2
    for text in (out1, err1, out2, err2):
        assert "Traceback" not in text and "unexpected" not in text.lower()
        assert "locked" not in text.lower()
    assert "another sync of this inbox is running" in err2
    assert "5 new posts" in out1 and "0 new posts" in out2  # each post stored once


def test_a_sync_that_cannot_wait_longer_says_so_plainly(
    store, keychain, mastodon_server: MastodonServer, tmp_path: Path
) -> None:
    from app.storage.owner_lock import sync_lock

    data_dir = tmp_path / "data"
    shop = mastodon_account(store, mastodon_server)
    keychain.save(key_for(shop), {"access_token": mastodon_server.token})
    store.close()
    out, err = io.StringIO(), io.StringIO()
    with sync_lock(data_dir / "shopkeep.sqlite3") as other:  # another sync, stuck
        assert other.acquire()
        code = cli_sync.main(
            ["--wait", "0.2"],
            AppPaths(data_dir),
            out=out,
            err=err,
            env={"SHOPKEEP_KEYCHAIN_SERVICE": keychain.service},
        )
    assert code == 1
    assert "another sync of this inbox is running; waiting" in err.getvalue()
    assert "still running, so this one did not start" in err.getvalue()
    assert mastodon_server.requests_to("/api/v1/notifications") == []
