"""Words, icons and small formatters shared by the delegates and views.

Colours live in app/ui/palette.py. A sentiment colour is never shown without
its word here, so nobody has to tell colours apart to read the inbox.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap

from app.core.models import Network, SentimentLabel, ThreadStatus
from app.core.paths import resources_dir
from app.ui import palette

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


def sentiment_word(label: SentimentLabel, language: str | None = None) -> str:
    """The word that always travels with the colour; unscored posts name their language."""
    if label is SentimentLabel.UNSCORED and language:
        return f"{language.upper()} – not scored"
    return SENTIMENT_WORDS[label]


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
        p.setBrush(palette.network_colour(network))
        p.setPen(Qt.PenStyle.NoPen)
        p.drawEllipse(0, 0, size, size)
        p.setPen(palette.colour("on_accent"))
        p.drawText(0, 0, size, size, Qt.AlignmentFlag.AlignCenter, network.value[0].upper())
        p.end()
    return pm
