"""A small logistic regression of the owner's colours, stacked on the rules.

Where the owner model (owner_model.py) counts words, this weighs them together with
what the rules saw: the rules' colour and compound, the kinds of reason they gave
("complaint (poor quality)", "positive words", "praise under 'if' counted half"),
whether the post negates or turns on a "but", and the post's words and word pairs.
Every feature but the rules' colour is crossed with nothing: one weight per colour
each, kept small (L2), learned online (AdaGrad) in the order the owner read the posts.
Before it learns a post it guesses it, and keeps the same kind of record as the owner
model (move_record.py), so it moves a colour only where it has been right on this
owner's posts. Plain Python: one dictionary of weights.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping

from app.core.models import Sentiment, SentimentLabel
from app.core.sentiment.move_record import MoveRecord

NEG, NEU, POS = SentimentLabel.NEGATIVE, SentimentLabel.NEUTRAL, SentimentLabel.POSITIVE
LABELS = (NEG, NEU, POS)
import os

RATE = float(os.environ.get("LX_RATE", 0.3))  # AdaGrad's step
L2 = float(
    os.environ.get("LX_L2", 0.01)
)  # pull of every weight towards 0, at each post that has it
RULES_PRIOR = float(
    os.environ.get("LX_PRIOR", 2.0)
)  # log-odds the rules' colour starts ahead by (never learned away)
WORDS = float(
    os.environ.get("LX_WORDS", 0.5)
)  # a word's value: words are many and each says little
_NEGATION = re.compile(r"\b(?:not|no|never|nothing|nobody|none|cannot)\b|n't\b")
_CONTRAST = re.compile(r"\b(?:but|though|however|although|yet)\b")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


def rule_features(text: str, rules: Sentiment) -> dict[str, float]:
    """What the rules saw, each crossed with the colour they gave."""
    r = rules.label.value[:3]
    strength = abs(rules.compound)
    out = {
        f"rules {r}": 1.0,
        f"compound {r}": rules.compound,
        f"strength {r} {0 if strength < 0.3 else 1 if strength < 0.6 else 2}": 1.0,
        f"leans {r} {(rules.compound > 0) - (rules.compound < 0)}": 1.0,
    }
    lower = text.lower().replace("\u2019", "'")
    if _NEGATION.search(lower):
        out[f"negated {r}"] = 1.0
    if _CONTRAST.search(lower):
        out[f"contrast {r}"] = 1.0
    for reason in rules.reasons:
        kind = _QUOTED.sub("", reason.split(":", 1)[0]).strip()
        out[f"reason {r} {kind}"] = 1.0
    return out


class OwnerRegression:
    """Learn with `learn` (posts in the order the owner saw them); `likely` is the
    regression's colour if it is not the rules', `earned` whether that kind of move
    has been right on this owner's posts."""

    def __init__(self) -> None:
        self.weights: dict[str, list[float]] = {}
        self._squares: dict[str, list[float]] = {}
        self.record = MoveRecord(float(os.environ.get("LX_NET", 5)))

    def learn(
        self,
        feats: Mapping[str, float],
        rules: SentimentLabel,
        owner: SentimentLabel,
        weight: float,
        track: bool = True,
    ) -> None:
        """One post the rules coloured `rules` and the owner `owner`; with `track`, the
        guess it would have made first goes in the record."""
        logits = self._logits(feats, rules)
        if track:
            best = max(range(3), key=logits.__getitem__)
            r = LABELS.index(rules)
            if best != r:
                self.record.track(rules, LABELS[best], logits[best] - logits[r], owner, weight)
        top = max(logits)
        exps = [math.exp(z - top) for z in logits]
        total = sum(exps)
        y = LABELS.index(owner)
        grads = [weight * (e / total - (1.0 if i == y else 0.0)) for i, e in enumerate(exps)]
        for f, x in feats.items():
            w = self.weights.setdefault(f, [0.0, 0.0, 0.0])
            sq = self._squares.setdefault(f, [1e-6, 1e-6, 1e-6])
            for i in range(3):
                g = grads[i] * x + L2 * w[i]
                sq[i] += g * g
                w[i] -= RATE * g / math.sqrt(sq[i])

    def _logits(self, feats: Mapping[str, float], rules: SentimentLabel) -> list[float]:
        z = [0.0, 0.0, 0.0]
        z[LABELS.index(rules)] = RULES_PRIOR
        weights = self.weights
        for f, x in feats.items():
            w = weights.get(f)
            if w is not None:
                z[0] += w[0] * x
                z[1] += w[1] * x
                z[2] += w[2] * x
        return z

    def likely(
        self, feats: Mapping[str, float], rules: SentimentLabel
    ) -> tuple[SentimentLabel, float] | None:
        """The likeliest colour and its margin over the rules' (log-odds), if it is not
        the rules' colour; earned or not."""
        logits = self._logits(feats, rules)
        best = max(range(3), key=logits.__getitem__)
        r = LABELS.index(rules)
        if best == r:
            return None
        return LABELS[best], logits[best] - logits[r]

    def earned(self, rules: SentimentLabel, label: SentimentLabel, margin: float) -> bool:
        return self.record.earned(rules, label, margin)

    def why(
        self, feats: Mapping[str, float], label: SentimentLabel, rules: SentimentLabel
    ) -> str | None:
        """The word (not a rules' feature) that pushed most towards `label`."""
        to, away = LABELS.index(label), LABELS.index(rules)
        best: tuple[float, str] | None = None
        for f, x in feats.items():
            w = self.weights.get(f)
            if w is None or not f.startswith("w "):
                continue
            key = ((w[to] - w[away]) * x, f)
            if key[0] > 0 and (best is None or key > best):
                best = key
        return None if best is None else best[1][2:]

    def compact(self) -> None:
        """Drop what scoring does not need (the step sizes) and the near-zero weights."""
        self._squares = {}
        self.weights = {
            f: w for f, w in self.weights.items() if max(abs(w[0]), abs(w[1]), abs(w[2])) > 1e-3
        }


def word_features(words: Iterable[str]) -> dict[str, float]:
    return {f"w {w}": WORDS for w in words}
