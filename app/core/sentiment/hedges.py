"""Praise said under a hedge or a condition: "it may be good", "if you're interested".

Speculation ("may", "might", "could", "perhaps", "maybe") and conditions ("if",
"whether") are not evaluations, so mild praise after such a word in the same
clause counts half. Only praise is damped (a missed complaint costs a shop
more); strong words (VADER >= 2.0: "love", "amazing") keep their full weight,
and explicit praise phrases are scored elsewhere and stay as they are.
"""

from __future__ import annotations

from app.core.sentiment.evidence import STRONG
from app.core.sentiment.tokens import Tokens

HEDGES = frozenset({"may", "might", "could", "perhaps", "maybe", "if", "whether"})
SHARE = 0.5  # what mild praise under a hedge still counts


def damp(tokens: Tokens) -> tuple[list[str], float]:
    """Halve mild praise after a hedge in its clause (in place): the hedges, the cut."""
    words, lows, sentiments, bounds = tokens.words, tokens.lows, tokens.valences, tokens.bounds
    if HEDGES.isdisjoint(lows):
        return [], 0.0
    used: list[str] = []
    cut = 0.0
    for c in range(len(tokens.starts)):
        lo, hi = bounds[c], bounds[c + 1]
        hedge = ""
        for i in range(lo, hi):
            low = lows[i]
            if low in HEDGES and not _wish_or_month(low, words[i], i == lo):
                hedge = low
            elif hedge and 0 < sentiments[i] < STRONG:
                cut += sentiments[i] * (1 - SHARE)
                sentiments[i] *= SHARE
                if hedge not in used:
                    used.append(hedge)
    return used, cut


def _wish_or_month(low: str, word: str, first: bool) -> bool:
    """ "May you be happy" (a wish, clause-first) and "in May" (the month) are no hedge."""
    return low == "may" and (first or word == "May")
