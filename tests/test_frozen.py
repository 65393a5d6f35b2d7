"""Build the one-folder app with PyInstaller and run --self-test on the frozen binary.

Slow (about 1.5 minutes the first time; reused from build/frozen-test while the spec,
app/, resources/ and the installed packages are unchanged). Skip locally with
`-m "not frozen"`; CI runs it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.test_self_test import assert_all_passed, run_self_test

ROOT = Path(__file__).resolve().parent.parent
BUILD_ROOT = ROOT / "build" / "frozen-test"

pytestmark = [
    pytest.mark.frozen,
    pytest.mark.timeout(600),
]


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(folder)): (p.lstat().st_size, p.lstat().st_mtime_ns)
        for p in folder.rglob("*")
    }


@pytest.fixture(scope="module")
def frozen_app() -> Path:
    from bench.build_frozen import build_cached

    return build_cached(onefile=False, root=BUILD_ROOT)


def test_frozen_self_test_passes(frozen_app, tmp_path):
    before = snapshot(frozen_app.parent)
    result = run_self_test([str(frozen_app)], tmp_path / "data", cwd=tmp_path)
    assert_all_passed(result)
    assert "sentiment: positive" in result.stdout  # the VADER lexicon is bundled
    assert snapshot(frozen_app.parent) == before, "the app wrote next to its binary"


def test_frozen_app_is_windowed_and_trimmed(frozen_app):
    internal = frozen_app.parent / "_internal"
    collected = {p.name for p in internal.rglob("*")}
    assert "vader_lexicon.txt" in collected
    assert "emoji_utf8_lexicon.txt" in collected
    assert (internal / "resources" / "demo").is_dir()
    assert (internal / "resources" / "templates").is_dir()
    assert not (internal / "resources" / "screenshots").exists()
    assert "libqoffscreen.so" in collected or os.name != "posix"
    unwanted = {"libqgtk3.so", "libQt6Quick.so.6", "libQt6Qml.so.6", "libQt6Pdf.so.6"}
    assert not unwanted & collected
    assert not (internal / "PySide6" / "Qt" / "translations").exists()
