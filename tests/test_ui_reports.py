"""The owner opens Reports and sees the same numbers the CLI and the files give."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt, QTime

from app.core.business_hours import OpeningHours
from app.core.report_formats import to_json
from app.ui.reports_window import ReportsWindow
from app.ui.task_runner import TaskRunner
from tests.report_support import build_history


@pytest.fixture
def reports(qtbot, store, shop_account, make_post, keyword_score):
    build_history(store, shop_account, make_post, keyword_score)
    runner = TaskRunner(synchronous=True)
    window = ReportsWindow(store, runner, OpeningHours())
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.report_shown, timeout=5000):
        window.period.setCurrentIndex(window.period.findData(0))  # Custom…
        window.date_from.setDate(QDate(2024, 4, 29))
        window.date_to.setDate(QDate(2024, 5, 12))
    window.show()
    qtbot.waitExposed(window)
    return window


def _values(bar) -> list[float]:
    return [bar.at(i) for i in range(bar.count())]


def test_each_chart_draws_the_numbers_of_the_report(reports, store):
    report = store.report(reports.request())
    figures = to_json(report)

    waiting = reports.part("Open complaints by age")
    assert _values(waiting.bars["Complaints"]) == [0, 0, 0, 2]  # Cat waited since 2024
    assert "2 complaints waiting over 7 days" in waiting.tooltips["Complaints"][3]

    volume = reports.part("Volume")
    assert sum(_values(volume.bars["Complaint"])) == 4
    assert sum(_values(volume.bars["Praise"])) == 1
    table = volume.table
    headers = [table.headerData(c, Qt.Orientation.Horizontal) for c in range(table.columnCount())]
    replies = [table.item(r, headers.index("Replies sent")).text() for r in range(table.rowCount())]
    assert replies == ["2", "1"]  # Wednesday and Thursday, as the CLI says
    assert [d["replies"] for d in figures["replies_per_day"]] == [2, 1]

    response = reports.part("Response time")
    assert _values(response.bars["Everything else"]) == [25.0]  # Bob: 25 hours
    complaints = [response.table.item(1, c).text() for c in range(4)]
    assert complaints == ["Complaints", "2", "5 min", "40 min"]  # Dan 5 min, Ann 40 min
    assert reports.part("Feeling over time").table.item(0, 6).text() == "1"  # Dan, corrected
    customers = reports.part("Customers").table
    lists = [
        (customers.item(r, 0).text(), customers.item(r, 1).text())
        for r in range(customers.rowCount())
    ]
    assert ("Thank-you list", "@bob@town.example") in lists
    assert ("Complained more than once", "@cat@town.example") in lists


def test_a_bar_of_waiting_complaints_lists_them_and_opens_one(reports, qtbot):
    bar = reports.part("Open complaints by age").bars["Complaints"]
    bar.clicked.emit(3)
    assert reports.threads.isVisible()
    shown = [reports.threads.item(i).text() for i in range(reports.threads.count())]
    assert sorted(shown) == ["Cat — awful service", "Cat — terrible again"]
    item = reports.threads.item(0)
    with qtbot.waitSignal(reports.open_thread, timeout=2000) as opened:
        reports.threads.itemActivated.emit(item)
    assert opened.args == [item.data(Qt.ItemDataRole.UserRole)]


def test_the_report_is_saved_as_charts_and_one_pdf_page(reports, tmp_path):
    files = reports.save_charts(str(tmp_path))
    assert len(files) == 5
    for path in files:
        assert Path(path).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    pdf = tmp_path / "report.pdf"
    reports.save_pdf(str(pdf))
    data = pdf.read_bytes()
    assert (
        data.startswith(b"%PDF")
        and data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") + data.count(b"/Type/Page")
        >= 1
    )


def test_a_period_that_ends_before_it_starts_is_explained(reports):
    reports.date_to.setDate(QDate(2024, 4, 1))
    assert "must come after" in reports.status.text()
    assert reports.request().until.date() == date(2024, 4, 2)


def test_opening_hours_set_in_settings_count_only_the_shops_time(qtbot, reports):
    from app.core.settings import validate
    from app.ui.settings_dialog import SettingsDialog, SyncSettings

    dialog = SettingsDialog(SyncSettings())
    qtbot.addWidget(dialog)
    assert not dialog.hours_group.isChecked()  # by default every hour counts
    dialog.hours_group.setChecked(True)  # Monday to Friday ticked, 09:00 to 17:30
    for _day, _opens, closes in dialog.days:
        closes.setTime(QTime(17, 0))
    hours = dialog.value().opening_hours
    assert hours == OpeningHours.from_settings(
        {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}
    )
    saved, fixed = validate(dialog.value().to_mapping())  # as settings.json keeps them
    assert fixed == [] and OpeningHours.from_settings(saved.opening_hours) == hours

    with qtbot.waitSignal(reports.report_shown, timeout=5000) as shown:
        reports.set_hours(hours)
    # Bob wrote on Wednesday 10:00 and was answered on Thursday 11:00: 7 h + 2 h.
    assert shown.args[0].responses_other.median_s == 9 * 3600


def test_opening_hours_that_make_no_sense_are_refused_in_the_settings_file():
    from app.core.settings import validate

    settings, fixed = validate({"opening_hours": {"mon": [["17:00", "09:00"]]}})
    assert settings.opening_hours is None
    assert fixed and "closing time must come after opening time" in fixed[0]
