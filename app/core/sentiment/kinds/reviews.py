"""Complaint and praise kinds that customers write in reviews of food, service and goods.

Like lexicons.py, each entry names a *kind* of failure (or of praise) in the
customer's words, not a sentence from any data set: what went wrong with the food,
how the staff behaved, that the customer gave up and left, or praise said by
denying a complaint ("not disappointed", "can't go wrong").
kind -> (regex alternatives, valence in VADER lexicon units), as in lexicons.py.
"""

from __future__ import annotations

from app.core.sentiment.kinds.kind import rows
from app.core.sentiment.lexicons import NOT, after

_FOOD_FLAWS = (
    r"(?:hair|hairs|fly|flies|bug|bugs|insect|insects|cockroach|roach|roaches|worm|"
    r"caterpillar|glass|plastic|wire|mold|mould|dirt|band-aid|bandaid)"
)
_TASTE = r"(?:flavou?r|taste|seasoning|salt|spice|sauce|meat|filling)"

REVIEW_COMPLAINTS: dict[str, tuple[tuple[str, ...], float]] = {
    # Something that makes food unsafe: a foreign object in it, or a customer made ill.
    "food safety": (
        (
            _FOOD_FLAWS + r" (?:baked |cooked |stuck |hidden )?(?:in|on|into|inside) "
            r"(?:my|our|the|her|his|their|it|them)",
            r"(?:food poisoning|got sick|get sick|gets sick|sick to (?:my|our) stomach|"
            r"vomit\w*|threw up|throw(?:ing)? up|stomach (?:ache|aches|pains?|cramps)|diarrh\w*)",
            r"made (?:me|us|him|her|them|my \w+) (?:sick|ill)",
            r"(?:had|having|has) (?:a|an) (?:bad |severe |allergic )?reaction|"
            r"reacted (?:to|within|straight away|right away|badly|after)|"
            r"came out in (?:hives|a rash)|epi-?pen|anaphyla\w*",
            r"(?:felt|feeling|been|was|were) (?:rough|poorly|unwell|queasy|ill) (?:all|since|after|"
            r"for|the rest)",
            r"(?:moldy|mouldy|rotten|spoiled|expired|rancid)",
            r"(?:curdled|turned sour|(?:tasted|smelled|smelt|smells|tastes) (?:off|sour))",
            after("milk|cream|meat|chicken|fish|cheese|yoghurt|yogurt|juice|salad|sandwich|eggs")
            + r"(?:was|were|is|are|had gone|has gone) (?:off|sour)",
        ),
        -2.5,
    ),
    # Food made badly: over- or under-done, the wrong temperature, missing its taste.
    "badly made": (
        (
            r"(?:over|under)[- ]?(?:done|fried|seasoned|salted|baked|cooked)",
            r"(?:dri|bland|greas|salt|sogg|chew|rud|dirt|slow)i?est",
            r"(?:came|come|comes|brought|sent) (?:back |out )(?:cold|raw|burnt|burned|wrong)",
            r"(?:no|not much|not enough|hardly any|barely any|little to no|zero|without any) "
            r"(?:real )?" + _TASTE,
            r"(?:doughy|raw|frozen|uncooked|gooey|cold) "
            r"(?:in the middle|inside|in the cent(?:re|er))",
            r"still (?:doughy|raw|frozen|uncooked)",
            r"(?:tasted|tastes|taste|smelled|smells|smelt) (?:of|like) (?:nothing|cardboard|soap|"
            r"chemicals|plastic|bleach|dishwater|water)",
            r"(?:needed|needs|need|could use|lacked|lacking) (?:more |some )?(?:salt|seasoning|"
            r"flavou?r|spice)",
            NOT + r" (?:\w+ )?(?:look |taste |seem |smell |feel |looks |tastes |seem |seems )?"
            r"(?:too |that |very |so |even |quite |really |particularly )?"
            r"(?:appealing|appetizing|correct|edible|hot|warm|cooked|authentic|accurate|clean)",
        ),
        -1.8,
    ),
    # How staff treated the customer: attitude, not greeted, not checked on.
    "staff attitude": (
        (
            after("an|bad|poor|terrible|snotty|nasty|rude|with") + "attitude",
            r"(?:dismissive|condescending|snotty|snooty|inattentive|unattentive)",
            r"(?:(?:is|was) (?:this|that)|(?:this|that) (?:is|was)) how you treat",
            r"(?:on|glued to|scrolling(?: through)?) (?:their|her|his) phones?",
            r"(?:chatting|chatted|gossiping|gossiped|laughing|joking|messing about) "
            r"(?:\w+ ){0,3}?while (?:the|a|we|i|people|customers|everyone)(?![\w'])",
            r"roll(?:ed|s|ing) (?:her|his|their) eyes",
            r"'?computer says no'?",  # often quoted
            r"(?:don'?t|doesn'?t|didn'?t|do not|does not|did not) (?:seem to |even |really )?know "
            r"what (?:they'?re|he'?s|she'?s|you'?re|they were|he was|she was) doing",
            after("too") + r"busy'? to (?:see|help|serve|answer|take|deal|look|check|talk|speak|"
            r"call|reply)",
            # served out of turn: "the next table got theirs first despite arriving later"
            r"despite (?:arriving|coming in|getting there|turning up|sitting down|ordering) "
            r"(?:\w+ )?(?:later|after (?:us|me))",
            # hurried along: "brought the bill before dessert, felt like we were being hurried out"
            r"(?:hurried|rushed|ushered|hustled|herded) (?:us|me|them|everyone|people) "
            r"(?:out|along|through)|(?:being|been|get|got) (?:hurried|rushed|ushered|hustled) out|"
            r"felt (?:so |very |really |a bit )?(?:rushed|hurried)",
            after("staff|just|and|he|she|they|assistant|manager|waiter|waitress|cashier")
            + r"shrugged(?! (?:it )?off)",
            r"more interested in (?:\w+ ){1,3}?than (?:the |their |serving |helping )?"
            r"(?:queue|line|customers?|us|me|people|serving|helping|working)",
            r"(?:nobody|no one|noone)(?: \w+){0,3}? knew (?:anything|nothing|what)",
            r"(?:smelled|smelt|smells|smelling|stank|stinks|reeked|reeks) (?:of|like) (?:smoke|"
            r"damp|bleach|wee|urine|sewage|drains|mould|mold|sweat|fish|gas|cigarettes)",
            r"(?:short|abrupt|curt|snappy|sharp) with (?:me|us|my|our|customers|him|her)",
            r"told (?:me|us|my \w+) to (?:google|look it up|go away|wait outside|come back|"
            r"calm down|leave|go elsewhere|ring|call|email)",
            r"(?:never|didn't|didnt|did not|not once|nobody|no one) (?:even )?"
            r"(?:checked|check|came) (?:on|back|by|over)",
            r"not (?:even )?(?:a|an|one|a single) (?:hello|hi|smile|greeting|apology|sorry|"
            r"thank you|employee|server|person)",
            r"(?:had|have|has) to (?:ask|flag|wave|chase|remind) (?:\w+ ){0,2}?"
            r"(?:for|down|again|twice|three|several|multiple)",
        ),
        -1.8,
    ),
    # The customer tried to do something and could not: log in, pay, get through, watch.
    "blocked": (
        (
            r"(?:can'?t|cannot|can not|couldn'?t|could not|unable to|not able to|"
            r"won'?t let (?:me|us)) "
            r"(?:even |still )?(?:log ?in|sign ?in|login|order|pay|check ?out|get through|reach|"
            r"contact|access|watch|use|book|download|update|connect|track|make it|"
            r"get (?:a|an|my|our|through|in|hold|it to)|hear (?:the|a|anything|each other|"
            r"ourselves|myself|yourself|a thing))(?![\w'])",
            r"(?:not going to|won'?t|will not) be able to",
            r"for love (?:n?or|or) money",
            # "the locker ate my code and now nobody can open it"
            r"(?:nobody|no one|noone|no-one) (?:\w+ )?(?:can|could|was able to|knows how to) "
            r"(?:open|find|help|fix|tell|explain|answer|locate|sort)",
            r"(?:ate|eaten|swallowed|swallowing|eating) (?:my|our) (?:card|code|money|coins?|"
            r"ticket|token|cash|parcel code|pin)",
        ),
        -1.5,
    ),
    # Disbelief at how they were treated: "are you kidding me", "you must be joking".
    "disbelief": (
        (
            r"(?:are you|you(?:'ve| have)? got to be|you must be|you'?re|u) (?:kidding|joking)"
            r"(?: me)?",
            r"(?:seriously|really)\?+",
            r"why (?:oh why|on earth|the hell|the heck|in the world)",
            # questions that are complaints: "is it too much to ask", "since when does"
            r"(?:is it|is that|was it|is this) (?:really )?too much to ask",
            r"(?:does|do|did) (?:anyone|anybody|no one|nobody) (?:there |(?:at|in) (?:the )?\w+ )?"
            r"(?:actually |even |ever )?"
            r"(?:read|answer|check|listen|care|work|test|taste|proofread)",
            r"what'?s the point (?:of|in) (?:\w+ ){0,4}?if",
            r"(?:are|is) (?:you|anyone|someone|somebody) (?:ever|even) (?:going|gonna)",
            r"will (?:you|anyone) ever",
            r"who (?:trained|hired|packed) (?:your|the|these|this|that)",
            r"since when (?:does|do|did|is|are|has|have|can|could)",
            r"why (?:does|do|is|are|must|has|have) (?:\w+ ){1,4}?always",
            # "£4.50 for a coffee and you can't even give me a lid that fits"
            after("you|u|they|staff|he|she") + r"(?:can'?t|cannot|couldn'?t|could not) even "
            r"(?:give|get|manage|be bothered|answer|spell|find|put|make|do|say)",
            r"(?:do|did|does) (?:you|they|anyone) (?:even|ever|actually) (?:check|read|care|listen|"
            r"look|test|taste|clean|proofread)",
            r"how (?:hard|difficult) (?:is|can) it (?:be )?to",
            r"would it kill (?:you|them|anyone|someone)",
            r"why do (?:i|we) (?:even )?bother",
            r"how many (?:more )?times do (?:i|we) (?:have|need) to",
            r"getting (?:a bit |a little |really |very |beyond )?(?:silly|out of hand|daft|absurd|"
            r"ridiculous|a joke|beyond a joke)|beyond a joke",
        ),
        -2.0,
    ),
    # The shop's answer did not satisfy: "you said that last week", "so what happens now?"
    "not answered": (
        (
            r"(?:you|they|u|she|he) said (?:that|the same|this) (?:last|yesterday|before|on|"
            r"a week|two weeks|days)",
            r"(?:heard|had) that (?:one )?before",
            r"(?:doesn'?t|does not|didn'?t|did not) (?:really |even )?answer (?:my|the|our) "
            r"question",
            r"so what (?:happens|now|do (?:i|we) do)",
            r"when exactly (?:will|is|are|do|does|can|should)",
        ),
        -1.8,
    ),
    # The customer gave up and left, or compares the shop unfavourably with another.
    "walked out": (
        (
            r"(?:gave up|walked out|got up and left|left without|left hungry|"
            r"(?:get|got) (?:out of|outta) there)",
            after("is a|was a|are a|were a|what a|such a|total|complete|absolute|utter") + "joke",
            r"(?:laughable|farce)",
            r"(?:much |far |way )?better (?:\w+ ){0,6}?than (?:this|these|here|them|theirs)",
        ),
        -2.0,
    ),
}

REVIEW_PRAISE: dict[str, tuple[tuple[str, ...], float]] = {
    # A complaint denied is praise: "not disappointed", "can't go wrong", "no complaints".
    "no complaints": (
        (
            NOT + r" (?!only|just)(?:\w+ ){0,2}?(?:disappoint(?:ed|s|ing)?|go wrong|regret)",
            r"(?:could(?:n'?t| not)|can'?t) (?:be )?(?:any )?happier",
            r"can'?t say enough (?:good|great|nice|about)",
            r"no complaints",
            r"(?:nothing|never had anything|not (?:had )?(?:a thing|anything)) (?:bad )?"
            r"to complain about",
        ),
        1.8,
    ),
    # Praise idioms whose words VADER reads literally ("to die for").
    "praise idiom": (
        (
            r"to die for",
            r"out of this world",
            r"hits? the spot",
            r"above and beyond",
            r"melts? in (?:your|my|the) mouth",
            r"blew (?:me|us) away|blew my mind",
            r"blown away|mind[- ]?blown|mind[- ]?blowing",
            r"(?:made|make|makes|making) (?:my|our) (?:whole )?(?:day|week|month|year|morning|"
            r"weekend|christmas|birthday)",
            r"second to none",
            # admired by others: "the cake was the star of the party", "everyone asked where"
            r"(?:the )?star of the (?:show|party|night|day|table|meal|wedding|weekend|menu)",
            r"(?:everyone|everybody|all (?:my|our|the) (?:friends|guests|family)) (?:kept |was |"
            r"were )?(?:asked|asking|wanted to know) where",
            r"shout[- ]?out to|big shout|no questions asked",
            r"fits? like a glove",
            r"makes? up for (?:it|that|everything|the \w+)|(?:has|have|really) grown on (?:me|us)",
            r"wagging (?:his|her|its|their) tails?",
            r"(?:feels?|felt|looks?|looked|runs?|ran|drives?|sounds?|works?) (?:like|as good as) "
            r"new|(?:good|as good) as new",
            r"deserves? (?:a |an )?(?:raise|pay rise|medal|promotion|award|mention|shout[- ]?out)",
            r"(?:couldn'?t|can'?t|could not|cannot) stop (?:taking photos|talking about|eating|"
            r"smiling|raving|looking at|telling)",
            after("absolutely|totally|completely|really|proper|properly|you|u|you've|team|have|has")
            + r"(?:smashed|nailed|aced) it(?![\w'])",
            # a pleasant surprise: "didn't think a repair could be this painless"
            r"(?:didn'?t|never|did not) (?:think|thought|expect|expected|know|knew) (?:\w+ ){1,6}?"
            r"(?:could|would|can) be (?:this|so) (?:easy|painless|good|simple|quick|smooth|cheap|"
            r"tasty|fun|nice|straightforward|comfy|comfortable)",
            r"finally (?:found )?(?:a|an|someone|somebody) (?:\w+ ){0,2}?(?:who|that) "
            r"(?:actually )?(?:listens|gets it|knows|understands|cares)",
            r"(?:chaos|chaotic|mad|madness|crazy|wild|messy|insane|ridiculous|silly|wicked|"
            r"dangerous|brutal|painful|dark) in the best (?:possible )?way",
            r"top (?:people|bloke|blokes|guy|guys|lads|team|man|woman|marks|class)(?![\w'])",
            after("is|are|'s") + r"your (?:man|woman|guy|girl|people|team|place|go-to)(?![\w'])",
            r"worth (?:every|the) (?:penny|wait|trip|drive|price|money|calories|minute|second|"
            r"mile|bite|pound|cent|crumb)",
            r"(?:made|make|makes|took|take|takes) (?:the )?time to (?:chat|talk|help|explain|"
            r"listen|show)",
        ),
        2.0,
    ),
    # Eagerness VADER has no word for: "can't wait", "looking forward to" ("can't wait any
    # longer" is impatience, so it is left out).
    "looking forward": (
        (
            r"(?:can'?t|cannot|can not) wait"
            r"(?! (?:any ?longer|any ?more|much longer|forever|all day))",
            r"(?:looking|look|looked|looks) forward to",
        ),
        2.0,
    ),
}

REVIEW_TITLES = {
    "food safety": "unsafe food",
    "badly made": "badly made",
    "staff attitude": "staff attitude",
    "walked out": "gave up or went elsewhere",
    "blocked": "could not do it",
    "disbelief": "disbelief",
    "not answered": "not answered",
    "no complaints": "no complaints",
    "praise idiom": "praise",
    "looking forward": "looking forward",
}

COMPLAINTS = rows(REVIEW_COMPLAINTS, REVIEW_TITLES)
PRAISE = rows(REVIEW_PRAISE, REVIEW_TITLES)
