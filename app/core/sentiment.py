"""The one scoring function every post goes through at ingest.

Placeholder: raw VADER with the documented ±0.05 thresholds; the sentiment
issue replaces the body with rules tuned for customer messages.
"""

from __future__ import annotations

from functools import lru_cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from app.core.models import Sentiment, SentimentLabel

THRESHOLD = 0.05


@lru_cache(maxsize=1)
def _analyzer() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


def label_for(compound: float) -> SentimentLabel:
    if compound >= THRESHOLD:
        return SentimentLabel.POSITIVE
    if compound <= -THRESHOLD:
        return SentimentLabel.NEGATIVE
    return SentimentLabel.NEUTRAL


def score(text: str) -> Sentiment:
    compound = float(_analyzer().polarity_scores(text)["compound"])
    return Sentiment(compound=compound, label=label_for(compound))
