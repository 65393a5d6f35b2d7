"""The owner's labels as a small model of where the rules go wrong in one business, and
its own record of how its guesses would have fared.

Every post the owner has had in front of them teaches it: a correction says which
colour was right, a post read and left alone says the rules were. It keeps, for each
colour the rules gave, which colour the owner settled on, and, for each colour the
owner settled on, how often each word and word pair appeared (naive Bayes). Before it
learns a post it guesses that post's colour, so it knows, for each kind of move
(neutral to a complaint, praise to neutral...), how often such a guess would have been
right and how often it would have spoiled a colour the rules had right, at each
strength of evidence. A kind of move it has not earned (more right than wrong, even at
the cautious end of a confidence interval, by at least NET_RIGHT posts, at a strength
chosen on every other guess and confirmed on the ones between) never happens;
a business whose posts the rules read well, or whose words do not predict the owner's
colours, keeps the rules' colours. Plain Python, a few dictionaries.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from app.core.models import SentimentLabel
from app.core.sentiment import move_record
from app.core.sentiment.move_record import MoveRecord

NEG, NEU, POS = SentimentLabel.NEGATIVE, SentimentLabel.NEUTRAL, SentimentLabel.POSITIVE
LABELS = (NEG, NEU, POS)
KEEP = 5.0  # posts' worth of "the rules were right" every colour starts with
BAND = 0.5  # posts' worth of its colour's rate a strength band starts with
POOLED = 2.0  # posts' worth a word's rate over all labels counts for in each label's rate
WORD_WEIGHT = 0.5  # naive Bayes counts each word as if they were independent: damped
MIN_POSTS = 2.0  # a word in fewer of the owner's posts says nothing
# the record's settings live in move_record.py (kept here for the tests' sake)
STEPS = move_record.STEPS


@dataclass(frozen=True, slots=True)
class Guess:
    """The model's colour for a post, how strongly it beats the rules', and the word
    that counted most for it (None: only how often the owner changes that colour)."""

    label: SentimentLabel
    margin: float
    word: str | None


class OwnerModel:
    """Learn with `learn` (posts in the order the owner saw them); `guess` a colour,
    or None when it has not earned that kind of move."""

    def __init__(self) -> None:
        self.by_rules: dict[SentimentLabel, dict[SentimentLabel, float]] = {}
        self.by_band: dict[tuple[SentimentLabel, int], dict[SentimentLabel, float]] = {}
        self.words: dict[SentimentLabel, dict[str, float]] = {y: {} for y in LABELS}
        self.sizes: dict[SentimentLabel, float] = dict.fromkeys(LABELS, 0.0)
        self.moves = MoveRecord()
        self.record = self.moves.record  # (rules' label, guessed label) -> right, wrong...
        self._table: dict[str, tuple[float, ...]] | None = None  # set by compact()

    def learn(
        self,
        feats: Iterable[str],
        rules: SentimentLabel,
        compound: float,
        owner: SentimentLabel,
        weight: float,
        track: bool = True,
    ) -> None:
        """One post the rules scored `compound` and coloured `rules`, and the owner
        `owner`; with `track`, the guess it would have made first goes in the record."""
        feats = frozenset(feats)
        if track:
            self._track(feats, rules, compound, owner, weight)
        for given in (
            self.by_rules.setdefault(rules, {}),
            self.by_band.setdefault(_band(rules, compound), {}),
        ):
            given[owner] = given.get(owner, 0.0) + weight
        self.sizes[owner] += weight
        counts = self.words[owner]
        for f in feats:
            counts[f] = counts.get(f, 0.0) + weight

    def _track(
        self,
        feats: frozenset[str],
        rules: SentimentLabel,
        compound: float,
        owner: SentimentLabel,
        weight: float,
    ) -> None:
        raw = self.likely(feats, rules, compound)
        if raw is not None:
            self.moves.track(rules, raw.label, raw.margin, owner, weight)

    def threshold(self, rules: SentimentLabel, label: SentimentLabel) -> float | None:
        """The least strength at which moves from `rules` to `label` have earned their
        place, or None (move_record.MoveRecord.threshold)."""
        return self.moves.threshold(rules, label)

    def guess(self, feats: Iterable[str], rules: SentimentLabel, compound: float) -> Guess | None:
        """The owner's likely colour for a post the rules scored `compound` and coloured
        `rules`, if it differs and moves of that kind have earned their place at this
        strength; with the word that counted most for it."""
        feats = frozenset(feats)
        raw = self.likely(feats, rules, compound)
        if raw is None or not self.earned(raw, rules):
            return None
        return Guess(raw.label, raw.margin, self.why(feats, raw.label, rules))

    def earned(self, raw: Guess, rules: SentimentLabel) -> bool:
        """Whether moves like this one (from `rules`, at this strength) earned their place."""
        needed = self.threshold(rules, raw.label)
        return needed is not None and raw.margin >= needed

    def likely(self, feats: frozenset[str], rules: SentimentLabel, compound: float) -> Guess | None:
        """The likeliest colour, earned or not, if it is not the rules' (naive Bayes: how
        often the owner changes this colour at this strength, times each word's rate);
        without its word (see `why`)."""
        odds = self.odds(feats, rules, compound)
        if odds is None:
            return None
        label = max(LABELS, key=odds.__getitem__)
        if label is rules:
            return None
        return Guess(label, odds[label] - odds[rules], None)

    def odds(
        self, feats: frozenset[str], rules: SentimentLabel, compound: float
    ) -> dict[SentimentLabel, float] | None:
        """Each colour's log-odds for a post (None before anything was learned)."""
        if not self._total:
            return None
        given = self.by_rules.get(rules, {})
        n = sum(given.values()) + KEEP + 1.5
        band = self.by_band.get(_band(rules, compound), {})
        in_band = sum(band.values()) + BAND
        sums = [0.0, 0.0, 0.0]
        for f in feats:
            rates = self._log_rates(f)
            if rates is not None:
                for i, rate in enumerate(rates):
                    sums[i] += rate
        odds: dict[SentimentLabel, float] = {}
        for i, y in enumerate(LABELS):
            prior = (given.get(y, 0.0) + (KEEP if y is rules else 0.0) + 0.5) / n
            prior = (band.get(y, 0.0) + BAND * prior) / in_band
            odds[y] = math.log(prior) + WORD_WEIGHT * sums[i]
        return odds

    def why(
        self, feats: frozenset[str], label: SentimentLabel, rules: SentimentLabel
    ) -> str | None:
        """The post's word that speaks most for `label` against `rules` among those the
        owner has seen with `label` (None: no word did, only how often they change it)."""
        to, away = LABELS.index(label), LABELS.index(rules)
        best: tuple[float, int, str] | None = None
        for f in feats:
            rates = self._log_rates(f)
            if rates is None or not self.words[label].get(f):
                continue
            key = (rates[to] - rates[away], len(f), f)
            if best is None or key > best:
                best = key
        return None if best is None else best[2]

    @property
    def _total(self) -> float:
        return sum(self.sizes.values())

    def _log_rates(self, feature: str) -> tuple[float, ...] | None:
        """log P(feature | each owner label), each pulled towards the feature's rate over
        all labels; None for a feature seen in fewer than MIN_POSTS posts."""
        if self._table is not None:
            return self._table.get(feature)
        counts = [self.words[y].get(feature, 0.0) for y in LABELS]
        seen = sum(counts)
        if seen < MIN_POSTS:
            return None
        pooled = POOLED * seen / self._total
        return tuple(
            math.log((c + pooled) / (self.sizes[y] + POOLED))
            for c, y in zip(counts, LABELS, strict=True)
        )

    def compact(self) -> None:
        """Work out each word's rates once and drop the words too rare to ever count
        (most of them): same answers, faster, less to send to every scoring worker.
        Learning more afterwards is wrong."""
        features = {f for counts in self.words.values() for f in counts}
        table = {}
        for f in features:
            rates = self._log_rates(f)
            if rates is not None:
                table[f] = rates
        for label, counts in self.words.items():
            self.words[label] = {f: c for f, c in counts.items() if f in table}
        self._table = table


def _band(rules: SentimentLabel, compound: float) -> tuple[SentimentLabel, int]:
    """How strongly the rules leaned: for neutral, which way (or not at all); for a
    colour, weak, clear or strong. The owner may, say, accept strong praise and call
    weak praise neutral."""
    if rules is NEU:
        return (rules, (compound > 0) - (compound < 0))
    strength = abs(compound)
    return (rules, 0 if strength < 0.3 else 1 if strength < 0.6 else 2)
