"""The customer chasing the shop: asking where something is, no reply, calling again
and again, asking for a manager.

"where's my order", "rang three times", "no one picks up", "any update?". Kept
apart from lexicons.py so each list stays short; the kind is tried right after
the lexicon's own, as it always was.
kind -> (regex alternatives, valence in VADER lexicon units), as in lexicons.py.
"""

from __future__ import annotations

from app.core.sentiment.kinds.kind import rows
from app.core.sentiment.lexicons import NOT, after

CHASING_COMPLAINTS: dict[str, tuple[tuple[str, ...], float]] = {
    "no reply": (
        (
            r"where(?:'s| is| are|s) (?:my|our|the|it|they)",
            r"rings? out|(?:goes|went|going) (?:straight )?to (?:voicemail|an answering machine)|"
            r"(?:nobody|no one|noone) (?:ever )?(?:picks|picked) up",
            r"where (?:have|has|did|'ve) (?:\w+ ){1,4}?(?:gone|go)(?![\w'])",
            r"without (?:a|any|an) (?:reply|response|answer|word|call back|callback)",
            r"where (?:my|our) (?:order|parcel|package|delivery|refund|stuff|item|items|money|"
            r"food|replacement|tickets?) (?:is|are|went|has gone|have gone|got to)",
            r"when (?:will|do|can|am|are|is) (?:i|we|my|our|it) "
            r"(?:get|receive|hear|going|be|arriv|ship|deliver|respond|reply|fix)",
            # ("when will you be open?" asks the hours: only an answer or a fix is chased)
            r"when (?:will|do|can|are|is) you (?:(?:be |going to |gonna )?(?:get(?:ting)? back|"
            r"respond|reply|replying|answer|fix|fixing|refund|refunding|send|sending|ship|"
            r"shipping|deliver|sort))",
            r"any (?:update|news|word|response|reply)",
            r"no (?:response|reply|answer|update|callback|call back|one answers)",
            r"(?:nobody|no one)(?:'s| has)? (?:called|rung|phoned|emailed|replied|been in touch|"
            r"got back)",
            r"(?:nobody|no one|noone|no-one) (?:answers|answered|replies|replied|responds|"
            r"responded|calls|called|gets back|got back|picks up|picked up|cares|helps)",
            r"ignor(?:ed|ing)",
            r"never (?:replied|answered|responded|got back|called back|rang back|heard back)",
            rf"{NOT} (?:heard back|had (?:a|any) (?:reply|answer|response)|replied|answered|"
            r"responded|got back|gotten back|called back)",
            r"good luck (?:with )?(?:getting|finding|trying|reaching|contacting|speaking)",
            r"(?:rung|rang|called|phoned|emailed|e-mailed|messaged|written|wrote|tweeted|chased|"
            r"asked) (?:you |them )?(?:\d+|two|three|four|five|six|several|many|multiple|so many) "
            r"times|(?:rung|rang|called|phoned|emailed|messaged|chased|asked) (?:you |them )?twice",
            r"heard nothing|(?:following|follow) up (?:on|about|regarding) (?:my|our|the)",
            r"(?:asked|called|phoned|emailed|messaged|chased|written|tweeted|complained)"
            r"(?: \w+){0,4}? (?:three|four|five|several|multiple|many|\d+) times",
            r"(?:rung|rang)(?: \w+){0,4}? (?:three|four|five|several|multiple|many|\d+) times",
            after("this is the|it's the|its the|that's the|thats the|for the")
            + r"(?:third|fourth|fifth|3rd|4th|5th) time(?! lucky)",
            after(
                "time|times|week|weeks|day|days|month|monday|tuesday|wednesday|thursday|"
                "friday|saturday|sunday|weekend|order|delivery"
            )
            + "in a row",
            r"(?:was|were|been) promised|(?:said|told (?:me|us)) (?:it|they|you|she|he) would "
            r"(?:be|arrive|call|ring|email|reply|get back)",
            r"chasing (?:my|our|this|up)",
            r"who (?:do|can|should) (?:i|we) (?:actually |even )?(?:speak|talk|complain|write) to",
            # "fourth time I've had to explain my order"
            r"(?:second|third|fourth|fifth|2nd|3rd|4th|5th|umpteenth|hundredth) time (?:i'?ve|"
            r"i have|we'?ve|we have|i'?m|i am|we'?re) (?:had to|been|asked|called|rung|explained|"
            r"chased|complained|emailed|told)",
            r"(?:been |keep |kept )?trying to (?:get through|reach|contact|call|ring|get hold|"
            r"speak to|talk to)",
            r"(?:in|round in|going round in|around in) circles|(?:the )?run ?around|"
            r"from pillar to post",
            r"(?:can|could|will|would) (?:someone|somebody|anyone|you) (?:please )?"
            r"(?:call|ring|phone|get back to|reply to|respond to|answer) (?:me|us)",
            r"is (?:anyone|anybody|someone|somebody) (?:actually |even )?"
            r"(?:there|reading|listening|home|working)",
            r"(?:speak|talk|speaking|talking) (?:to|with) (?:a|the|your) (?:manager|supervisor)",
            r"(?:make|making|file|filing|lodge|raise) an? (?:formal |official )?complaint",
            r"trading standards|small claims|ombudsman",
            r"(?:hello|hellooo+)\?+",
        ),
        -1.6,
    ),
}

COMPLAINTS = rows(CHASING_COMPLAINTS, {"no reply": "asking where / no reply"})
