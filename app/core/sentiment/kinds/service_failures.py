"""Service failures VADER has no words for: waiting, missing or wrong, broken, poor
quality, cancelled, a price rise, a refund chased, and "never again".
"""

from __future__ import annotations

from app.core.sentiment.kinds.kind import rows
from app.core.sentiment.lexicons import NOT as _NOT
from app.core.sentiment.lexicons import after

_NUM = (
    r"(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|"
    r"thirty|forty|fifty|24|48|several|many)"
)
_SPAN = r"(?:mins?|minutes?|hrs?|hours?|days?|weeks?|wks?|months?)"
# A size or colour: "ordered a medium, got a small" names a wrong item.
_VARIANT = (
    r"(?:size|small|medium|large|xs|xl|xxl|red|blue|green|black|white|pink|grey|gray|"
    r"yellow|purple|brown|orange|navy|beige)"  # numbers: counts.py compares them
)

# Complaint kinds VADER has no words for. kind -> (regex alternatives, valence).
# The valence is in VADER lexicon units (-4..+4) and is added once per match.
SERVICE_COMPLAINTS: dict[str, tuple[tuple[str, ...], float]] = {
    "waiting": (
        (
            after("still|been|keep|kept|left|am|are|were|was|currently") + "waiting",
            r"waiting (?:for|on|since)",
            r"waited",
            r"\d+[- ]?" + _SPAN + r" (?:wait|queue|delay)",
            r"on hold",
            after(
                "for|over|after|almost|nearly|than|took|takes|taking|waited|waiting|another|half|"
                "least|been"
            )
            + rf"{_NUM} {_SPAN}",
            r"(?:took|takes|taking) (?:\w+ ){1,3}?(?:\d+ ?(?:mins?|minutes?|hrs?|hours?)|an hour)",
            r"(?:made|make|makes|making) (?:us|me|people|customers) wait",
            rf"{_NUM} {_SPAN} (?:ago|later|now|late|and still|and no)",
            r"(?:took|takes|taking) (?:\w+ ){0,2}?(?:forever|ages|so long|too long|an eternity)",
            r"(?:ages|forever|weeks|days|months) later",
            after("arrived|came|up|was|were|is|running|always|so|very|really") + "late",
            r"late again",
            r"delayed",
            after(
                "so|very|really|too|painfully|incredibly|was|were|is|are|extremely|bit|little|"
                "kinda|of|pretty|super|rather|ridiculously|unbelievably|horribly|terribly"
            )
            + "slow",
            r"slow (?:service|delivery|shipping|response|staff|server|waiter|waitress|kitchen)",
            r"(?:still|yet) (?:no|nothing)",
            r"(?<!worth )(?:the|a long|the long) wait(?![\w']| (?:is|was) (?:over|worth))",
            r"yet to (?:receive|get|hear|arrive)",
            r"(?:haven'?t|hasn'?t|have not|has not|not) (?:even |yet )?(?:started|begun|"
            r"looked at|touched) (?:it|them|on|my|our|the)",
            r"since (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|"
            r"january|february|march|april|june|july|august|september|october|november|december|"
            r"last (?:week|month|night|monday|tuesday|wednesday|thursday|friday|saturday|"
            r"sunday)|this morning)",
            r"(?:booked|booking|appointment|reservation|table) (?:\w+ ){0,4}?for "
            r"\d{1,2}(?:[:.]\d\d)?\s?(?:am|pm)?[,.]?\s(?:but |and )?(?:seen|served|seated|called|"
            r"started|taken) at",
            r"only (?:one|1) (?:till|checkout|person|member of staff|staff member|server|waiter|"
            r"cashier)(?: \w+)? (?:open|on|working|serving)",
            r"(?:tracking|status|order|parcel|package) (?:still )?(?:hasn'?t|has not|hasnt|"
            r"isn'?t|is not) (?:been )?(?:updated|moved|changed|shipped|dispatched)",
        ),
        -1.8,
    ),
    "missing": (
        (
            r"never (?:arrived|came|showed up|turned up|received|got it|got my|got the|delivered)",
            rf"{_NOT} (?:yet )?(?:arrived|come|received|been delivered|delivered|shipped|"
            r"been shipped|turned up|showed up|shown up|got (?:it|my|the|our))",
            after("is|are|was|were|went|gone|still|item|items|order|parcel|package") + "missing",
            r"missing (?:item|items|order|parcel|package|piece|pieces|part|parts)",
            r"(?:lost|misplaced) (?:my|our|the)",
            r"wrong (?:order|item|size|colou?r|address|product|one|thing|parcel|package|dish|"
            r"email|number|name|date|time|price|amount|change|card|account|house|flat|door|"
            r"bill|invoice|receipt|postcode|day|table|branch|shop|store)",
            # The verb leads (most messages with "instead of" ask for a swap), and each verb is
            # followed by an article or pronoun, so the matcher's pre-scan keys on "got a ",
            # not on every "got" or "delivery".
            r"(?:given|sent|received|charged|delivered|served|brought|gave) "
            r"(?:me |us )?[\w£]+(?: \w+){0,4}? instead of",
            r"got (?:a|an|the|my|our|\d+|£\d+)\b(?: \w+){0,4}? instead of",
            r"asked for (?:\w+ ){0,4}?\w+[,.]?\s(?:but )?(?:got|received|was given|they gave)",
            r"double[- ]booked|overbooked|lost (?:my|our) (?:booking|reservation)",
            r"(?:wasn'?t|isn'?t|not) on the system|no record of (?:my|our|the)|"
            r"(?:couldn'?t|could not|can'?t) find (?:my|our|the) (?:booking|reservation|order|"
            r"appointment)",
            after("arrived|came|was|were") + "(?:damaged|broken|crushed|smashed|open|opened|cold)",
            after("arrived|came|up|delivered|was|were|is|are|got|been|all|badly")
            + "(?:dented|cracked|scratched|chipped|shattered|torn|ripped|squashed|soaked|"
            "leaking|stained|bent|melted|wilted|wilting|drooping|dead|crushed|smashed)",
            after("arrived|came|was|were|is|are|all")
            + r"in (?:pieces|bits|a state|a mess|(?:two|three|four|several|many) (?:pieces|bits))",
            after("already|were|was|are|is|got|been|had")
            + "(?:dying|dead|wilting|rotten|melted|soaked(?: through)?|dried out|falling apart|"
            "gone off|expired)",
            r"(?:gave|given|giving) (?:my|our) (?:table|seat|seats|room|booking|slot|spot|"
            r"appointment) away",
            r"(?:don'?t|do not|didn'?t) (?:recogni[sz]e|remember (?:ordering|buying|making))|"
            r"(?:unknown|unauthori[sz]ed|mystery) (?:charge|payment|transaction)",
            r"(?:you'?ve|you have|you|they'?ve|they have|they) (?:run|ran|keep running) out",
            rf"ordered (?:an? |the |one |two )?{_VARIANT}\b[^\n]{{0,25}}?\s(?:but )?(?:got|"
            rf"received|they sent(?: me)?|you sent(?: me)?)(?= (?:an? |the )?{_VARIANT}\b)",
            r"no sign of",
            r"(?:arrived|came|delivered|turned up|sent|shipped) without (?:the|a|an|any|my|its)",
            r"(?:arrived|came|turned up|delivered) with (?:a |an |some |two |three )?(?:snapped|"
            r"broken|smashed|cracked|bent|crushed|dented|torn|ripped|chipped|wilted|dead|missing|"
            r"damaged|leaking|leaky|mouldy|moldy)",
            r"someone else'?s (?:order|parcel|package|item|items|food|coffee|drink|bag|shopping|"
            r"email|address|name|account)",
            r"(?:went|sent|delivered|addressed|posted|belongs) to (?:someone else|another "
            r"(?:customer|person|address|town|city|country)|the wrong|a different|a parcel in)",
            r"(?:the )?same size as (?:the|a|my) (?:small|medium|regular|standard|normal|kids?|"
            r"smaller|little)",
            r"(?:says|said|labelled|labeled|listed as|advertised as|claims?|claimed) [^\n]{1,40}?"
            r"\n?(?:but )?(?:it'?s|it is|they'?re|they are) (?:clearly|actually|obviously|"
            r"definitely|really)",
            r"ordered (?:\w+ ){1,4}?\w+[,.]?\s(?:but )?(?:the \w+ |it )(?:says|said)",
            after("order|orders|delivery|change|parcel|box|bag")
            + r"(?:was|were|has been|have been|is|came) short",
            r"(?:doesn'?t|does not) exist",
            r"paid for (?:\w+ ){0,4}?\w+[,.]?\s(?:but |and )?(?:it )?(?:came|got|arrived|"
            r"received|was sent)(?! (?:on time|quickly|early|fast|perfectly))",
        ),
        -2.0,
    ),
    "broken": (
        (
            rf"{_NOT} (?:even )?(?:work|works|working|load|loading|start|open|turn on|charge|"
            r"charging|fit|connect|respond)",
            r"(?:stopped|quit|stop) (?:working|charging|responding)",
            r"(?:keeps|kept) (?:crashing|breaking|failing|freezing|dropping|timing out|"
            r"logging (?:me )?out|declining|rejecting|glitching|buffering)",
            r"times out|timed out|(?:please|pls|plz) (?:fix|sort)",
            r"crash(?:es|ed|ing)",
            r"defective",
            r"faulty",
            r"malfunction\w*",
            r"error(?: message)?",
            r"glitch\w*",
            r"buggy",
            r"out of (?:order|service)",
            r"(?:site|app|website|server|system|checkout|payment|machine|till|card reader|"
            r"phone line|line|wifi|wi-fi|portal)s? (?:is |are |was |were )?(?:down|broken)",
            r"outage",
            r"(?:broke|fell apart|came apart|cracked|leaking|leaks) (?:after|within|in|on)",
        ),
        -1.8,
    ),
    "poor quality": (
        (
            r"bland|undercooked|under-cooked|overcooked|stale|soggy|greasy|burnt|tasteless|"
            r"flavou?rless|overpriced|over-priced|over priced|overrated|over-rated|over rated|"
            r"mediocre|lack(?:s|ed|ing)|let ?down|diss?app?oint\w*|flimsy|cheaply made|filthy|"
            r"unprofessional|incompetent|inedible|not edible|not worth (?:it|the|your|my|a)",
            after("was|were|is|are|been|came|arrived|served|food|coffee|tea|soup|pizza|meal|dish")
            + "(?:cold|dry|dirty|sticky|raw)",
            r"(?:luke ?warm|(?:ice|stone) cold)",
            after("too|so|very|extremely|really|bit|quite|incredibly")
            + "(?:salty|sugary|greasy|dry|expensive|pricey|small|loud|noisy|cold|"
            "dirty|long|bland|oily|tough|chewy)",
            r"(?:too|overly|sickly) sweet",  # "so sweet" is praise of a person
            rf"{_NOT} (?:last|hold (?:a )?charge|stay (?:on|in|put)|fit|charge|"
            r"recommend(?! (?:\w+ ){0,6}?(?:more|enough)(?![\w'])))",
            r"(?:lasted|lasts|worked|works) (?:only |just )?(?:about |for )?"
            r"(?:a |one |two |few |\d+ )(?:few )?(?:hours?|days?|weeks?|months?|uses?|times?)",
            r"(?:breaks?|broke) (?:after|within|in|easily|down)",
            r"(?:died|dies|blew up|fell off|falls off|comes off|came off|nothing happens)",
            r"(?:smells?|smelled|smelt|tastes?|tasted|went|gone|going) "
            r"(?:a bit |slightly |really )?(?:off|funny|rancid|sour|mouldy|moldy)",
            r"(?:throw|threw|thrown|bin|binned|chuck|chucked) (?:it|them|the lot|\w+ \w+) "
            r"(?:away|out)",
            r"(?:won'?t|wouldn'?t|will not|refuses? to|refused to) (?:even )?"
            r"(?:touch|eat|drink|wear)",
            r"gutted|fuming|livid|miffed|peeved|cheesed off|hacked off",
            r"(?:a|an|absolute|complete|total|utter) (?:nightmare|shambles|farce|fiasco|disgrace)",
            r"shambolic",
        ),
        -1.8,
    ),
    "cancelled": (
        (
            r"cancel(?:l?ed|l?ing|lations?)?(?! (?:policy|policies|terms|fees?|charge|period))",
            r"unsubscribe",
        ),
        -1.5,
    ),
    "price": (
        (
            r"(?:double|twice|triple|more than) (?:the|what (?:we|i) (?:were|was)) "
            r"(?:estimate|quote|quoted|price)",
            r"extra (?:items|charges?|things) on (?:it|the bill|my bill|the receipt)",
            r"(?:smaller|less|fewer|tinier|thinner) (?:portions?|bags?|bars?|packs?|sizes?|boxes?|"
            r"slices?|servings?)[,.]?\s(?:and |but |for )?(?:the )?same price",
            after("price|prices|cost|costs|fee|fees|charge|charges|shipping|postage|delivery")
            + r"(?:(?:went|have gone|has gone|gone|going|keeps? going|got|are going|is going) up"
            r"|up (?:again|another|by|[\d£$€][\d.,]*p?%?))",
            r"(?:price|prices) (?:hike|increase|rise)s?",
        ),
        -1.5,
    ),
    "refund": (
        (
            r"(?<!quick )(?<!fast )(?<!prompt )(?<!speedy )(?<!swift )(?<!easy )refund(?:ed|s)?"
            r"(?! (?:so |really |super |very |just |has |finally |it |them |me |us )?"
            r"(?:quickly|promptly|fast|"
            r"came through|arrived|landed|gone through|went through|cleared|while|on the spot|"
            r"straight away|immediately|there and then))",
            r"money back",
            r"charge ?back",
            r"(?:charged|charging|billed|billing) (?:me |us )?(?:twice|double|again|for nothing)",
            r"(?:over|double)[- ]?charged",
            r"(?:payment|charge|money|it) (?:went through|was taken|came out|(?:was )?debited) "
            r"(?:twice|two times|double|again)",
            r"(?:returned|returning|send(?:ing)? back|sent back) (?:it|them|this|my|the)",
            # ("do I need to return it?" asks how: only a statement is a complaint)
            r"(?<!do i )(?<!would i )(?<!will i )(?<!can i )"
            r"(?:want|like|need|have|had) to (?:return|send back) (?:it|them|this|my|the)",
        ),
        -1.8,
    ),
    "never again": (
        (
            r"never again",
            r"(?:won'?t|will not|wouldn'?t|would not|not|never|"
            r"don'?t think (?:i|we)'?(?:ll| will)) "
            r"(?:ever |be |in a hurry to |bother |)(?:go(?:ing)?|com(?:e|ing)|return(?:ing)?|"
            r"run(?:ning)?|be|eat(?:ing)?|order(?:ing)?|shop(?:ping)?) (?:back|again|here again)",
            r"(?:will not|won'?t|wont|would not|wouldn'?t) (?:be )?(?:return(?:ing)?|recommend\w*)",
            r"(?:do not|don'?t|never) (?:buy|purchase|order|go there|go here|eat here|shop here)",
            r"last time (?:buying|ordering|shopping|eating|going|coming)",
            r"thumbs down",
            r"never (?:coming|going|ordering|buying|shopping|eating|using|returning|"
            r"be (?:back|returning|ordering)|come back|order|buy|shop|go back|use)",
            r"(?:won'?t|will not|wont|not) be (?:back|returning|coming back|going back|ordering|"
            r"revisiting|visiting again|eating (?:here|there) again)",
            r"never (?:ever )?(?:go back|come back|set foot|step foot|return|be back)",
            r"never (?:\w+ ){1,5}?again",
            r"(?:i'?m|i am|we'?re|we are) (?:so |totally |officially )?done with",
            r"not (?:coming|going) back",
            r"(?:take|taking) (?:my|our) (?:business|money|custom) elsewhere",
            r"(?:waste|wasted) (?:of )?(?:my |your |our )?(?:money|time)",
            r"(?:don't|dont|do not) (?:buy|order|bother|waste)",
            r"(?:avoid|stay away)",
            r"last time (?:i|we) (?:order|buy|shop|use|go|come)",
            after("this is the|this'll be the|that's the|this is my") + "last time",
        ),
        -2.2,
    ),
}

# Reason wording for a shop owner, where it is not the kind's key.
SERVICE_TITLES = {
    "waiting": "waiting",
    "missing": "missing or wrong",
    "broken": "broken",
    "cancelled": "cancelled",
    "refund": "refund",
    "price": "price rise",
    "poor quality": "poor quality",
    "never again": "never again",
}

COMPLAINTS = rows(SERVICE_COMPLAINTS, SERVICE_TITLES)
