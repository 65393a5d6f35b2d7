"""Delivery and product faults customers report in plain words, with no sentiment word.

"It says delivered but nothing arrived", "was supposed to come Tuesday", "the
driver threw it over the gate", "the bag split", "the cover has a hole in it",
"the label says vegan but it contains milk". kind -> (regex alternatives,
valence in VADER lexicon units), as in lexicons.py.
"""

from __future__ import annotations

from app.core.sentiment.lexicons import after

_PARCEL = r"(?:order|parcel|package|delivery|box|stuff|item|items|flowers|cake|it|they)"

DELIVERY_COMPLAINTS: dict[str, tuple[tuple[str, ...], float]] = {
    "not delivered": (
        (
            r"still (?:not|isn'?t|aren'?t|hasn'?t|haven'?t) (?:here|arrived|come|turned up|"
            r"shown up|been delivered)",
            _PARCEL + r"(?:'s| is| are|'re)? (?:still )?(?:not|isn'?t|aren'?t) here",
            r"(?:marked|says|said|showing|shows|listed|tracking says) (?:as |it was |it's )?"
            r"delivered,? but",
            r"nothing (?:has |ever )?(?:arrived|came|turned up|showed up)",
            r"(?:was|were) (?:supposed|meant|promised) to",
        ),
        -1.8,
    ),
    "careless delivery": (
        (
            r"(?:threw|thrown|throws|chucked|dumped|tossed|left) (?:my|our|the) "
            r"(?:parcel|package|order|box|delivery|shopping) (?:over|in the rain|on the "
            r"(?:doorstep|pavement|street|road)|outside|by the bins|in the bin)",
        ),
        -1.8,
    ),
    "faulty": (
        (
            r"(?:has|had|have|with|there'?s|there is|there was|there were|came with|got) "
            r"(?:a|an|some|two|three|\d+|big|huge|small) (?:big |huge |small )?"
            r"(?:holes?|tears?|stains?|cracks?|chips?|scratch(?:es)?|dents?|rips?|snags?)",
            after("bag|box|seam|strap|zip|zipper|handle|lid|bottle|carton|packaging|sole|stitching")
            + r"(?:split|burst|tore|ripped|snapped|leaked|broke|came (?:off|apart|undone))",
            r"(?:says|said|labelled|labeled|listed as|advertised as|sold as) (?:\w+ ){0,3}?"
            r"but (?:it )?(?:contains|has|had|is|was|isn'?t|wasn'?t)",
        ),
        -1.8,
    ),
}

DELIVERY_TITLES = {
    "not delivered": "not delivered",
    "careless delivery": "careless delivery",
    "faulty": "faulty",
}
