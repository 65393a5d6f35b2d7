"""The owner's choices the Settings dialog edits, as settings.json keeps them.

Apart from the dialog: the window reads them while it builds, and the dialog (its
widgets) is only loaded when the owner opens Settings….
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.core.business_hours import OpeningHours, OpeningHoursError
from app.core.outbox import DEFAULT_UNDO_SECONDS

MAX_UNDO_SECONDS = 120  # settings.json keeps the same bounds
SCHEME_WORDS = {"system": "Same as the system", "light": "Light", "dark": "Dark"}


@dataclass(frozen=True, slots=True)
class SyncSettings:
    """The owner's choices, as settings.json keeps them (see `to_mapping`)."""

    interval_minutes: int = 5  # 0: only when asked (F5)
    notifications: bool = True
    first_sync_max: int = 2000  # mentions the first sync of an account reaches back
    opening_hours: OpeningHours = field(default_factory=OpeningHours)
    colour_scheme: str = "system"  # "system", "light" or "dark"
    undo_send_seconds: int = DEFAULT_UNDO_SECONDS  # after Send, a reply waits this long

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> SyncSettings:
        """Read settings.json's keys; anything missing or odd falls back to the default."""

        def number(key: str, default: int, low: int, high: int) -> int:
            try:
                return max(low, min(high, int(data.get(key, default))))
            except (TypeError, ValueError):
                return default

        default = cls()
        try:
            hours = OpeningHours.from_settings(data.get("opening_hours"))
        except OpeningHoursError:
            hours = OpeningHours()
        return cls(
            interval_minutes=number("sync_interval_minutes", default.interval_minutes, 0, 1440),
            notifications=bool(data.get("notifications", default.notifications)),
            first_sync_max=number("first_sync_max", default.first_sync_max, 20, 50_000),
            opening_hours=hours,
            colour_scheme=str(data.get("colour_scheme", "system"))
            if data.get("colour_scheme") in SCHEME_WORDS
            else "system",
            undo_send_seconds=number(
                "undo_send_seconds", default.undo_send_seconds, 0, MAX_UNDO_SECONDS
            ),
        )

    def to_mapping(self) -> dict[str, Any]:
        return {
            "sync_interval_minutes": self.interval_minutes,
            "notifications": self.notifications,
            "first_sync_max": self.first_sync_max,
            "opening_hours": self.opening_hours.to_settings(),
            "colour_scheme": self.colour_scheme,
            "undo_send_seconds": self.undo_send_seconds,
        }
