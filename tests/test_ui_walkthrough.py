"""The scripted walkthrough (tests/walkthrough.py) at 1024×700, 1440×900, 1920×1080.

Issue 21: the main screens are rendered to PNGs; no pane may move when the selection
changes, no label may be clipped, every Tab stop must be visible. The README's
pictures are retaken with `python -m tests.walkthrough OUTDIR --readme`.
"""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from tests import walkthrough
from tests.fixtures.ui import OFFSCREEN_NOISE
from tests.ui_layout_support import app_look, clipped_widgets

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"), pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]


def test_the_walkthrough_finds_nothing_wrong_at_three_sizes(qapp, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    with app_look(qapp):
        walks = walkthrough.run(tmp_path / "shots")
    assert [w.size for w in walks] == list(walkthrough.SIZES)
    for walk in walks:
        assert walk.problems == []
        for name in ("inbox", "composer", "complaints"):
            image = QImage(str(walk.pictures[name]))
            assert (image.width(), image.height()) == walk.size, name
        for name in ("templates", "words", "export"):
            assert not QImage(str(walk.pictures[name])).isNull(), name


def test_the_clipping_check_sees_a_clipped_label(qtbot):
    """The check can fail: a label narrower than its words is reported."""
    box = QWidget()
    qtbot.addWidget(box)
    label = QLabel("A label far too long for its box", box)
    QVBoxLayout(box).addWidget(label)
    box.show()
    label.setFixedWidth(40)
    found = clipped_widgets(box)
    assert len(found) == 1 and "far too long" in found[0]


def test_the_dark_walkthrough_finds_nothing_wrong_and_is_dark(qapp, tmp_path, monkeypatch):
    """Issue 22: the same screens in the dark scheme, with the same checks."""
    from app.ui import palette

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    with app_look(qapp):
        walks = walkthrough.run(tmp_path / "shots", ((1440, 900),), "dark")
        assert palette.current() is palette.DARK
    assert palette.current() is palette.LIGHT  # the other tests' look is back
    walk = walks[0]
    assert walk.problems == []
    assert walk.pictures["inbox"].name == "inbox-1440x900-dark.png"
    image = QImage(str(walk.pictures["inbox"]))
    samples = [
        image.pixelColor(x, y).lightnessF()
        for x in range(0, image.width(), 40)
        for y in range(0, image.height(), 40)
    ]
    assert sum(samples) / len(samples) < 0.3  # mostly dark, not a light window in disguise
