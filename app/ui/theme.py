"""Colours, words and small formatters shared by the delegates and views.

Sentiment colours are Okabe–Ito (colour-blind safe) and are never shown
without a word, so nobody has to tell colours apart to read the inbox.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from app.core.models import Network, SentimentLabel, ThreadStatus
from app.core.paths import resources_dir

VERMILLION = "#D55E00"
GREY = "#999999"
BLUISH_GREEN = "#009E73"

SENTIMENT_COLOURS: dict[SentimentLabel, str] = {
    SentimentLabel.NEGATIVE: VERMILLION,
    SentimentLabel.NEUTRAL: GREY,
    SentimentLabel.POSITIVE: BLUISH_GREEN,
    SentimentLabel.UNSCORED: GREY,
}

SENTIMENT_WORDS: dict[SentimentLabel, str] = {
    SentimentLabel.NEGATIVE: "Complaint",
    SentimentLabel.NEUTRAL: "Neutral",
    SentimentLabel.POSITIVE: "Praise",
    SentimentLabel.UNSCORED: "Not scored",
}

STATUS_WORDS: dict[ThreadStatus, str] = {
    ThreadStatus.NEEDS_REPLY: "Needs reply",
    ThreadStatus.REPLIED: "Replied",
    ThreadStatus.DONE: "Done",
    ThreadStatus.SNOOZED: "Snoozed",
}

# A reply not yet on the server keeps its thread in Needs reply, with one of these beside it.
REPLY_STATE_WORDS: dict[str, str] = {"waiting": "Reply waiting", "failed": "Reply failed"}

NETWORK_NAMES: dict[Network, str] = {
    Network.MASTODON: "Mastodon",
    Network.BLUESKY: "Bluesky",
}

NETWORK_COLOURS: dict[Network, str] = {
    Network.MASTODON: "#6364FF",
    Network.BLUESKY: "#1185FE",
}

# Text in the sentiment colours, dark enough for 4.5:1 (WCAG AA) on white, on the
# selected row and on the light chip fill under it; the bright Okabe–Ito colours
# above are for stripes and fills, which carry no text.
SENTIMENT_TEXT: dict[SentimentLabel, str] = {
    SentimentLabel.NEGATIVE: "#8F3A00",
    SentimentLabel.NEUTRAL: "#4F555C",
    SentimentLabel.POSITIVE: "#00664E",
    SentimentLabel.UNSCORED: "#4F555C",
}
CHIP_ALPHA = 40  # the chip's fill: the sentiment colour at this alpha over the row

ACCENT = "#2F6FDB"
ACCENT_TEXT = "#1F5BC4"  # the accent as small text (4.5:1 on the selected row)
TEXT_MUTED_ON_SELECTION = "#5A626B"
TEXT = "#1F2328"
TEXT_MUTED = "#656D76"
SELECTION = "#DCE8FB"
BORDER = "#E3E6EA"


def sentiment_word(label: SentimentLabel, language: str | None = None) -> str:
    """The word that always travels with the colour; unscored posts name their language."""
    if label is SentimentLabel.UNSCORED and language:
        return f"{language.upper()} – not scored"
    return SENTIMENT_WORDS[label]


def sentiment_colour(label: SentimentLabel) -> QColor:
    return QColor(SENTIMENT_COLOURS[label])


def format_age(when: datetime, now: datetime | None = None) -> str:
    """Short, mail-client style ages: "now", "5 min", "3 h", "2 d", then a date."""
    now = now or datetime.now(UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    seconds = max(0, int((now - when).total_seconds()))
    if seconds < 60:
        return "now"
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 86400:
        return f"{seconds // 3600} h"
    if seconds < 7 * 86400:
        return f"{seconds // 86400} d"
    local = when.astimezone()
    if local.year == now.astimezone().year:
        return f"{local.day} {local:%b}"
    return f"{local.day} {local:%b %Y}"


def format_timestamp(when: datetime) -> str:
    """Full local time for tooltips and the conversation header."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    local = when.astimezone()
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M}"


@cache
def icon(name: str) -> QIcon:
    """An icon from resources/icons/<name>.svg (empty icon if missing)."""
    path = resources_dir() / "icons" / f"{name}.svg"
    return QIcon(str(path)) if path.exists() else QIcon()


def network_icon(network: Network) -> QIcon:
    return icon(network.value)


@cache
def network_pixmap(network: Network, size: int, ratio: float = 1.0) -> QPixmap:
    """A crisp network mark for painting in delegates (cached per size)."""
    pm = network_icon(network).pixmap(QSize(size, size), ratio)
    if pm.isNull():  # no SVG plugin: a coloured circle with a letter still says which
        pm = QPixmap(int(size * ratio), int(size * ratio))
        pm.setDevicePixelRatio(ratio)
        pm.fill(Qt.GlobalColor.transparent)
        p = QPainter(pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setBrush(QColor(NETWORK_COLOURS[network]))
        p.setPen(Qt.PenStyle.NoPen)
        p.drawEllipse(0, 0, size, size)
        p.setPen(QColor("white"))
        p.drawText(0, 0, size, size, Qt.AlignmentFlag.AlignCenter, network.value[0].upper())
        p.end()
    return pm


def sentiment_text(label: SentimentLabel) -> QColor:
    return QColor(SENTIMENT_TEXT[label])


def over(top: QColor, bottom: QColor) -> QColor:
    """`top` (with its alpha) painted over the opaque `bottom`."""
    a = top.alphaF()
    return QColor.fromRgbF(*(t * a + b * (1 - a) for t, b in (
        (top.redF(), bottom.redF()), (top.greenF(), bottom.greenF()),
        (top.blueF(), bottom.blueF()))))


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio of two opaque colours (1..21)."""
    def lum(c: QColor) -> float:
        def ch(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
        return 0.2126 * ch(c.redF()) + 0.7152 * ch(c.greenF()) + 0.0722 * ch(c.blueF())
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)
