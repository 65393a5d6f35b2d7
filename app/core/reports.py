"""Reports: how fast the owner answers and how customers feel, as plain numbers.

Storage runs the queries (`app.storage.reports`) and hands back small rows; this
module folds them into one `Report` that the window, the CLI and the exports all
show, so the numbers can never disagree between them.

Definitions (also in docs/reports.md):
- A *wait* starts at a customer's post that follows the owner's last post in that
  conversation (or opens it) and ends at the owner's next post. Several customer
  posts before one answer are one wait, timed from the first. Waits still open
  are not response times; they show up in *open complaints by age*.
- A wait is a complaint wait when any customer post in it reads as a complaint
  (the owner's correction counts over the scorer's label).
- Response time counts only opening hours when they are set.
- Median and 90th percentile use the nearest-rank method: the value at rank
  ceil(p * n) of the sorted times, so every figure is a real wait that happened.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from app.core.business_hours import OpeningHours

HOUR = 3600.0
DAY = 24 * HOUR
AGE_BUCKETS: tuple[tuple[str, float], ...] = (
    ("under 1 hour", HOUR),
    ("1–24 hours", DAY),
    ("1–7 days", 7 * DAY),
    ("over 7 days", math.inf),
)
TOP_CUSTOMERS = 10


@dataclass(frozen=True)
class ReportRequest:
    since: datetime
    until: datetime
    zone: tzinfo
    account_id: int | None = None
    hours: OpeningHours = field(default_factory=OpeningHours)


# ------------------------------------------------------------------ rows from storage


@dataclass(frozen=True)
class WaitRow:
    """One answered wait: when the customer first wrote, when the owner answered."""

    thread_id: int
    asked_at: datetime
    answered_at: datetime
    complaint: bool


@dataclass(frozen=True)
class DayCount:
    """Customer posts of one local day, network and feeling; `corrected` of them by the owner."""

    day: date
    network: str
    label: str
    count: int
    corrected: int = 0


@dataclass(frozen=True)
class CustomerRow:
    handle: str
    name: str
    posts: int
    complaints: int
    praise: int


# ------------------------------------------------------------------ the report


@dataclass(frozen=True)
class ResponseWeek:
    week: date  # the Monday
    answered: int
    median_s: float
    p90_s: float


@dataclass(frozen=True)
class ResponseSummary:
    answered: int
    median_s: float | None
    p90_s: float | None
    within_1h: float | None  # share 0..1 of answered waits
    within_24h: float | None
    weeks: tuple[ResponseWeek, ...]


@dataclass(frozen=True)
class FeelingWeek:
    week: date
    posts: int
    complaints: int
    praise: int
    corrected: int

    @property
    def complaint_share(self) -> float:
        return self.complaints / self.posts if self.posts else 0.0

    @property
    def praise_share(self) -> float:
        return self.praise / self.posts if self.posts else 0.0


@dataclass(frozen=True)
class AgeBucket:
    name: str
    thread_ids: tuple[int, ...]

    @property
    def count(self) -> int:
        return len(self.thread_ids)


@dataclass(frozen=True)
class Report:
    request: ReportRequest
    responses_all: ResponseSummary
    responses_complaints: ResponseSummary
    responses_other: ResponseSummary
    volume: tuple[DayCount, ...]
    replies_per_day: tuple[tuple[date, int], ...]
    open_complaints: tuple[AgeBucket, ...]
    feeling: tuple[FeelingWeek, ...]
    top_writers: tuple[CustomerRow, ...]
    repeat_complainers: tuple[CustomerRow, ...]
    thank_you_list: tuple[CustomerRow, ...]


def nearest_rank(sorted_values: Sequence[float], share: float) -> float:
    """The value at rank ceil(share * n) (1-based) of already sorted values."""
    if not sorted_values:
        raise ValueError("no values")
    rank = max(1, math.ceil(share * len(sorted_values)))
    return sorted_values[rank - 1]


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def timed_waits(waits: Iterable[WaitRow], request: ReportRequest) -> list[tuple[date, float, bool]]:
    """(local week, counted seconds, complaint) per answered wait, worked out once for the
    three summaries (all, complaints, the rest)."""
    hours, zone = request.hours, request.zone
    return [
        (
            week_of(wait.asked_at.astimezone(zone).date()),
            hours.open_seconds(wait.asked_at, wait.answered_at, zone),
            wait.complaint,
        )
        for wait in waits
    ]


def summarise_waits(timed: Iterable[tuple[date, float, bool]]) -> ResponseSummary:
    """Response-time figures over answered waits, overall and per local week."""
    by_week: dict[date, list[float]] = defaultdict(list)
    for week, seconds, _ in timed:
        by_week[week].append(seconds)
    if not by_week:
        return ResponseSummary(0, None, None, None, None, ())
    every = sorted(s for values in by_week.values() for s in values)
    weeks = tuple(
        ResponseWeek(week, len(values), nearest_rank(values, 0.5), nearest_rank(values, 0.9))
        for week, values in sorted((w, sorted(v)) for w, v in by_week.items())
    )
    n = len(every)
    return ResponseSummary(
        answered=n,
        median_s=nearest_rank(every, 0.5),
        p90_s=nearest_rank(every, 0.9),
        within_1h=sum(1 for s in every if s <= HOUR) / n,
        within_24h=sum(1 for s in every if s <= DAY) / n,
        weeks=weeks,
    )


def bucket_open_complaints(ids: Sequence[Sequence[int]]) -> tuple[AgeBucket, ...]:
    """Unanswered complaints by how long the customer has waited (wall-clock time), from
    storage's thread ids per bucket (AGE_BUCKETS' order)."""
    return tuple(AgeBucket(name, tuple(i)) for (name, _), i in zip(AGE_BUCKETS, ids, strict=True))


def feeling_by_week(days: Iterable[DayCount]) -> tuple[FeelingWeek, ...]:
    totals: dict[date, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for row in days:
        t = totals[week_of(row.day)]
        t[0] += row.count
        t[1] += row.count if row.label == "negative" else 0
        t[2] += row.count if row.label == "positive" else 0
        t[3] += row.corrected
    return tuple(FeelingWeek(week, *t) for week, t in sorted(totals.items()))


def build_report(
    request: ReportRequest,
    *,
    waits: Sequence[WaitRow],
    volume: Sequence[DayCount],
    replies_per_day: Sequence[tuple[date, int]],
    open_complaints: Sequence[Sequence[int]],
    customers: Sequence[CustomerRow],
) -> Report:
    """Fold storage's rows into the one report every view shows."""
    by_posts = sorted(customers, key=lambda c: (-c.posts, c.handle))
    repeaters = sorted(
        (c for c in customers if c.complaints >= 2), key=lambda c: (-c.complaints, c.handle)
    )
    praisers = sorted((c for c in customers if c.praise >= 1), key=lambda c: (-c.praise, c.handle))
    timed = timed_waits(waits, request)
    return Report(
        request=request,
        responses_all=summarise_waits(timed),
        responses_complaints=summarise_waits(t for t in timed if t[2]),
        responses_other=summarise_waits(t for t in timed if not t[2]),
        volume=tuple(sorted(volume, key=lambda d: (d.day, d.network, d.label))),
        replies_per_day=tuple(sorted(replies_per_day)),
        open_complaints=bucket_open_complaints(open_complaints),
        feeling=feeling_by_week(volume),
        top_writers=tuple(by_posts[:TOP_CUSTOMERS]),
        repeat_complainers=tuple(repeaters[:TOP_CUSTOMERS]),
        thank_you_list=tuple(praisers[:TOP_CUSTOMERS]),
    )


def format_duration(seconds: float | None) -> str:
    """'42 min', '3.5 h', '2.0 days' — or '–' when there is nothing to show."""
    if seconds is None:
        return "–"
    if seconds < HOUR:
        return f"{round(seconds / 60)} min"
    if seconds < DAY:
        return f"{seconds / HOUR:.1f} h"
    return f"{seconds / DAY:.1f} days"


def format_share(value: float | None) -> str:
    """'67 %' — or '–' when there is nothing to show."""
    return "–" if value is None else f"{round(value * 100)} %"
