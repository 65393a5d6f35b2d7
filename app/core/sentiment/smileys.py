"""ASCII smileys as a customer types them, read as VADER's lexicon means them.

Two failure kinds: a smiley with its mouth repeated (":))", ":-(((") is missing
from the lexicon and reads as no opinion at all, and VADER's negation look-back
flips a smiley after "not"/"never" ("still not here :(" scored as praise). A
smiley is not a word a negation can scope over, so it keeps its own sign.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_REPEATED_MOUTH = re.compile(r"(?<!\S)([:;=][-o^']?)([()\[\]])\2+(?!\S)")


def shorten(text: str) -> str:
    """Repeated-mouth smileys in the form VADER knows: ":)))" -> ":)"."""
    if "))" in text or "((" in text or "]]" in text or "[[" in text:
        return _REPEATED_MOUTH.sub(r"\1\2", text)
    return text


def unflip(lows: list[str], sentiments: list[float], lexicon: Mapping[str, float]) -> bool:
    """Give each negated smiley back its own sign; True if one was flipped."""
    flipped = False
    for k, v in enumerate(sentiments):
        if v and not lows[k][:1].isalnum() and v * lexicon.get(lows[k], 0.0) < 0:
            sentiments[k] = -v
            flipped = True
    return flipped
