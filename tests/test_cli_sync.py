"""`python -m app sync` as a user runs it: a real process, the real keychain, local servers."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli.sync import Progress
from app.core.connections import key_for
from app.core.models import Account, AccountState, Network
from app.core.ports import ThreadQuery
from app.core.sync import SyncStep
from tests.mastodon_server import MastodonServer
from tests.sync_support import mastodon_account

ROOT = Path(__file__).resolve().parent.parent


def run_sync(data_dir: Path, service: str, *extra: str, env: dict | None = None):
    full_env = {**os.environ, "SHOPKEEP_KEYCHAIN_SERVICE": service, **(env or {})}
    full_env.pop("SHOPKEEP_DATA_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "app", "sync", "--data-dir", str(data_dir), *extra],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=90,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def second_server():
    server = MastodonServer(domain="cafe.test").start()
    try:
        yield server
    finally:
        server.stop()


def all_files_bytes(folder: Path) -> list[tuple[Path, bytes]]:
    return [(p, p.read_bytes()) for p in folder.rglob("*") if p.is_file()]


def test_sync_command_stores_mentions_and_no_secret_leaks(
    store, keychain, mastodon_server, tmp_path
):
    data_dir = tmp_path / "data"
    shop = mastodon_account(store, mastodon_server)
    keychain.save(key_for(shop), {"access_token": mastodon_server.token})
    ann = mastodon_server.add_account("ann", "town.example", display_name="Ann")
    mastodon_server.add_mention(ann, "My order arrived broken, very disappointed")
    mastodon_server.add_mention(ann, "Thanks for the quick help!")
    store.close()

    result = run_sync(data_dir, keychain.service)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "OK" in result.stdout and "2 new posts" in result.stdout
    assert "Inbox goes back to" in result.stdout  # how far back the history reaches
    assert "older mentions follow" not in result.stdout  # everything is in
    assert "Traceback" not in result.stderr

    from app.storage.inbox_store import SqliteInboxStore

    reopened = SqliteInboxStore.open(data_dir / "shopkeep.sqlite3")
    try:
        texts = [
            sp.post.text
            for t in reopened.list_threads(ThreadQuery(), 0, 100)
            for sp in reopened.thread_posts(t.id)
        ]
        assert any("arrived broken" in t for t in texts)
        assert any("quick help" in t for t in texts)
        assert reopened.cursor(shop.id) is not None
        assert reopened.account(shop.id).state is AccountState.CONNECTED
    finally:
        reopened.close()

    # The token is in the keychain and nowhere else: not the database, WAL, logs or output.
    secret = mastodon_server.token.encode()
    leaks = [str(p) for p, data in all_files_bytes(data_dir) if secret in data]
    assert leaks == []
    assert list((data_dir / "logs").glob("*.log")), "the sync should have written a log"
    assert mastodon_server.token not in result.stdout + result.stderr

    # A second run finds nothing new and changes nothing.
    again = run_sync(data_dir, keychain.service)
    assert again.returncode == 0 and "0 new posts" in again.stdout


def test_revoked_token_fails_plainly_while_the_other_account_syncs(
    store, keychain, mastodon_server, second_server, tmp_path
):
    data_dir = tmp_path / "data"
    good = mastodon_account(store, mastodon_server)
    revoked = mastodon_account(store, second_server)
    keychain.save(key_for(good), {"access_token": mastodon_server.token})
    keychain.save(key_for(revoked), {"access_token": second_server.token})
    second_server.tokens.pop(second_server.token)  # the owner revoked Shopkeep's access
    ann = mastodon_server.add_account("ann", "town.example")
    mastodon_server.add_mention(ann, "Do you deliver on Sundays?")
    store.close()

    result = run_sync(data_dir, keychain.service)
    assert result.returncode == 1, result.stderr + result.stdout
    lines = result.stdout.splitlines()
    good_host = f"@shop@{mastodon_server.domain} "  # its real address, not 127.0.0.1:port
    bad_host = f"@shop@{second_server.domain} "
    assert any(good_host in line and "OK, 1 new post" in line for line in lines), lines
    failed = [line for line in lines if "FAILED" in line]
    assert len(failed) == 1 and bad_host in failed[0]
    assert "sign in again" in failed[0].lower()
    assert "Traceback" not in result.stderr

    from app.storage.inbox_store import SqliteInboxStore

    reopened = SqliteInboxStore.open(data_dir / "shopkeep.sqlite3")
    try:
        assert reopened.account(revoked.id).state is AccountState.NEEDS_SIGN_IN
        assert reopened.account(good.id).state is AccountState.CONNECTED
    finally:
        reopened.close()


def test_no_accounts_exits_2_and_says_so(store, keychain, tmp_path):
    store.close()
    result = run_sync(tmp_path / "data", keychain.service)
    assert result.returncode == 2
    assert "no accounts" in result.stderr


def test_no_keychain_exits_2_and_says_how_to_fix(store, mastodon_server, tmp_path):
    mastodon_account(store, mastodon_server)
    store.close()
    result = run_sync(
        tmp_path / "data",
        "Shopkeep-test-none",
        env={"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
    )
    assert result.returncode == 2
    assert "keychain" in result.stderr and "Traceback" not in result.stderr


def test_no_accounts_and_no_keychain_says_to_add_an_account_first(store, tmp_path):
    """The keychain does not matter yet: the hint is the step the owner is missing."""
    store.close()
    result = run_sync(
        tmp_path / "data",
        "Shopkeep-test-none",
        env={"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
    )
    assert result.returncode == 2
    assert "add your Mastodon or Bluesky account first" in result.stderr
    assert "keychain" not in result.stderr


def test_account_without_keychain_entry_fails_plainly(store, keychain, mastodon_server, tmp_path):
    mastodon_account(store, mastodon_server)  # never saved to the keychain
    store.close()
    result = run_sync(tmp_path / "data", keychain.service)
    assert result.returncode == 1
    assert "no saved sign-in" in result.stdout


# ---------------------------------------------------------------- progress output


class FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True


ACCOUNT = Account(
    id=1, network=Network.MASTODON, server="https://x.example", handle="@shop", remote_id="1"
)


def test_progress_is_a_bar_on_a_terminal():
    out = FakeTty()
    progress = Progress(out)
    progress(ACCOUNT, SyncStep.THREADS, 3, 6)
    assert "[############------------] fetching conversations 3/6" in out.getvalue()
    assert out.getvalue().startswith("\r")


def test_progress_is_plain_lines_in_a_pipe():
    out = io.StringIO()
    progress = Progress(out)
    for n in range(5):
        progress(ACCOUNT, SyncStep.THREADS, n, 5)
    progress(ACCOUNT, SyncStep.OUTBOX, 0, 0)
    progress(ACCOUNT, SyncStep.DONE, 1, 1)
    assert out.getvalue() == "@shop: fetching conversations\n@shop: sending replies\n"


def test_the_summary_counts_the_work_left_for_next_time():
    from datetime import UTC, datetime

    from app.cli.sync import describe
    from app.core.sync import SyncReport

    now = datetime(2026, 12, 5, tzinfo=UTC)
    report = SyncReport(
        1,
        "@shop@example.social (Mastodon)",
        now,
        now,
        new_posts=3,
        conversations_waiting=2,
        unreadable_conversations=1,
        complete=False,
        reaches_back=datetime(2026, 3, 1, 12, tzinfo=UTC),
    )
    line = describe(report)
    assert "2 conversations to fetch next time" in line
    assert "1 conversation could not be read (tried again later)" in line
    assert "Inbox goes back to 1 Mar 2026; older mentions follow on the next syncs." in line
