"""The tokens every rule reads and adjusts: one structure instead of parallel lists."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Tokens:
    """A message as VADER's tokens, grouped in clauses, each with its valence.

    `valences` is the one mutable part: the rules zero, flip or weigh a token's
    valence in place, and the score is their sum plus the phrase kinds found.
    """

    words: list[str]  # as VADER keeps them (punctuation stripped from longer words)
    lows: list[str]  # the same, lower case
    valences: list[float]
    starts: list[int]  # where each clause starts
    bounds: list[int]  # starts plus the end: clause c is bounds[c]:bounds[c + 1]

    @classmethod
    def of(
        cls, words: list[str], lows: list[str], valences: list[float], starts: list[int]
    ) -> Tokens:
        return cls(words, lows, valences, starts, [*starts, len(words)])
