"""The release history for AppStream and the Debian changelog, read from CHANGELOG.md.

Headings like `## [0.2.0] - 2026-12-24`, `## 0.2.0 (2026-12-24)` or `## v0.2.0 — 2026-12-24`
open a release; the `-`/`*` bullets under it are its notes; `Unreleased` is skipped. With no
CHANGELOG.md (or no entry for this version) the package version gets an entry of its own,
dated from SOURCE_DATE_EPOCH or the last commit.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

_HEADING = re.compile(
    r"^##\s+\[?v?(?P<version>\d+(?:\.\d+)+[^\]\s]*)\]?"
    r"(?:\s*(?:[-–—(]\s*)?(?P<date>\d{4}-\d{2}-\d{2})\)?)?"
)
_BULLET = re.compile(r"^\s*[-*]\s+(?P<text>.+)$")


@dataclass(frozen=True, slots=True)
class Release:
    version: str
    date: date
    notes: list[str] = field(default_factory=list)


def release_date(root: Path) -> date:
    """SOURCE_DATE_EPOCH (reproducible builds) or the last commit's date, else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        result = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root,
                                capture_output=True, text=True)
        epoch = result.stdout.strip() if result.returncode == 0 else None
    if epoch:
        return datetime.fromtimestamp(int(epoch), UTC).date()
    return datetime.now(UTC).date()


def parse_changelog(text: str, fallback_date: date) -> list[Release]:
    releases: list[Release] = []
    current: Release | None = None
    for line in text.splitlines():
        heading = _HEADING.match(line)
        if heading:
            when = heading["date"]
            current = Release(
                heading["version"],
                date.fromisoformat(when) if when else fallback_date,
            )
            releases.append(current)
        elif line.startswith("## "):
            current = None  # "## Unreleased" and other sections
        elif current is not None and (bullet := _BULLET.match(line)):
            current.notes.append(bullet["text"].strip())
    return releases


def releases_for(root: Path, version: str) -> list[Release]:
    """Newest first; always has an entry for `version`."""
    when = release_date(root)
    changelog = root / "CHANGELOG.md"
    releases = parse_changelog(changelog.read_text(encoding="utf-8"), when) if (
        changelog.exists()) else []
    if not any(r.version == version for r in releases):
        releases.insert(0, Release(version, when, [f"Shopkeep {version}."]))
    return releases
