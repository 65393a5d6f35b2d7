"""Learning from the owner: corrections move the colour of posts like the ones corrected.

The rules stay the base. On top of them, one small learner per business counts,
for each colour the rules gave, which colour the owner settled on, and which words
and word pairs those posts had. Posts the owner saw and left alone count as the
rules being right, so a word that is in many posts the rules read well cannot flip
them. A label moves only with evidence: most posts with one of its words were
corrected the same way (a cautious share, and at least three corrections), or the
owner gives most posts the rules leave neutral a colour and the corrections' words
point clearly to one. With no corrections nothing moves. Plain Python, a few
dictionaries, built from the inbox (app.storage.learning): it never leaves the machine.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from app.core.models import Sentiment, SentimentLabel
from app.core.sentiment.stopwords import STOPWORDS

NEG, NEU, POS = SentimentLabel.NEGATIVE, SentimentLabel.NEUTRAL, SentimentLabel.POSITIVE
LABELS = (NEG, NEU, POS)
CORRECTION = 1.0  # the owner setting a colour
REPLY = 0.5  # an apology sent (a complaint) or a thank-you (praise): weaker evidence
MIN_SUPPORT = 3.0  # corrections of posts with the same word, at least
MAJORITY = 0.5  # a word moves a label when most posts with it were corrected that way...
CAUTION = 1.64  # ...even at the low end of a confidence interval this wide (z)
DIRECTION_MARGIN = 1.0  # log-odds between complaint and praise before one is chosen
WORD_MIN_POSTS = 2.0  # a word in fewer of the owner's labelled posts says nothing
POOLED = 2.0  # posts' worth a word's pooled rate counts for in the naive Bayes
_WORD = re.compile(r"[a-z0-9][a-z0-9']*")
_STOP = STOPWORDS["en"] | frozenset({"i'm", "it's", "i've", "don't"})
LEANS_POSITIVE = "~leans positive"  # a feature no word can be (words have no "~")
LEANS_NEGATIVE = "~leans negative"
_LEANS = {
    LEANS_POSITIVE: "posts with only faint praise",
    LEANS_NEGATIVE: "posts with only a faint complaint",
}
LEARNED = "learned: "  # how a reason the learner wrote starts
_NAMES = {NEG: "a complaint", NEU: "neutral", POS: "praise"}
_APOLOGY = re.compile(r"\b(?:sorry|apolog\w*|so sorry)\b", re.IGNORECASE)
_THANKS = re.compile(r"\b(?:thank\w*|thanks|cheers|glad you)\b", re.IGNORECASE)


def features(text: str, lean: float = 0.0) -> frozenset[str]:
    """The words (no stopwords) and word pairs of a post: what a correction is about; and
    which way the rules' score leaned (`lean`, the compound), even inside the neutral band."""
    words = _WORD.findall(text.lower().replace("\u2019", "'"))
    out = {w for w in words if w not in _STOP and len(w) > 2}
    out.update(f"{a} {b}" for a, b in itertools.pairwise(words) if not (a in _STOP and b in _STOP))
    if lean:
        out.add(LEANS_POSITIVE if lean > 0 else LEANS_NEGATIVE)
    return frozenset(out)


def reply_label(reply: str) -> SentimentLabel | None:
    """What the owner's reply says about the post it answers: an apology, a complaint;
    a thank-you, praise; both or neither, nothing."""
    sorry, thanks = bool(_APOLOGY.search(reply)), bool(_THANKS.search(reply))
    if sorry == thanks:
        return None
    return NEG if sorry else POS


@dataclass
class _Given:
    """Everything learned about the posts the rules gave one colour."""

    posts: dict[SentimentLabel, float] = field(default_factory=dict)  # owner label -> weight
    words: dict[SentimentLabel, dict[str, float]] = field(default_factory=dict)
    corrected: dict[SentimentLabel, dict[str, float]] = field(default_factory=dict)

    def add(
        self, feats: Iterable[str], label: SentimentLabel, weight: float, corrected: bool
    ) -> None:
        self.posts[label] = self.posts.get(label, 0.0) + weight
        counts = self.words.setdefault(label, {})
        fixed = self.corrected.setdefault(label, {}) if corrected else None
        for f in feats:
            counts[f] = counts.get(f, 0.0) + weight
            if fixed is not None:
                fixed[f] = fixed.get(f, 0.0) + weight


@dataclass(frozen=True, slots=True)
class Move:
    """The learner's verdict on one post: the new label and why."""

    label: SentimentLabel
    confidence: float  # 0..1
    reason: str


class Learner:
    """One business's learner. `saw` every scored post the owner has had in front of
    them, `corrected` each correction, `replied` each reply sent; `adjust` a new score."""

    def __init__(self) -> None:
        self._given: dict[SentimentLabel, _Given] = {}
        self.corrections = 0.0
        self._by_label: (
            tuple[dict[SentimentLabel, dict[str, float]], dict[SentimentLabel, float]] | None
        ) = None

    def reset(self) -> None:
        """Forget everything learned: the rules alone again."""
        self._given.clear()
        self.corrections = 0.0
        self._by_label = None

    def compact(self) -> Learner:
        """The same answers from less memory, for a learner that is done learning (it is
        sent to every scoring worker): word counts only where a correction has the word,
        and the owner's labels by word worked out once. Learning more afterwards is
        wrong: build a new one instead."""
        by_label = self._by_owner_label()
        taught: set[str] = set()
        for given in self._given.values():
            for fixed in given.corrected.values():
                taught.update(fixed)
        for given in self._given.values():
            for label, counts in given.words.items():
                given.words[label] = {f: c for f, c in counts.items() if f in taught}
        self._by_label = by_label
        return self

    def saw(self, text: str, rules: Sentiment, keep: frozenset[str] | None = None) -> None:
        """A post the owner has seen, as the rules scored it (and not corrected). With
        `keep` (the features of every correction, when they are all known first), only
        those are counted: no other word can move a label, and a big inbox stays small."""
        if rules.label in LABELS:
            self._record(text, rules, rules.label, 1.0, corrected=False, keep=keep)

    def corrected(
        self, text: str, rules: Sentiment, owner_label: SentimentLabel, weight: float = CORRECTION
    ) -> None:
        """The owner set `owner_label` on a post the rules had scored `rules`."""
        if rules.label in LABELS and owner_label in LABELS:
            self._record(text, rules, owner_label, weight, corrected=True)
            if owner_label is not rules.label:
                self.corrections += weight

    def replied(self, text: str, rules: Sentiment, reply: str) -> None:
        """The owner answered the post: an apology or a thanks is weak evidence."""
        label = reply_label(reply)
        if label is not None:
            self.corrected(text, rules, label, REPLY)

    def _record(
        self,
        text: str,
        rules: Sentiment,
        label: SentimentLabel,
        weight: float,
        corrected: bool,
        keep: frozenset[str] | None = None,
    ) -> None:
        self._by_label = None
        given = self._given.setdefault(rules.label, _Given())
        feats = features(text, rules.compound)
        if keep is not None:
            feats = feats & keep
        given.add(feats, label, weight, corrected and label is not rules.label)

    def move(self, text: str, rules: Sentiment) -> Move | None:
        """The label the owner's corrections point to, if they clearly do.

        For each word (or word pair) of the post: of the posts with that word the rules
        coloured `rules_label`, how many did the owner set to another label? The label
        moves when, for some word, even a cautious estimate of that share (the lower
        end of its confidence interval) is a majority, and at least MIN_SUPPORT
        corrections say so."""
        rules_label = rules.label
        given = self._given.get(rules_label)
        if given is None or not self.corrections:
            return None
        best: tuple[float, str, SentimentLabel, float] | None = None
        feats = features(text, rules.compound)
        for f in feats:
            seen = sum(counts.get(f, 0.0) for counts in given.words.values())
            if seen < MIN_SUPPORT:
                continue
            for label, fixed in given.corrected.items():
                times = fixed.get(f, 0.0)
                if times < MIN_SUPPORT:
                    continue
                low = _lower_bound(times, seen)
                if best is None or (low, len(f)) > (best[0], len(best[1])):
                    best = (low, f, label, times)
        if best is None or best[0] <= MAJORITY:
            return self._coloured(given, feats) if rules_label is NEU else None
        low, word, label, times = best
        count = f"{times:g} time" + ("" if times == 1 else "s")
        reason = f"{LEARNED}you marked {_posts_with(word)} as {_NAMES[label]} {count}"
        return Move(label, (low - MAJORITY) / (1 - MAJORITY), reason)

    def _by_owner_label(
        self,
    ) -> tuple[dict[SentimentLabel, dict[str, float]], dict[SentimentLabel, float]]:
        """Word counts and post counts by the owner's label (complaint or praise), over
        every post seen, whatever the rules said; words in fewer than WORD_MIN_POSTS of
        them are left out. Worked out once per state of the learner."""
        if self._by_label is not None:
            return self._by_label
        words: dict[SentimentLabel, dict[str, float]] = {NEG: {}, POS: {}}
        sizes: dict[SentimentLabel, float] = {NEG: 0.0, POS: 0.0}
        for given in self._given.values():
            for label in (NEG, POS):
                sizes[label] += given.posts.get(label, 0.0)
                target = words[label]
                for f, c in given.words.get(label, {}).items():
                    target[f] = target.get(f, 0.0) + c
        for label in (NEG, POS):
            other = words[POS if label is NEG else NEG]
            words[label] = {
                f: c for f, c in words[label].items() if c + other.get(f, 0.0) >= WORD_MIN_POSTS
            }
        self._by_label = (words, sizes)
        return self._by_label

    def _coloured(self, given: _Given, post: frozenset[str]) -> Move | None:
        """A post the rules left neutral, in a business whose owner gives most such posts
        a colour: the colour its words point to in every post the owner has labelled a
        complaint or praise (naive Bayes, each word's estimate pulled towards its rate
        over all of them, so one rare word cannot decide)."""
        seen = sum(given.posts.values())
        colours = {label: n for label, n in given.posts.items() if label is not NEU and n}
        if len(colours) < 2 or _lower_bound(sum(colours.values()), seen) <= MAJORITY:
            return None
        words, sizes = self._by_owner_label()
        if not (sizes[NEG] and sizes[POS]):
            return None
        feats = [f for f in post if f in words[NEG] or f in words[POS]]
        if not feats:
            return None
        everyone = sizes[NEG] + sizes[POS]
        odds = {}
        for label in (NEG, POS):
            n = sizes[label]
            counts = words[label]
            total = math.log(n / everyone)
            for f in feats:
                pooled = (words[NEG].get(f, 0.0) + words[POS].get(f, 0.0)) / everyone
                total += math.log((counts.get(f, 0.0) + POOLED * pooled) / (n + POOLED))
            odds[label] = total
        label = max(odds, key=odds.__getitem__)
        margin = odds[label] - min(odds.values())
        if margin < DIRECTION_MARGIN:
            return None
        counts = words[label]
        word = max(feats, key=lambda f: (counts.get(f, 0.0), len(f)))
        count = f"{counts.get(word, 0.0):g} time" + ("" if counts.get(word) == 1 else "s")
        reason = (
            f"{LEARNED}you give most posts the rules leave neutral a colour; "
            f"{_posts_with(word)} were {_NAMES[label]} {count} in your inbox"
        )
        return Move(label, 1.0 - math.exp(-margin), reason)

    def adjust(self, text: str, sentiment: Sentiment) -> Sentiment:
        """The rules' score with the learned label on top, the reason first."""
        found = self.move(text, sentiment)
        if found is None:
            return sentiment
        strength = 0.05 + 0.45 * found.confidence
        value = {NEG: -strength, NEU: 0.0, POS: strength}[found.label]
        return replace(
            sentiment,
            compound=round(value, 4),
            label=found.label,
            reasons=(found.reason, *sentiment.reasons),
        )


def _lower_bound(hits: float, n: float) -> float:
    """Wilson's lower confidence bound for a share of hits out of n (z = CAUTION)."""
    z2 = CAUTION * CAUTION
    share = hits / n
    centre = share + z2 / (2 * n)
    spread = CAUTION * math.sqrt(share * (1 - share) / n + z2 / (4 * n * n))
    return (centre - spread) / (1 + z2 / n)


def _posts_with(feature: str) -> str:
    return _LEANS.get(feature) or f"posts with '{feature}'"
