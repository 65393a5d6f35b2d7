"""Capitalised names are not opinions: "saw Foo Fighters", "the Miss Texas round"."""

from __future__ import annotations

import itertools

from app.core.sentiment.lexicons import OCCASION_WORDS, word_set
from app.core.sentiment.tokens import Tokens

_NAME_SHARE = 0.5  # most words capitalised: Title Case or emphasis, not names
# "Happy Birthday", "Merry Christmas", "Happy New Year": a wish, not a name.
_WISHED = OCCASION_WORDS | word_set("bday day new year easter thanksgiving valentines halloween")


def proper_names(tokens: Tokens, owner_words: frozenset[str] = frozenset()) -> list[str]:
    """Lexicon words inside a capitalised name mid-sentence ("saw Foo Fighters", "the Miss
    Texas round", "Hall of Fame") are a band, a title or a place, not an opinion.

    A clause's first word is capitalised anyway, so it neither counts as a name nor
    vouches for one; a post mostly in capitals is emphasis, not names. The owner's own
    words always count."""
    words, sentiments = tokens.words, tokens.valences
    n = len(words)
    scored = [k for k in itertools.compress(range(n), sentiments) if words[k].istitle()]
    if not scored or sum(map(str.istitle, words)) > _NAME_SHARE * n:
        return []
    first = set(tokens.starts)

    def name_part(j: int) -> bool:
        if j < 0 or j >= n or j in first:
            return False
        w = words[j]
        return w.istitle() and w.isalpha() and w != "I" and w.lower() not in _WISHED

    out = []
    for k in scored:
        if not name_part(k) or words[k].lower() in owner_words:
            continue
        if (
            name_part(k + 1)
            or name_part(k - 1)
            or (k > 1 and words[k - 1] == "of" and name_part(k - 2))
            or (k + 2 < n and words[k + 1] == "of" and name_part(k + 2))
        ):
            out.append(words[k])
            sentiments[k] = 0.0
    return out
