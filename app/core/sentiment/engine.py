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

import bisect
import copy
import heapq
import itertools
import math
import re
import string
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from vaderSentiment.vaderSentiment import (
    BOOSTER_DICT,
    C_INCR,
    N_SCALAR,
    NEGATE,
    SPECIAL_CASES,
    SentimentIntensityAnalyzer,
)

from app.core.sentiment.slang import SLANG_VALENCE
from app.core.sentiment.smileys import EMOJI_VALENCE
from app.core.sentiment.tokens import Tokens

# VADER's scalar for a negated word ("not good" is -0.74 x "good"): the one copy every
# rule that negates a valence uses.
NEGATION_SCALAR: float = N_SCALAR
_PUNCT = string.punctuation
_ALPHA = 15  # VADER's normalize() default
_NEGATE = frozenset(NEGATE)
_SO_THIS = ("so", "this")
# Every word of VADER's idioms and multi-word boosters, and the first words of its
# idioms: an idiom check around words outside these sets can change nothing.
_IDIOM_WORDS = frozenset(
    w for key in (*SPECIAL_CASES, *(b for b in BOOSTER_DICT if " " in b)) for w in key.split(" ")
)
_IDIOM_STARTS = frozenset(key.split(" ")[0] for key in SPECIAL_CASES if " " in key)
# The words that can change a valence from up to three words back (boosters, negations,
# "so"/"this"; words with "n't" negate too): without them VADER's look-back only adds 0.0.
_MODIFIERS = frozenset(BOOSTER_DICT) | _NEGATE | frozenset(_SO_THIS)
# What `_valence` looks for before a word besides those (a word with "n't" negates too).
_MODIFIER_WORDS = _MODIFIERS | frozenset({"no", "least", "kind"})


@lru_cache(maxsize=1)
def base_analyzer() -> SentimentIntensityAnalyzer:
    """The one VADER instance (loading the lexicon costs ~50 ms), plus our emoji and the
    everyday words it lacks."""
    analyzer = SentimentIntensityAnalyzer()
    analyzer.lexicon.update(SLANG_VALENCE)
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


@lru_cache(maxsize=1)
def _ascii_replacements() -> tuple[tuple[str, str], ...]:
    """The emoji table's entries for ASCII characters (only the backtick)."""
    return tuple((chr(c), r) for c, r in emoji_table().items() if c < 128)


def translate_emoji(text: str) -> str:
    """`text.translate(emoji_table())`. Only ASCII's backtick and characters beyond ASCII
    are in the table, and `str.translate` pays a failed lookup for every character of a
    text that is not all ASCII: so the backtick is replaced in C, and each run of
    non-ASCII characters (mostly the same few emoji) is translated once and kept."""
    for char, replacement in _ascii_replacements():
        if char in text:
            text = text.replace(char, replacement)
    if text.isascii():
        return text
    return _NON_ASCII.sub(_translated_run, text)


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_RUNS: dict[str, str] = {}


def _translated_run(m: re.Match[str]) -> str:
    run = m.group()
    out = _RUNS.get(run)
    if out is None:
        if len(_RUNS) > 10_000:
            _RUNS.clear()
        out = _RUNS[run] = run.translate(emoji_table())
    return out


def valences(analyzer: SentimentIntensityAnalyzer, clauses: list[list[str]]) -> Tokens:
    """The tokens with VADER's valence each (clause by clause)."""
    lexicon = analyzer.lexicon
    flat, lows = _words(list(itertools.chain.from_iterable(clauses)))
    starts = list(itertools.accumulate(map(len, clauses), initial=0))
    starts.pop()
    scored = [low in lexicon and low not in BOOSTER_DICT for low in lows]
    modifiers = list(map(modifier_word, lows))
    idioms = [low in _IDIOM_WORDS for low in lows]
    upper = sum(map(str.isupper, flat))
    return scored_tokens(lexicon, flat, lows, scored, (modifiers, idioms), upper, starts)


def modifier_word(low: str) -> bool:
    """Whether VADER's look-back reads this word before a scored one (a booster, a
    negation, "no", "least", "so"/"this"; "kind" of), or reads the word itself ("no")."""
    return low in _MODIFIER_WORDS or "n't" in low


def idiom_word(low: str) -> bool:
    """Whether the word is part of one of VADER's idioms (looked for from 3 words in)."""
    return low in _IDIOM_WORDS


def scored_tokens(
    lexicon: Mapping[str, float],
    flat: list[str],
    lows: list[str],
    scored: Iterable[bool],
    kinds: tuple[Sequence[bool], Sequence[bool]],
    upper: int,
    starts: list[int],
) -> Tokens:
    """The tokens with VADER's valence each: `scored` says which words VADER scores (in
    the lexicon, not a booster), `kinds` which are `modifier_word`s and `idiom_word`s,
    `upper` how many are in capitals, `starts` where each clause starts."""
    modifiers, idioms = kinds
    n = len(flat)
    is_cap_diff = 0 < n - upper < n
    sentiments = [0.0] * n
    # Only lexicon words get a valence: visit just those.
    for k in itertools.compress(range(n), scored):
        c = bisect.bisect_right(starts, k)  # k's clause is c - 1; it ends where c starts
        lo = starts[c - 1]
        valence = lexicon[lows[k]]
        if (
            valence
            and True not in modifiers[max(lo, k - 3) : k + 1]
            and (k - lo < 3 or True not in idioms[k - 2 : k + 1])
        ):
            # Nothing within reach boosts or negates it, no idiom is looked for (from the
            # clause's 4th word) or can be found: the word's own value.
            if is_cap_diff and flat[k].isupper():
                valence = valence + C_INCR if valence > 0 else valence - C_INCR
            sentiments[k] = valence
            continue
        hi = starts[c] if c < len(starts) else n
        if lows[k] == "kind" and k + 1 < hi and lows[k + 1] == "of":
            continue
        sentiments[k] = _valence(lexicon, flat, lows, lo, hi, k, is_cap_diff)
    if "but" in lows:
        _but_shift(sentiments, lows.index("but"))
    return Tokens(flat, lows, sentiments, starts, [*starts, n])


def _words(tokens: list[str]) -> tuple[list[str], list[str]]:
    """The tokens as VADER keeps them (stripped of punctuation unless that leaves 2
    letters or fewer) and their lower case."""
    words = [s if len(s := t.strip(_PUNCT)) > 2 else t for t in tokens]
    return words, list(map(str.lower, words))


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
        valence = lexicon[low] * NEGATION_SCALAR
    if is_cap_diff and words[k].isupper():
        valence = valence + C_INCR if valence > 0 else valence - C_INCR
    reach = min(i, 3)
    if reach and valence and _plain(lows[k - reach : k]):
        # Nothing in reach boosts or negates, so the look-back below would only add 0.0
        # (to a nonzero valence) and multiply by 1: only the idiom check is left.
        if reach == 3 and lows[k - 3] not in lexicon:
            valence = _idioms(valence, lows, hi, k)
        reach = 0
    if reach:
        valence = _look_back(lexicon, words, lows, hi, k, reach, valence, is_cap_diff)
    return _least(lexicon, lows, i, k, valence)


def _look_back(
    lexicon: Mapping[str, float],
    words: list[str],
    lows: list[str],
    hi: int,
    k: int,
    reach: int,
    valence: float,
    is_cap_diff: bool,
) -> float:
    """VADER's boosters, negations and idioms in the `reach` words before k."""
    for start_i in range(reach):
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
    return valence


def _least(lexicon: Mapping[str, float], lows: list[str], i: int, k: int, valence: float) -> float:
    """VADER's `_least_check`: "least" before a word negates it (not "at least")."""
    if i > 1 and lows[k - 1] == "least" and "least" not in lexicon:
        if lows[k - 2] != "at" and lows[k - 2] != "very":
            valence *= NEGATION_SCALAR
    elif i > 0 and lows[k - 1] == "least" and "least" not in lexicon:
        valence *= NEGATION_SCALAR
    return valence


def _plain(window: list[str]) -> bool:
    """No booster, negation or "so"/"this" among these words."""
    return _MODIFIERS.isdisjoint(window) and "n't" not in " ".join(window)


def _negated(word: str) -> bool:
    return word in _NEGATE or "n't" in word


def _negation(valence: float, lows: list[str], start_i: int, k: int) -> float:
    """VADER's `_negation_check` (the word start_i + 1 back negates; "never so" boosts)."""
    if start_i == 0:
        return valence * NEGATION_SCALAR if _negated(lows[k - 1]) else valence
    if start_i == 1:
        if lows[k - 2] == "never" and lows[k - 1] in _SO_THIS:
            return valence * 1.25
        if lows[k - 2] == "without" and lows[k - 1] == "doubt":
            return valence
        return valence * NEGATION_SCALAR if _negated(lows[k - 2]) else valence
    if (lows[k - 3] == "never" and lows[k - 2] in _SO_THIS) or lows[k - 1] in _SO_THIS:
        return valence * 1.25
    if lows[k - 3] == "without" and (lows[k - 2] == "doubt" or lows[k - 1] == "doubt"):
        return valence
    return valence * NEGATION_SCALAR if _negated(lows[k - 3]) else valence


def _idioms(valence: float, lows: list[str], hi: int, k: int) -> float:
    """VADER's `_special_idioms_check` around the word at k (clause ends before hi)."""
    one, two, three, zero = lows[k - 1], lows[k - 2], lows[k - 3], lows[k]
    before = one in _IDIOM_WORDS or two in _IDIOM_WORDS  # every n-gram before k has one
    if before:
        twoone = f"{two} {one}"
        threetwoone = f"{three} {twoone}"
        threetwo = f"{three} {two}"
        for seq in (f"{one} {zero}", f"{twoone} {zero}", twoone, threetwoone, threetwo):
            if seq in SPECIAL_CASES:
                valence = SPECIAL_CASES[seq]
                break
    if k + 1 < hi and zero in _IDIOM_STARTS:
        zeroone = f"{zero} {lows[k + 1]}"
        if zeroone in SPECIAL_CASES:
            valence = SPECIAL_CASES[zeroone]
        if k + 2 < hi:
            zeroonetwo = f"{zeroone} {lows[k + 2]}"
            if zeroonetwo in SPECIAL_CASES:
                valence = SPECIAL_CASES[zeroonetwo]
    if before:
        for n_gram in (threetwoone, threetwo, twoone):
            if n_gram in BOOSTER_DICT:
                valence += BOOSTER_DICT[n_gram]
    return valence


def _but_shift(sentiments: list[float], bi: int) -> None:
    """VADER's `_but_check` (x0.5 before the first "but", x1.5 after), in n log n.

    VADER rescales `sentiments.index(value)`, the *first* slot holding each value in
    turn (quadratic, and a quirk when equal values repeat); a heap of slots per value
    keeps that exact behaviour. A zero stays zero (and a slot at zero is never the first
    of another value), so only the words with a valence are visited.
    """
    scored = list(itertools.compress(range(len(sentiments)), sentiments))
    slots: dict[float, list[int]] = {}
    for j in scored:
        slots.setdefault(sentiments[j], []).append(j)  # ascending, so already heaps
    for k in scored:
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
    """VADER's compound: the sum with ! and ? emphasis, squashed into -1..1.

    VADER's `_punctuation_emphasis` and `normalize`, inlined (same arithmetic)."""
    if total == 0.0:
        return 0.0
    questions = text.count("?")
    emphasis = min(text.count("!"), 4) * 0.292 + (
        0 if questions <= 1 else questions * 0.18 if questions <= 3 else 0.96
    )
    total += math.copysign(emphasis, total)
    norm = total / math.sqrt(total * total + _ALPHA)
    return round(-1.0 if norm < -1.0 else 1.0 if norm > 1.0 else norm, 4)
