"""When the customer paid more than the shop showed, got less for the same money, or
was told one thing and got another.

"the portion has halved but the price hasn't", "the advert said 50% off but at the
till it was full price", "that's not what your website says". None has a word VADER
scores; each is a customer who feels short-changed.
kind -> (regex alternatives, valence in VADER lexicon units), as in lexicons.py.
"""

from __future__ import annotations

from app.core.sentiment.kinds.kind import rows

_SERVING = (
    r"(?:portions?|bags?|bars?|packs?|packets?|boxes?|slices?|servings?|sizes?|tubs?|jars?|"
    r"bottles?|pies?|burgers?|pizzas?|cakes?|cups?)"
)

VALUE_COMPLAINTS: dict[str, tuple[tuple[str, ...], float]] = {
    "less for the money": (
        (
            # shrinking: "the portion has halved", "bags have got smaller again"
            _SERVING + r" (?:have |has |had |are |is |keep |keeps )?(?:\w+ ){0,2}?(?:halved|shrunk|"
            r"shrank|shrinking|got smaller|getting smaller|gone down in size)",
            r"half the (?:size|portion|amount|filling|thickness)(?! (?:of|for) the price)",
            # the price at the till was not the price on show
            r"(?:but|and|still) (?:\w+ ){0,5}?(?:rang up|rung up|came up|charged|was|were|is) "
            r"(?:at |as |me |us )?(?:the )?full price",
            r"charged (?:me |us )?(?:the )?full price",
            # paid for one thing, given another: "paid for a window seat, put at the back"
            r"paid (?:extra )?for (?:a |an |the )?(?:\w+ ){0,4}?\w+[,.]?\s(?:and |but )?"
            r"(?:got|given|put|sat|were put|was put|ended up)(?![\w'])",
            # charges nobody mentioned: "a corkage charge nobody mentioned when we booked"
            r"hidden (?:charges?|fees?|costs?|extras)",
            r"(?:charges?|fees?|costs?|extras?) (?:that )?(?:nobody|no one|they never|you never|"
            r"they didn'?t|you didn'?t) (?:\w+ )?(?:mentioned|told (?:us|me)|said|warned)",
            r"(?:offer|discount|deal|sale price|promotion) (?:wasn'?t|was not|didn'?t|did not|"
            r"never) (?:\w+ )?(?:applied|taken off|come off|go through|honoured|honored)",
        ),
        -1.8,
    ),
    # the shop's own words against what happened: "that's not what your website says"
    "told one thing": (
        (
            r"(?:not|isn'?t|wasn'?t|different (?:to|from)) what (?:your|the) (?:website|site|app|"
            r"advert|ad|sign|label|menu|listing|email|staff|manager|receipt|terms|packet|box) "
            r"(?:says|said|shows|showed|told (?:me|us)|states|stated)",
            r"(?:wasn'?t|weren'?t|was never|were never|never) (?:mentioned|disclosed) "
            r"(?:when|at|on|before|anywhere)",
            r"(?:your|the) (?:website|site|app|advert|listing|email|sign) (?:says|said|shows|"
            r"showed|listed|states|stated) (?:\w+ ){0,5}?but\b",
        ),
        -1.8,
    ),
}

VALUE_TITLES = {
    "less for the money": "paid more, got less",
    "told one thing": "not what you said",
}

COMPLAINTS = rows(VALUE_COMPLAINTS, VALUE_TITLES)
