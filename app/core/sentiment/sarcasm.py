"""Sarcasm: praise beside a complaint ("great job losing my parcel", "thanks for
nothing", a closing "Great.") is a complaint, and its praise words count for nothing."""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence

from app.core.sentiment import phrases
from app.core.sentiment.lexicons import EMPTY_THANKS
from app.core.sentiment.phrase_hits import Complaint
from app.core.sentiment.tokens import Tokens

SARCASM_VALENCE = -2.0
NEGATIVE_CONTEXT = -0.5  # a token this negative next to praise makes the praise sarcastic
_QUOTE_STRIP = ".,!?:;\"'"
# The lookbehind after the literal "thank", so `re` can jump to each "thank".
_EMPTY_THANKS_RE = re.compile(
    EMPTY_THANKS[:5] + r"(?<![\w']thank)" + EMPTY_THANKS[5:] + r"(?![\w'])"
)
assert EMPTY_THANKS.startswith("thank")


def praise_by_clause(text: str) -> dict[int, tuple[list[str], str | None]]:
    """Praise that may be sarcastic ("thanks for", "great job", "well done") and the first
    "thanks for nothing" of each clause (line) that has any; one scan of the whole text.

    No phrase spans a line, and a "thanks for nothing" is also a "thanks for" hit.
    """
    hits = phrases.praise_hits(text)
    if not hits:
        return {}
    line_starts = list(
        itertools.accumulate((len(line) + 1 for line in text.split("\n")), initial=0)
    )
    out: dict[int, tuple[list[str], str | None]] = {}
    for at, phrase in hits:
        out.setdefault(bisect.bisect_right(line_starts, at) - 1, ([], None))[0].append(phrase)
    for m in _EMPTY_THANKS_RE.finditer(text):
        k = bisect.bisect_right(line_starts, m.start()) - 1
        praise, empty = out.get(k, ([], None))
        if empty is None:
            out[k] = (praise, m.group())
    return out


def find(joined: str, found: Sequence[Complaint], tokens: Tokens) -> list[str]:
    """Praise next to a complaint ("great job losing my parcel"): zero it, return phrases."""
    words, sentiments, bounds = tokens.lows, tokens.valences, tokens.bounds
    out: list[str] = []
    complaint_in = {c.clause for c in found}
    last = len(bounds) - 1  # clauses
    for k, (praise, empty) in sorted(praise_by_clause(joined).items()):
        near = range(max(0, k - 1), min(last, k + 2))
        praise_words = {w.strip(_QUOTE_STRIP) for p in praise for w in p.split()}
        lo, hi = bounds[k], bounds[k + 1]
        own_praise = max(sentiments[lo:hi], default=0.0) > 0 and any(
            sentiments[i] > 0 and words[i] not in praise_words for i in range(lo, hi)
        )
        # the clauses in `near` are consecutive: their tokens are one slice
        negative_near = any(j in complaint_in for j in near) or (
            min(sentiments[bounds[near.start] : bounds[near.stop]], default=0.0) <= NEGATIVE_CONTEXT
        )
        # a one-word verdict closing a complaint: "... Wedding is in 9 days. Great."
        closing = bool(found) and k == last - 1 and hi - lo <= 2
        if empty or ((negative_near or closing) and not own_praise):
            for i in range(lo, hi):
                sentiments[i] = min(sentiments[i], 0.0)
            out.append(empty or praise[0].replace("\n", " "))
    return out
