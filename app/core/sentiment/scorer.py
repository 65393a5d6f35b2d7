"""Scoring one customer message: mask, detect language, VADER by clause, then the phrase_hits.

Kept free of Qt and of big per-call structures: score() runs for every post at
ingest, so all regexes, tables and analyzers are built once and cached.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from app.core.models import Sentiment, SentimentLabel
from app.core.sentiment import (
    engine,
    evidence,
    hedges,
    language,
    names,
    phrase_hits,
    phrases,
    politeness,
    sarcasm,
    smileys,
    text,
    word_senses,
    word_table,
)
from app.core.sentiment.lexicons import REQUEST_WORDS
from app.core.sentiment.tokens import Tokens

THRESHOLD = 0.05
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


@dataclass(slots=True)
class Reading:
    """One message on its way through the stages: its text, its tokens, and what each
    stage found (the reasons are written from these at the end)."""

    cleaned: str  # the text VADER reads
    joined: str  # the phrase rules' text: one clause a line, lower case
    tokens: Tokens
    analyzer: SentimentIntensityAnalyzer
    owner: _Owner
    # What the stages found (each stage sets its own; empty until then).
    names: Sequence[str] = ()  # capitalised names not counted
    found: Sequence[phrase_hits.Complaint] = ()  # complaint and praise phrases
    bad: Sequence[phrase_hits.Complaint] = ()  # the complaints among them
    sarcastic: Sequence[str] = ()
    polite: Sequence[str] = ()


def _word_senses(r: Reading) -> None:
    """ "like" as a comparison, "pretty bad", "who cares" (word_senses.SENSES)."""
    word_senses.apply(r.tokens, r.analyzer.lexicon, r.owner.words)


def _questions(r: Reading) -> None:
    """A price asked ("is it free?") or a need named ("do you fix cracked screens?")."""
    if "?" in r.cleaned:
        evidence.price_question(r.cleaned, r.tokens)
        evidence.need_question(r.cleaned, r.tokens)


def _smileys(r: Reading) -> None:
    """A smiley after "not" keeps its own sign."""
    if "(" in r.cleaned or ")" in r.cleaned or "<3" in r.cleaned:
        smileys.unflip(r.tokens, r.analyzer.lexicon)


def _names(r: Reading) -> None:
    """Lexicon words inside a capitalised name ("Foo Fighters") are not opinions."""
    r.names = names.proper_names(r.tokens, r.owner.words)


def _phrase_kinds(r: Reading) -> None:
    """Complaint and praise phrases (kinds/), weighed against the words around them."""
    found = phrase_hits.complaints(r.joined, r.owner.words)
    bad = [c for c in found if c.valence < 0] if found else found
    if bad:
        found = phrase_hits.weigh_complaints(found, r.tokens)
    if len(bad) < len(found):
        phrase_hits.praise_words(found, r.tokens)
        found = phrase_hits.put_right(found, r.tokens)
    r.found, r.bad = found, bad


def _sarcasm_stage(r: Reading) -> None:
    """Praise next to a complaint is sarcastic ("great job losing my parcel")."""
    angry = min(r.tokens.valences, default=0.0) <= sarcasm.NEGATIVE_CONTEXT
    if r.bad or "thank" in r.joined or angry:
        r.sarcastic = sarcasm.find(r.joined, r.bad, r.tokens)


def _politeness(r: Reading) -> None:
    """Manners are not praise: "please", "help", "thanks" next to a request."""
    lows = r.tokens.lows
    request = not REQUEST_WORDS.isdisjoint(lows)
    keep_thanks = (
        not r.bad
        and not r.sarcastic
        and (not (request or "?" in r.cleaned) or politeness.thanks_boosted(lows))
    )
    r.polite = politeness.politeness(r.tokens, keep_thanks=keep_thanks, owner_words=r.owner.words)


Stage = Callable[[Reading], None]
# The rules after VADER, in the order they run: each adjusts the token valences in place
# and notes what it found on the Reading.
STAGES: tuple[Stage, ...] = (
    _word_senses,
    _questions,
    _smileys,
    _names,
    _phrase_kinds,
    _sarcasm_stage,
    _politeness,
)


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
    r = _read(masked, extra_words)
    for stage in STAGES:
        stage(r)
    return _verdict(r, name_masked)


def _read(masked: str, extra_words: Mapping[str, float] | None) -> Reading:
    """Clean the text (tags split, emoji as words, idioms reworded) and let VADER score
    each token, clause by clause, with the owner's words in its lexicon."""
    cleaned = smileys.shorten(engine.translate_emoji(text.split_hashtags(masked)))
    cleaned = text.reword(cleaned)
    owner = _owner_words(extra_words)
    if extra_words and owner.phrases is not None:
        cleaned = owner.phrases.sub(lambda m: m.group().replace(" ", "_"), cleaned)
    analyzer = engine.analyzer_for(owner.tokens_map)
    tokens, joined = word_table.read(analyzer.lexicon, cleaned)
    return Reading(cleaned, joined, tokens, analyzer, owner)


def _verdict(r: Reading, name_masked: bool) -> Sentiment:
    """Sum the valences and the phrases into VADER's compound; thin evidence stays neutral
    and mild praise under a hedge counts half."""
    tokens, found, owner_words = r.tokens, r.found, r.owner.words
    total: float = sum(tokens.valences)  # typed: mypyc-compiled code needs it (bench/README)
    if found:
        total += sum([c.valence for c in found[: phrase_hits.MAX_COMPLAINTS]])
    total += sarcasm.SARCASM_VALENCE * len(r.sarcastic)
    value = engine.compound(r.analyzer, total, r.cleaned)
    label = label_for(value)
    explicit = bool(found or r.sarcastic)  # an explicit phrase keeps the normal band
    thin = _thin(label, value, r.cleaned, tokens, explicit, owner_words)
    hedged: list[str] = []
    if thin is None and label is _POSITIVE:  # only praise is damped by a hedge
        hedged, cut = hedges.damp(tokens)
        if cut:
            value = engine.compound(r.analyzer, total - cut, r.cleaned)
            label = label_for(value)
            thin = _thin(label, value, r.cleaned, tokens, explicit, owner_words)
    if thin is not None:
        label = _NEUTRAL
    reasons = _reasons(label, r, name_masked)
    if r.names:
        reasons = (*reasons, f"names not counted: {_quote(r.names)}")
    if hedged:
        reasons = (*reasons, f"praise under {_quote(hedged)} counted half")
    if thin is not None:
        reasons = (*reasons, f"neutral: {thin}")
    return Sentiment(value, label, reasons, "en")


def _thin(
    label: SentimentLabel,
    value: float,
    cleaned: str,
    tokens: Tokens,
    explicit: bool,
    owner_words: frozenset[str],
) -> str | None:
    """Why a coloured score near the cut-off rests on too little evidence, if it does."""
    if label is _NEUTRAL or abs(value) >= evidence.WIDE_BAND:
        return None
    explicit = explicit or not owner_words.isdisjoint(tokens.lows)
    return evidence.band(cleaned, tokens, explicit)


def _quote(items: Sequence[str]) -> str:
    """The first few distinct items, each in single quotes: 'late', 'rude'."""
    unique = list(dict.fromkeys(items))[:_MAX_QUOTED] if len(items) > 1 else items
    return "'" + "', '".join(unique) + "'" if unique else ""


def _reasons(label: SentimentLabel, r: Reading, name_masked: bool) -> tuple[str, ...]:
    """Why, strongest first, in a shop owner's words."""
    words, sentiments, found = r.tokens.lows, r.tokens.valences, r.found
    sarcastic, polite, owner_words = r.sarcastic, r.polite, r.owner.words
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
    if len(scored) > 1:  # strongest first; a stable sort keeps ties in text order
        scored.sort(key=list(map(abs, sentiments)).__getitem__, reverse=True)
    mine: list[str] = []
    neg: list[str] = []
    pos: list[str] = []
    for i in scored:
        w = words[i].strip(_QUOTE_STRIP)
        (mine if owner_words and w in owner_words else neg if sentiments[i] < 0 else pos).append(w)
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
