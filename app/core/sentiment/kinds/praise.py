"""Praise kinds VADER has no words for: speed, coming back, quality, and the slang
customers praise a shop in ("you guys rock", "a hidden gem").

kind -> (regex alternatives, valence in VADER lexicon units), as in lexicons.py.
"""

from __future__ import annotations

from app.core.sentiment.kinds.kind import rows
from app.core.sentiment.lexicons import after

# "... I've ever had": what makes a superlative a verdict on the shop.
_EVER = (
    r"(?:(?:i'?ve|i have|we'?ve|we have|i|we) (?:ever|have ever|'ve ever) "
    r"(?:had|tried|been|seen|eaten|tasted|bought|owned|worn|used|met|visited|found)|"
    r"(?:i'?ve|i have|we'?ve|we have) had (?:all|this|in) (?:year|week|month|summer|ages|years))"
)

# Praise for service that VADER has no words for: speed, freshness, coming back.
PRAISE_KINDS: dict[str, tuple[tuple[str, ...], float]] = {
    "fast service": (
        (
            r"(?:arrived|came|shipped|delivered|served|responded|replied|fixed|sorted|ready) "
            r"(?:so |very |really |super )?(?:quickly|fast|promptly|early|on time|in no time)",
            r"(?:quick|fast|speedy|prompt) (?:service|delivery|shipping|response|reply|turnaround)",
            r"(?:arrived|delivered|ready|shipped|done|came) ahead of (?:time|schedule)",
            r"(?:seated|served|greeted|helped|attended to) (?:right away|immediately|promptly|"
            r"quickly|instantly|within minutes)",
            after("very|so|super|always|was|were|is|are|and") + "prompt",
            r"(?:sorted|fixed|done|processed|handled|dealt with|replaced|swapped|repaired|"
            r"served) (?:\w+ ){0,3}?in (?:under |about |less than |just )?(?:\d+|one|two|three|"
            r"five|ten|a few|a couple of) (?:minutes|mins|seconds|secs)",
            # "returns took two minutes": a short time said of the whole job
            r"(?:took|takes) (?:only |just |literally |about )?(?:a|one|two|three|four|five|\d|"
            r"a few|a couple of) (?:minutes|mins|seconds|secs|minute)(?! (?:to|before|for) )",
            r"(?:\d+|a few|two|five|ten|fifteen|twenty) (?:minutes?|mins?|days?) early",
            r"at (?:my|our|the) door (?:by|within|in under|before|the next)",
            r"(?:deposit|money|refund) back (?:in full|the same day|same day|straight away|"
            r"immediately|within (?:a|an|the) (?:day|hour))",
        ),
        1.8,
    ),
    # Care beyond the sale: staying with a nervous pet, fitting someone in, remembering them.
    "kindness": (
        (
            r"(?:sat|stayed|waited) with (?:me|us|him|her|them|(?:our|my) \w+(?: \w+)?) "
            r"(?:the whole time|throughout|all the way through|until)",
            r"(?:fitted|fit|squeezed|squeezing|fitting) (?:me|us|him|her|them|my \w+) in",
            r"remembered (?:my|our|me|us|his|her) (?:name|order|usual|dog|birthday)",
            r"(?:went|go|goes|going) out of (?:their|her|his|the|your) way",
            r"stayed open (?:\w+ ){0,3}?(?:late|later|longer|extra|for (?:me|us))",
            r"upgraded (?:us|me)(?: for free| free)? to",
            r"(?:made|put together|built|designed|tailored) (?:me|us) (?:a |an )?(?:\w+ )?(?:plan|"
            r"programme|program|routine|menu|dish|meal) (?:around|to suit|for (?:my|our))",
            r"remembered (?:the|my|our) (?:extra|sauce|napkins|allergy|allergies|request|note|"
            r"anniversary|birthday)",
            r"gave (?:me|us) (?:a |some |an )?(?:recipe|tips?|advice|extras?|freebie|samples?|"
            r"discount|free)(?![\w'])",
            r"helped (?:me |us )?(?:with|carry|load|lift) (?:all )?(?:the|my|our) (?:bags|"
            r"shopping|luggage|cases|suitcases|boxes|pram|buggy)",
            r"carried (?:it|them|everything|the \w+|my \w+|our \w+) (?:\w+ ){0,3}?"
            r"(?:upstairs|to the car|inside|in for)",
            # time given: "spent ages helping me pick plants for shade"
            r"spent (?:ages|so long|an hour|half an hour|the whole \w+|\d+ minutes|(?:ten|twenty) "
            r"minutes) (?:\w+ ){0,2}?(?:helping|explaining|showing|finding|going through|talking "
            r"(?:me|us) through)",
        ),
        1.8,
    ),
    # Advice the customer could trust: explained, no hard sell.
    "honest advice": (
        (
            r"explained (?:everything|it all|each step|every step|the options|all the options|"
            r"what (?:was|they|he|she|had|needed))",
            r"(?:didn'?t|did not|never|doesn'?t|does not|don'?t|won'?t) (?:try to |once )?"
            r"(?:upsell|up-sell|push (?:anything|extras|me|us)|pressure (?:me|us))",
            r"no (?:hard sell|upsell(?:ing)?|up-selling)",
            r"talked (?:me|us|my \w+) out of (?:a|an|the|buying|paying|spending|getting)",
            # found what others missed: "the physio worked out in one session what two GPs missed"
            r"(?:spotted|found|worked out|figured out|diagnosed|caught|picked up on|solved) "
            r"(?:\w+ ){0,5}?(?:what|something|things|a problem|the problem|an issue|the issue|"
            r"the fault) (?:\w+ ){0,4}?(?:missed|couldn'?t|could not|failed to|never)",
        ),
        1.8,
    ),
    "coming back": (
        (
            r"(?:will|would|'ll|definitely|gonna|going to|can't wait to|cant wait to) "
            r"(?:definitely |surely |certainly |be )?(?:come|coming|go|going|be) back",
            r"(?:been|come|came|went|go) back (?:every|again and again|many times|twice)",
            # "ended up going back in for two more"
            r"(?:went|going|gone|came|coming|go) back (?:in |inside |up )?for (?:more|another|"
            r"seconds|a second|round two|(?:two|three|a few|\d) more)",
            r"(?:must[- ](?:try|visit)|(?:a|the|is|are) must[- ]have|go-to|highly recommend)",
            r"(?:i'?ll|we'?ll|i will|we will|ill) (?:definitely |surely |certainly |totally )?"
            r"(?:be back|return)",
            r"(?:def|defo|definitely|definately) (?:be )?(?:coming|going) back",
            r"(?:my|our) new (?:usual|favourite|favorite|go-to|regular|local|fave)(?![\w'])",
        ),
        1.8,
    ),
    "no problems": (
        (
            r"(?:no|zero|0|not a single|not one|not any|without (?:any|a)) "
            r"(?:issues?|problems?|complaints?|hassle|fuss|faults?|hiccups?)",
            # a promise kept: "had my bike back before the weekend like they promised"
            r"(?:like|as|just as|exactly as) (?:they|you|he|she|the \w+) (?:had )?(?:promised|said "
            r"(?:they|he|she|you) would)|as promised|kept (?:their|his|her|your) (?:word|promise)",
        ),
        1.5,
    ),
    "slang praise": (
        (
            r"(?:you|u|ya|y'all|yall|guys|team|staff|you all) (?:totally |really |all )?rock",
            r"(?:hidden|absolute|real|little|total) gem",
            r"(?:is|was|are|were|so|straight|absolute|pure) (?:fire|🔥)",
            r"spot on(?! (?:the|a|an|my|our|your|this|that|his|her|their)\b)",
            r"on point|top notch|top-notch|next level|game ?changer",
            r"happy tears|tears of joy|above and beyond|hands down|"
            r"(?:recommended|recommend|recommending) (?:you|them|this (?:place|shop)) to",
            r"can'?t stop (?:wearing|eating|using|smelling|looking at|talking about)",
            r"(?:still )?dreaming (?:about|of)",
            r"(?:couldn'?t|could not|can'?t) do enough|"
            r"nothing (?:was|is) too much (?:trouble|bother)",
            r"(?:couldn'?t|could not|can'?t|cannot) recommend (?:\w+ ){0,6}?(?:more|enough|"
            r"highly enough)",
            r"(?:really |actually )?listened to (?:what|me|us)",
            r"changed (?:my|our) (?:life|lives)|life[- ]changing",
            r"never (?:looked|been|felt|tasted|smelled|smelt|worked|slept) (?:(?:so |this )?"
            r"(?:better|healthier|happier|nicer|cleaner|fresher|comfier|softer)|(?:so|this) "
            r"(?:good|soft|smooth|clean|fresh|healthy|happy|comfortable|comfy|shiny|well))",
            r"(?:a |your |their )?customers? for life",
            r"(?:hasn'?t|haven'?t|won'?t|doesn'?t|don'?t|didn'?t) (?:taken|take) "
            r"(?:it|them|the \w+|her \w+|his \w+|my \w+) off",
            r"(?:looks?|looked|looking) (?:brand[- ]new|(?:as )?good as new|like new)|"
            r"good as new",
            r"(?:lasted|lasts|lasting|kept|keeps) (?:for )?(?:nearly|almost|over|more than|"
            r"a good|well over|at least)(?: (?:\w+ ){0,2}?(?:days?|weeks?|months?|years?))?",
            after("so|very|really|super|lovely and|nice and|and") + "(?:soft|comfy|snug)",
            r"(?:exactly|just|precisely) (?:as|what) (?:described|pictured|advertised|shown|"
            r"(?:i|we) (?:wanted|ordered|needed|expected|hoped))|true to (?:size|the picture)",
        ),
        1.8,
    ),
    # A verdict: "would recommend", "the quickest repair
    # I've ever had", "ruined all other buns for me", "half what the others quoted".
    "verdict": (
        (
            after("would|will|i'd|we'd|id|i'll|we'll|definitely|totally|happily|absolutely")
            + "recommend(?! (?:avoiding|against|staying away|steering clear|going elsewhere|"
            r"looking elsewhere|you (?:avoid|look elsewhere|go elsewhere)))",
            # (two alternatives, so the matcher keys on "friendliest", not on "friendl")
            r"(?:quickest|fastest|friendliest|tastiest|freshest|smoothest|comfiest|softest|"
            r"cleanest|kindest|loveliest|cheapest) (?:\w+ ){0,3}?" + _EVER,
            r"(?:nicest|easiest) (?:\w+ ){0,3}?" + _EVER,
            r"ruined (?:all |every |any )?other \w+(?: \w+)? for (?:me|us)|"
            r"ruined (?:me|us) for (?:all |any )?other",
            after("for|at|cost|costs|charged|was|is|about|around|than|under|nearly")
            + "half (?:the price|what|of what|the cost)",
        ),
        1.8,
    ),
    "good quality": (
        (
            r"(?:sturdy|durable|reliable|smoothly|seamless(?:ly)?|rocks|hooked|homemade|"
            r"thumbs up|can'?t beat|(?:couldn'?t|could not|can'?t) ask for (?:more|better)|"
            r"works (?:well|great|perfectly|fine|like a charm|as (?:advertised|described))|"
            r"(?:arrived|delivered|was|came) on time|"
            r"(?<!of )(?:order|ordering|buy|buying|shop|shopping) "
            r"(?:from (?:them|you|here) )?again|"
            r"(?:the|my|our) (?:go-to|go to) (?:place|spot|shop))",
            r"piping hot|(?:tasty|flavou?rful|scrumptious|tender|moist|juicy|crispy|"
            r"affordable|inexpensive|reasonably priced|good value|convenient|attentive|"
            r"knowledgeable|spotless|cozy|cosy|devine|works (?:great|perfectly|fine)|patient|"
            r"polite|personable|meticulous|immaculate|accommodating)",
            after("so|very|really|super|always|extremely|most|and|was|were|is|are")
            + "professional",
        ),
        1.5,
    ),
    # A worry taken away: "puts my mind at rest", "sorted three years of mess".
    "peace of mind": (
        (
            r"(?:puts?|set|sets|setting) (?:my|our|your|his|her) minds? at (?:rest|ease)",
            r"peace of mind|weight off (?:my|our) shoulders",
            r"(?:sorted|cleared|cleaned|untangled|fixed)(?: out| up)? (?:\w+ ){0,4}?(?:mess|"
            r"chaos|muddle|nightmare)(?![\w'])",
        ),
        1.8,
    ),
}

PRAISE_TITLES = {"slang praise": "praise", "verdict": "recommended"}

PRAISE = rows(PRAISE_KINDS, PRAISE_TITLES)
