"""Learning from the owner: corrections move the colour of posts like the ones corrected.

The rules stay the base. On top of them, one small learner per business learns from
every post the owner has read: a correction says which colour was right, a post read
and left alone says the rules were. A label moves only with evidence, in one of two
ways: most posts with one of its words were corrected the same way (a cautious share,
and at least three corrections), or the owner model (owner_model.py: naive Bayes over
words and word pairs, on top of how often the owner changes each colour) points to
another colour, for a kind of move that would have been right more often than wrong
on this owner's own posts so far. And in a shop whose owner never keeps a post grey,
a grey post takes the likelier of the two colours. Each way is only used while its
record on those posts is not a losing one. With no corrections nothing moves. Plain Python, a few
dictionaries, built from the inbox (app.storage.learning): it never leaves the machine.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from app.core.models import Sentiment, SentimentLabel
from app.core.sentiment.owner_model import Guess, OwnerModel
from app.core.sentiment.stopwords import STOPWORDS

NEG, NEU, POS = SentimentLabel.NEGATIVE, SentimentLabel.NEUTRAL, SentimentLabel.POSITIVE
LABELS = (NEG, NEU, POS)
CORRECTION = 1.0  # the owner setting a colour
REPLY = 0.5  # an apology sent (a complaint) or a thank-you (praise): weaker evidence
MIN_SUPPORT = 3.0  # corrections of posts with the same word, at least
MAJORITY = 0.5  # a word moves a label when most posts with it were corrected that way...
CAUTION = 1.64  # ...even at the low end of a confidence interval this wide (z)
TWO_COLOURS = 10.0  # grey posts read, every one coloured: the owner never keeps grey
TWO_NET = 3.0  # ...and colouring them by the owner model was right this many more times
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
    """What the word rule learned about the posts the rules gave one colour: by the
    owner's label, each word's count, and among corrections only."""

    words: dict[SentimentLabel, dict[str, float]] = field(default_factory=dict)
    corrected: dict[SentimentLabel, dict[str, float]] = field(default_factory=dict)

    def add(
        self, feats: Iterable[str], label: SentimentLabel, weight: float, corrected: bool
    ) -> None:
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
    """One business's learner. Tell it, in the order the owner saw them, every post the
    owner read and left alone (`saw`), each correction (`corrected`) and each reply sent
    (`replied`); then `adjust` a new score."""

    def __init__(self) -> None:
        self._given: dict[SentimentLabel, _Given] = {}
        self._model = OwnerModel()
        self._word_record = [0.0, 0.0]  # the word rule's moves, before each post: right, wrong
        self._two_record = [0.0, 0.0]  # the same for colouring grey in a two-colour shop
        self.corrections = 0.0

    def reset(self) -> None:
        """Forget everything learned: the rules alone again."""
        self._given = {}
        self._model = OwnerModel()
        self._word_record = [0.0, 0.0]
        self._two_record = [0.0, 0.0]
        self.corrections = 0.0

    def compact(self) -> Learner:
        """The same answers from less memory, for a learner that is done learning (it is
        sent to every scoring worker): the word rule's counts only where a correction has
        the word, the model's only for words seen twice. Learning more afterwards is
        wrong: build a new one instead."""
        taught: set[str] = set()
        for given in self._given.values():
            for fixed in given.corrected.values():
                taught.update(fixed)
        for given in self._given.values():
            for label, counts in given.words.items():
                given.words[label] = {f: c for f, c in counts.items() if f in taught}
        self._model.compact()
        return self

    def saw(self, text: str, rules: Sentiment) -> None:
        """A post the owner has read (opened or answered) and not corrected: the rules
        were right about it."""
        if rules.label in LABELS:
            self._record(text, rules, rules.label, 1.0, corrected=False)

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
        self, text: str, rules: Sentiment, label: SentimentLabel, weight: float, corrected: bool
    ) -> None:
        feats = features(text, rules.compound)
        word_move = self._word_move(feats, rules.label)  # first: how would it have fared?
        if word_move is not None and label is word_move.label:
            self._word_record[0] += weight
        elif word_move is not None and label is rules.label:
            self._word_record[1] += weight
        if weight >= CORRECTION and rules.label is NEU:
            two = self._two_colour(feats, rules)
            if two is not None:
                self._two_record[label is not two.label] += weight
        self._model.learn(
            feats, rules.label, rules.compound, label, weight, track=weight >= CORRECTION
        )
        given = self._given.setdefault(rules.label, _Given())
        given.add(feats, label, weight, corrected and label is not rules.label)

    def move(self, text: str, rules: Sentiment) -> Move | None:
        """The label the owner's corrections point to, if they clearly do: a word the
        owner keeps correcting, else the owner model's guess (owner_model.py), each only
        while its record on this owner's own posts is not a losing one."""
        if rules.label not in LABELS or not self.corrections:
            return None
        feats = features(text, rules.compound)
        right, wrong = self._word_record  # never wrong yet, or right even at a cautious count
        trusted = not wrong or _lower_bound(right, right + wrong) > MAJORITY
        found = self._word_move(feats, rules.label) if trusted else None
        likely = self._model.likely(feats, rules.label, rules.compound)
        if found is not None and (likely is None or likely.label is not found.label):
            found = None  # the owner model must find that colour likeliest too
        if found is None and likely is not None and self.corrections >= MIN_SUPPORT:
            found = self._modelled(feats, rules, likely)
        if found is None and rules.label is NEU:
            found = self._two_colour(feats, rules, gated=True)
        return found

    def _two_colour(
        self, feats: frozenset[str], rules: Sentiment, gated: bool = False
    ) -> Move | None:
        """In a shop whose owner never keeps a post grey (TWO_COLOURS read, every one
        coloured), a grey post takes the likelier of the two colours, while that guess's
        record on the owner's grey posts is a winning one (with `gated`)."""
        kept = self._model.by_rules.get(NEU, {})
        read = sum(kept.values())
        if read < TWO_COLOURS or kept.get(NEU, 0.0):
            return None
        if gated:
            right, wrong = self._two_record
            if right - wrong < TWO_NET or _lower_bound(right, right + wrong) <= MAJORITY:
                return None
        odds = self._model.odds(feats, NEU, rules.compound)
        if odds is None:
            return None
        label = NEG if odds[NEG] >= odds[POS] else POS
        margin = abs(odds[NEG] - odds[POS])
        word = self._model.why(feats, label, POS if label is NEG else NEG)
        reason = f"{LEARNED}you coloured all {read:g} posts you read that the rules called neutral"
        if word is not None:
            times = _times(self._model.words[label].get(word, 0.0))
            reason += f"; {_posts_with(word)} were {_NAMES[label]} {times} in your inbox"
        return Move(label, 1.0 - math.exp(-margin), reason)

    def _word_move(self, feats: frozenset[str], rules_label: SentimentLabel) -> Move | None:
        """For each word (or word pair) of the post: of the posts with that word the rules
        coloured `rules_label`, how many did the owner set to another label? The label
        moves when, for some word, even a cautious estimate of that share (the lower
        end of its confidence interval) is a majority, and at least MIN_SUPPORT
        corrections say so."""
        given = self._given.get(rules_label)
        if given is None or not self.corrections:
            return None
        best: tuple[float, str, SentimentLabel, float] | None = None
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
            return None
        low, word, label, times = best
        reason = f"{LEARNED}you marked {_posts_with(word)} as {_NAMES[label]} {_times(times)}"
        return Move(label, (low - MAJORITY) / (1 - MAJORITY), reason)

    def _modelled(self, feats: frozenset[str], rules: Sentiment, guess: Guess) -> Move | None:
        """The owner model's guess, if moves like it have earned their place, with the
        word that counted most for it as the reason (how often the owner marked posts
        with it so, or how often they were so among the posts read), or how often the
        owner changes that colour when no word did."""
        rules_label = rules.label
        if not self._model.earned(guess, rules_label):
            return None
        word = self._model.why(feats, guess.label, rules_label)
        name = _NAMES[guess.label]
        if word is None:
            given = self._model.by_rules.get(rules_label, {})
            changed, seen = given.get(guess.label, 0.0), sum(given.values())
            reason = (
                f"{LEARNED}you marked {changed:g} of the {seen:g} posts you read that "
                f"the rules called {_NAMES[rules_label]} as {name}"
            )
        else:
            marked = sum(
                g.corrected.get(guess.label, {}).get(word, 0.0) for g in self._given.values()
            )
            if marked:
                reason = f"{LEARNED}you marked {_posts_with(word)} as {name} {_times(marked)}"
            else:
                times = _times(self._model.words[guess.label].get(word, 0.0))
                reason = f"{LEARNED}{_posts_with(word)} were {name} {times} in your inbox"
        return Move(guess.label, 1.0 - math.exp(-guess.margin), reason)

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


def _times(count: float) -> str:
    return f"{count:g} time" + ("" if count == 1 else "s")


def _posts_with(feature: str) -> str:
    return _LEANS.get(feature) or f"posts with '{feature}'"
