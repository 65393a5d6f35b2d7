"""Item models over the real store: qtmodeltester, paging, live inserts, filters."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from app.core.models import Folder, SentimentLabel, ThreadStatus
from app.core.ports import ThreadQuery
from app.ui.folder_model import FolderListModel, FolderRoles
from app.ui.thread_model import PAGE_SIZE, Roles, ThreadListModel, sort_key
from tests.fixtures.ui import OFFSCREEN_NOISE

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"), pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]


def test_thread_model_passes_modeltester(qtmodeltester, ui_store):
    model = ThreadListModel(ui_store)
    model.set_query(ThreadQuery())
    assert model.rowCount() > 10
    qtmodeltester.check(model, force_py=True)


def test_folder_model_passes_modeltester(qtmodeltester, ui_store):
    model = FolderListModel()
    model.set_counts(ui_store.folder_counts())
    model.set_accounts(ui_store.accounts())
    qtmodeltester.check(model, force_py=True)
    model.set_accounts([])
    model.set_accounts(ui_store.accounts())
    qtmodeltester.check(model, force_py=True)


def test_conversation_and_roles(ui_store):
    model = ThreadListModel(ui_store)
    model.set_query(ThreadQuery())
    idx = model.index(0)
    row = idx.data(Roles.ThreadRole)
    assert idx.data(Roles.ThreadIdRole) == row.id
    assert idx.data(Roles.SentimentRole) in set(SentimentLabel)
    assert idx.data(Roles.SentimentWordRole) in {"Complaint", "Praise", "Neutral", "Not scored"}
    assert idx.data(Roles.AgeRole)
    text = idx.data(Qt.ItemDataRole.AccessibleTextRole)
    assert row.author_handle in text and row.snippet in text
    assert model.roleNames()[Roles.SentimentRole] == b"sentimentRole"


def test_negative_folder_only_negative(ui_store):
    model = ThreadListModel(ui_store)
    model.set_query(ThreadQuery(folder=Folder.NEGATIVE))
    labels = {model.index(r).data(Roles.SentimentRole) for r in range(model.rowCount())}
    assert labels == {SentimentLabel.NEGATIVE}
    assert model.rowCount() == ui_store.folder_counts()[Folder.NEGATIVE]


def test_angriest_first_sorts_by_compound(ui_store):
    model = ThreadListModel(ui_store)
    model.set_query(ThreadQuery(sort="sentiment"))
    rows = model.loaded_rows()
    assert rows[0].worst_label == SentimentLabel.NEGATIVE
    assert [sort_key(r, "sentiment") for r in rows] == sorted(
        sort_key(r, "sentiment") for r in rows
    )


class _ManyThreads:
    """A store stand-in with thousands of threads, to prove paging (the real one has 31)."""

    def __init__(self, template, n):
        now = datetime.now(UTC)
        self.rows = [
            dataclasses.replace(template, id=i + 1, last_activity=now - timedelta(minutes=i))
            for i in range(n)
        ]
        self.calls = []

    def list_threads(self, query, offset, limit, *, after=None):
        start = [r.id for r in self.rows].index(after.id) + 1 if after is not None else 0
        self.calls.append((start + offset, limit))
        return self.rows[start + offset : start + offset + limit]

    def thread(self, thread_id):
        return next((r for r in self.rows if r.id == thread_id), None)


def test_lazy_paging(ui_store, qtmodeltester):
    template = ui_store.list_threads(ThreadQuery(), 0, 1)[0]
    fake = _ManyThreads(template, PAGE_SIZE * 2 + 17)
    model = ThreadListModel(fake)
    model.set_query(ThreadQuery())
    assert model.rowCount() == PAGE_SIZE
    assert model.canFetchMore()
    model.fetchMore()
    model.fetchMore()
    assert model.rowCount() == PAGE_SIZE * 2 + 17
    assert not model.canFetchMore()
    assert fake.calls == [(0, PAGE_SIZE), (PAGE_SIZE, PAGE_SIZE), (PAGE_SIZE * 2, PAGE_SIZE)]
    qtmodeltester.check(model, force_py=True)


def test_live_insert_update_and_remove_without_reset(ui_store, qtbot):
    model = ThreadListModel(ui_store)
    model.set_query(ThreadQuery())
    first, second = model.loaded_rows()[:2]
    newer = dataclasses.replace(
        first, id=99999, last_activity=first.last_activity + timedelta(minutes=1)
    )
    resets = []
    model.modelReset.connect(lambda: resets.append(1))
    with qtbot.waitSignal(model.rowsInserted):
        assert model.insert_threads([newer]) == 1
    assert model.thread_at(0).id == 99999
    # The second thread gets new activity: it moves to the top, selection-safe.
    bumped = dataclasses.replace(second, last_activity=newer.last_activity + timedelta(minutes=1))
    with qtbot.waitSignal(model.rowsMoved):
        model.update_thread(bumped)
    assert model.thread_at(0).id == second.id
    model.patch_thread(second.id, unread=False)
    assert model.thread_at(0).unread is False
    model.remove_thread(99999)
    assert model.row_for_id(99999) == -1
    assert resets == []


def test_matches_follows_folder_rules(ui_store):
    model = ThreadListModel(ui_store)
    row = ui_store.list_threads(ThreadQuery(), 0, 1)[0]
    model.set_query(ThreadQuery(folder=Folder.DONE))
    assert model.matches(dataclasses.replace(row, status=ThreadStatus.DONE)) is True
    assert model.matches(dataclasses.replace(row, status=ThreadStatus.NEEDS_REPLY)) is False
    model.set_query(ThreadQuery(search="cake"))
    assert model.matches(row) is None  # only the store can say


def test_folder_counts_and_accounts(ui_store):
    model = FolderListModel()
    counts = ui_store.folder_counts()
    model.set_counts(counts)
    model.set_accounts(ui_store.accounts())
    row = model.row_of_folder(Folder.NEGATIVE)
    assert model.index(row).data(FolderRoles.CountRole) == counts[Folder.NEGATIVE]
    kinds = [model.index(r).data(FolderRoles.KindRole) for r in range(model.rowCount())]
    assert kinds.count("account") == len(ui_store.accounts())
    assert not model.flags(model.index(0)) & Qt.ItemFlag.ItemIsSelectable  # headers
