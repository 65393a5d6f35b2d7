"""The disk misbehaves: power cut mid-write, a damaged file, a full disk.

- Power loss: a worker commits batches with checkpoints off while the test
  copies the database and its WAL as a dying disk would leave them (the WAL
  cut at any byte). Every copy opens, passes integrity_check and holds whole
  transactions only.
- A damaged database is found at start, moved aside (never deleted) with a
  plain message, and the last automatic backup can be put back.
- A full disk while saving a draft says so plainly and keeps the earlier draft.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest

from app.core.errors import DatabaseCorrupt, DiskFull
from app.core.ports import ThreadQuery
from app.storage.database import list_backups, restore_last_backup
from app.storage.inbox_store import SqliteInboxStore
from tests.crash_worker import BATCH
from tests.sync_support import score
from tests.test_crash_kill9 import Worker, integrity, kill_list  # noqa: F401 (fixture)

# ---------------------------------------------------------------- power loss


def posts_in(db_path: Path) -> int:
    conn = sqlite3.connect(db_path)
    try:
        return int(conn.execute("SELECT count(*) FROM post").fetchone()[0])
    finally:
        conn.close()


def test_a_power_cut_at_any_byte_of_the_wal_leaves_whole_transactions_only(
    tmp_path: Path,
    store: Any,
    shop_account: Any,
    kill_list: list[Worker],  # noqa: F811
) -> None:
    db_path = Path(store.db.database)
    store.close()
    worker = Worker("bulk", str(db_path), str(shop_account.id))
    kill_list.append(worker)
    worker.wait_for(lambda line: line == "committed 4")
    disk = tmp_path / "disk"  # what the disk held when the power went
    disk.mkdir()
    shutil.copyfile(db_path, disk / db_path.name)  # checkpoints are off: this file is still
    shutil.copyfile(f"{db_path}-wal", disk / f"{db_path.name}-wal")  # the WAL, mid-append
    said = worker.kill()
    committed_before_copy = 4
    assert any(line.startswith("committed") for line in said)

    wal = (disk / f"{db_path.name}-wal").read_bytes()
    rng = random.Random(7)
    cuts = [len(wal), *sorted(rng.sample(range(32, len(wal)), 6))]  # 32: the WAL header
    for cut in cuts:
        trial = tmp_path / f"cut-{cut}"
        trial.mkdir()
        shutil.copyfile(disk / db_path.name, trial / db_path.name)
        (trial / f"{db_path.name}-wal").write_bytes(wal[:cut])
        reopened = SqliteInboxStore.open(trial / db_path.name)  # the app's own start-up path
        try:
            count = reopened.count_threads(ThreadQuery())
        finally:
            reopened.close()
        assert integrity(trial / db_path.name) == "ok", cut
        posts = posts_in(trial / db_path.name)
        assert posts % BATCH == 0, f"a half transaction survived a cut at byte {cut}"
        assert count == posts  # every thread has its post: the index and rows agree
        if cut == len(wal):
            assert posts >= committed_before_copy * BATCH  # nothing acknowledged was lost


# ---------------------------------------------------------------- a damaged file


def _garbage_header(path: Path) -> None:
    with path.open("r+b") as f:
        f.write(b"this is not sqlite at all" * 4)


def _torn_pages(path: Path) -> None:
    size = path.stat().st_size
    rng = random.Random(3)
    with path.open("r+b") as f:
        for page in range(1, size // 4096):
            f.seek(page * 4096 + 8)
            f.write(rng.randbytes(600))


def _cut_in_half(path: Path) -> None:
    with path.open("r+b") as f:
        f.truncate(path.stat().st_size // 2)


@pytest.mark.parametrize(
    "damage",
    [_garbage_header, _torn_pages, _cut_in_half],
    ids=["garbage header", "torn pages", "cut in half"],
)
def test_a_damaged_database_is_kept_aside_and_the_last_backup_restored(
    tmp_path: Path, store: Any, shop_account: Any, make_post: Any, damage: Any
) -> None:
    posts = [make_post(str(n), f"order {n} never arrived " * 30, minutes=n) for n in range(60)]
    store.ingest(shop_account.id, posts, score)
    backups = tmp_path / "backups"
    store.backup_now(backups)
    db_path = Path(store.db.database)
    store.close()
    for companion in ("-wal", "-shm"):
        Path(f"{db_path}{companion}").unlink(missing_ok=True)
    damage(db_path)
    damaged_bytes = db_path.read_bytes()

    with pytest.raises(DatabaseCorrupt) as caught:
        SqliteInboxStore.open(db_path)
    problem = caught.value
    assert "kept aside" in problem.user_message and "backup" in problem.user_message
    kept = Path(problem.damaged_path)
    assert kept.exists() and kept.read_bytes() == damaged_bytes  # nothing deleted
    assert not db_path.exists()  # the next start will not trip over it again

    restored_from = restore_last_backup(db_path, backups)
    assert restored_from == list_backups(backups)[0]
    reopened = SqliteInboxStore.open(db_path)
    try:
        assert reopened.count_threads(ThreadQuery()) == 60
        assert integrity(db_path) == "ok"
    finally:
        reopened.close()


# ---------------------------------------------------------------- a full disk


@pytest.fixture
def drafted(store: Any, shop_account: Any, make_post: Any) -> tuple[Any, int]:
    """A thread with a draft the owner already wrote."""
    thread_id = store.ingest(
        shop_account.id, [make_post("1", "my parcel is late")], score
    ).new_thread_ids[0]
    store.save_draft(thread_id, "Hi Ann, so sorry — it left today.")
    return store, thread_id


def assert_disk_full_keeps_the_draft(store: Any, thread_id: int, big: str) -> None:
    with pytest.raises(DiskFull) as caught:
        store.save_draft(thread_id, big)
    assert caught.value.user_message == (
        "The disk is full, so Shopkeep could not save. Your earlier text is kept."
    )
    assert store.get_draft(thread_id).text == "Hi Ann, so sorry — it left today."


def test_sqlite_full_while_saving_a_draft_keeps_the_previous_draft(
    drafted: tuple[Any, int],
) -> None:
    store, thread_id = drafted
    pages = store.db.execute_sql("PRAGMA page_count").fetchone()[0]
    store.db.execute_sql(f"PRAGMA max_page_count = {pages + 2}")  # the file may not grow
    assert_disk_full_keeps_the_draft(store, thread_id, "Hi Ann, " + "so sorry " * 200_000)
    store.db.execute_sql("PRAGMA max_page_count = 1073741823")
    store.save_draft(thread_id, "Hi Ann, it left today.")  # room again: saving just works
    assert store.get_draft(thread_id).text == "Hi Ann, it left today."


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Any:
    """A 2 MB tmpfs of our own (needs root and mount rights, as in the CI container)."""
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(
            f"cannot mount a small tmpfs here ({done.stderr.strip()}); "
            "the max_page_count test still covers SQLITE_FULL"
        )
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_a_really_full_disk_while_saving_a_draft_keeps_the_previous_draft(
    tiny_disk: Path, make_post: Any
) -> None:
    from app.core.models import AccountInfo, Network

    store = SqliteInboxStore.open(tiny_disk / "shopkeep.sqlite3")
    try:
        account = store.add_account(
            AccountInfo(Network.MASTODON, "https://example.social", "@shop", "1")
        )
        thread_id = store.ingest(account.id, [make_post("1", "late parcel")], score).new_thread_ids[
            0
        ]
        store.save_draft(thread_id, "Hi Ann, so sorry — it left today.")
        filler = tiny_disk / "filler"
        free = os.statvfs(tiny_disk).f_bavail * os.statvfs(tiny_disk).f_frsize
        filler.write_bytes(b"\0" * max(0, free - 64 * 1024))  # leave 64 kB
        assert_disk_full_keeps_the_draft(store, thread_id, "Hi Ann, " + "so sorry " * 50_000)
        filler.unlink()
        store.save_draft(thread_id, "Hi Ann, it left today.")  # space again: it just works
        assert store.get_draft(thread_id).text == "Hi Ann, it left today."
    finally:
        store.close()
