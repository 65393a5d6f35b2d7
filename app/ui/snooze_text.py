"""How a snooze reads to the owner: "Snoozed until Tue 09:00", in local time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def until_words(until: datetime, now: datetime | None = None) -> str:
    """ "Tue 09:00" within the coming week, "12 Jan 09:00" further off (local time)."""
    local = until.astimezone()
    today = (now or datetime.now(UTC)).astimezone().date()
    if local.date() == today:
        return f"today {local:%H:%M}"
    if today <= local.date() < today + timedelta(days=6):
        return f"{local:%a %H:%M}"
    return f"{local.day} {local:%b %H:%M}"


def snoozed_words(until: datetime | None, now: datetime | None = None) -> str:
    """The status of a snoozed thread, with its wake-up time when known."""
    return "Snoozed" if until is None else f"Snoozed until {until_words(until, now)}"
