"""Sentiment throughput: Shopkeep's scorer against raw VADER on the same generated texts."""

from __future__ import annotations

import time
from collections.abc import Sequence

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from app.core.sentiment import score


def measure(texts: Sequence[str], runs: int) -> tuple[list[float], list[float]]:
    """(Shopkeep texts/s, VADER texts/s) per run, alternating so load hits both alike."""
    analyzer = SentimentIntensityAnalyzer()
    score(texts[0])  # build caches outside the clock
    ours, raw = [], []
    for _ in range(runs):
        start = time.perf_counter()
        for text in texts:
            analyzer.polarity_scores(text)
        raw.append(len(texts) / (time.perf_counter() - start))
        start = time.perf_counter()
        for text in texts:
            score(text)
        ours.append(len(texts) / (time.perf_counter() - start))
    return ours, raw
