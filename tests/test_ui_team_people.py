"""A team inbox's people in the window (issue 24): the Mine folder, "Take it" and
"Assign to…", "assigned to Sam" on the row, "Ann is replying…" over LISTEN/NOTIFY,
and the question before sending when Ann answered first.

The window is the real one on the test PostgreSQL, working as Sam (chosen before and
kept in the data folder). Ann is another connection to the same database: her
presence is a real listener of its own, her replies are real outbox items.
"""

from __future__ import annotations

import queue
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from app.core.models import Folder, OutboxState, ThreadStatus
from app.core.paths import AppPaths, resources_dir
from app.core.people import PresenceEvent, PresenceKind
from app.storage.pg_presence import PgPresence
from app.ui.folder_model import FolderRoles
from app.ui.thread_model import Roles, accessible_text
from app.wiring.people import install_people, remember_person
from tests.fixtures.answering import BUSINESS, SIGNATURE, AnswerWindow, _AsRealShop
from tests.fixtures.ui import OFFSCREEN_NOISE

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore(OFFSCREEN_NOISE),
]
WAIT_MS = 10_000


@pytest.fixture
def team_window(qtbot, pg_store, tmp_path) -> Iterator[tuple[AnswerWindow, Any]]:
    """Sam's window on the team inbox (the demo shop's conversations, answerable)."""
    from app.storage.demo import load_demo
    from app.ui.answer_pane import install_answer_pane
    from app.ui.answer_services import AnswerServices
    from app.ui.main_window import MainWindow
    from app.ui.task_runner import TaskRunner

    load_demo(_AsRealShop(pg_store), resources_dir() / "demo" / "demo.json")
    paths = AppPaths(tmp_path / "data").ensure()
    sam = pg_store.add_person("Sam")
    remember_person(paths, pg_store.data_folder_id(), sam.id)  # chosen at an earlier start
    runner = TaskRunner(synchronous=True)
    services = AnswerServices(
        pg_store,
        runner,
        business=BUSINESS,
        signature=SIGNATURE,
        send_now=lambda: None,
        undo_seconds=0,
    )
    window = MainWindow(pg_store, runner)
    qtbot.addWidget(window)
    window.answer_pane = pane = install_answer_pane(window, services)
    team = install_people(window, pg_store, paths, ask_name=lambda _w: pytest.fail("asked again"))
    assert team is not None
    window.resize(1300, 860)
    window.start(Folder.ALL)
    window.show()
    qtbot.waitExposed(window)
    yield AnswerWindow(window, pane, pg_store), team
    team.close()
    pane.flush()
    runner.shutdown()


@pytest.fixture
def ann(pg_store) -> Iterator[tuple[Any, PgPresence, queue.SimpleQueue[PresenceEvent]]]:
    """Ann at another laptop: her person, her presence, and what she hears."""
    person = pg_store.add_person("Ann")
    presence = PgPresence(pg_store.db, person)
    heard: queue.SimpleQueue[PresenceEvent] = queue.SimpleQueue()
    presence.subscribe(heard.put)
    assert presence.wait_listening(10)
    yield person, presence, heard
    presence.close()


def hears(heard: queue.SimpleQueue[PresenceEvent], kind: PresenceKind, thread_id: int) -> str:
    while True:
        event = heard.get(timeout=WAIT_MS / 1000)
        if event.kind is kind and event.thread_id == thread_id:
            return event.name


def row_words(window: Any, thread_id: int) -> list[str]:
    model = window.thread_model
    row = model.thread_at(model.row_for_id(thread_id))
    delegate = window.thread_view.itemDelegate()
    return delegate.row_words(delegate.layout_for(row, window.thread_view.font(), 420))


def mine_count(window: Any) -> int:
    folders = window.folder_model
    return folders.index(folders.row_of_folder(Folder.MINE)).data(FolderRoles.CountRole)


def test_taking_a_thread_puts_it_in_mine_and_says_whose_it_is_on_the_row(qtbot, team_window, ann):
    shown, _team = team_window
    window = shown.window
    _person, _presence, heard = ann
    row = shown.open(lambda r: r.status is ThreadStatus.NEEDS_REPLY)
    assert window.folder_model.index(window.folder_model.row_of_folder(Folder.MINE)).data() == (
        "Mine"
    )
    assert mine_count(window) == 0
    window.activateWindow()
    window.thread_view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.thread_view, timeout=WAIT_MS)

    qtbot.keyClick(window.thread_view, Qt.Key.Key_T)  # Take it

    assert "assigned to Sam" in row_words(window, row.id)
    current = window.thread_view.currentIndex()
    assert "assigned to Sam" in accessible_text(current.data(Roles.ThreadRole))
    assert mine_count(window) == 1
    assert hears(heard, PresenceKind.ASSIGNED, row.id) == "Sam"  # Ann's window re-reads it
    window.folder_view.setCurrentIndex(
        window.folder_model.index(window.folder_model.row_of_folder(Folder.MINE))
    )
    qtbot.waitUntil(lambda: [r.id for r in window.thread_model.loaded_rows()] == [row.id])


def test_assign_to_in_the_row_menu_gives_the_thread_to_ann(qtbot, team_window, ann):
    shown, team = team_window
    window = shown.window
    team.load_people()  # Ann joined after the window opened
    row = shown.open(lambda r: r.status is ThreadStatus.NEEDS_REPLY)
    menu = window.answer_pane.row_menu.menu_for(row, shown.store.thread_posts(row.id))
    assign = next(a.menu() for a in menu.actions() if a.text() == "Assign to…")

    next(a for a in assign.actions() if a.text() == "Ann").trigger()

    assert "assigned to Ann" in row_words(window, row.id)
    assert mine_count(window) == 0
    menu = window.answer_pane.row_menu.menu_for(
        window.thread_model.thread_at(window.thread_model.row_for_id(row.id)), []
    )
    assign = next(a.menu() for a in menu.actions() if a.text() == "Assign to…")
    assert [a.text() for a in assign.actions() if a.isChecked()] == ["Ann"]
    next(a for a in assign.actions() if a.text() == "Nobody").trigger()
    assert not any(w.startswith("assigned") for w in row_words(window, row.id))


def test_ann_replying_shows_above_the_composer_and_on_the_row_until_she_stops(
    qtbot, team_window, ann
):
    shown, team = team_window
    window = shown.window
    _person, presence, _heard = ann
    row = shown.open(lambda r: r.status is ThreadStatus.NEEDS_REPLY)

    presence.announce(row.id, PresenceKind.REPLYING)

    qtbot.waitUntil(lambda: team.label.isVisible(), timeout=WAIT_MS)
    assert team.label.text() == "Ann is replying…"
    assert "Ann is replying…" in row_words(window, row.id)
    presence.announce(row.id, PresenceKind.STOPPED)
    qtbot.waitUntil(lambda: not team.label.isVisible(), timeout=WAIT_MS)
    assert "Ann is replying…" not in row_words(window, row.id)


def test_typing_tells_ann_and_opening_another_thread_tells_her_it_stopped(qtbot, team_window, ann):
    shown, _team = team_window
    _person, _presence, heard = ann
    first = shown.open(lambda r: r.status is ThreadStatus.NEEDS_REPLY)

    shown.pane.composer.editor.setPlainText("Hi! It ships")
    assert hears(heard, PresenceKind.REPLYING, first.id) == "Sam"
    shown.open(lambda r: r.id != first.id)
    assert hears(heard, PresenceKind.STOPPED, first.id) == "Sam"


def test_sending_after_ann_answered_the_same_thread_asks_first(qtbot, team_window, ann):
    shown, _team = team_window
    store = shown.store
    person, _presence, _heard = ann
    row = shown.open(lambda r: r.status is ThreadStatus.NEEDS_REPLY)
    parent = store.thread_posts(row.id)[-1].post.remote_id
    sam_id = store.person_id
    store.use_person(person.id)  # meanwhile, at Ann's laptop
    store.enqueue_reply(row.id, parent, "Ann: on its way!", "ann-key")
    store.use_person(sam_id)
    composer = shown.pane.composer
    composer.editor.setPlainText("Sam: it ships today")
    composer.editor.setFocus()

    qtbot.keyClick(composer.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    box = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "confirmBox")
    assert box.isVisible() and isinstance(box, QMessageBox)
    assert box.text() == (
        "Ann's reply to this conversation is waiting in the outbox. Send yours too?"
    )
    assert [i.text for i in store.outbox_items(thread_id=row.id)] == ["Ann: on its way!"]
    next(b for b in box.buttons() if b.text() == "Send mine too").click()
    texts = [(i.text, i.state) for i in store.outbox_items(thread_id=row.id)]
    assert ("Sam: it ships today", OutboxState.QUEUED) in texts and len(texts) == 2


def test_a_one_person_inbox_shows_no_people(qtbot, answer_window, tmp_path):
    window = answer_window.window
    paths = AppPaths(tmp_path / "data").ensure()

    assert install_people(window, answer_window.store, paths) is None
    assert not any(
        window.folder_model.index(i).data(FolderRoles.FolderRole) is Folder.MINE
        for i in range(window.folder_model.rowCount())
    )


def test_the_person_is_asked_once_per_data_folder_and_kept(
    qtbot, pg_store, tmp_path, qtmodeltester
):
    from app.ui.main_window import MainWindow
    from app.ui.task_runner import TaskRunner

    paths = AppPaths(tmp_path / "data").ensure()
    asked: list[int] = []

    def ask(_window: Any) -> str:
        asked.append(1)
        return "  Priya "

    for _start in range(2):
        runner = TaskRunner(synchronous=True)
        window = MainWindow(pg_store, runner)
        qtbot.addWidget(window)
        window.answer_pane = install_answer_pane_for(window, pg_store, runner)
        team = install_people(window, pg_store, paths, ask_name=ask)
        assert team is not None and team.me.name == "Priya"
        assert pg_store.person_id == team.me.id
        assert team.me_label.text() == "Answering as Priya"
        qtmodeltester.check(window.folder_model)
        team.close()
        runner.shutdown()
    assert asked == [1]
    assert [p.name for p in pg_store.people()] == ["Priya"]


def install_answer_pane_for(window: Any, store: Any, runner: Any) -> Any:
    from app.ui.answer_pane import install_answer_pane
    from app.ui.answer_services import AnswerServices

    services = AnswerServices(store, runner, business=BUSINESS, signature=SIGNATURE)
    return install_answer_pane(window, services)


def test_closing_the_window_tells_ann_that_sam_stopped(qtbot, team_window, ann):
    shown, _team = team_window
    _person, _presence, heard = ann
    row = shown.open(lambda r: r.status is ThreadStatus.NEEDS_REPLY)
    shown.pane.composer.editor.setPlainText("Hi! Let me check")
    assert hears(heard, PresenceKind.REPLYING, row.id) == "Sam"

    shown.window.close()

    assert hears(heard, PresenceKind.STOPPED, row.id) == "Sam"


def test_shift_t_opens_assign_to_at_the_row_from_the_keyboard(qtbot, team_window, ann):
    shown, team = team_window
    window = shown.window
    team.load_people()
    row = shown.open(lambda r: r.status is ThreadStatus.NEEDS_REPLY)
    window.activateWindow()
    window.thread_view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.thread_view, timeout=WAIT_MS)

    qtbot.keyClick(window.thread_view, Qt.Key.Key_T, Qt.KeyboardModifier.ShiftModifier)

    menu = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "assignMenu")
    qtbot.waitUntil(menu.isVisible, timeout=WAIT_MS)
    assert [a.text() for a in menu.actions() if a.text()] == ["Ann", "Sam", "Nobody"]
    next(a for a in menu.actions() if a.text() == "Ann").trigger()
    menu.close()
    assert "assigned to Ann" in row_words(window, row.id)
