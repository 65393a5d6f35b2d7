"""Praise and complaints in the slang of short replies on Bluesky and Mastodon.

"kinda mid", "huge L", "is giving cheap", "rip my parcel"; "slaps", "goated",
"massive W", "hits different", "is the move". VADER (2014) has none of these,
and reads "L" as praise. The single words are in slang.py ("no cap" is made one
word in text.py, so its "no" negates nothing); these need their neighbours.
kind -> (regex alternatives, valence in VADER lexicon units), as in lexicons.py.
"""

from __future__ import annotations

from app.core.sentiment.kinds.kind import rows
from app.core.sentiment.lexicons import after

# "mid" is slang for mediocre after these; "mid-week", "mid morning" keep it a prefix.
_MID_BEFORE = "is|was|so|kinda|kind of|pretty|lowkey|bit|are|were|it's|its|honestly|very|mad"
_NOT_A_PREFIX = (
    r"(?![\w'-]| (?:morning|afternoon|evening|day|week|month|year|way|air|range|size|"
    r"century|season|summer|winter|autumn|spring|sentence|shift|flight|point|20))"
)

ONLINE_COMPLAINTS: dict[str, tuple[tuple[str, ...], float]] = {
    "slang complaint": (
        (
            after(_MID_BEFORE) + "mid" + _NOT_A_PREFIX,
            r"(?:huge|massive|big|major|total|another|such an|took an|take the) l(?![\w'])",
            after("is|it's|its|are|they're") + r"giving (?:cheap|budget|knock-?off|off-brand|"
            r"tacky|bargain bin|nothing|sad|primark|poundland|dollar store|school canteen)",
            r"rip (?:to )?(?:my|our|the) (?:parcel|order|package|delivery|money|wallet|bank "
            r"account|refund|weekend|plans)",
            r"who (?:decided|thought it was a good idea) to (?:remove|get rid of|change|"
            r"discontinue|stop|drop|cut|raise|put up|replace)",
            r"(?:this|that|it) ain'?t it(?![\w'])",
            r"vibes? (?:\w+ ){0,3}?(?:is|are|was|were) (?:off|weird|bad|rancid|not it|awful|dead)",
            r"(?:have|has|they've|it's|its) (?:gotten|got|become|gone) (?:so |really |way )?"
            r"(?:tiny|smaller|minuscule|pathetic)",
        ),
        -1.8,
    ),
}

ONLINE_PRAISE: dict[str, tuple[tuple[str, ...], float]] = {
    "slang praise online": (
        (
            r"(?:huge|massive|big|major|total|another|such a|absolute|easy) w(?![\w'])",
            r"hits? (?:different|differently)",
            after("is|are|was|were") + r"the move(?![\w'])",
            after("is|are|was|were|such") + r"(?:a |a whole |an absolute )?vibe(?![\w'])",
            r"glow[- ]?up",
            r"(?:a whole|such a|an absolute) mood(?![\w'])",
            after("is|are|'s|absolute|total|real|proper|such") + r"(?:a |an )?(?:gem|diamond|"
            r"treasure)s?(?![\w'])",
        ),
        1.8,
    ),
}

ONLINE_TITLES = {
    "slang complaint": "complaint in slang",
    "slang praise online": "praise in slang",
}

COMPLAINTS = rows(ONLINE_COMPLAINTS, ONLINE_TITLES)
PRAISE = rows(ONLINE_PRAISE, ONLINE_TITLES)
