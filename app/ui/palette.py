"""Every colour Shopkeep paints, for the light and the dark scheme, in one place.

Delegates ask `colour("text")` at paint time and style sheets name colours as
`@text` (see `qss`), so switching schemes is one call (`use`) and a repaint:
no widget keeps a colour of its own. tests/test_ui_palette.py checks that both
schemes keep 4.5:1 for every text on its background (`TEXT_PAIRS`) and that the
sentiment colours stay apart under colour-vision deficiencies; a test also
greps app/ui for hex colours outside this file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QWidget

from app.core.models import Network, SentimentLabel

LIGHT_COLOURS: dict[str, str] = {
    # surfaces
    "window": "#F6F7F9",
    "base": "#FFFFFF",
    "pane": "#FAFBFC",
    "folder_pane": "#F1F3F6",
    "hover": "#F3F5F7",
    "selection": "#DCE8FB",
    "selection_inactive": "#E3EAF4",
    "selection_soft": "#EAF1FC",
    "border": "#E3E6EA",
    "border_strong": "#D0D5DB",
    "divider_soft": "#EEF0F2",
    "scrollbar": "#C9CED4",
    "scrollbar_hover": "#AEB4BB",
    # text
    "text": "#1F2328",
    "text_secondary": "#3D444D",
    "text_muted": "#656D76",
    "text_muted_on_selection": "#5A626B",
    "disabled": "#9AA1A9",
    "placeholder": "#8C959F",
    # accent
    "accent": "#2F6FDB",
    "focus": "#2F6FDB",
    "accent_hover": "#285FC0",
    "accent_border": "#2A63C5",
    "accent_disabled": "#AFC6EE",
    "on_accent_disabled": "#FFFFFF",
    "on_accent": "#FFFFFF",
    "focus_on_accent": "#163A80",
    "accent_text": "#1F5BC4",
    "checked_bg": "#E7EEFB",
    "checked_border": "#C5D6F3",
    "checked_text": "#1D4FA8",
    "accent_soft_bg": "#EEF4FD",
    "accent_soft_border": "#C9DBF6",
    "accent_hover_soft": "#F5F8FE",
    "help_bg": "#F3F7FD",
    "help_border": "#D6E3F7",
    "mention_border": "#BFD3F2",
    "folder_selected": "#D5E2F7",
    "folder_hover": "#E9EDF2",
    "folder_heading": "#656D76",
    "count_bg": "#E1E5EA",
    "count_text": "#4A525C",
    # messages
    "warn_bg": "#FDF1E8",
    "warn_border": "#F1CDB1",
    "warn_text": "#9A3412",
    "error_text": "#B42318",
    "notice_bg": "#FFF8E6",
    "notice_border": "#F0DFAE",
    "notice_text": "#5C4A12",
    "note_bg": "#FFFBEA",
    "note_border": "#EFE2B0",
    "note_focus": "#D9B94A",
    "note_text": "#3B3212",
    "ok_bg": "#E3F4EE",
    "ok_text": "#00694D",
    "thanks_bg": "#E9F6F1",
    "thanks_border": "#B9E2D3",
    "own_post_bg": "#F3F8F4",
    "content_warning_text": "#8A5A00",
    "offline_bg": "#A84600",
    "on_offline": "#FFFFFF",
    # sentiment (Okabe–Ito fills for stripes and chips; darker shades for words)
    "complaint": "#D55E00",
    "neutral": "#C4C4C4",
    "praise": "#009E73",
    "complaint_text": "#8F3A00",
    "neutral_text": "#24282E",
    "praise_text": "#00664E",
    "queued": "#E69F00",
    "sending": "#56B4E9",
    # networks (their own brand colours) and charts
    "mastodon": "#6364FF",
    "bluesky": "#1185FE",
    "chart_bg": "#FFFFFF",
}

DARK_COLOURS: dict[str, str] = {
    "window": "#1C1F23",
    "base": "#24282E",
    "pane": "#1F2226",
    "folder_pane": "#1A1D21",
    "hover": "#2C3138",
    "selection": "#1E3A5F",
    "selection_inactive": "#2B3440",
    "selection_soft": "#26364A",
    "border": "#363B42",
    "border_strong": "#4A515A",
    "divider_soft": "#30353C",
    "scrollbar": "#4A515A",
    "scrollbar_hover": "#666E78",
    "text": "#E6E8EB",
    "text_secondary": "#C4C9CF",
    "text_muted": "#A1A9B3",
    "text_muted_on_selection": "#B6C0CC",
    "disabled": "#6B727B",
    "placeholder": "#7D858F",
    "accent": "#2F6FDB",
    "focus": "#8AB4F8",
    "accent_hover": "#2A63C5",
    "accent_border": "#4A88EE",
    "accent_disabled": "#2A3D5C",
    "on_accent_disabled": "#7F8EA6",
    "on_accent": "#FFFFFF",
    "focus_on_accent": "#A8C7FA",
    "accent_text": "#8AB4F8",
    "checked_bg": "#213553",
    "checked_border": "#33507A",
    "checked_text": "#A8C7FA",
    "accent_soft_bg": "#1F2E44",
    "accent_soft_border": "#2F4A70",
    "accent_hover_soft": "#243449",
    "help_bg": "#1F2B3A",
    "help_border": "#2F4360",
    "mention_border": "#3A5A8A",
    "folder_selected": "#2A3F5E",
    "folder_hover": "#2A2F36",
    "folder_heading": "#A1A9B3",
    "count_bg": "#343A42",
    "count_text": "#D0D5DB",
    "warn_bg": "#3A2518",
    "warn_border": "#6B3A1E",
    "warn_text": "#FFB48A",
    "error_text": "#FF9A8F",
    "notice_bg": "#35301C",
    "notice_border": "#5E5226",
    "notice_text": "#E8D48A",
    "note_bg": "#33301E",
    "note_border": "#5E5630",
    "note_focus": "#B8962E",
    "note_text": "#EDE3B5",
    "ok_bg": "#173A30",
    "ok_text": "#7FDDB8",
    "thanks_bg": "#1A3329",
    "thanks_border": "#2E5C4A",
    "own_post_bg": "#1F2A24",
    "content_warning_text": "#E0B45C",
    "offline_bg": "#A84600",
    "on_offline": "#FFFFFF",
    "complaint": "#E66A10",
    "neutral": "#555A60",
    "praise": "#00A87A",
    "complaint_text": "#FFA772",
    "neutral_text": "#F0F0F4",
    "praise_text": "#34D1AE",
    "queued": "#E69F00",
    "sending": "#56B4E9",
    "mastodon": "#6364FF",
    "bluesky": "#1185FE",
    "chart_bg": "#202124",
}

# (text, background) pairs that carry words; both schemes keep 4.5:1 on each (WCAG AA).
TEXT_PAIRS: tuple[tuple[str, str], ...] = (
    *(
        ("text", bg)
        for bg in (
            "base",
            "window",
            "pane",
            "folder_pane",
            "hover",
            "selection",
            "selection_inactive",
            "selection_soft",
            "accent_soft_bg",
            "help_bg",
            "warn_bg",
            "thanks_bg",
            "notice_bg",
            "own_post_bg",
            "checked_bg",
            "folder_selected",
            "folder_hover",
        )
    ),
    *(("text_secondary", bg) for bg in ("base", "window", "hover", "help_bg", "pane")),
    *(
        ("text_muted", bg)
        for bg in ("base", "window", "pane", "folder_pane", "hover", "selection_soft")
    ),
    ("text_muted_on_selection", "selection"),
    ("text_muted_on_selection", "selection_inactive"),
    *(("accent_text", bg) for bg in ("base", "selection", "selection_inactive", "hover", "pane")),
    ("checked_text", "checked_bg"),
    ("checked_text", "accent_soft_bg"),
    ("on_accent", "accent"),
    ("checked_text", "base"),
    ("checked_text", "window"),
    ("warn_text", "window"),
    ("warn_text", "folder_pane"),
    ("error_text", "window"),
    ("on_accent", "accent_hover"),
    ("warn_text", "warn_bg"),
    ("warn_text", "base"),
    ("error_text", "base"),
    ("error_text", "warn_bg"),
    ("notice_text", "notice_bg"),
    ("note_text", "note_bg"),
    ("ok_text", "ok_bg"),
    ("ok_text", "base"),
    ("text_secondary", "divider_soft"),
    ("folder_heading", "folder_pane"),
    ("count_text", "count_bg"),
    ("content_warning_text", "base"),
    ("content_warning_text", "pane"),
    ("on_offline", "offline_bg"),
    *(
        (f"{s}_text", bg)
        for s in ("complaint", "neutral", "praise")
        for bg in ("base", "selection", "selection_inactive", "hover", "pane", "accent_soft_bg")
    ),
)

SENTIMENT_KEYS: dict[SentimentLabel, str] = {
    SentimentLabel.NEGATIVE: "complaint",
    SentimentLabel.NEUTRAL: "neutral",
    SentimentLabel.POSITIVE: "praise",
    SentimentLabel.UNSCORED: "neutral",
}
CHIP_ALPHA = 40  # a chip's fill: the sentiment colour at this alpha over the row
SCHEMES = ("system", "light", "dark")  # the owner's choice in Settings


@dataclass(frozen=True, slots=True)
class Palette:
    """One scheme's colours by name."""

    name: str
    colours: Mapping[str, str]

    def __getitem__(self, key: str) -> str:
        return self.colours[key]

    def q(self, key: str) -> QColor:
        return QColor(self.colours[key])

    @property
    def dark(self) -> bool:
        return self.name == "dark"


LIGHT = Palette("light", LIGHT_COLOURS)
DARK = Palette("dark", DARK_COLOURS)
_current: list[Palette] = [LIGHT]
_qcolours: dict[tuple[str, str], QColor] = {}
_TOKEN = re.compile(r"@([a-z_]+)\b")
STYLE_PROPERTY = "shopkeepStyle"  # a widget's style sheet template, kept for `restyle`


def current() -> Palette:
    return _current[0]


def use(palette: Palette) -> None:
    """Make `palette` the one every later paint and style sheet reads."""
    _current[0] = palette


def colour(key: str) -> QColor:
    """A colour of the current scheme, by name (a copy: callers may change its alpha)."""
    found = _qcolours.get((_current[0].name, key))
    if found is None:  # paint() asks per visible row per frame: parse each name once
        found = _qcolours[(_current[0].name, key)] = QColor(_current[0].colours[key])
    return QColor(found)


def shared_colour(key: str) -> QColor:
    """`colour` without the copy, for painting code that only reads it (a delegate asks
    ~10 times per row per frame); never change the colour it returns."""
    found = _qcolours.get((_current[0].name, key))
    if found is None:
        found = _qcolours[(_current[0].name, key)] = QColor(_current[0].colours[key])
    return found


def hex_of(key: str) -> str:
    return _current[0].colours[key]


def sentiment_colour(label: SentimentLabel) -> QColor:
    return colour(SENTIMENT_KEYS[label])


def sentiment_text(label: SentimentLabel) -> QColor:
    return colour(f"{SENTIMENT_KEYS[label]}_text")


def network_colour(network: Network) -> QColor:
    return colour(network.value)


def qss(template: str, palette: Palette | None = None) -> str:
    """A style sheet with each `@name` replaced by that colour (unknown names raise)."""
    colours = (palette or _current[0]).colours
    return _TOKEN.sub(lambda m: colours[m.group(1)], template)


def style(widget: QWidget, template: str) -> None:
    """Give `widget` a style sheet in the current scheme, and again after a switch."""
    widget.setProperty(STYLE_PROPERTY, template)
    widget.setStyleSheet(qss(template))


def restyle(app: QApplication) -> None:
    """After a switch: every widget styled through `style` gets the new colours."""
    for widget in app.allWidgets():
        template = widget.property(STYLE_PROPERTY)
        if isinstance(template, str):
            widget.setStyleSheet(qss(template))
        widget.update()


def over(top: QColor, bottom: QColor) -> QColor:
    """`top` (with its alpha) painted over the opaque `bottom`."""
    a = top.alphaF()
    return QColor.fromRgbF(
        *(
            t * a + b * (1 - a)
            for t, b in (
                (top.redF(), bottom.redF()),
                (top.greenF(), bottom.greenF()),
                (top.blueF(), bottom.blueF()),
            )
        )
    )


def chip_fill(label: SentimentLabel, under: QColor, palette: Palette | None = None) -> QColor:
    """The chip behind a sentiment word: its colour, faint, over the row."""
    tint = (palette or _current[0]).q(SENTIMENT_KEYS[label])
    tint.setAlpha(CHIP_ALPHA)
    return over(tint, under)


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio of two opaque colours (1..21)."""

    def lum(c: QColor) -> float:
        def ch(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * ch(c.redF()) + 0.7152 * ch(c.greenF()) + 0.0722 * ch(c.blueF())

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)
