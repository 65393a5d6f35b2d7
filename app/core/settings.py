"""settings.json: the owner's choices, read and validated in one place, written atomically.

Every part of the app that keeps a choice (sync interval, business name and
signature, the sentiment word list, the demo's dismissal) reads and writes
through `SettingsFile`. A file that does not parse is never overwritten: it
is renamed `settings.json.bad-<time>` and the owner is told where it is. A
value out of range (an interval of 1e999, a word worth NaN) is replaced by
its default or clamped, and said so; keys this version does not know are
kept as they are.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.core.business_hours import OpeningHours, OpeningHoursError
from app.core.errors import StorageError
from app.core.team import TeamConnection, team_from_settings

log = logging.getLogger(__name__)

VERSION = 1
VERSION_KEY = "settings_version"
WORD_LIMIT = 4.0  # VADER's own scale: a word is worth at most ±4
MAX_WORDS = 5000
MAX_TEXT = 2000  # a business name or a signature
FILE_MODE = 0o600  # the owner's business: nobody else on the machine reads it

_locks: dict[Path, threading.Lock] = {}
_locks_guard = threading.Lock()


@dataclass(frozen=True, slots=True)
class Settings:
    """Every choice settings.json holds, each already valid."""

    business: str = ""
    signature: str = ""
    sentiment_words: Mapping[str, float] = field(default_factory=dict)
    sync_interval_minutes: int = 5  # 0: only when asked (F5)
    notifications: bool = True
    first_sync_max: int = 2000
    demo_dismissed: bool = False
    colour_scheme: str = "system"  # "light" or "dark" forces one; "system" follows the desktop
    undo_send_seconds: int = 10  # after Send, the reply waits this long so it can be undone
    # Reports count waiting time only inside these ({"mon": [["09:00", "17:00"]], …});
    # None: every hour counts. Read with OpeningHours.from_settings.
    opening_hours: Mapping[str, Any] | None = None
    # Accounts whose customers' photos load without a click ("load images"; off by default).
    load_photos_accounts: tuple[int, ...] = ()
    # Team mode (docs/team.md): the shared PostgreSQL inbox; None: this laptop's own file.
    team: TeamConnection | None = None
    other: Mapping[str, Any] = field(default_factory=dict)  # keys of other versions, kept

    @property
    def hours(self) -> OpeningHours:
        """The opening hours as Reports use them (validated on read: never raises)."""
        return OpeningHours.from_settings(self.opening_hours)

    def as_mapping(self) -> dict[str, Any]:
        """settings.json's keys and values, as written."""
        data = dict(self.other)
        for f in fields(self):
            if f.name != "other":
                value = getattr(self, f.name)
                if isinstance(value, TeamConnection):
                    value = value.as_mapping()
                data[f.name] = dict(sorted(value.items())) if isinstance(value, Mapping) else value
        data[VERSION_KEY] = VERSION
        return data


@dataclass(frozen=True, slots=True)
class SettingsRead:
    """What reading found: the settings, and a sentence for the owner if something was off."""

    settings: Settings
    problem: str = ""
    set_aside: Path | None = None  # where an unreadable file was moved
    writable: bool = True  # False: a file is there that could not be read or moved aside


# ---------------------------------------------------------------- validation

_INTS = {
    "sync_interval_minutes": (0, 1440),
    "first_sync_max": (20, 50_000),
    "undo_send_seconds": (0, 120),
}
_BOOLS = ("notifications", "demo_dismissed")
_TEXTS = ("business", "signature")
_CHOICES = {"colour_scheme": ("system", "light", "dark")}


def validate(data: Mapping[str, Any]) -> tuple[Settings, list[str]]:
    """Settings from decoded JSON; each value that had to be fixed is named in the list."""
    default = Settings()
    values: dict[str, Any] = {}
    fixed: list[str] = []
    for key, (low, high) in _INTS.items():
        if key in data:
            number = _finite_number(data[key])
            if number is None:
                fixed.append(
                    f"{key} ({str(data[key])[:20]!r} is not a number; "
                    f"using {getattr(default, key)})"
                )
                continue
            values[key] = max(low, min(high, int(number)))
            if values[key] != number:
                fixed.append(f"{key} (kept between {low} and {high})")
    for key in _BOOLS:
        if key in data:
            if isinstance(data[key], bool):
                values[key] = data[key]
            else:
                fixed.append(f"{key} (not true or false)")
    for key in _TEXTS:
        if key in data:
            if isinstance(data[key], str):
                values[key] = data[key][:MAX_TEXT]
            else:
                fixed.append(f"{key} (not text)")
    for key, allowed in _CHOICES.items():
        if key in data:
            if data[key] in allowed:
                values[key] = data[key]
            else:
                fixed.append(f"{key} ({str(data[key])[:20]!r} is not one of {', '.join(allowed)})")
    if "sentiment_words" in data:
        values["sentiment_words"] = _words(data["sentiment_words"], fixed)
    if "load_photos_accounts" in data:
        raw = data["load_photos_accounts"]
        ids = raw if isinstance(raw, list) else []
        values["load_photos_accounts"] = tuple(
            sorted({i for i in ids if isinstance(i, int) and not isinstance(i, bool) and i > 0})
        )
        if not isinstance(raw, list) or len(values["load_photos_accounts"]) != len(raw):
            fixed.append("load_photos_accounts (kept the account numbers only)")
    if data.get("opening_hours") is not None:
        try:
            values["opening_hours"] = OpeningHours.from_settings(
                data["opening_hours"]
            ).to_settings()
        except OpeningHoursError as exc:
            fixed.append(f"opening_hours ({exc}; every hour counts)")
    if "team" in data:
        values["team"], problem = team_from_settings(data["team"])
        if problem:
            fixed.append(problem)
    known = {f.name for f in fields(Settings)} | {VERSION_KEY}
    values["other"] = {k: v for k, v in data.items() if k not in known and k != "other"}
    return replace(default, **values), fixed


def clean_words(words: Mapping[Any, Any]) -> dict[str, float]:
    """The owner's word list with every value a finite number in ±WORD_LIMIT."""
    return _words(words, [])


def _words(raw: Any, fixed: list[str]) -> dict[str, float]:
    if not isinstance(raw, Mapping):
        fixed.append("sentiment_words (not a list of words)")
        return {}
    words: dict[str, float] = {}
    for word, value in list(raw.items())[:MAX_WORDS]:
        number = _finite_number(value)
        name = str(word).strip()
        if number is None or not name:
            fixed.append(
                f"the word {name[:40]!r} (its value {str(value)[:20]!r} is not a number; left out)"
            )
            continue
        words[name] = max(-WORD_LIMIT, min(WORD_LIMIT, number))
        if words[name] != number:
            fixed.append(f"the word {name[:40]!r} (kept between -4 and 4)")
    return words


def _finite_number(value: Any) -> float | None:
    """A real, finite number; bools, text, NaN and infinities are not."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


# ---------------------------------------------------------------- the file


class SettingsFile:
    """settings.json's one reader and writer."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        with _locks_guard:
            self._lock = _locks.setdefault(self.path.resolve(), threading.Lock())

    def read(self) -> SettingsRead:
        """The settings; a file that does not parse is set aside (never overwritten)."""
        with self._lock:
            return self._read_locked()

    def load(self) -> Settings:
        return self.read().settings

    def update(self, **changes: Any) -> Settings:
        """Change some keys, keep every other, validate, and replace the file atomically."""
        with self._lock:
            found = self._read_locked()
            if not found.writable:
                raise StorageError(
                    f"{self.path}: unreadable, not overwritten", user_message=found.problem
                )
            current = found.settings.as_mapping()
            current.update(changes)
            settings, _fixed = validate(current)
            self._write(settings)
            return settings

    def _read_locked(self) -> SettingsRead:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return SettingsRead(Settings())
        except OSError as exc:
            return SettingsRead(
                Settings(),
                writable=False,
                problem=(
                    f"Shopkeep could not read its settings ({exc.strerror}); it is using its "
                    f"defaults for now and will not change {self.path}."
                ),
            )
        try:
            data = json.loads(raw.decode("utf-8"))
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
        except (ValueError, RecursionError) as exc:
            return self._set_aside(exc)
        settings, fixed = validate(data)
        if not fixed:
            return SettingsRead(settings)
        log.warning("settings.json: fixed %s", "; ".join(fixed))
        return SettingsRead(
            settings,
            problem=(
                "Some settings were not usable and Shopkeep used safe values instead: "
                + "; ".join(fixed[:5])
                + ("…" if len(fixed) > 5 else "")
                + "."
            ),
        )

    def _set_aside(self, exc: BaseException) -> SettingsRead:
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.bad-{stamp}")
        where = getattr(exc, "lineno", None)
        what = f" (line {where})" if where else ""
        try:
            self.path.rename(aside)
        except OSError as err:
            log.error("settings.json unreadable%s and could not be moved: %s", what, err)
            return SettingsRead(
                Settings(),
                writable=False,
                problem=(
                    f"Shopkeep's settings file {self.path} has a mistake{what} and could not be "
                    "moved aside. Shopkeep is using its defaults and will not change that file."
                ),
            )
        log.error("settings.json unreadable%s (%s); kept as %s", what, type(exc).__name__, aside)
        return SettingsRead(
            Settings(),
            set_aside=aside,
            problem=(
                f"Shopkeep's settings file had a mistake{what}, so Shopkeep started with its "
                f"default settings. Your old settings (business name, signature, word list) "
                f"are kept in {aside}: fix the mistake there and rename it to "
                f"{self.path.name}, or set them again."
            ),
        )

    def _write(self, settings: Settings) -> None:
        """Write beside the file, flush to disk, then rename over it: never half a file."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(settings.as_mapping(), indent=2, ensure_ascii=False, allow_nan=False)
        fd, tmp = tempfile.mkstemp(
            prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent
        )
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            with contextlib.suppress(OSError):  # not every file system keeps modes
                os.chmod(tmp, FILE_MODE)
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
