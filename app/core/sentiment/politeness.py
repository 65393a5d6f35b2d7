"""Manners are not praise: "please", "help", and "thanks" next to a request.

VADER counts them as praise; in a customer message they are mostly manners. "Thanks"
is praise only when it carries the message ("thank you so much").
"""

from __future__ import annotations

import itertools

from app.core.sentiment.lexicons import REQUEST_WORDS, THANKS_BOOSTERS, THANKS_WORDS
from app.core.sentiment.tokens import Tokens

_POLITE_WORDS = REQUEST_WORDS | THANKS_WORDS
_PLEASE = frozenset({"please", "pls", "plz", "kindly"})


def politeness(tokens: Tokens, *, keep_thanks: bool, owner_words: frozenset[str]) -> list[str]:
    """Zero manners-only praise ("please", "help", "thanks" next to a request); say which."""
    lows, sentiments = tokens.lows, tokens.valences
    dropped: list[str] = []
    if _POLITE_WORDS.isdisjoint(lows):
        return dropped  # nothing below can apply
    for i in itertools.compress(range(len(lows)), sentiments):
        low = lows[i]
        if sentiments[i] < 0 and low in _PLEASE:
            sentiments[i] = 0.0  # "at 6 not 5 please": VADER's negation reached a "please"
            continue
        if sentiments[i] <= 0 or low in owner_words:
            continue
        if low in REQUEST_WORDS or (low in THANKS_WORDS and not keep_thanks):
            sentiments[i] = 0.0
            dropped.append(low)
    return dropped


def thanks_boosted(lows: list[str]) -> bool:
    """ "thank you so much", "thanks a lot", "many thanks": gratitude carries the message."""
    for i, low in enumerate(lows):
        if low in THANKS_WORDS:
            window = lows[i + 1 : i + 4]
            if any(w in THANKS_BOOSTERS for w in window):
                return True
            if i > 0 and lows[i - 1] in {"many", "big", "huge", "massive", "special"}:
                return True
    return False
