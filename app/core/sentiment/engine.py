"""VADER as the base, run clause by clause so its negation cannot leak across sentences.

Applies VADER's own per-word valence rules (boosters, caps, "no", "least",
idioms, the "but" shift) so plain English scores as VADER would; only the
token list it sees and the lexicon are ours. The rules are restated here over
words lower-cased once: VADER's methods lower-case the whole clause for every
opinion word, which made a long clause quadratic (100,000 chars took ~80 s) and
was most of the scorer's time on ordinary posts. tests/test_sentiment_engine.py
pins this against VADER's own methods.
"""

from __future__ import annotations

import copy
import heapq
import math
import string
from collections.abc import Mapping
from functools import lru_cache

from vaderSentiment.vaderSentiment import (
    BOOSTER_DICT,
    C_INCR,
    N_SCALAR,
    NEGATE,
    SPECIAL_CASES,
    SentimentIntensityAnalyzer,
    normalize,
)

from app.core.sentiment.lexicons import EMOJI_VALENCE

_PUNCT = string.punctuation
_NEGATE = frozenset(NEGATE)
_SO_THIS = ("so", "this")


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
    # Curly apostrophes (phones) and backticks: "n't" must negate, phrases must match.
    table[0x2019] = table[0x2018] = table[0x60] = "'"
    return table


def valences(
    analyzer: SentimentIntensityAnalyzer, clauses: list[list[str]]
) -> tuple[list[str], list[str], list[float], list[int]]:
    """Per-token VADER valences: words, their lower case, valences, each clause's start."""
    lexicon = analyzer.lexicon
    flat = [s if len(s := t.strip(_PUNCT)) > 2 else t for clause in clauses for t in clause]
    lows = list(map(str.lower, flat))
    upper = sum(map(str.isupper, flat))
    is_cap_diff = 0 < len(flat) - upper < len(flat)
    sentiments: list[float] = []
    starts: list[int] = []
    lo = 0
    for clause in clauses:
        starts.append(lo)
        hi = lo + len(clause)
        for k in range(lo, hi):
            low = lows[k]
            if (
                low not in lexicon
                or low in BOOSTER_DICT
                or (low == "kind" and k + 1 < hi and lows[k + 1] == "of")
            ):
                sentiments.append(0.0)
            else:
                sentiments.append(_valence(lexicon, flat, lows, lo, hi, k, is_cap_diff))
        lo = hi
    if "but" in lows:
        _but_shift(sentiments, lows.index("but"))
    return flat, lows, sentiments, starts


def _valence(
    lexicon: Mapping[str, float],
    words: list[str],
    lows: list[str],
    lo: int,
    hi: int,
    k: int,
    is_cap_diff: bool,
) -> float:
    """VADER's `sentiment_valence` for the word at k of the clause words[lo:hi]."""
    i = k - lo
    low = lows[k]
    valence = lexicon[low]
    if low == "no" and k + 1 < hi and lows[k + 1] in lexicon:
        valence = 0.0
    if (
        (i > 0 and lows[k - 1] == "no")
        or (i > 1 and lows[k - 2] == "no")
        or (i > 2 and lows[k - 3] == "no" and lows[k - 1] in ("or", "nor"))
    ):
        valence = lexicon[low] * N_SCALAR
    if is_cap_diff and words[k].isupper():
        valence = valence + C_INCR if valence > 0 else valence - C_INCR
    for start_i in range(min(i, 3)):
        before = lows[k - start_i - 1]
        if before in lexicon:
            continue
        scalar = BOOSTER_DICT.get(before, 0.0)
        if scalar:
            if valence < 0:
                scalar = -scalar
            if is_cap_diff and words[k - start_i - 1].isupper():
                scalar = scalar + C_INCR if valence > 0 else scalar - C_INCR
            if start_i == 1:
                scalar *= 0.95
            elif start_i == 2:
                scalar *= 0.9
        valence += scalar
        valence = _negation(valence, lows, start_i, k)
        if start_i == 2:
            valence = _idioms(valence, lows, hi, k)
    if i > 1 and lows[k - 1] == "least" and "least" not in lexicon:
        if lows[k - 2] != "at" and lows[k - 2] != "very":
            valence *= N_SCALAR
    elif i > 0 and lows[k - 1] == "least" and "least" not in lexicon:
        valence *= N_SCALAR
    return valence


def _negated(word: str) -> bool:
    return word in _NEGATE or "n't" in word


def _negation(valence: float, lows: list[str], start_i: int, k: int) -> float:
    """VADER's `_negation_check` (the word start_i + 1 back negates; "never so" boosts)."""
    if start_i == 0:
        return valence * N_SCALAR if _negated(lows[k - 1]) else valence
    if start_i == 1:
        if lows[k - 2] == "never" and lows[k - 1] in _SO_THIS:
            return valence * 1.25
        if lows[k - 2] == "without" and lows[k - 1] == "doubt":
            return valence
        return valence * N_SCALAR if _negated(lows[k - 2]) else valence
    if (lows[k - 3] == "never" and lows[k - 2] in _SO_THIS) or lows[k - 1] in _SO_THIS:
        return valence * 1.25
    if lows[k - 3] == "without" and (lows[k - 2] == "doubt" or lows[k - 1] == "doubt"):
        return valence
    return valence * N_SCALAR if _negated(lows[k - 3]) else valence


def _idioms(valence: float, lows: list[str], hi: int, k: int) -> float:
    """VADER's `_special_idioms_check` around the word at k (clause ends before hi)."""
    one, two, three, zero = lows[k - 1], lows[k - 2], lows[k - 3], lows[k]
    twoone = f"{two} {one}"
    threetwoone = f"{three} {twoone}"
    threetwo = f"{three} {two}"
    for seq in (f"{one} {zero}", f"{twoone} {zero}", twoone, threetwoone, threetwo):
        if seq in SPECIAL_CASES:
            valence = SPECIAL_CASES[seq]
            break
    if k + 1 < hi:
        zeroone = f"{zero} {lows[k + 1]}"
        if zeroone in SPECIAL_CASES:
            valence = SPECIAL_CASES[zeroone]
        if k + 2 < hi:
            zeroonetwo = f"{zeroone} {lows[k + 2]}"
            if zeroonetwo in SPECIAL_CASES:
                valence = SPECIAL_CASES[zeroonetwo]
    for n_gram in (threetwoone, threetwo, twoone):
        if n_gram in BOOSTER_DICT:
            valence += BOOSTER_DICT[n_gram]
    return valence


def _but_shift(sentiments: list[float], bi: int) -> None:
    """VADER's `_but_check` (x0.5 before the first "but", x1.5 after), in n log n.

    VADER rescales `sentiments.index(value)`, the *first* slot holding each value in
    turn (quadratic, and a quirk when equal values repeat); a heap of slots per value
    keeps that exact behaviour.
    """
    slots: dict[float, list[int]] = {}
    for j, v in enumerate(sentiments):
        slots.setdefault(v, []).append(j)  # ascending, so already heaps
    for k in range(len(sentiments)):
        v = sentiments[k]
        heap = slots[v]
        while sentiments[heap[0]] != v:
            heapq.heappop(heap)  # slots whose value has since changed
        si = heap[0]
        if si == bi:
            continue
        new = v * (0.5 if si < bi else 1.5)
        if new == v:
            continue
        heapq.heappop(heap)
        sentiments[si] = new
        heapq.heappush(slots.setdefault(new, []), si)


def compound(analyzer: SentimentIntensityAnalyzer, total: float, text: str) -> float:
    """VADER's compound: the sum with ! and ? emphasis, squashed into -1..1."""
    if total == 0.0:
        return 0.0
    emphasis = analyzer._punctuation_emphasis(text)
    total += math.copysign(emphasis, total)
    return round(normalize(total), 4)
