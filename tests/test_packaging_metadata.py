"""What the software centre shows comes from the project's own files: releases from
CHANGELOG.md (or the package version when there is none), and metadata that AppStream's
and the desktop's validators accept. Fast: no frozen build needed (tests/test_deb.py
checks the real package)."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

CHANGELOG = """# Changelog

## [Unreleased]
- Something not released yet

## [0.2.0] - 2026-12-24
### Added
- Install Shopkeep from a .deb
- Help → About shows the version

## 0.1.0 (2026-12-01)
* First release
"""


@pytest.fixture
def packaging_modules(monkeypatch):
    """packaging/ holds scripts, not a package (`packaging` is also the PyPA library)."""
    monkeypatch.syspath_prepend(str(ROOT / "packaging"))
    import desktop_entry
    import metainfo
    import releases

    return releases, metainfo, desktop_entry


def test_releases_come_from_the_changelog_newest_first(packaging_modules, tmp_path):
    releases, _, _ = packaging_modules
    (tmp_path / "CHANGELOG.md").write_text(CHANGELOG, encoding="utf-8")
    found = releases.releases_for(tmp_path, "0.2.0")
    assert [(r.version, r.date) for r in found] == [
        ("0.2.0", date(2026, 12, 24)),
        ("0.1.0", date(2026, 12, 1)),
    ]
    assert found[0].notes == ["Install Shopkeep from a .deb", "Help → About shows the version"]
    assert found[1].notes == ["First release"]


def test_without_a_changelog_the_package_version_is_the_release(
    packaging_modules, tmp_path, monkeypatch
):
    releases, _, _ = packaging_modules
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796428800")  # 2026-12-05
    found = releases.releases_for(tmp_path, "0.3.0")
    assert [(r.version, r.date) for r in found] == [("0.3.0", date(2026, 12, 5))]


def test_appstream_accepts_the_metadata_with_its_release_notes(packaging_modules, tmp_path):
    releases, metainfo, _ = packaging_modules
    (tmp_path / "CHANGELOG.md").write_text(CHANGELOG, encoding="utf-8")
    xml = metainfo.metainfo(
        "One inbox for every mention of your business", releases.releases_for(tmp_path, "0.2.0")
    )
    path = tmp_path / "app.shopkeep.Shopkeep.metainfo.xml"
    path.write_text(xml, encoding="utf-8")
    checked = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert '<release version="0.2.0" date="2026-12-24">' in xml
    assert "<li>Install Shopkeep from a .deb</li>" in xml


def test_the_menu_entry_validates(packaging_modules, tmp_path):
    _, _, desktop_entry = packaging_modules
    path = tmp_path / "app.shopkeep.Shopkeep.desktop"
    path.write_text(desktop_entry.desktop_entry("One inbox for every mention"), encoding="utf-8")
    checked = subprocess.run(
        ["desktop-file-validate", str(path)], capture_output=True, text=True, timeout=60
    )
    assert checked.returncode == 0 and not checked.stdout, checked.stdout


def test_long_release_notes_are_wrapped_in_the_debian_changelog(packaging_modules):
    """lintian warns about changelog lines over 80 columns; our notes are long sentences."""
    import gzip

    import debian_docs

    releases, _, _ = packaging_modules
    note = (
        "Every open conversation is re-read regularly, oldest-checked first and fewer "
        "when the server's rate limit runs low, so late replies arrive in old threads."
    )
    text = gzip.decompress(
        debian_docs.debian_changelog([releases.Release("0.2.0", date(2026, 12, 5), [note])])
    ).decode()
    entries = [line for line in text.splitlines() if not line.startswith(" -- ")]
    assert max(len(line) for line in entries) <= 80
    assert " ".join(line.strip().lstrip("* ") for line in entries if line.startswith("  ")) == note


def test_two_releases_on_one_day_are_a_minute_apart_newest_last(packaging_modules):
    """lintian refuses a changelog whose newest entry is not newer than the one before."""
    import gzip

    import debian_docs

    releases, _, _ = packaging_modules
    day = date(2026, 12, 5)
    text = gzip.decompress(
        debian_docs.debian_changelog(
            [
                releases.Release("0.3.0", day, ["Team inbox."]),
                releases.Release("0.2.0", day, ["Sync."]),
                releases.Release("0.1.0", date(2026, 11, 23), ["First."]),
            ]
        )
    ).decode()
    stamps = [line.split("  ", 1)[1] for line in text.splitlines() if line.startswith(" -- ")]
    assert stamps == [
        "Sat, 05 Dec 2026 00:01:00 +0000",
        "Sat, 05 Dec 2026 00:00:00 +0000",
        "Mon, 23 Nov 2026 00:00:00 +0000",
    ]
