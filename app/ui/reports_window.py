"""The Reports window: five sections, each a chart with its numbers beside it.

The figures are read on a pool thread (`ReportStore.report`), so a 90-day report
over a big inbox never freezes the inbox. Clicking a bar of *open complaints*
lists those conversations; activating one asks the main window to open it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from PySide6.QtCharts import QChartView
from PySide6.QtCore import QDate, QMarginsF, QRect, QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QPageLayout, QPageSize, QPainter, QPdfWriter, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.business_hours import OpeningHours
from app.core.models import ThreadRow
from app.core.ports import ReportStore
from app.core.report_formats import to_csv
from app.core.reports import Report, ReportRequest, format_duration
from app.ui import theme
from app.ui.report_charts import ChartPart, all_parts, is_dark
from app.ui.task_runner import TaskRunner

PERIODS = (("Last 7 days", 7), ("Last 30 days", 30), ("Last 90 days", 90), ("Custom…", 0))
CHART_SIZE = QSize(520, 300)


class ReportsWindow(QWidget):
    """A top-level window (not modal): the owner can keep it open beside the inbox."""

    open_thread = Signal(int)
    report_shown = Signal(object)  # the Report now on screen (tests wait on it)

    def __init__(
        self,
        store: ReportStore,
        runner: TaskRunner,
        hours: OpeningHours,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Reports — Shopkeep")
        self.setObjectName("reportsWindow")
        self._store = store
        self._runner = runner
        self._hours = hours
        self._report: Report | None = None
        self._parts: list[ChartPart] = []
        self._views: dict[str, QChartView] = {}

        self.period = QComboBox()
        self.period.setAccessibleName("Period")
        for text, days in PERIODS:
            self.period.addItem(text, days)
        self.period.setCurrentIndex(1)
        self.date_from = QDateEdit()
        self.date_to = QDateEdit()
        today = QDate.currentDate()
        self.date_from.setDate(today.addDays(-30))
        self.date_to.setDate(today)
        for edit, name in ((self.date_from, "From"), (self.date_to, "To")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setAccessibleName(name)
            edit.setVisible(False)
        self.account = QComboBox()
        self.account.setAccessibleName("Account")
        self.account.addItem("All accounts", None)
        for acc in store.accounts():
            self.account.addItem(acc.handle, acc.id)
        self.status = QLabel("")
        self.status.setObjectName("reportStatus")
        self.csv_button = QPushButton("Export numbers (CSV)…")
        self.png_button = QPushButton("Export charts (PNG)…")
        self.pdf_button = QPushButton("Save as PDF…")

        top = QHBoxLayout()
        top.addWidget(QLabel("Period:"))
        top.addWidget(self.period)
        top.addWidget(self.date_from)
        top.addWidget(self.date_to)
        top.addWidget(QLabel("Account:"))
        top.addWidget(self.account)
        top.addWidget(self.status, 1)
        for button in (self.csv_button, self.png_button, self.pdf_button):
            top.addWidget(button)

        self.body = QWidget()
        self.body.setObjectName("reportBody")
        self.body_layout = QVBoxLayout(self.body)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.body_layout.addWidget(self.summary)
        self.threads = QListWidget()
        self.threads.setAccessibleName("Conversations in the chosen bar")
        self.threads.setVisible(False)
        self.threads.setMaximumHeight(140)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.body)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)

        self.period.currentIndexChanged.connect(self._period_changed)
        self.date_from.dateChanged.connect(self.reload)
        self.date_to.dateChanged.connect(self.reload)
        self.account.currentIndexChanged.connect(self.reload)
        self.csv_button.clicked.connect(self._export_csv)
        self.png_button.clicked.connect(self._export_png)
        self.pdf_button.clicked.connect(self._export_pdf)
        self.threads.itemActivated.connect(
            lambda item: self.open_thread.emit(int(item.data(Qt.ItemDataRole.UserRole)))
        )
        QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self, self.close)
        self.resize(1180, 820)
        self.reload()

    def set_hours(self, hours: OpeningHours) -> None:
        """New opening hours (changed in Settings): count again with them."""
        self._hours = hours
        self.reload()

    # ------------------------------------------------------------ the request

    def request(self, now: datetime | None = None) -> ReportRequest:
        now = now or datetime.now(UTC)
        zone = datetime.now().astimezone().tzinfo or UTC
        days = int(self.period.currentData())
        if days:
            since, until = now - timedelta(days=days), now
        else:
            start, end = _day(self.date_from.date()), _day(self.date_to.date())
            since = datetime.combine(start, time(0), zone)
            until = datetime.combine(end, time(0), zone) + timedelta(days=1)
        return ReportRequest(
            since=since,
            until=until,
            zone=zone,
            account_id=self.account.currentData(),
            hours=self._hours,
        )

    def _period_changed(self) -> None:
        custom = int(self.period.currentData()) == 0
        self.date_from.setVisible(custom)
        self.date_to.setVisible(custom)
        self.reload()

    def reload(self) -> None:
        request = self.request()
        if request.until <= request.since:
            self.status.setText("The end of the period must come after its start.")
            return
        self.status.setText("Counting…")
        store = self._store
        self._runner.run(lambda: store.report(request), self._show, self._failed, name="report")

    def _failed(self, exc: BaseException) -> None:
        message = getattr(exc, "user_message", "") or "The report could not be counted."
        self.status.setText(message)

    # ------------------------------------------------------------ showing it

    def _show(self, report: Report) -> None:
        self._report = report
        while self.body_layout.count() > 1:  # everything after the summary line
            item = self.body_layout.takeAt(1)
            widget = item.widget() if item else None
            if widget is not None and widget is not self.threads:
                widget.hide()  # gone now, not when the event loop gets to it
                widget.deleteLater()
        self._views.clear()
        self.threads.clear()
        self.threads.setVisible(False)
        self._parts = all_parts(report, is_dark(self.palette()))
        r = report.responses_all
        self.summary.setText(
            f"{r.answered} conversations answered: half within {format_duration(r.median_s)}, "
            f"nine in ten within {format_duration(r.p90_s)}. "
            f"Complaints: half within {format_duration(report.responses_complaints.median_s)}."
            + ("" if report.request.hours.always_open else " Only opening hours count.")
        )
        for part in self._parts:
            self.body_layout.addWidget(self._section(part))
            if part.title == "Open complaints by age":
                self.body_layout.addWidget(self.threads)
                bar = part.bars["Complaints"]
                bar.clicked.connect(self._bucket_clicked)
        self.body_layout.addStretch(1)
        self.status.setText(f"{report.request.since:%d %b %Y} – {report.request.until:%d %b %Y}")
        self.report_shown.emit(report)

    def _section(self, part: ChartPart) -> QWidget:
        box = QFrame()
        box.setObjectName("reportSection")
        layout = QVBoxLayout(box)
        title = QLabel(part.title)
        title.setObjectName("reportSectionTitle")
        font = title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        title.setFont(font)
        row = QHBoxLayout()
        view = QChartView(part.chart)
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setMinimumSize(CHART_SIZE)
        view.setAccessibleName(part.chart.title())
        table = QTableView()
        table.setModel(part.table)
        table.setAccessibleName(f"{part.title}: the numbers")
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.setMinimumWidth(360)
        row.addWidget(view, 3)
        row.addWidget(table, 2)
        layout.addWidget(title)
        layout.addLayout(row)
        self._views[part.title] = view
        return box

    def part(self, title: str) -> ChartPart:
        return next(p for p in self._parts if p.title == title)

    def _bucket_clicked(self, index: int) -> None:
        if self._report is None:
            return
        bucket = self._report.open_complaints[index]
        store = self._store
        ids = bucket.thread_ids
        self._runner.run(
            lambda: store.threads(ids), self._list_threads, self._failed, name="threads of a bar"
        )

    def _list_threads(self, rows: list[ThreadRow]) -> None:
        self.threads.clear()
        for row in rows:
            item = QListWidgetItem(f"{row.author_name or row.author_handle} — {row.snippet}")
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            item.setToolTip(theme.format_timestamp(row.last_activity))
            self.threads.addItem(item)
        self.threads.setVisible(bool(rows))

    # ------------------------------------------------------------ exports

    def _export_csv(self) -> None:
        if self._report is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "Export the numbers", "shopkeep-report.csv", "CSV files (*.csv)"
        )
        if path:
            text = to_csv(self._report)
            self._write(path, lambda p: Path(p).write_text(text, encoding="utf-8"))

    def save_charts(self, folder: str) -> list[str]:
        """One PNG per chart, named after its section; returns the files written."""
        written = []
        for title, view in self._views.items():
            path = f"{folder}/{title.lower().replace(' ', '-')}.png"
            if view.grab().save(path, "PNG"):
                written.append(path)
        return written

    def _export_png(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Save the charts in")
        if folder:
            files = self.save_charts(folder)
            self.status.setText(f"Saved {len(files)} charts in {folder}.")

    def save_pdf(self, path: str) -> None:
        """The whole report on one A4 page: the summary, each chart and its numbers under it."""
        writer = QPdfWriter(path)
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setPageMargins(QMarginsF(10, 10, 10, 10), QPageLayout.Unit.Millimeter)
        writer.setTitle("Shopkeep report")
        writer.setResolution(150)
        painter = QPainter(writer)
        try:
            page = painter.viewport()
            line = painter.fontMetrics().height()
            y = 0
            painter.drawText(0, y + line, f"Shopkeep report — {self.status.text()}")
            y += line * 2
            painter.drawText(
                QRect(0, y, page.width(), line * 3), Qt.TextFlag.TextWordWrap, self.summary.text()
            )
            y += line * 3
            column = page.width() // 2
            height = (page.height() - y) // max(1, (len(self._parts) + 1) // 2)
            for i, part in enumerate(self._parts):
                left, top = (i % 2) * column, y + (i // 2) * height
                picture = self._views[part.title].grab()
                target = QRect(left, top, column - line, (height - line) // 2)
                scaled = picture.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawPixmap(QRect(target.topLeft(), scaled), picture)
                numbers = QRect(
                    left,
                    top + scaled.height() + line // 2,
                    column - line,
                    height - scaled.height() - line,
                )
                _draw_table(painter, part, numbers)
        finally:
            painter.end()

    def _export_pdf(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the report", "shopkeep-report.pdf", "PDF files (*.pdf)"
        )
        if path:
            self._write(path, self.save_pdf)

    def _write(self, path: str, write: Callable[[str], object]) -> None:
        try:
            write(path)
        except OSError as exc:
            QMessageBox.warning(self, "Not saved", f"{path} could not be written: {exc.strerror}.")
            return
        self.status.setText(f"Saved {path}.")


def _draw_table(painter: QPainter, part: ChartPart, area: QRect) -> None:
    """A chart's numbers as small text columns under it, cut with "…" where the space ends."""
    model = part.table
    font = painter.font()
    font.setPointSizeF(font.pointSizeF() * 0.7)
    painter.save()
    painter.setFont(font)
    line = painter.fontMetrics().height()
    columns = max(1, model.columnCount())
    width = area.width() // columns
    rows = [[str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(columns)]]
    rows += [
        [model.item(r, c).text() if model.item(r, c) else "" for c in range(columns)]
        for r in range(model.rowCount())
    ]
    room = max(1, area.height() // line)
    for i, row in enumerate(rows[:room]):
        cut = i == room - 1 and len(rows) > room
        for c, text in enumerate(["…"] if cut else row):
            cell = QRect(area.left() + c * width, area.top() + i * line, width - 4, line)
            metrics = painter.fontMetrics()
            shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, cell.width())
            painter.drawText(cell, Qt.AlignmentFlag.AlignLeft, shown)
    painter.restore()


def _day(value: QDate) -> date:
    """A QDateEdit's day as a `datetime.date` (the stubs type `toPython()` as object)."""
    return date(value.year(), value.month(), value.day())
