"""A damaged database at start: the owner is offered the last automatic backup."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QMessageBox

from app.core.errors import DatabaseCorrupt
from app.core.paths import resolve_paths
from app.main import build_window, offer_restore, open_store
from app.storage.database import list_backups


def test_opening_the_window_makes_the_daily_backup(qtbot: Any, tmp_path: Any) -> None:
    paths = resolve_paths(tmp_path / "data").ensure()
    window = build_window(paths, synchronous=True)
    qtbot.addWidget(window)
    backups = list_backups(paths.backup_dir)
    assert len(backups) == 1
    window.runner.shutdown()


def test_damaged_database_is_restored_from_the_backup_when_the_owner_agrees(
    qtbot: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    paths = resolve_paths(tmp_path / "data").ensure()
    window = build_window(paths, synchronous=True)  # demo data + the daily backup
    qtbot.addWidget(window)
    threads_before = window.store.count_threads(window.query)
    window.runner.shutdown()
    window.store.close()
    paths.database.write_bytes(b"garbage, not SQLite" * 500)  # the disk went bad

    try:
        open_store(paths)
        raise AssertionError("a garbled file must not open")
    except DatabaseCorrupt as exc:
        asked: list[str] = []

        def say_yes(_parent: Any, _title: str, text: str, *args: Any) -> Any:
            asked.append(text)
            return QMessageBox.StandardButton.Yes

        monkeypatch.setattr(QMessageBox, "question", say_yes)
        assert offer_restore(paths, exc)
    assert "backup" in asked[0] and "damaged" in asked[0]
    assert any("damaged" in p.name for p in paths.data_dir.iterdir())  # kept, not deleted

    store = open_store(paths)
    from app.core.ports import ThreadQuery

    assert store.count_threads(ThreadQuery()) == threads_before > 0
    store.close()


def test_without_a_backup_the_owner_is_told_plainly(tmp_path: Any, monkeypatch: Any) -> None:
    paths = resolve_paths(tmp_path / "data").ensure()
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: said.append(text))
    exc = DatabaseCorrupt("bad", path=paths.database, damaged_path=paths.database)
    assert not offer_restore(paths, exc)
    assert "no automatic backup yet" in said[0]
