"""How a learner's guesses would have fared on the owner's own posts, per kind of move.

A learner guesses each post before it learns it. For each kind of move (neutral to a
complaint, praise to neutral...) and each strength of evidence, the record counts how
often the guess would have been right and how often it would have spoiled a colour
the rules had right. A kind of move is earned at a strength where it was right at
least NET_RIGHT times more than wrong, a majority even at the low end of a 90%
interval, chosen on every other guess and confirmed on the ones in between (so a lucky
streak among STEPS strengths cannot open it).
"""

from __future__ import annotations

import math

from app.core.models import SentimentLabel

STEP = 0.5  # the record's strength steps (log-odds between the two colours)
STEPS = 17  # 0, 0.5, ..., 8
NET_RIGHT = 5.0  # a kind of move is earned with this many more right guesses than wrong
THIRD = 0.5  # a guess that was neither the owner's colour nor the rules' counts this wrong
CAUTION = 1.64  # ...and a majority right even at the low end of this interval (z)


class MoveRecord:
    """`track` each guess before learning its post; `earned` says whether a move may happen."""

    def __init__(self) -> None:
        # (rules' label, guessed label) -> right and wrong weights at each strength step,
        # in two halves (every other guess): (right, wrong, right, wrong)
        self.record: dict[tuple[SentimentLabel, SentimentLabel], tuple[list[float], ...]] = {}
        self._guesses = 0

    def track(
        self,
        rules: SentimentLabel,
        guessed: SentimentLabel,
        margin: float,
        owner: SentimentLabel,
        weight: float,
    ) -> None:
        """A guess of `guessed` (not the rules' colour), `margin` strong, on a post the
        owner then coloured `owner`."""
        record = self.record.setdefault((rules, guessed), tuple([0.0] * STEPS for _ in range(4)))
        half = 2 * (self._guesses % 2)  # every other guess: one half picks, one checks
        self._guesses += 1
        right, wrong = record[half], record[half + 1]
        top = min(int(margin / STEP), STEPS - 1)
        if owner is guessed:
            hits = right
        elif owner is rules:
            hits = wrong
        else:  # wrong either way, but a wrong colour misleads more than grey
            hits, weight = wrong, weight * THIRD
        for k in range(top + 1):
            hits[k] += weight

    def threshold(self, rules: SentimentLabel, label: SentimentLabel) -> float | None:
        """The least strength at which moves from `rules` to `label` have earned their
        place, or None. One half of the record picks the strength with the most net right
        guesses; the other half, which played no part in picking it, must agree, and the
        whole record must be right NET_RIGHT times more than wrong, a majority even at
        a cautious count."""
        found = self.record.get((rules, label))
        if found is None:
            return None
        pick_right, pick_wrong, check_right, check_wrong = found
        k = max(range(STEPS), key=lambda s: (pick_right[s] - pick_wrong[s], -s))
        right, wrong = pick_right[k] + check_right[k], pick_wrong[k] + check_wrong[k]
        checked = check_right[k] > check_wrong[k]
        earned = right - wrong >= NET_RIGHT and lower_bound(right, right + wrong) > 0.5
        return k * STEP if checked and earned else None

    def earned(self, rules: SentimentLabel, label: SentimentLabel, margin: float) -> bool:
        """Whether a move from `rules` to `label` this strong has earned its place."""
        needed = self.threshold(rules, label)
        return needed is not None and margin >= needed


def lower_bound(hits: float, n: float) -> float:
    """Wilson's lower confidence bound for a share of hits out of n (z = CAUTION)."""
    if n <= 0:
        return 0.0
    z2 = CAUTION * CAUTION
    share = hits / n
    centre = share + z2 / (2 * n)
    spread = CAUTION * math.sqrt(share * (1 - share) / n + z2 / (4 * n * n))
    return (centre - spread) / (1 + z2 / n)
