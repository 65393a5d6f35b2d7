"""Light and dark: every word readable, sentiment colours apart for colour-blind owners,
and every colour coming from app/ui/palette.py (issue 22)."""

from __future__ import annotations

import importlib
import math
import re
from pathlib import Path

import pytest
from PySide6.QtGui import QColor

from app.core.models import SentimentLabel
from app.ui import palette
from app.ui.palette import DARK, LIGHT, TEXT_PAIRS, chip_fill, contrast_ratio

UI = Path(__file__).resolve().parent.parent / "app" / "ui"
STYLE = UI.parent.parent / "resources" / "style"
HEX = re.compile(r"#[0-9A-Fa-f]{6}\b|#[0-9A-Fa-f]{3}\b")

# Machado, Oliveira & Fernandes (2009), "A Physiologically-based Model for Simulation of
# Color Vision Deficiency", table for severity 1.0; applied to linear RGB.
MACHADO = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}
MIN_DELTA_E = 20.0  # CIE76 in Lab: well past "just noticeable" (~2.3), apart at a glance
FEELINGS = ("complaint", "neutral", "praise")


def _linear(v: float) -> float:
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


def _lab(rgb_linear: tuple[float, float, float]) -> tuple[float, float, float]:
    r, g, b = (min(1.0, max(0.0, c)) for c in rgb_linear)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def seen_with(deficiency: str | None, hex_colour: str) -> tuple[float, float, float]:
    """The colour in Lab as someone with `deficiency` sees it (None: typical vision)."""
    c = QColor(hex_colour)
    lin = tuple(_linear(v) for v in (c.redF(), c.greenF(), c.blueF()))
    if deficiency:
        m = MACHADO[deficiency]
        lin = tuple(sum(m[i][j] * lin[j] for j in range(3)) for i in range(3))
    return _lab(lin)  # type: ignore[arg-type]


@pytest.mark.parametrize("scheme", [LIGHT, DARK], ids=lambda p: p.name)
def test_every_text_reads_at_4_5_to_1_on_its_background_in_both_schemes(qapp, scheme):
    failing = [
        (text, under, round(contrast_ratio(scheme.q(text), scheme.q(under)), 2))
        for text, under in TEXT_PAIRS
        if contrast_ratio(scheme.q(text), scheme.q(under)) < 4.5
    ]
    assert not failing, failing


@pytest.mark.parametrize("scheme", [LIGHT, DARK], ids=lambda p: p.name)
def test_sentiment_words_read_at_4_5_to_1_on_their_chips_in_both_schemes(qapp, scheme):
    for label in (SentimentLabel.NEGATIVE, SentimentLabel.NEUTRAL, SentimentLabel.POSITIVE):
        word = scheme.q(f"{palette.SENTIMENT_KEYS[label]}_text")
        for row in ("base", "selection", "selection_inactive", "hover", "pane", "accent_soft_bg"):
            ratio = contrast_ratio(word, chip_fill(label, scheme.q(row), scheme))
            assert ratio >= 4.5, (scheme.name, label, row, round(ratio, 2))


def test_both_schemes_name_the_same_colours():
    assert set(LIGHT.colours) == set(DARK.colours)
    assert {k for pair in TEXT_PAIRS for k in pair} <= set(LIGHT.colours)


@pytest.mark.parametrize("deficiency", [None, *MACHADO])
@pytest.mark.parametrize("scheme", [LIGHT, DARK], ids=lambda p: p.name)
@pytest.mark.parametrize("kind", ["fill", "text"])
def test_complaint_neutral_and_praise_stay_apart_for_colour_blind_eyes(
    qapp, deficiency, scheme, kind
):
    keys = [k if kind == "fill" else f"{k}_text" for k in FEELINGS]
    seen = {k: seen_with(deficiency, scheme[k]) for k in keys}
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            assert math.dist(seen[a], seen[b]) >= MIN_DELTA_E, (deficiency, scheme.name, a, b)


def test_the_simulation_can_tell_red_from_green_apart_only_with_typical_vision():
    """The check can fail: pure red and a green of the same lightness merge for a
    deuteranope (and the simulation leaves grey alone)."""
    red, green = "#D05050", "#6F9A3A"
    assert math.dist(seen_with(None, red), seen_with(None, green)) > 40
    assert math.dist(seen_with("deuteranopia", red), seen_with("deuteranopia", green)) < 20
    grey = seen_with("protanopia", "#808080")
    assert math.dist(grey, seen_with(None, "#808080")) < 2


def test_no_hex_colour_outside_the_palette():
    """Delegates and inline style sheets name palette colours; only palette.py has hex."""
    found = []
    for path in [*UI.rglob("*.py"), *STYLE.glob("*.qss")]:
        if path.name == "palette.py":
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if HEX.search(line):
                found.append(f"{path.name}:{n}: {line.strip()}")
    assert not found, "\n".join(found)


def test_every_style_sheet_names_only_palette_colours(qapp):
    """A misspelt @name would raise when the window opens; find it here instead."""
    sheets = [path.read_text(encoding="utf-8") for path in STYLE.glob("*.qss")]
    for path in sorted(UI.glob("*.py")):
        module = importlib.import_module(f"app.ui.{path.stem}")
        sheets += [
            value
            for name, value in vars(module).items()
            if name.isupper() and "STYLE" in name and isinstance(value, str)
        ]
    assert len(sheets) >= 8
    for sheet in sheets:
        for scheme in (LIGHT, DARK):
            assert "@" not in palette.qss(sheet, scheme)


def test_the_hex_grep_sees_a_colour_in_a_style_sheet_or_a_delegate():
    """The check can fail: the forms colours took before the palette are all found."""
    for line in (
        "QLabel#hint { color: #656D76; }",
        'painter.setPen(QColor("#7A828C"))',
        "background: #fff;",
    ):
        assert HEX.search(line), line
    assert not HEX.search("QLabel#pageTitle { color: @text; }")
