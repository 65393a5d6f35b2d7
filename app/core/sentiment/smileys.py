"""Smileys and emoji as a customer types them, read as VADER's lexicon means them.

EMOJI_VALENCE scores emoji VADER lacks or misnames. For ASCII smileys, two failure
kinds: a smiley with its mouth repeated (":))", ":-(((") is missing from the
lexicon and reads as no opinion at all, and VADER's negation look-back
flips a smiley after "not"/"never" ("still not here :(" scored as praise). A
smiley is not a word a negation can scope over, so it keeps its own sign.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from app.core.sentiment.tokens import Tokens

# Emoji VADER lacks, or reads by a name that misleads, with their valence.
EMOJI_VALENCE: dict[str, float] = {
    "\U0001f644": -1.5,  # rolling eyes
    "\U0001f624": -1.8,  # steam from nose
    "\U0001f92c": -2.8,  # symbols on mouth
    "\U0001f92e": -2.5,  # vomiting
    "\U0001f922": -2.0,  # nauseated
    "\U0001f621": -2.5,  # pouting (rage)
    "\U0001f44e": -2.0,  # thumbs down
    "\U0001f4a9": -1.5,  # pile of poo
    "\U0001f612": -1.5,  # unamused
    "\U0001f926": -1.5,  # facepalm
    "\U0001f611": -0.8,  # expressionless
    "\U0001f620": -2.2,  # angry
    "\U0001f44d": 1.8,  # thumbs up
    "\U0001f44f": 1.5,  # clapping
    "\U0001f64c": 1.8,  # raising hands
    "\U0001f4af": 1.5,  # hundred points
    "\U0001f973": 2.0,  # partying face
    "\U0001f970": 2.5,  # smiling with hearts
    "\U0001f972": 0.5,  # smiling with tear
    "\u2b50": 1.0,  # star
    "\U0001f31f": 1.5,  # glowing star
    "\u2764": 2.2,  # red heart
    "\U0001f494": -2.0,  # broken heart
    "\U0001f97a": 0.5,  # pleading face
    # VADER reads these by their names: "fire" and "upside-down face". Customers mean
    # "amazing" by one and irony ("great 🙃") by the other.
    "\U0001f525": 2.0,  # fire
    "\U0001f643": -1.0,  # upside-down face
    "\U0001f921": -1.5,  # clown face (mockery)
}

_REPEATED_MOUTH = re.compile(r"(?<!\S)([:;=][-o^']?)([()\[\]])\2+(?!\S)")


def shorten(text: str) -> str:
    """Repeated-mouth smileys in the form VADER knows: ":)))" -> ":)"."""
    if "))" in text or "((" in text or "]]" in text or "[[" in text:
        return _REPEATED_MOUTH.sub(r"\1\2", text)
    return text


def unflip(tokens: Tokens, lexicon: Mapping[str, float]) -> None:
    """Give each negated smiley back its own sign (in place)."""
    lows, sentiments = tokens.lows, tokens.valences
    for k, v in enumerate(sentiments):
        if v and not lows[k][:1].isalnum() and v * lexicon.get(lows[k], 0.0) < 0:
            sentiments[k] = -v
