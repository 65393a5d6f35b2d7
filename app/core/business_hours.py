"""Opening hours, and how much of a waiting time fell inside them.

A customer who writes at 21:00 on a Saturday and is answered at 09:15 on Monday
waited 15 minutes of the shop's time, not 36 hours: response-time reports count
only the seconds the shop was open. With no hours set, every second counts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, tzinfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class OpeningHoursError(ValueError):
    """A settings value that is not a list of "HH:MM"–"HH:MM" pairs per weekday."""


@dataclass(frozen=True)
class OpeningHours:
    """Open intervals per weekday (0 = Monday), each a (start, end) pair of local times.

    `always_open` (no hours set) makes every second count.
    """

    by_weekday: tuple[tuple[tuple[time, time], ...], ...] = field(default_factory=lambda: ((),) * 7)
    always_open: bool = True

    @classmethod
    def from_settings(cls, raw: object) -> OpeningHours:
        """Read {"mon": [["09:00", "17:30"]], ...}; None or {} means always open."""
        if raw is None or raw == {}:
            return cls()
        if not isinstance(raw, Mapping):
            raise OpeningHoursError("opening hours must be a table of weekdays")
        days: list[tuple[tuple[time, time], ...]] = []
        for name in WEEKDAYS:
            spans = raw.get(name, [])
            if not isinstance(spans, Sequence) or isinstance(spans, str):
                raise OpeningHoursError(f"{name}: expected a list of [open, close] pairs")
            days.append(tuple(_span(name, span) for span in spans))
        return cls(by_weekday=tuple(days), always_open=False)

    def to_settings(self) -> dict[str, list[list[str]]] | None:
        if self.always_open:
            return None
        return {
            name: [[a.strftime("%H:%M"), b.strftime("%H:%M")] for a, b in spans]
            for name, spans in zip(WEEKDAYS, self.by_weekday, strict=True)
        }

    def open_seconds(self, start: datetime, end: datetime, zone: tzinfo) -> float:
        """Seconds between two aware datetimes that fall inside opening hours (local `zone`)."""
        if end <= start:
            return 0.0
        if self.always_open:
            return (end - start).total_seconds()
        local_start, local_end = start.astimezone(zone), end.astimezone(zone)
        total = 0.0
        day = local_start.date()
        while day <= local_end.date():
            for open_at, close_at in self.by_weekday[day.weekday()]:
                span_start = datetime.combine(day, open_at, zone)
                span_end = (
                    datetime.combine(day + timedelta(days=1), time(0), zone)
                    if close_at == time(0)
                    else datetime.combine(day, close_at, zone)
                )
                lo, hi = max(span_start, local_start), min(span_end, local_end)
                if hi > lo:
                    total += (hi - lo).total_seconds()
            day += timedelta(days=1)
        return total


def _span(day: str, span: object) -> tuple[time, time]:
    if not isinstance(span, Sequence) or isinstance(span, str) or len(span) != 2:
        raise OpeningHoursError(f'{day}: each opening is a pair like ["09:00", "17:00"]')
    try:
        start, end = (time.fromisoformat(str(part)) for part in span)
    except ValueError as exc:
        raise OpeningHoursError(f"{day}: {span!r} is not a pair of HH:MM times") from exc
    if end != time(0) and end <= start:
        raise OpeningHoursError(f"{day}: closing time must come after opening time")
    return start, end
