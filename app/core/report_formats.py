"""One report, three ways to write it: JSON, Markdown and CSV rows.

The CLI prints these and the window's export writes them, so a number is the same
number everywhere. Seconds stay seconds in JSON and CSV; Markdown is for people.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from app.core.export_csv import neutralise_cell
from app.core.reports import (
    CustomerRow,
    Report,
    ResponseSummary,
    format_duration,
    format_share,
)

SECTIONS = (("all", "All"), ("complaints", "Complaints"), ("other", "Everything else"))


def _responses(report: Report) -> dict[str, ResponseSummary]:
    return {
        "all": report.responses_all,
        "complaints": report.responses_complaints,
        "other": report.responses_other,
    }


def _customer(c: CustomerRow) -> dict[str, Any]:
    return {
        "handle": c.handle,
        "name": c.name,
        "posts": c.posts,
        "complaints": c.complaints,
        "praise": c.praise,
    }


def to_json(report: Report) -> dict[str, Any]:
    req = report.request
    return {
        "period": {
            "since": req.since.isoformat(),
            "until": req.until.isoformat(),
            "account_id": req.account_id,
            "opening_hours": req.hours.to_settings(),
        },
        "response_time": {
            key: {
                "answered": s.answered,
                "median_seconds": s.median_s,
                "p90_seconds": s.p90_s,
                "within_1h": s.within_1h,
                "within_24h": s.within_24h,
                "weeks": [
                    {
                        "week": w.week.isoformat(),
                        "answered": w.answered,
                        "median_seconds": w.median_s,
                        "p90_seconds": w.p90_s,
                    }
                    for w in s.weeks
                ],
            }
            for key, s in _responses(report).items()
        },
        "volume": [
            {"day": d.day.isoformat(), "network": d.network, "feeling": d.label, "posts": d.count}
            for d in report.volume
        ],
        "replies_per_day": [
            {"day": d.isoformat(), "replies": n} for d, n in report.replies_per_day
        ],
        "open_complaints": [
            {"age": b.name, "threads": b.count, "thread_ids": list(b.thread_ids)}
            for b in report.open_complaints
        ],
        "feeling_by_week": [
            {
                "week": w.week.isoformat(),
                "posts": w.posts,
                "complaints": w.complaints,
                "praise": w.praise,
                "corrected": w.corrected,
            }
            for w in report.feeling
        ],
        "customers": {
            "most_posts": [_customer(c) for c in report.top_writers],
            "complained_more_than_once": [_customer(c) for c in report.repeat_complainers],
            "thank_you": [_customer(c) for c in report.thank_you_list],
        },
    }


def to_markdown(report: Report) -> str:
    req = report.request
    lines = [
        f"# Shopkeep report, {req.since:%Y-%m-%d} to {req.until:%Y-%m-%d}",
        "",
        "## How fast you answer",
        "",
        "| | Answered | Median | 90th percentile | Within 1 hour | Within 24 hours |",
        "|---|---|---|---|---|---|",
    ]
    for key, title in SECTIONS:
        s = _responses(report)[key]
        lines.append(
            f"| {title} | {s.answered} | {format_duration(s.median_s)} | "
            f"{format_duration(s.p90_s)} | {format_share(s.within_1h)} | "
            f"{format_share(s.within_24h)} |"
        )
    lines += ["", "## Complaints still waiting", "", "| Waiting | Conversations |", "|---|---|"]
    lines += [f"| {b.name} | {b.count} |" for b in report.open_complaints]
    lines += [
        "",
        "## How customers feel, by week",
        "",
        "| Week of | Posts | Complaints | Praise | Corrected by you |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {w.week:%Y-%m-%d} | {w.posts} | {w.complaints} | {w.praise} | {w.corrected} |"
        for w in report.feeling
    ]
    lines += ["", "## Replies sent", "", "| Day | Replies |", "|---|---|"]
    lines += [f"| {d:%Y-%m-%d} | {n} |" for d, n in report.replies_per_day]
    for title, rows in (
        ("Who writes most", report.top_writers),
        ("Complained more than once", report.repeat_complainers),
        ("Thank-you list", report.thank_you_list),
    ):
        lines += [
            "",
            f"## {title}",
            "",
            "| Customer | Posts | Complaints | Praise |",
            "|---|---|---|---|",
        ]
        lines += [f"| {c.handle} | {c.posts} | {c.complaints} | {c.praise} |" for c in rows]
    return "\n".join(lines) + "\n"


def to_csv(report: Report) -> str:
    """Long format: section, key, measure, value — one number a row, easy to chart."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["section", "key", "measure", "value"])
    for key, s in _responses(report).items():
        for measure, value in (
            ("answered", s.answered),
            ("median_seconds", s.median_s),
            ("p90_seconds", s.p90_s),
            ("within_1h", s.within_1h),
            ("within_24h", s.within_24h),
        ):
            writer.writerow(["response_time", key, measure, "" if value is None else value])
    for d in report.volume:
        writer.writerow(["volume", f"{d.day.isoformat()} {d.network}", d.label, d.count])
    for day, n in report.replies_per_day:
        writer.writerow(["replies", day.isoformat(), "replies", n])
    for b in report.open_complaints:
        writer.writerow(["open_complaints", b.name, "threads", b.count])
    for w in report.feeling:
        for measure, value in (
            ("posts", w.posts),
            ("complaints", w.complaints),
            ("praise", w.praise),
            ("corrected", w.corrected),
        ):
            writer.writerow(["feeling", w.week.isoformat(), measure, value])
    for section, rows in (
        ("most_posts", report.top_writers),
        ("complained_more_than_once", report.repeat_complainers),
        ("thank_you", report.thank_you_list),
    ):
        for c in rows:
            writer.writerow([section, neutralise_cell(c.handle), "posts", c.posts])
    return out.getvalue()
