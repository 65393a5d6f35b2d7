"""What the sentiment tests share: the three colours and the scorer's reasons as one line."""

from __future__ import annotations

from typing import Any

from app.core.models import SentimentLabel
from app.core.sentiment import score

NEG, NEU, POS = SentimentLabel.NEGATIVE, SentimentLabel.NEUTRAL, SentimentLabel.POSITIVE


def why(text: str, **kw: Any) -> str:
    """The reasons the scorer gives, joined, so a test can look for one in plain words."""
    return " | ".join(score(text, **kw).reasons)
