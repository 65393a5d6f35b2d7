"""The write lane finds the store's writes by their `@writes` mark, and a forgotten mark
fails loudly instead of racing the lane. A real SQLite file, a real TaskRunner, callers
on their own threads (as the sync's pool threads are)."""

from __future__ import annotations

import ast
import inspect
import threading
from pathlib import Path

import pytest

from app.core.write_marks import UnmarkedWrite, writes
from app.storage import inbox_store, sync_store, team_offline
from app.storage.database import write_transaction
from app.storage.inbox_store import SqliteInboxStore
from app.storage.migrations import read_meta, write_meta
from app.ui.task_runner import TaskRunner
from app.ui.write_lane import WriteLaneStore


class NotesStore(SqliteInboxStore):
    """A store a later change grows: one write marked, one where the mark was forgotten."""

    writer_threads: list[int]

    @writes
    def put_note(self, text: str) -> None:
        self.writer_threads.append(threading.get_ident())
        with write_transaction(self._db):
            write_meta(self._db, "note", text)

    def put_note_unmarked(self, text: str) -> None:
        with write_transaction(self._db):
            write_meta(self._db, "note", text)

    def mark_read(self, thread_id: int) -> None:  # overrides a write, mark not repeated
        self.writer_threads.append(threading.get_ident())
        super().mark_read(thread_id)

    def note(self) -> str | None:
        return read_meta(self._db, "note")


@pytest.fixture
def lane(qtbot, tmp_path: Path):
    store = NotesStore.open(tmp_path / "shopkeep.sqlite3")
    store.writer_threads = []
    runner = TaskRunner()
    try:
        yield store, WriteLaneStore(store, runner)
    finally:
        runner.shutdown()
        store.close()


def on_a_worker(fn):
    """Call `fn()` on a thread of its own, as a sync worker would; its result or error."""
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:
            box["error"] = exc

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(30)
    assert not worker.is_alive()
    return box, worker.ident


def test_a_write_without_its_mark_fails_loudly_instead_of_racing_the_lane(lane):
    store, lane_store = lane
    box, _ = on_a_worker(lambda: lane_store.put_note_unmarked("pin the blue mug"))

    assert isinstance(box.get("error"), UnmarkedWrite)
    assert "put_note_unmarked" in str(box["error"]) and "@writes" in str(box["error"])
    assert store.note() is None  # refused before it wrote anything


def test_marked_writes_from_two_workers_run_in_turn_on_the_one_lane(lane):
    store, lane_store = lane
    first, first_caller = on_a_worker(lambda: lane_store.put_note("first"))
    second, second_caller = on_a_worker(lambda: lane_store.put_note("second"))

    assert "error" not in first and "error" not in second
    assert store.note() == "second"
    assert len(set(store.writer_threads)) == 1  # one writer thread for both
    assert store.writer_threads[0] not in (first_caller, second_caller, threading.get_ident())


def test_an_override_of_a_write_is_a_write_without_repeating_the_mark(lane):
    store, lane_store = lane
    box, caller = on_a_worker(lambda: lane_store.mark_read(12345))  # no such thread: a no-op

    assert "error" not in box
    assert store.writer_threads and store.writer_threads[0] != caller


def test_reads_through_the_lane_stay_on_the_callers_thread(lane):
    store, lane_store = lane
    store.put_note("on the shelf")
    box, _ = on_a_worker(lane_store.note)
    assert box == {"value": "on the shelf"}


def test_a_write_outside_the_lane_is_not_checked(lane):
    """The CLI sync and the window's own write jobs call the store itself: no lane there."""
    store, _ = lane
    store.put_note_unmarked("by hand")
    assert store.note() == "by hand"


STORE_MODULES = (inbox_store, sync_store, team_offline)


def unmarked_writers(module) -> list[str]:
    """Methods of the module's classes that open a write transaction without `@writes`."""
    tree = ast.parse(inspect.getsource(module))
    found = []
    for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
        for fn in (n for n in cls.body if isinstance(n, ast.FunctionDef)):
            opens = any(
                isinstance(n, ast.Call) and getattr(n.func, "id", "") == "write_transaction"
                for n in ast.walk(fn)
            )
            marked = any(getattr(d, "id", "") == "writes" for d in fn.decorator_list)
            if opens and not marked:
                found.append(f"{cls.name}.{fn.name}")
    return found


@pytest.mark.parametrize("module", STORE_MODULES, ids=lambda m: m.__name__)
def test_every_store_method_that_opens_a_write_transaction_wears_the_mark(module):
    assert unmarked_writers(module) == []


def test_the_mark_check_finds_a_forgotten_mark():
    """The check above is not always-true: it finds the unmarked write in this file."""
    import tests.test_write_lane as this

    assert unmarked_writers(this) == ["NotesStore.put_note_unmarked"]
