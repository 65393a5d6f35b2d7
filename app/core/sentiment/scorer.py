"""Scoring one customer message: mask, detect language, VADER by clause, then the rules.

Kept free of Qt and of big per-call structures: score() runs for every post at
ingest, so all regexes, tables and analyzers are built once and cached.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

from app.core.models import Sentiment, SentimentLabel
from app.core.sentiment import (
    engine,
    evidence,
    hedges,
    language,
    phrases,
    rules,
    smileys,
    text,
    word_senses,
)
from app.core.sentiment.lexicons import REQUEST_WORDS

THRESHOLD = 0.05
_NEGATIVE_CONTEXT = -0.5  # a token this negative next to praise makes the praise sarcastic
_MAX_QUOTED = 3
_QUOTE_STRIP = ".,!?:;\"'"
_TITLES = phrases.TITLES
# The labels as module constants: an Enum member lookup on the class costs ~0.1 µs.
_POSITIVE = SentimentLabel.POSITIVE
_NEGATIVE = SentimentLabel.NEGATIVE
_NEUTRAL = SentimentLabel.NEUTRAL


def label_for(compound: float) -> SentimentLabel:
    """The colour for a compound score (VADER's documented ±0.05 cut-offs)."""
    if compound >= THRESHOLD:
        return _POSITIVE
    if compound <= -THRESHOLD:
        return _NEGATIVE
    return _NEUTRAL


def score(
    body: str,
    *,
    business_names: Sequence[str] = (),
    extra_words: Mapping[str, float] | None = None,
) -> Sentiment:
    """Score one message; `reasons` says why in words a shop owner can read."""
    masked, name_masked = text.mask(text.unescape(body), business_names)
    lang = language.detect(masked)
    if lang is not None:
        return Sentiment(0.0, SentimentLabel.UNSCORED, (f"not English ({lang}): not scored",), lang)

    cleaned = smileys.shorten(engine.translate_emoji(text.split_hashtags(masked)))
    cleaned = text.reword(cleaned)
    owner = _owner_words(extra_words)
    if extra_words and owner.phrases is not None:
        cleaned = owner.phrases.sub(lambda m: m.group().replace(" ", "_"), cleaned)
    analyzer = engine.analyzer_for(owner.tokens_map)
    clauses = text.clauses(cleaned)
    words, lows, sentiments, starts = engine.valences(analyzer, clauses)
    joined = rules.rule_text(clauses)
    bounds = [*starts, len(words)]

    word_senses.word_rules(lows, sentiments, analyzer.lexicon, owner.words)
    if "?" in cleaned:
        evidence.price_question(cleaned, lows, sentiments)
        evidence.need_question(cleaned, sentiments)
    if "(" in cleaned or ")" in cleaned or "<3" in cleaned:
        smileys.unflip(lows, sentiments, analyzer.lexicon)
    names = rules.proper_names(words, sentiments, starts, owner.words)
    found = rules.complaints(joined, owner.words)
    bad = [c for c in found if c.valence < 0] if found else found
    if bad:
        found = rules.weigh_complaints(found, lows, sentiments, bounds)
    if len(bad) < len(found):
        rules.praise_words(found, lows, sentiments, bounds)
        found = rules.put_right(found, sentiments, bounds)
    sarcastic: list[str] = []
    if bad or "thank" in joined or min(sentiments, default=0.0) <= _NEGATIVE_CONTEXT:
        sarcastic = _sarcasm(joined, bad, lows, sentiments, bounds)

    request = not REQUEST_WORDS.isdisjoint(lows)
    keep_thanks = (
        not bad
        and not sarcastic
        and (not (request or "?" in cleaned) or rules.thanks_boosted(lows))
    )
    polite = rules.politeness(lows, sentiments, keep_thanks=keep_thanks, owner_words=owner.words)

    total = sum(sentiments)
    if found:
        total += sum([c.valence for c in found[: rules.MAX_COMPLAINTS]])
    total += rules.SARCASM_VALENCE * len(sarcastic)
    value = engine.compound(analyzer, total, cleaned)
    label = label_for(value)
    explicit = bool(found or sarcastic)  # an explicit phrase keeps the normal band
    thin = _thin(label, value, cleaned, lows, sentiments, explicit, owner.words)
    hedged: list[str] = []
    if thin is None and label is _POSITIVE:  # only praise is damped by a hedge
        hedged, cut = hedges.damp(words, lows, sentiments, starts)
        if cut:
            value = engine.compound(analyzer, total - cut, cleaned)
            label = label_for(value)
            thin = _thin(label, value, cleaned, lows, sentiments, explicit, owner.words)
    if thin is not None:
        label = _NEUTRAL
    reasons = _reasons(label, lows, sentiments, found, sarcastic, polite, owner.words, name_masked)
    if names:
        reasons = (*reasons, f"names not counted: {_quote(names)}")
    if hedged:
        reasons = (*reasons, f"praise under {_quote(hedged)} counted half")
    if thin is not None:
        reasons = (*reasons, f"neutral: {thin}")
    return Sentiment(value, label, reasons, "en")


def _thin(
    label: SentimentLabel,
    value: float,
    cleaned: str,
    lows: list[str],
    sentiments: list[float],
    explicit: bool,
    owner_words: frozenset[str],
) -> str | None:
    """Why a coloured score near the cut-off rests on too little evidence, if it does."""
    if label is _NEUTRAL or abs(value) >= evidence.WIDE_BAND:
        return None
    explicit = explicit or not owner_words.isdisjoint(lows)
    return evidence.band(cleaned, lows, sentiments, explicit)


def _sarcasm(
    joined: str,
    found: list[rules.Complaint],
    words: list[str],
    sentiments: list[float],
    bounds: list[int],
) -> list[str]:
    """Praise next to a complaint ("great job losing my parcel"): zero it, return phrases."""
    out: list[str] = []
    complaint_in = {c.clause for c in found}
    last = len(bounds) - 1  # clauses
    for k, (praise, empty) in sorted(rules.praise_by_clause(joined).items()):
        near = range(max(0, k - 1), min(last, k + 2))
        praise_words = {w.strip(_QUOTE_STRIP) for p in praise for w in p.split()}
        lo, hi = bounds[k], bounds[k + 1]
        own_praise = any(sentiments[i] > 0 and words[i] not in praise_words for i in range(lo, hi))
        negative_near = any(j in complaint_in for j in near) or any(
            sentiments[i] <= _NEGATIVE_CONTEXT
            for j in near
            for i in range(bounds[j], bounds[j + 1])
        )
        # a one-word verdict closing a complaint: "... Wedding is in 9 days. Great."
        closing = bool(found) and k == last - 1 and hi - lo <= 2
        if empty or ((negative_near or closing) and not own_praise):
            for i in range(lo, hi):
                sentiments[i] = min(sentiments[i], 0.0)
            out.append(empty or praise[0].replace("\n", " "))
    return out


def _quote(items: Sequence[str]) -> str:
    """The first few distinct items, each in single quotes: 'late', 'rude'."""
    unique = list(dict.fromkeys(items))[:_MAX_QUOTED] if len(items) > 1 else items
    return "'" + "', '".join(unique) + "'" if unique else ""


def _reasons(
    label: SentimentLabel,
    words: list[str],
    sentiments: list[float],
    found: list[rules.Complaint],
    sarcastic: list[str],
    polite: list[str],
    owner_words: frozenset[str],
    name_masked: bool,
) -> tuple[str, ...]:
    """Why, strongest first, in a shop owner's words."""
    out = []
    if found:
        for title, hits in (
            ("complaint", [c for c in found if c.valence < 0]),
            ("praise", [c for c in found if c.valence > 0]),
        ):
            if hits:
                kinds = ", ".join(dict.fromkeys([_TITLES[c.kind] for c in hits]))
                named = title if kinds == title else f"{title} ({kinds})"  # not "praise (praise)"
                out.append(f"{named}: {_quote([c.phrase for c in hits])}")
    if sarcastic:
        out.append("sarcastic praise: " + _quote(sarcastic))
    scored = list(itertools.compress(range(len(sentiments)), sentiments))  # nonzero, in C
    if scored:
        out += _word_reasons(label, words, sentiments, scored, owner_words)
    if polite:
        out.append("politeness not counted: " + _quote(polite))
    if name_masked:
        out.append("your shop's name not counted")
    if not out:
        out.append("no opinion words")
    return tuple(out)


def _word_reasons(
    label: SentimentLabel,
    words: list[str],
    sentiments: list[float],
    scored: list[int],
    owner_words: frozenset[str],
) -> list[str]:
    """The scored words, strongest first: the owner's own, then the label's side first."""
    if len(scored) > 1:
        scored.sort(key=lambda i: -abs(sentiments[i]))
    mine: list[str] = []
    neg: list[str] = []
    pos: list[str] = []
    for i in scored:
        w = words[i].strip(_QUOTE_STRIP)
        (mine if w in owner_words else neg if sentiments[i] < 0 else pos).append(w)
    out = ["your words: " + _quote(mine)] if mine else []
    first, second = ("negative words: ", neg), ("positive words: ", pos)
    if label is _POSITIVE:
        first, second = second, first
    for name, group in (first, second):
        if group:
            out.append(name + _quote(group))
    return out


class _Owner:
    """The owner's word list, prepared once per distinct list."""

    __slots__ = ("phrases", "tokens_map", "words")

    def __init__(self, extra: tuple[tuple[str, float], ...]) -> None:
        self.tokens_map = {w.replace(" ", "_"): v for w, v in extra}
        self.words = frozenset(self.tokens_map)
        multi = [w for w, _ in extra if " " in w]
        self.phrases = (
            re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, multi)) + r")(?!\w)", re.I)
            if multi
            else None
        )


_NO_OWNER = _Owner(())


def _owner_words(extra_words: Mapping[str, float] | None) -> _Owner:
    if not extra_words:
        return _NO_OWNER
    key = tuple(sorted((" ".join(w.lower().split()), float(v)) for w, v in extra_words.items()))
    return _owner_cached(key)


@lru_cache(maxsize=16)
def _owner_cached(key: tuple[tuple[str, float], ...]) -> _Owner:
    return _Owner(key)
