"""Delivery and product faults customers report in plain words, with no sentiment word.

"It says delivered but nothing arrived", "was supposed to come Tuesday", "the
driver threw it over the gate", "the bag split", "the cover has a hole in it",
"the label says vegan but it contains milk", "the so-called handmade mug".
kind -> (regex alternatives, valence in VADER lexicon units), as in lexicons.py.
"""

from __future__ import annotations

from app.core.sentiment.kinds.kind import rows
from app.core.sentiment.lexicons import after

# "it's not here", "the parcel still isn't here": the subject and verb as fixed
# lookbehinds, so the pre-scan keys on "here", not on every "order" or "it".
_NOT_HERE = after(
    "|".join(
        f"{subject}{verb}"
        for subject in ("order", "parcel", "package", "delivery", "stuff", "it", "they")
        for verb in (
            " is not",
            " isn't",
            " isnt",
            "'s not",
            " is still not",
            " still isn't",
            " are not",
            " aren't",
            "'re not",
            " still not",
        )
    )
)
# "has a hole in it": verb and article as fixed lookbehinds before the fault's noun.
_HAS_A = after(
    "|".join(
        f"{verb} {article}"
        for verb in (
            "has",
            "had",
            "have",
            "with",
            "there's",
            "there is",
            "there was",
            "there were",
            "came with",
            "got",
        )
        for article in ("a", "an", "some", "two", "three", "a big", "a huge", "a small")
    )
)

DELIVERY_COMPLAINTS: dict[str, tuple[tuple[str, ...], float]] = {
    "not delivered": (
        (
            r"still (?:not|isn'?t|aren'?t|hasn'?t|haven'?t) (?:here|arrived|come|turned up|"
            r"shown up|been delivered)",
            _NOT_HERE + "here",
            r"(?:marked|says|said|showing|shows|listed|tracking says) (?:as |it was |it's )?"
            r"delivered,? but",
            r"nothing (?:has |ever )?(?:arrived|came|turned up|showed up)",
            r"(?:was|were) (?:supposed|meant) to",  # "was promised": the no-reply kind
            r"(?:didn'?t|did not|never) (?:turn up|show up|show|arrive)",
            r"(?:it'?s|its|it is|and it'?s) now (?:mid-|the end of |late |nearly |almost )?"
            r"(?:january|february|march|april|may|june|july|august|september|october|"
            r"november|december)",
        ),
        -1.8,
    ),
    "careless delivery": (
        (
            r"(?:threw|thrown|throws|chucked|dumped|tossed|left) (?:my|our|the) "
            r"(?:parcel|package|order|box|delivery|shopping) (?:over|in the rain|on the "
            r"(?:doorstep|pavement|street|road)|outside|by the bins|in the bin)",
            r"left a (?:card|note|slip) (?:saying|to say)",
            r"(?:didn'?t|did not|never) (?:even )?(?:knock|ring the bell|ring the doorbell|"
            r"try to deliver|bother to knock)",
        ),
        -1.8,
    ),
    "faulty": (
        (
            _HAS_A + r"(?:holes?|tears?|stains?|cracks?|chips?|scratch(?:es)?|dents?|rips?|snags?)",
            r"(?:coffee|tea|wine|oil|grease|greasy|ink|paint|water|food|blood|sweat|rust|mould|mold|"
            r"make-?up|lipstick|dirty) (?:stains?|marks?|rings?|finger ?prints?)",
            # failed again soon after a fitting or a repair: "flat by the next morning"
            r"(?:was|were|went|is|are|had gone) (?:flat|dead|leaking|loose|wobbly|broken|blunt) "
            r"(?:again )?(?:by|within|the (?:next|following)|after (?:a|one|two|three|\d))",
            after(
                "bag|box|seam|strap|zip|zipper|handle|lid|bottle|carton|packaging|sole|stitching|"
                "chain|lace|cable|belt|spoke|string|wire|needle|blade|hinge|clasp"
            )
            + r"(?:split|burst|tore|ripped|snapped|leaked|broke|came (?:off|apart|undone))",
            r"(?:says|said|labelled|labeled|listed as|advertised as|sold as) (?:\w+ ){0,3}?"
            r"but (?:it )?(?:contains|has|had|is|was|isn'?t|wasn'?t)",
            r"(?:doesn'?t|does not|didn'?t|did not|won'?t|will not|wouldn'?t|can'?t|cannot|"
            r"isn'?t|wasn'?t) (?:even |properly |actually )?(?:scan|print|close|shut|seal|lock|"
            r"zip|pair|sync|stick|heat|cook|cool|spin|drain|flush|light|install|"
            r"activate|apply|redeem|go through|stay (?:shut|closed|on|up)|hold (?:its|their) "
            r"shape|keep (?:warm|cold|time))",
            r"(?:shrank|shrunk|faded|peeled|peeling|flaked|flaking|frayed|fraying|bobbled|"
            r"pilled|warped|rusted|tarnished|discoloured|discolored|stretched|split|snapped|"
            r"(?:fell|came|wore) (?:apart|off|out|through)|(?:colou?rs?|dye) ran)"
            r"(?: \w+)? (?:after|within|in the wash|on the first|the first|in a)",
            # failed soon after buying: "the trainers have already split along the sole"
            r"already (?:split|splitting|broken|broke|breaking|ripped|ripping|torn|tearing|snapped|"
            r"cracked|cracking|peeling|faded|fading|frayed|fraying|bobbled|bobbling|rusted|rusting|"
            r"leaking|stopped working|(?:fallen|falling|come|coming) (?:apart|off))",
            r"(?:zip|zipper|lock|door|drawer|lid|button|printer|machine|tap|handle)s? "
            r"(?:jammed|jams|stuck|sticks|seized(?: up)?)",
            r"(?:are|were|is|was) (?:different|uneven|odd|mismatched) (?:lengths|sizes|colours|"
            r"colors|shades|heights)",
            r"(?:two|2) different (?:lengths|sizes|colours|colors|shades|heights)",
            r"(?:sizes?|sizing|it|they|these|this|fit) (?:runs?|came up|comes up|come up) "
            r"(?:really |very |so |way |a bit |quite )?(?:tiny|small|big|large|huge|short|long)",
            r"(?:nothing|none of (?:them|it|the \w+)) fits?",
            after("table|chair|shelf|stool|bench|desk|it|leg|legs|bed|frame") + "wobbl(?:es|y|ing)",
            r"(?:one|a) (?:leg|side|sleeve|strap|arm|wheel|handle) (?:is )?(?:shorter|longer|lower|"
            r"higher)",
            after("a|two|several|some|with|has|had|full of") + "typos?",
            r"(?:spelt|spelled|printed) (?:it )?wrong|misspel(?:t|led)",
            r"(?:shorter|longer|higher|lower|thicker|thinner|darker|lighter) on one side",
            r"(?:gone|turned|went) (?:orange|green|brassy|yellow|grey|gray|black|mouldy|moldy|"
            r"soggy|stale)",
            # a shower or tap that barely runs
            r"(?:shower|showers|tap|taps|water) (?:just |only )?(?:dribbled|dribbles|trickled|"
            r"trickles)|(?:a|the) (?:trickle|dribble) of (?:hot )?water",
            # not the same as last time: "a completely different fit to the same size last year"
            r"different (?:fit|size|sizing|cut|colou?r|shade|taste|recipe) (?:to|from|than) (?:the "
            r"same|last|the last|my usual|the one|before)",
            # swapped without asking: "every time I order online something is substituted"
            r"(?:was|were|is|are|got|been|being|always|keeps? getting) substituted|"
            r"substituted (?:with|for|by)",
            # the fault is still there: "it's still leaking"
            r"still (?:leaking|dripping|broken|faulty|rattling|squeaking|cracked|making (?:a|that|"
            r"the) (?:noise|sound))",
            # produce past its best: "half of it was going soft, the spinach was slime"
            r"(?:going|gone|went|was|were|turned) (?:soft|slimy|mushy|limp|wilted|rotten|to mush)|"
            r"(?:was|were|is|are|turned to) slime",
            r"impossible to (?:open|use|assemble|find|reach|get|read|clean|remove|close|follow)",
            r"(?:after|within) (?:just |only )?(?:one|a|two|three|the first|1|2|3|a few|"
            r"a couple of) (?:washes|wash|wears|wear|uses|use)",
            # not as ordered: "came unsigned", "arrived without the charger"
            r"(?:came|arrived|turned up|was delivered|were delivered|got it) (?:back )?"
            r"(?:unsigned|unwrapped|unsealed|unassembled|opened|already open|used|"
            r"second[- ]hand|without (?:the|a|an|any|its|their))",
            r"(?:doesn'?t|don'?t|didn'?t|does not|do not|did not) (?:really |even )?"
            r"(?:smell|taste) (?:of|like) (?:anything|much)|(?:smells?|tastes?) of nothing",
            # spilt: "the bag split open, kibble everywhere", "went all over my lap"
            r"(?:split|spilt|spilled|spilling|leaked|leaking|burst|exploded) "
            r"(?:open|everywhere|all over)",
            after("went|up|got|was|it") + "all over (?:my|me|the|our|us)",
            # made or fitted wrong: "the lid wasn't on properly", "the holes don't line up"
            # (the short negations apart, so the matcher keys on "weren't", not on "were")
            r"(?:wasn'?t|weren'?t|isn'?t|aren'?t|didn'?t|don'?t|doesn'?t|hasn'?t|haven'?t) "
            r"(?:\w+ ){0,2}?properly",
            r"(?:not|never) (?:\w+ ){0,2}?properly",
            # (phrases after a negation start with it: see phrase_hits._SELF_NEGATING)
            r"(?:don'?t|doesn'?t|didn'?t|do not|does not|won'?t) (?:even )?(?:line|match) up",
            r"had to (?:\w+ ){1,5}?(?:(?:my|our) own|myself|ourselves)",
            # the fit after an alteration or out of the box: "two inches too short"
            after("are|were|is|was|out|now|still|bit|little|way|far|much|inch|inches|cm|size|sizes")
            + "too (?:short|long|tight|loose|small|big|baggy|narrow|wide)",
            # what a customer cannot eat was in it: "it had pork in it. I'm vegetarian"
            after("had|has|contained|contains|found|was|were")
            + r"(?:pork|meat|chicken|beef|ham|bacon|fish|prawns?|nuts|peanuts|gluten|dairy|milk|"
            r"cheese|eggs?) in (?:it|them|there)",
        ),
        -1.8,
    ),
    # A claim the customer doubts: "so-called", "supposedly", and scare quotes, which
    # text.scare_quotes turns into "so-called" ("the 'handmade' mug").
    "doubted claim": (
        (r"(?:so-called|supposedly)(?: [a-z-]+)?",),
        -1.5,
    ),
}

COMPLAINTS = rows(DELIVERY_COMPLAINTS)
