"""A score out of five or ten, or a number of stars: the customer's own verdict.

"5/5", "9 out of 10", "four stars" and "would give zero stars" say outright what
the customer thinks, in digits VADER cannot read. A high mark on either scale is
praise and a low one a complaint; the middle ("3/5", "6/10") is left to the
words around it. Dates ("on 4/10", "10/10/2024") and fractions ("1/5 of the
cake", "24/7") are not ratings.
kind -> (regex alternatives, valence in VADER lexicon units), as in lexicons.py.
"""

from __future__ import annotations

from app.core.sentiment.kinds.kind import rows

# Not inside a longer number, a price or a date, and not "of" a thing ("2/5 of the box").
_NOT_AFTER = r"(?<![\d.,/£$€])(?<!\bon )(?<!\bby )(?<!\buntil )(?<!\bfrom )(?<!\bsince )"
_NOT_BEFORE = r"(?![\d/.]\d|\d| of\b)"
_OUT_OF = r"(?:/| ?(?:out of|outta) ?)"
_HIGH_5 = r"(?:4\.5|4|5|four|five)"
_HIGH_10 = r"(?:8\.5|8|9\.5|9|10|eight|nine|ten)"
_LOW_5 = r"(?:0|1|1\.5|2|zero|one|two)"
_LOW_10 = r"(?:0|1|2|3|4|zero|one|two|three|four)"
_STAR = r"[- ]stars?(?![\w'])"
# Stronger than a praise phrase: a mark is the customer's overall verdict, so one sore
# point beside it ("9 out of 10, only because parking is a pain") does not outweigh it.
_VERDICT = 2.5

RATING_PRAISE: dict[str, tuple[tuple[str, ...], float]] = {
    "high rating": (
        (
            _NOT_AFTER + _HIGH_5 + _OUT_OF + r"(?:5|five)" + _NOT_BEFORE,
            _NOT_AFTER + _HIGH_10 + _OUT_OF + r"(?:10|ten)" + _NOT_BEFORE,
            _NOT_AFTER
            + r"(?:4\.5|4|5|6|10|100|four|five|six|ten|a hundred|a million|more)"
            + _STAR,
        ),
        _VERDICT,
    ),
}

RATING_COMPLAINTS: dict[str, tuple[tuple[str, ...], float]] = {
    "low rating": (
        (
            _NOT_AFTER + _LOW_5 + _OUT_OF + r"(?:5|five)" + _NOT_BEFORE,
            _NOT_AFTER + _LOW_10 + _OUT_OF + r"(?:10|ten)" + _NOT_BEFORE,
            _NOT_AFTER + r"(?:0|1|zero|one|minus \w+|negative \w+)" + _STAR,
            r"(?:give|gave|deserves?|deserved|gets?) (?:it |them |this |you )?no stars?",
        ),
        -_VERDICT,
    ),
}

RATING_TITLES = {"high rating": "a high rating", "low rating": "a low rating"}

COMPLAINTS = rows(RATING_COMPLAINTS, RATING_TITLES)
PRAISE = rows(RATING_PRAISE, RATING_TITLES)
