"""The database file: WAL mode, damaged files kept aside, disk full, daily backups."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import peewee
import pytest

from app.core.errors import DatabaseCorrupt, DiskFull, StorageError
from app.core.ports import ThreadQuery
from app.storage.database import (
    backup_if_due,
    backup_now,
    database_proxy,
    is_sqlite,
    list_backups,
    open_database,
    restore_last_backup,
    translate_error,
)
from app.storage.inbox_store import SqliteInboxStore


def test_a_new_database_uses_wal_and_foreign_keys(store):
    assert store.db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.db.execute_sql("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_sqlite_only_features_see_sqlite_behind_the_models_proxy(store):
    # ingest's raw writes hand over the models' proxy: FTS batching must still switch on
    assert is_sqlite(store.db) and is_sqlite(database_proxy) and is_sqlite()


def test_garbled_file_raises_database_corrupt_and_is_kept_aside(tmp_path):
    path = tmp_path / "shopkeep.sqlite3"
    garbage = b"this is not sqlite at all " * 200
    path.write_bytes(garbage)

    with pytest.raises(DatabaseCorrupt) as caught:
        SqliteInboxStore.open(path)

    moved = tmp_path / caught.value.damaged_path
    assert caught.value.path == str(path)
    assert moved.name.startswith("shopkeep.sqlite3.damaged-")
    assert moved.read_bytes() == garbage  # nothing deleted
    assert not path.exists()
    # The next start gets a fresh, empty database.
    fresh = SqliteInboxStore.open(path)
    assert fresh.accounts() == []
    fresh.close()


def test_damaged_pages_inside_a_real_database_are_detected(tmp_path, make_post, keyword_score):
    from tests.fixtures.storage import SHOP_MASTODON

    path = tmp_path / "shopkeep.sqlite3"
    store = SqliteInboxStore.open(path)
    account = store.add_account(SHOP_MASTODON)
    posts = [make_post(str(i), "bread " * 50, minutes=i) for i in range(300)]
    store.ingest(account.id, posts, keyword_score)
    store.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 3, len(data) - page, page * 2):  # scribble over many pages
        data[offset + 8 : offset + 200] = b"\xff" * 192
    path.write_bytes(bytes(data))

    with pytest.raises(DatabaseCorrupt) as caught:
        SqliteInboxStore.open(path)
    assert caught.value.damaged_path
    assert not path.exists()


def test_disk_full_is_a_calm_error(store, shop_account, make_post, keyword_score):
    store.db.execute_sql("PRAGMA max_page_count = 60")  # a tiny "disk"
    posts = [make_post(str(i), "x" * 4000, minutes=i) for i in range(200)]
    with pytest.raises(DiskFull):
        store.ingest(shop_account.id, posts, keyword_score)
    assert store.count_threads(ThreadQuery()) == 0  # the whole batch rolled back


def test_driver_errors_map_to_expected_failures():
    full = peewee.OperationalError("database or disk is full")
    assert isinstance(translate_error(full), DiskFull)
    assert isinstance(translate_error(sqlite3.OperationalError("disk I/O error")), StorageError)
    assert isinstance(
        translate_error(sqlite3.DatabaseError("database disk image is malformed")),
        DatabaseCorrupt,
    )
    bug = peewee.OperationalError("no such column: nope")
    assert translate_error(bug) is bug  # a bug stays a bug


def test_daily_backup_is_made_once_a_day_and_keeps_five(store, shop_account, tmp_path):
    backups = tmp_path / "backups"
    day = datetime(2024, 5, 1, 8, tzinfo=UTC)
    assert backup_if_due(store.db, backups, now=day) is not None
    assert backup_if_due(store.db, backups, now=day + timedelta(hours=3)) is None
    for n in range(1, 8):
        backup_if_due(store.db, backups, now=day + timedelta(days=n))
    kept = list_backups(backups)
    assert len(kept) == 5
    assert kept[0].name == "shopkeep-20240508-080000.sqlite3"
    assert not list(backups.glob("*.partial*"))


def test_restore_last_backup_brings_back_the_data_and_keeps_the_current_file(
    tmp_path, make_post, keyword_score
):
    from tests.fixtures.storage import SHOP_MASTODON

    path = tmp_path / "shopkeep.sqlite3"
    backups = tmp_path / "backups"
    store = SqliteInboxStore.open(path)
    account = store.add_account(SHOP_MASTODON)
    store.ingest(account.id, [make_post("1", "before the backup")], keyword_score)
    backup_now(store.db, backups, now=datetime(2024, 5, 1, tzinfo=UTC))
    store.ingest(account.id, [make_post("2", "after the backup", author="bo")], keyword_score)
    store.close()

    restored = restore_last_backup(path, backups)

    assert restored.name == "shopkeep-20240501-000000.sqlite3"
    assert any(p.name.startswith("shopkeep.sqlite3.replaced-") for p in tmp_path.iterdir())
    again = SqliteInboxStore.open(path)
    assert again.count_threads(ThreadQuery()) == 1
    assert again.count_threads(ThreadQuery(search="before")) == 1
    again.close()


def test_restore_skips_a_damaged_backup_and_says_when_there_is_none(tmp_path):
    backups = tmp_path / "backups"
    with pytest.raises(StorageError):
        restore_last_backup(tmp_path / "db.sqlite3", backups)
    db = open_database(tmp_path / "good.sqlite3", bind=False)
    db.execute_sql("CREATE TABLE x (y)")
    backup_now(db, backups, now=datetime(2024, 1, 1, tzinfo=UTC))
    db.close()
    (backups / "shopkeep-20240102-000000.sqlite3").write_bytes(b"garbage" * 1000)

    restored = restore_last_backup(tmp_path / "db.sqlite3", backups)

    assert restored.name == "shopkeep-20240101-000000.sqlite3"
