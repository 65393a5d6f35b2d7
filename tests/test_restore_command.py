"""A damaged database is never a dead end (issue 20, item 3): whoever finds it (the
window or `shopkeep sync` from cron) sets it aside and says where; `shopkeep restore`
puts the last automatic backup back; the window offers that backup at the next start;
an emptied (zero-byte) file is damage, not a new inbox. Real processes and files."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from app.cli import restore as cli_restore
from app.core.errors import DatabaseCorrupt
from app.core.paths import AppPaths, resolve_paths
from app.core.ports import ThreadQuery
from app.main import offer_pending_restore, open_store
from app.storage.database import damaged_copies
from app.storage.inbox_store import SqliteInboxStore
from app.storage.owner_lock import window_lock
from tests.test_cli_sync import run_sync

ROOT = Path(__file__).resolve().parent.parent


def run_app(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "SHOPKEEP_DATA_DIR"}
    return subprocess.run(
        [sys.executable, "-m", "app", *args, "--data-dir", str(data_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def backed_up_inbox(tmp_path: Path, make_post: Any) -> tuple[AppPaths, int]:
    """An inbox with conversations and its daily backup; returns (paths, thread count)."""
    from tests.fixtures.storage import SHOP_MASTODON
    from tests.sync_support import score

    paths = resolve_paths(tmp_path / "data").ensure()
    store = SqliteInboxStore.open(paths.database)
    shop = store.add_account(SHOP_MASTODON)
    store.ingest(shop.id, [make_post(str(n), f"question {n}", minutes=n) for n in range(3)], score)
    count = store.count_threads(ThreadQuery())
    store.backup_now(paths.backup_dir)
    store.close()
    return paths, count


def threads_in(paths: AppPaths) -> int:
    store = SqliteInboxStore.open(paths.database)
    try:
        return store.count_threads(ThreadQuery())
    finally:
        store.close()


def test_cron_sync_finds_the_damage_says_where_and_restore_puts_the_backup_back(
    backed_up_inbox: tuple[AppPaths, int], keychain: Any
) -> None:
    paths, count = backed_up_inbox
    paths.database.write_bytes(b"garbage, not SQLite" * 500)  # the disk went bad

    found = run_sync(paths.data_dir, keychain.service)
    assert found.returncode == 2 and "Traceback" not in found.stderr
    [aside] = damaged_copies(paths.database)
    assert f"kept as: {aside}" in found.stderr
    assert "shopkeep restore" in found.stderr

    restored = run_app(paths.data_dir, "restore")
    assert restored.returncode == 0, restored.stderr
    assert "Restored the automatic backup shopkeep-" in restored.stdout
    assert f"The damaged file is still kept as: {aside}" in restored.stdout
    assert aside.exists()  # never deleted
    assert threads_in(paths) == count
    assert damaged_copies(paths.database) == []  # dealt with: the window will not ask


def test_restore_with_no_backup_says_so_and_changes_nothing(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    result = run_app(data_dir, "restore")
    assert result.returncode == 2
    assert "there is no automatic backup" in result.stderr
    assert "Traceback" not in result.stderr


def test_restore_refuses_while_the_window_is_open(backed_up_inbox: tuple[AppPaths, int]) -> None:
    paths, _ = backed_up_inbox
    before = paths.database.read_bytes()
    err = io.StringIO()
    with window_lock(paths.database) as window:
        assert window.acquire()
        code = cli_restore.main([], paths, out=io.StringIO(), err=err)
    assert code == 2 and "Close its window first" in err.getvalue()
    assert paths.database.read_bytes() == before


def test_an_emptied_database_is_damage_not_a_new_inbox_when_backups_exist(
    backed_up_inbox: tuple[AppPaths, int],
) -> None:
    paths, _ = backed_up_inbox
    paths.database.write_bytes(b"")  # a full disk or a bad copy left it empty
    with pytest.raises(DatabaseCorrupt) as info:
        open_store(paths)
    assert info.value.damaged_path and Path(info.value.damaged_path).exists()
    assert damaged_copies(paths.database) == [Path(info.value.damaged_path)]


def test_an_empty_file_with_no_backup_is_still_a_new_inbox(tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path / "data").ensure()
    paths.database.write_bytes(b"")
    open_store(paths).close()
    assert damaged_copies(paths.database) == []


def test_the_window_offers_the_backup_at_the_next_start_after_sync_set_the_file_aside(
    backed_up_inbox: tuple[AppPaths, int], monkeypatch: Any
) -> None:
    """`shopkeep sync` found the damage; the next window start must not just show the
    demo shop: it offers the backup, and once answered it stops asking."""
    paths, count = backed_up_inbox
    paths.database.write_bytes(b"garbage, not SQLite" * 500)
    with pytest.raises(DatabaseCorrupt):
        SqliteInboxStore.open(paths.database)  # what `shopkeep sync` did
    assert not paths.database.exists()
    asked: list[str] = []

    def say_yes(_parent: Any, _title: str, text: str, *args: Any) -> Any:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", say_yes)
    assert offer_pending_restore(paths)
    [aside] = list(paths.data_dir.glob("shopkeep.sqlite3.damaged-*[0-9]"))
    assert str(aside) in asked[0] and "Restore the last automatic backup" in asked[0]
    assert threads_in(paths) == count
    assert not offer_pending_restore(paths) and len(asked) == 1  # answered: not again


def test_saying_no_keeps_a_fresh_inbox_and_the_damaged_file_and_stops_asking(
    backed_up_inbox: tuple[AppPaths, int], monkeypatch: Any
) -> None:
    paths, _ = backed_up_inbox
    paths.database.write_bytes(b"garbage, not SQLite" * 500)
    with pytest.raises(DatabaseCorrupt):
        SqliteInboxStore.open(paths.database)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.No)
    assert not offer_pending_restore(paths)  # "No": a fresh inbox, and no more asking
    assert damaged_copies(paths.database) == []
    assert list(paths.data_dir.glob("shopkeep.sqlite3.damaged-*[0-9]"))  # still kept


def _wait_for_log(log_file: Path, words: str, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while not (log_file.exists() and words in log_file.read_text(errors="replace")):
        assert proc.poll() is None, proc.communicate()[1]
        assert time.monotonic() < deadline, f"the window never logged {words!r}"
        time.sleep(0.05)  # polling the log for the condition


def test_a_second_window_on_one_data_folder_brings_the_first_forward(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if k != "SHOPKEEP_DATA_DIR"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    first = subprocess.Popen(
        [sys.executable, "-m", "app", "--data-dir", str(data_dir)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    try:
        log_file = data_dir / "logs" / "shopkeep.log"
        _wait_for_log(log_file, "listening for a second start", first)
        second = subprocess.run(
            [sys.executable, "-m", "app", "--data-dir", str(data_dir)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=90,
            stdin=subprocess.DEVNULL,
        )
        assert second.returncode == 0, second.stderr
        assert "already open" in second.stderr and "brought to the front" in second.stderr
        _wait_for_log(log_file, "a second start of Shopkeep asked for this window", first)
        assert first.poll() is None  # the first window is still the owner
    finally:
        first.kill()
        first.communicate(timeout=30)


def test_a_damage_the_window_found_itself_is_not_offered_twice(
    backed_up_inbox: tuple[AppPaths, int], monkeypatch: Any
) -> None:
    """The window found the damage at start and the owner answered: the next start
    does not ask about the same file again."""
    from app.main import offer_restore

    paths, _ = backed_up_inbox
    paths.database.write_bytes(b"garbage, not SQLite" * 500)
    with pytest.raises(DatabaseCorrupt) as info:
        open_store(paths)
    asked: list[str] = []

    def say_no(_parent: Any, _title: str, text: str, *args: Any) -> Any:
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", say_no)
    assert not offer_restore(paths, info.value)
    assert not offer_pending_restore(paths)
    assert len(asked) == 1
