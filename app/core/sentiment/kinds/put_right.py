"""A problem the shop put right, and quickly: the story customers tell when they are
pleased ("the screen was smashed, they had it fixed within the hour", "parcel went
missing but they sent a new one the same day").

The problem's own words are complaints; the fix is what the customer is saying.
`phrase_hits.put_right` halves what went wrong before the last fix, unless something goes
wrong again after it ("they fixed it, but it broke again the next day").
kind -> (regex alternatives, valence in VADER lexicon units), as in lexicons.py.
"""

from __future__ import annotations

from app.core.sentiment.kinds.kind import rows

RESOLVED = "put right"

# Soon, or without a fight: what makes a fix praise rather than the end of a saga
# ("refunded eventually, after six weeks" is no praise).
_QUICKLY = (
    r"(?:straight away|right away|immediately|the same day|same day|same-day|the next day|"
    r"within (?:the|an|a|the same) (?:hour|day|morning|afternoon)|within (?:\w+ )?(?:hours?|"
    r"minutes?|mins?)|in no time|quickly|promptly|on the spot|there and then|while (?:i|we) "
    r"(?:was|were|waited)|no questions asked|(?:with )?no (?:fuss|quibble|hassle|questions)|"
    r"without (?:any |a )?(?:fuss|quibble|hassle|question|argument))"
)
_FIXED = (
    r"(?:fixed|sorted|replaced|repaired|swapped|resolved|refunded|rectified|put right|"
    r"reissued|resent|re-sent|sorted out|exchanged|sewed|sewn|stitched|glued|patched|mended|"
    r"reattached|re-attached|adjusted|tightened|reset|unblocked)"
)

_WHAT = r"(?: it| them| everything| the lot| it all| the \w+| my \w+)?"

RESOLUTION_PRAISE: dict[str, tuple[tuple[str, ...], float]] = {
    RESOLVED: (
        (
            r"(?:had|got|have) (?:it|them|everything|the \w+|my \w+) "
            + _FIXED
            + r"(?: again)? "
            + _QUICKLY,
            _FIXED + _WHAT + r"(?: back on| back together| up| out)? " + _QUICKLY,
            r"sent (?:it|them|the \w+|a new one|a replacement|another(?: one)?|new ones)"
            r"(?: out| over| round)? " + _QUICKLY,
            r"(?:delivered|brought|dropped|drove) (?:it|them) (?:round |over |to (?:my|our) "
            r"(?:house|door|home|flat) )(?:that|the same|later that) "
            r"(?:evening|day|afternoon|night)",
            r"(?:baked|made|cooked|sent|found) (?:another|a new one|a fresh one) and (?:drove|"
            r"brought|delivered|dropped|ran)",
            r"(?:still|even) came out",
            r"(?:was|were) (?:here|there|round|out) (?:by \d{1,2}(?:[:.]\d\d)? ?(?:am|pm)?|within)",
            r"(?:threw in|gave (?:us|me)|added) (?:a |some )?(?:free|complimentary) \w+ "
            r"(?:to say sorry|as an apology|for the wait|for the trouble|to make up)",
            r"kept (?:it|them) safe",
        ),
        2.0,
    ),
}

PRAISE = rows(RESOLUTION_PRAISE)
