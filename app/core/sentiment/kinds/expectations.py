"""Expectation and comparison complaints: the customer measures the shop against
something better and says it fell short, often without any sentiment word.

kind -> (regex alternatives, valence in VADER lexicon units), as in lexicons.py.
"""

from __future__ import annotations

from app.core.sentiment.kinds.kind import rows
from app.core.sentiment.lexicons import after

SHORTFALL: dict[str, tuple[tuple[str, ...], float]] = {
    "fell short": (
        (
            r"(?:far (?:from|below|worse|inferior)|(?:nowhere|no where) near)",
            r"(?:second|2nd|third|3rd)[- ]rate",
            r"kiss (?:\w+ ){0,3}?goodbye",
            r"(?:i'?ve|we'?ve|i have|we have|have) had (?:much |far |way )?better",
            r"could (?:use (?:some|a little|more|a lot)|do with)",
            r"(?:leaves?|left) (?:a lot|much|something) to be desired",
            r"expect(?:ed)? (?:\w+ ){0,3}?(?:more|better)",
            r"(?:hop(?:ed|ing)|wish(?:ed)?) for (?:more|better|something)",
            r"wish (?:i|we) (?:could|had|hadn't|never|didn't)",
            r"(?:steer|stay) clear",
            r"save (?:yourself|your (?:money|time|cash|breath|pennies|energy|sanity|nerves))",
            r"(?:below|under) (?:average|par|expectations?|standard)",
            r"(?:not|isn't|wasn't|nothing) (?:as good|as advertised|as described|as pictured|"
            r"what (?:i|we) (?:expected|ordered|paid for|wanted)|worth|good enough|special|"
            r"up to par|impressed|impressive|fresh|quality|tasty|new|great)",
            r"(?:does|did|do)(?: not|n't) (?:match|live up|meet|deliver|work with)",
            r"needs? (?:a |some |major |serious |complete )?(?:work|improvement|overhaul|fixing)",
            r"(?:gone|went|going) downhill",
            r"(?:problem|issue|fault|leak|noise|smell|stain|damp|mould)(?:'s| is| was)? still "
            r"(?:there|happening|not (?:fixed|sorted)|unresolved)",
            r"nothing(?:'s| has) (?:actually |really )?(?:changed|been (?:done|fixed|sorted))",
            # a promise the next sentence takes back: "said 'it'll hoover out'. It didn't."
            r"(?:said|told (?:me|us)|promised|assured (?:me|us)|claimed) [^\n]*\n(?:it|they|he|"
            r"she|that) (?:didn'?t|did not|wasn'?t|was not|hasn'?t|has not|won'?t|doesn'?t|"
            r"never did)(?=[.!]*(?:\n|$))",
            # worse than it was: "the brownies used to be gooey, now they're like cardboard"
            r"used to be (?:\w+ ){0,3}?\w+[,.]?\s(?:but |and )?now",
            r"(?:changed|messed with|ruined) the (?:recipe|formula|blend)",
            # mostly filler: "the sandwich was 90% lettuce", "coffee was basically warm milk"
            r"(?:was|were|is|are) (?:\d{2,3}% |mostly |basically |just |all )(?:lettuce|ice|bread|"
            r"foam|froth|air|water|fat|gristle|bone|batter|packaging|filler|milk|warm milk|"
            r"sauce|onions?|pastry|crust|rice|noodles|pasta|potato|potatoes|stalks?|stems?)"
            r"(?![\w'])",
            r"(?:went|came|walked) in (?:for|wanting|asking for) (?:\w+ ){0,2}?\w+[,.]?\s(?:and )?"
            r"(?:came|come|walked) out with",
            r"(?:like|of) (?:cardboard|rubber|sawdust|dishwater|chalk|mush|straw|sandpaper)"
            r"(?![\w'])",
            after("has|have|really|definitely|massively")
            + "(?:slipped|declined|got worse|gotten worse)",
            r"half (?:empty|cooked|raw|melted|missing|the size)",
            r"(?:go|went|spend|take|took|spending|going)"
            r" (?:\w+ ){0,5}?(?:elsewhere|else where|some ?place else|somewhere else)",
            r"(?:would|i'd|we'd|id) rather",
            # taking the custom elsewhere: "I'll be going to the retail park instead"
            r"(?:going|go|went|shopping|shop|driving|taking (?:my|our) (?:business|custom|money)) "
            r"(?:to|at) (?:\w+ ){0,4}?instead(?![\w'])",
            r"(?:should(?:n't| not)|should never) (?:take|have taken|cost|be)",
            r"only (?:worked|lasted|works) (?:once|twice|a few|for a)",
            r"(?:barely|hardly|scarcely) (?:\w+ )?(?:work|works|worked|edible|hear|warm|cooked)",
            r"(?:first|1st) and (?:the )?last",
            r"(?:might|may|will) (?:just |probably )?be (?:my|our|the) last",
            r"(?:looking for|buy|bought|purchase|get) (?:a|another) (?:new|different|replacement)",
            r"waste of",
            r"even though (?:i|we) (?:had )?(?:booked|paid|ordered|asked|called|rang|emailed|"
            r"confirmed|reserved|pre-?ordered)",
            r"recommend (?:avoiding|against|staying away|steering clear|going elsewhere|"
            r"looking elsewhere)",
            r"(?:you )?get what you pay for",
            r"not so much(?![\w'])",
            r"(?:feels?|felt|looks?|looked|seems?) cheap|cheap (?:feel|look|feeling|looking)",
            r"(?:isn'?t|is not|not|wasn'?t|was not|aren'?t|are not) (?:a )?patch on",
            r"used to be (?:(?:so|much|really|a lot|far|way) ){0,2}"
            r"(?:better|good|great|nice|lovely|amazing)",
            r"(?:not|isn'?t|wasn'?t) what (?:it|they|you) used to be",
            r"not (?:really )?(?:for me|for us|my (?:thing|cup of tea|style|taste))",
            r"(?:smaller|bigger|thinner|cheaper|darker|lighter|shorter|different) than "
            r"(?:it |they )?(?:looks?|looked|appears?|seemed|"
            r"in the (?:picture|photo|pictures|photos)|on the (?:website|site|listing)|"
            r"advertised|described|pictured|expected|online)",
            r"(?:rip|ripped) ?off",
            r"(?:un(?:usable|reliable|acceptable|acceptible|satisfactory|helpful|responsive|"
            r"comfortable|pleasant|derwhelming|appetizing|friendly|realistic)|junk|trash|garbage|"
            r"drawbacks?|flaws?|cumbersome|clunky|disgraceful|subpar|sub-par|shoddy|"
            r"pointless|cheaply|cheap plastic|poorly (?:made|designed|built|done|cooked))",
        ),
        -1.8,
    ),
}

COMPLAINTS = rows(SHORTFALL, {"fell short": "fell short of expectations"})
