"""File → Team… as the owner uses it (issue 24): type the connection, test it, move the
inbox in with a progress bar, and go back to one laptop; over the real TeamService, a
real data folder, the real PostgreSQL of tests/run.sh and a threaded task runner."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from PySide6.QtCore import Qt

from app.core.paths import AppPaths
from app.core.settings import SettingsFile
from app.services.team_mode import TeamService, open_inbox
from app.storage.inbox_copy import summarize
from app.storage.inbox_store import SqliteInboxStore
from app.ui.team_dialog import TeamDialog
from app.wiring.window import ensure_demo


@pytest.fixture
def runner(qtbot: Any) -> Iterator[Any]:
    from app.ui.task_runner import TaskRunner

    made = TaskRunner()
    yield made
    made.shutdown()


@pytest.fixture
def empty_team_db(pg_server: Any) -> Iterator[str]:
    name = f"shopkeep_dialog_{uuid.uuid4().hex[:12]}"
    yield pg_server.create(name)
    pg_server.drop(name)


def shop(tmp_path: Any) -> tuple[AppPaths, SqliteInboxStore]:
    paths = AppPaths(tmp_path / "data").ensure()
    store = SqliteInboxStore.open(paths.database)
    ensure_demo(store, paths, force=True)
    return paths, store


def fill(dialog: TeamDialog, qtbot: Any, url: str) -> None:
    parts = urlsplit(url)
    for field, text in (
        (dialog.host, parts.hostname or ""),
        (dialog.database, parts.path.lstrip("/")),
        (dialog.user, parts.username or ""),
    ):
        field.clear()
        qtbot.keyClicks(field, text)
    dialog.port.setValue(parts.port or 5432)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_fields_say_what_is_missing_and_how_the_connection_is_secured(qtbot, tmp_path, runner):
    paths, store = shop(tmp_path)
    dialog = TeamDialog(TeamService(paths, store), runner)
    qtbot.addWidget(dialog)
    dialog.host.clear()
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert "server's name" in dialog.message.text()
    qtbot.keyClicks(dialog.host, "db.shop.example")
    assert "certificate is checked" in dialog.security.text()
    dialog.host.clear()
    qtbot.keyClicks(dialog.host, "127.0.0.1")
    assert "This computer" in dialog.security.text()
    assert not dialog.move_out_button.isEnabled()  # not in team mode yet
    assert not dialog.backups.isVisible()
    store.close()


@pytest.mark.postgres
def test_test_move_in_and_go_back_with_a_progress_bar(qtbot, tmp_path, runner, empty_team_db):
    paths, store = shop(tmp_path)
    before = summarize(store.db)
    dialog = TeamDialog(TeamService(paths, store), runner)
    qtbot.addWidget(dialog)
    fill(dialog, qtbot, empty_team_db)

    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Connected to PostgreSQL" in dialog.message.text(), timeout=20000)
    assert "empty" in dialog.message.text()

    with qtbot.waitSignal(dialog.switched, timeout=60000) as moved:
        qtbot.mouseClick(dialog.move_in_button, Qt.MouseButton.LeftButton)
    assert "checked row by row" in moved.args[0]
    assert dialog.bar.value() == dialog.bar.maximum() == before.rows
    assert SettingsFile(paths.settings_file).load().team is not None
    store.close()

    team = open_inbox(paths).store  # the next start
    assert summarize(team.db) == before
    back = TeamDialog(TeamService(paths, team), runner, export=lambda: None)
    qtbot.addWidget(back)
    back.show()
    assert back.backups.isVisible() and "server's business" in back.backups.text()
    assert back.export_button.isVisible()
    assert not back.host.isEnabled() and not back.move_in_button.isEnabled()
    with qtbot.waitSignal(back.switched, timeout=60000) as left:
        qtbot.mouseClick(back.move_out_button, Qt.MouseButton.LeftButton)
    assert "on this laptop alone" in left.args[0]
    team.close()
    assert SettingsFile(paths.settings_file).load().team is None
    alone = open_inbox(paths).store
    try:
        assert summarize(alone.db) == before
    finally:
        alone.close()


def test_a_server_that_is_not_there_is_said_plainly_and_nothing_switches(qtbot, tmp_path, runner):
    paths, store = shop(tmp_path)
    dialog = TeamDialog(TeamService(paths, store), runner)
    qtbot.addWidget(dialog)
    fill(dialog, qtbot, f"postgresql://shopkeep@127.0.0.1:{closed_port()}/shopkeep")
    qtbot.keyClicks(dialog.password, "s3cret-typed")
    qtbot.mouseClick(dialog.move_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "could not reach" in dialog.message.text(), timeout=20000)
    assert "keeps using the inbox it had" in dialog.message.text()
    assert "s3cret-typed" not in dialog.message.text()
    assert dialog.move_in_button.isEnabled()  # ready to try again
    assert SettingsFile(paths.settings_file).load().team is None
    store.close()


def test_the_window_has_file_team(qtbot, ui_paths):
    from app.main import build_window, quit_quickly

    window = build_window(ui_paths, synchronous=True, person_name=lambda _w: "Ann")
    qtbot.addWidget(window, before_close_func=lambda w: quit_quickly(w, 2000))
    texts = [a.text() for a in window.menus["file"].actions()]
    assert "Team…" in texts
    window.team.action.trigger()
    dialogs = window.findChildren(TeamDialog)
    assert len(dialogs) == 1 and dialogs[0].isVisible()
    window.team.action.trigger()  # again: the same dialog, raised
    assert len(window.findChildren(TeamDialog)) == 1


@pytest.mark.postgres
def test_after_the_move_the_window_says_what_happened_then_closes(qtbot, ui_paths, empty_team_db):
    from PySide6.QtWidgets import QMessageBox

    from app.main import build_window, quit_quickly

    window = build_window(ui_paths, demo=True, synchronous=True, person_name=lambda _w: "Ann")
    qtbot.addWidget(window, before_close_func=lambda w: quit_quickly(w, 2000))
    window.show()
    window.team.action.trigger()
    dialog = window.findChildren(TeamDialog)[0]
    fill(dialog, qtbot, empty_team_db)
    qtbot.mouseClick(dialog.move_in_button, Qt.MouseButton.LeftButton)
    boxes = [b for b in window.findChildren(QMessageBox) if "team database" in b.text()]
    assert len(boxes) == 1 and boxes[0].isVisible() and boxes[0].isModal()
    assert window.isVisible() and not dialog.isVisible()
    boxes[0].accept()
    qtbot.waitUntil(lambda: not window.isVisible())
    assert SettingsFile(ui_paths.settings_file).load().team is not None


@pytest.mark.postgres
def test_joining_an_empty_team_database_does_not_fill_it_with_the_demo_shop(
    qtbot, ui_paths, runner, empty_team_db
):
    from app.main import build_window, quit_quickly

    store = SqliteInboxStore.open(ui_paths.database)  # a laptop without accounts yet
    dialog = TeamDialog(TeamService(ui_paths, store), runner)
    qtbot.addWidget(dialog)
    fill(dialog, qtbot, empty_team_db)
    with qtbot.waitSignal(dialog.switched, timeout=30000):
        qtbot.mouseClick(dialog.join_button, Qt.MouseButton.LeftButton)
    store.close()
    window = build_window(
        ui_paths, synchronous=True, person_name=lambda _w: "Ann"
    )  # the next start, on the team inbox
    qtbot.addWidget(window, before_close_func=lambda w: quit_quickly(w, 2000))
    assert not window.store.has_demo_data() and window.thread_model.rowCount() == 0
