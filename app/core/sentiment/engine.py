"""VADER as the base, run clause by clause so its negation cannot leak across sentences.

Uses VADER's own per-word valence rules (boosters, caps, "no", "least",
idioms, the "but" shift) so plain English scores as VADER would; only the
token list it sees and the lexicon are ours.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping
from functools import lru_cache

from vaderSentiment.vaderSentiment import (
    BOOSTER_DICT,
    SentimentIntensityAnalyzer,
    SentiText,
    allcap_differential,
    normalize,
)

from app.core.sentiment.lexicons import EMOJI_VALENCE

_strip = SentiText._strip_punc_if_word


class _Clause:
    """Duck-types VADER's SentiText for one clause (all `sentiment_valence` reads)."""

    __slots__ = ("is_cap_diff", "words_and_emoticons")

    def __init__(self, words: list[str], is_cap_diff: bool) -> None:
        self.words_and_emoticons = words
        self.is_cap_diff = is_cap_diff


@lru_cache(maxsize=1)
def base_analyzer() -> SentimentIntensityAnalyzer:
    """The one VADER instance (loading the lexicon costs ~50 ms), plus our emoji valences."""
    analyzer = SentimentIntensityAnalyzer()
    analyzer.lexicon.update(EMOJI_VALENCE)
    return analyzer


def analyzer_for(extra_words: Mapping[str, float] | None) -> SentimentIntensityAnalyzer:
    """An analyzer whose lexicon has the owner's words on top (cached per word list)."""
    if not extra_words:
        return base_analyzer()
    key = tuple(sorted((w.lower(), float(v)) for w, v in extra_words.items() if " " not in w))
    return _with_words(key) if key else base_analyzer()


@lru_cache(maxsize=16)
def _with_words(key: tuple[tuple[str, float], ...]) -> SentimentIntensityAnalyzer:
    base = base_analyzer()
    analyzer = copy.copy(base)
    analyzer.lexicon = {**base.lexicon, **dict(key)}
    return analyzer


@lru_cache(maxsize=1)
def emoji_table() -> dict[int, str]:
    """str.translate table: VADER's emoji -> words, ours -> a spaced token with a valence."""
    table = {ord(e): f" {d} " for e, d in base_analyzer().emojis.items() if len(e) == 1}
    for emoji in EMOJI_VALENCE:
        table[ord(emoji)] = f" {emoji} "
    table[0xFE0F] = ""  # variation selector
    table[0x200D] = " "  # zero-width joiner
    return table


def valences(
    analyzer: SentimentIntensityAnalyzer, clauses: list[list[str]]
) -> tuple[list[str], list[float], list[int]]:
    """Per-token VADER valences; words, valences and each clause's start index."""
    words = [[_strip(t) for t in clause] for clause in clauses]
    flat = [w for clause in words for w in clause]
    is_cap_diff = allcap_differential(flat)
    lexicon = analyzer.lexicon
    sentiments: list[float] = []
    starts: list[int] = []
    for clause in words:
        starts.append(len(sentiments))
        sentitext = _Clause(clause, is_cap_diff)
        last = len(clause) - 1
        for i, item in enumerate(clause):
            low = item.lower()
            if (
                low not in lexicon
                or low in BOOSTER_DICT
                or (low == "kind" and i < last and clause[i + 1].lower() == "of")
            ):
                sentiments.append(0.0)
            else:
                analyzer.sentiment_valence(0.0, sentitext, item, i, sentiments)
    sentiments = analyzer._but_check(flat, sentiments)
    return flat, sentiments, starts


def compound(analyzer: SentimentIntensityAnalyzer, total: float, text: str) -> float:
    """VADER's compound: the sum with ! and ? emphasis, squashed into -1..1."""
    if total == 0.0:
        return 0.0
    emphasis = analyzer._punctuation_emphasis(text)
    total += math.copysign(emphasis, total)
    return round(normalize(total), 4)
