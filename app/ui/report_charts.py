"""The Reports charts: one Qt Charts chart and one plain table per section.

Each builder takes the finished `Report` and returns a `ChartPart`: the chart (for
the eye), a table model with exactly the numbers drawn (for screen readers, copy
and paste, and anyone who prefers numbers), and a tooltip text per bar or point.
Colours come from `theme`, so complaints are vermillion here as in the inbox.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QHorizontalBarSeries,
    QLineSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QPalette, QStandardItem, QStandardItemModel

from app.core.models import Network, SentimentLabel
from app.core.reports import HOUR, Report, format_duration, format_share
from app.ui import palette, theme

FEELINGS = (SentimentLabel.NEGATIVE, SentimentLabel.NEUTRAL, SentimentLabel.POSITIVE)


@dataclass
class ChartPart:
    title: str
    chart: QChart
    table: QStandardItemModel
    bars: dict[str, QBarSet] = field(default_factory=dict)  # by name, for clicks and tests
    tooltips: dict[str, list[str]] = field(default_factory=dict)  # the exact numbers per bar


def _table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> QStandardItemModel:
    model = QStandardItemModel(len(rows), len(headers))
    model.setHorizontalHeaderLabels(list(headers))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QStandardItem(str(value))
            item.setEditable(False)
            if isinstance(value, int | float):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            model.setItem(r, c, item)
    return model


def _chart(title: str, dark: bool) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.setTheme(QChart.ChartTheme.ChartThemeDark if dark else QChart.ChartTheme.ChartThemeLight)
    chart.setBackgroundRoundness(0)
    # Solid, not the theme's gradient: the PDF writer cannot mix the theme's colour specs.
    chart.setBackgroundBrush((palette.DARK if dark else palette.LIGHT).q("chart_bg"))
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    return chart


def _axes(
    chart: QChart,
    series: QBarSeries | QStackedBarSeries | QLineSeries,
    categories: Sequence[str],
    y_title: str,
    top: float,
) -> QValueAxis:
    x = QBarCategoryAxis()
    x.append(list(categories) or ["–"])
    y = QValueAxis()
    y.setRange(0, max(top, 1.0))
    y.applyNiceNumbers()  # 0, 1, 2, 3, 4, 5 rather than 0 … 4.8
    y.setTitleText(y_title)
    y.setLabelFormat("%.1f" if y.max() < 5 else "%.0f")  # no "0, 0, 1, 1" on a small scale
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(x)
    series.attachAxis(y)
    return y


def _bar_set(
    part: ChartPart, name: str, colour: str, values: Sequence[float], tips: Sequence[str]
) -> QBarSet:
    """A bar set whose hover shows the exact number, remembered on the part."""
    bar = QBarSet(name)
    bar.setColor(QColor(colour))
    bar.setBorderColor(QColor(colour))
    bar.append([float(v) for v in values])
    tooltips = list(tips)
    bar.hovered.connect(lambda on, i: _tip(tooltips, i) if on else None)
    part.bars[name] = bar
    part.tooltips[name] = tooltips
    return bar


def _tip(tooltips: list[str], index: int) -> None:
    from PySide6.QtGui import QCursor
    from PySide6.QtWidgets import QToolTip

    if 0 <= index < len(tooltips):
        QToolTip.showText(QCursor.pos(), tooltips[index])


def _day(d: date) -> str:
    return f"{d:%d %b}"


def response_part(report: Report, dark: bool) -> ChartPart:
    """Median waits per week, complaints beside everything else, in hours."""
    weeks = sorted(
        {w.week for s in (report.responses_complaints, report.responses_other) for w in s.weeks}
    )
    labels = [f"w/c {_day(w)}" for w in weeks]
    chart = _chart("How fast you answer (median per week, hours)", dark)
    part = ChartPart("Response time", chart, QStandardItemModel())
    series = QBarSeries()
    top = 0.0
    for name, summary, colour in (
        ("Complaints", report.responses_complaints, palette.hex_of("complaint")),
        ("Everything else", report.responses_other, palette.hex_of("accent")),
    ):
        by_week = {w.week: w for w in summary.weeks}
        hours = [by_week[w].median_s / HOUR if w in by_week else 0.0 for w in weeks]
        tips = [
            f"{name}, week of {_day(w)}: median {format_duration(by_week[w].median_s)}, "
            f"90th percentile {format_duration(by_week[w].p90_s)}, "
            f"{by_week[w].answered} answered"
            if w in by_week
            else f"{name}: none answered"
            for w in weeks
        ]
        top = max([top, *hours])
        series.append(_bar_set(part, name, colour, hours, tips))
    chart.addSeries(series)
    _axes(chart, series, labels, "hours", top * 1.1)
    rows = []
    for title, s in (
        ("All", report.responses_all),
        ("Complaints", report.responses_complaints),
        ("Everything else", report.responses_other),
    ):
        rows.append(
            [
                title,
                s.answered,
                format_duration(s.median_s),
                format_duration(s.p90_s),
                format_share(s.within_1h),
                format_share(s.within_24h),
            ]
        )
    part.table = _table(
        ["", "Answered", "Median", "90th percentile", "Within 1 hour", "Within 24 hours"], rows
    )
    return part


def volume_part(report: Report, dark: bool) -> ChartPart:
    """Customer posts per day stacked by feeling, with replies sent and networks in the table."""
    days = sorted({d.day for d in report.volume} | {d for d, _ in report.replies_per_day})
    counts: dict[tuple[date, str], int] = defaultdict(int)
    for row in report.volume:
        counts[(row.day, row.label)] += row.count
        counts[(row.day, row.network)] += row.count
    replies = dict(report.replies_per_day)
    chart = _chart("Customer posts per day, by feeling", dark)
    part = ChartPart("Volume", chart, QStandardItemModel())
    series = QStackedBarSeries()
    for label in FEELINGS:
        word = theme.SENTIMENT_WORDS[label]
        values = [counts[(d, label.value)] for d in days]
        tips = [
            f"{_day(d)}: {v} {word.lower()} post{'s' if v != 1 else ''}"
            for d, v in zip(days, values, strict=True)
        ]
        series.append(
            _bar_set(part, word, palette.hex_of(palette.SENTIMENT_KEYS[label]), values, tips)
        )
    chart.addSeries(series)
    totals = [sum(counts[(d, f.value)] for f in FEELINGS) for d in days]
    _axes(chart, series, [_day(d) for d in days], "posts", max([0, *totals]) * 1.1)
    headers = [
        "Day",
        *(theme.NETWORK_NAMES[n] for n in Network),
        *(theme.SENTIMENT_WORDS[f] for f in FEELINGS),
        "Replies sent",
    ]
    rows = [
        [
            f"{d:%Y-%m-%d}",
            *(counts[(d, n.value)] for n in Network),
            *(counts[(d, f.value)] for f in FEELINGS),
            replies.get(d, 0),
        ]
        for d in days
    ]
    part.table = _table(headers, rows)
    return part


def open_complaints_part(report: Report, dark: bool) -> ChartPart:
    chart = _chart("Complaints still waiting for you, by how long", dark)
    part = ChartPart("Open complaints by age", chart, QStandardItemModel())
    series = QBarSeries()
    names = [b.name for b in report.open_complaints]
    values = [b.count for b in report.open_complaints]
    tips = [
        f"{v} complaint{'s' if v != 1 else ''} waiting {n} — click to list them"
        for n, v in zip(names, values, strict=True)
    ]
    series.append(_bar_set(part, "Complaints", palette.hex_of("complaint"), values, tips))
    chart.addSeries(series)
    chart.legend().hide()
    _axes(chart, series, names, "conversations", max([0, *values]) * 1.2)
    part.table = _table(["Waiting", "Conversations"], list(zip(names, values, strict=True)))
    return part


def feeling_part(report: Report, dark: bool) -> ChartPart:
    """Share of complaints and praise per week, in percent."""
    chart = _chart("How customers feel (share of posts per week, %)", dark)
    part = ChartPart("Feeling over time", chart, QStandardItemModel())
    labels = [f"w/c {_day(w.week)}" for w in report.feeling]
    for name, colour, shares in (
        ("Complaints", palette.hex_of("complaint"), [w.complaint_share for w in report.feeling]),
        ("Praise", palette.hex_of("praise"), [w.praise_share for w in report.feeling]),
    ):
        line = QLineSeries()
        line.setName(name)
        line.setColor(QColor(colour))
        line.setPointsVisible(True)
        for i, share in enumerate(shares):
            line.append(QPointF(i, share * 100))
        tips = [
            f"{name}, week of {_day(w.week)}: {format_share(v)} of {w.posts} posts"
            for w, v in zip(report.feeling, shares, strict=True)
        ]
        line.hovered.connect(lambda point, on, t=tips: _tip(t, round(point.x())) if on else None)
        part.tooltips[name] = tips
        chart.addSeries(line)
    x = QBarCategoryAxis()
    x.append(labels or ["–"])
    y = QValueAxis()
    y.setRange(0, 100)
    y.setLabelFormat("%.0f")
    y.setTitleText("% of posts")
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    for s in chart.series():
        s.attachAxis(x)
        s.attachAxis(y)
    rows = [
        [
            f"{w.week:%Y-%m-%d}",
            w.posts,
            w.complaints,
            format_share(w.complaint_share),
            w.praise,
            format_share(w.praise_share),
            w.corrected,
        ]
        for w in report.feeling
    ]
    part.table = _table(
        [
            "Week of",
            "Posts",
            "Complaints",
            "Complaint share",
            "Praise",
            "Praise share",
            "Corrected by you",
        ],
        rows,
    )
    return part


def customers_part(report: Report, dark: bool) -> ChartPart:
    chart = _chart("Who writes most", dark)
    part = ChartPart("Customers", chart, QStandardItemModel())
    series = QHorizontalBarSeries()
    writers = list(reversed(report.top_writers))  # most at the top
    tips = [
        f"{c.handle}: {c.posts} posts, {c.complaints} complaints, {c.praise} praise"
        for c in writers
    ]
    series.append(
        _bar_set(part, "Posts", palette.hex_of("accent"), [c.posts for c in writers], tips)
    )
    chart.addSeries(series)
    chart.legend().hide()
    y = QBarCategoryAxis()
    y.append([c.handle for c in writers] or ["–"])
    x = QValueAxis()
    x.setRange(0, max([1, *(c.posts for c in writers)]) * 1.1)
    x.setLabelFormat("%.0f")
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(x)
    series.attachAxis(y)
    rows: list[list[object]] = []
    for group, people in (
        ("Writes most", report.top_writers),
        ("Complained more than once", report.repeat_complainers),
        ("Thank-you list", report.thank_you_list),
    ):
        rows += [[group, c.handle, c.posts, c.complaints, c.praise] for c in people]
    part.table = _table(["List", "Customer", "Posts", "Complaints", "Praise"], rows)
    return part


def all_parts(report: Report, dark: bool) -> list[ChartPart]:
    return [
        builder(report, dark)
        for builder in (
            response_part,
            volume_part,
            open_complaints_part,
            feeling_part,
            customers_part,
        )
    ]


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128
