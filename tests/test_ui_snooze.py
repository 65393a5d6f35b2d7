"""Snoozed conversations (issue 22): their own folder, "snoozed until Tue 09:00" on the
row and in the header, and back in Needs reply at that time, also after a restart."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from PySide6.QtCore import Qt

from app.core.models import Folder, ThreadStatus
from app.ui.folder_model import FolderRoles
from app.ui.main_window import MainWindow
from app.ui.snooze_text import snoozed_words
from app.ui.thread_actions import snooze_choices


def _show(window, folder):
    folders = window.folder_model
    window.folder_view.setCurrentIndex(folders.index(folders.row_of_folder(folder)))


def _tomorrow_nine() -> datetime:
    local = datetime.now(UTC).astimezone()
    return datetime.combine(local.date() + timedelta(days=1), time(9, 0), local.tzinfo).astimezone(
        UTC
    )


def test_a_snoozed_conversation_waits_in_the_snoozed_folder_with_its_time(answer_window):
    window, store = answer_window.window, answer_window.store
    row = answer_window.open_by("ruth")
    until = _tomorrow_nine()
    answer_window.pane.actions.snooze(until)
    wanted = f"Snoozed until {until.astimezone():%a} 09:00"
    assert wanted in window.conversation_pane.subtitle.text()  # the header says when

    folders = window.folder_model
    names = [folders.index(i).data() for i in range(folders.rowCount())]
    assert "Snoozed" in names
    _show(window, Folder.SNOOZED)
    model = window.thread_model
    assert [r.id for r in model.loaded_rows()] == [row.id]
    assert store.folder_counts()[Folder.SNOOZED] == 1
    snoozed_row = model.thread_at(0)
    delegate = window.thread_view.itemDelegate()
    layout = delegate.layout_for(snoozed_row, window.thread_view.font(), 600)
    assert layout.extras[0][0] == wanted  # the row says when it comes back
    assert wanted in model.index(0).data(Qt.ItemDataRole.AccessibleTextRole)


def test_the_window_wakes_a_snooze_when_its_time_comes(answer_window):
    window, store = answer_window.window, answer_window.store
    row = answer_window.open_by("ruth")
    now = datetime.now(UTC)
    answer_window.pane.actions.snooze(now + timedelta(hours=1))
    _show(window, Folder.SNOOZED)
    assert window.thread_model.row_for_id(row.id) >= 0
    assert window.snooze_timer.isActive()  # it checks on a timer while open

    window.clock = lambda: now + timedelta(hours=2)  # an hour after the wake-up time
    window.snooze_timer.timeout.emit()

    assert store.thread(row.id).status is ThreadStatus.NEEDS_REPLY
    assert window.thread_model.row_for_id(row.id) == -1  # gone from Snoozed
    assert "back in Needs reply" in window.statusBar().currentMessage()
    assert store.folder_counts()[Folder.SNOOZED] == 0
    _show(window, Folder.NEEDS_REPLY)
    assert window.thread_model.row_for_id(row.id) >= 0


def test_a_snooze_that_came_due_while_closed_wakes_at_start(qtbot, answer_services):
    store = answer_services.store
    row = next(r for r in store.threads(range(1, 200)) if r.status is ThreadStatus.NEEDS_REPLY)
    store.set_status(row.id, ThreadStatus.SNOOZED, datetime.now(UTC) - timedelta(hours=5))
    window = MainWindow(store, answer_services.runner)
    qtbot.addWidget(window)
    window.start(Folder.SNOOZED)
    assert store.thread(row.id).status is ThreadStatus.NEEDS_REPLY
    assert window.thread_model.row_for_id(row.id) == -1
    assert (
        window.folder_model.index(window.folder_model.row_of_folder(Folder.SNOOZED)).data(
            FolderRoles.CountRole
        )
        == 0
    )


def test_snooze_presets_later_today_tomorrow_weekend_next_week():
    tuesday_morning = datetime(2026, 12, 1, 10, 0).astimezone()  # local time, a Tuesday
    labels = [label for label, _when in snooze_choices(tuesday_morning)]
    assert labels[0].startswith("Later today")
    assert labels[1].startswith("Tomorrow morning (Wed")
    assert labels[2].startswith("This weekend (Sat")
    assert labels[3].startswith("Next week (Mon")
    friday = datetime(2026, 12, 4, 22, 30).astimezone()
    labels = [label for label, _when in snooze_choices(friday)]
    assert labels[0].startswith("In 3 hours")  # tomorrow already: not "later today"
    assert not any(label.startswith("This weekend") for label in labels)


def test_snoozed_words_say_when():
    now = datetime(2026, 12, 1, 10, 0).astimezone()
    assert snoozed_words(now.replace(hour=17)).startswith("Snoozed until")
    assert snoozed_words(datetime(2026, 12, 3, 9, 0).astimezone(), now) == "Snoozed until Thu 09:00"
    assert snoozed_words(now.replace(hour=17), now) == "Snoozed until today 17:00"
    assert (
        snoozed_words(datetime(2027, 1, 12, 9, 0).astimezone(), now) == "Snoozed until 12 Jan 09:00"
    )
    assert snoozed_words(None) == "Snoozed"


def test_the_date_and_time_picker_snoozes_until_the_chosen_minute(qtbot, answer_window):
    from PySide6.QtCore import QDateTime

    from app.ui.thread_actions import SnoozeDialog

    now = datetime.now(UTC)
    dialog = SnoozeDialog(now, answer_window.window)
    qtbot.addWidget(dialog)
    wanted = (
        (now + timedelta(days=3)).astimezone().replace(hour=14, minute=30, second=0, microsecond=0)
    )
    dialog.when.setDateTime(QDateTime(wanted.date(), wanted.time().replace(tzinfo=None)))
    assert dialog.chosen() == wanted.astimezone(UTC)
    dialog.when.setDateTime(QDateTime(wanted.date().replace(year=2020), wanted.time()))
    assert dialog.chosen() > now  # never in the past

    row = answer_window.open_by("ruth")
    answer_window.pane.actions.snooze(wanted.astimezone(UTC))
    assert answer_window.store.thread(row.id).snoozed_until == wanted.astimezone(UTC)
