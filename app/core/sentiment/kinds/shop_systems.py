"""When the shop's systems let a customer down: the website, the app, a payment, a
voucher, a booking, the price quoted, the stock, the opening hours.

"tried three times to pay and the site just spins", "the code doesn't apply",
"bumped to 2pm without a heads up", "double what we were told", "nothing left
by 11", "the door was locked at 9.30". None of these has a word VADER scores;
each is a customer who could not buy, book or get in.
kind -> (regex alternatives, valence in VADER lexicon units), as in lexicons.py.
"""

from __future__ import annotations

from app.core.sentiment.kinds.kind import rows
from app.core.sentiment.lexicons import after

_NOT = (
    r"(?:doesn'?t|does not|didn'?t|did not|won'?t|will not|wouldn'?t|would not|isn'?t|is not|"
    r"wasn'?t|was not)"
)
_TIMES = r"(?:\d+|two|three|four|five|six|several|multiple|many|so many|countless)"

SYSTEM_COMPLAINTS: dict[str, tuple[tuple[str, ...], float]] = {
    "could not pay or book": (
        (
            # trying again and again
            r"tried (?:\w+ )?" + _TIMES + r" times",
            after("site|website|page|app|checkout|payment|screen|basket|it just|just")
            + r"(?:spins|keeps spinning|hangs|freezes|froze|times out|timed out)",
            r"logs? (?:me|us) out|(?:kicks|kicked|throws|threw) (?:me|us) out of the app",
            # money taken wrongly
            # ("charged twice", "double-charged" are refund complaints, in lexicons.py)
            r"(?:took|taken|taking) (?:the )?(?:money|payment) twice",
            r"(?:says|shows|showing|has|had) (?:a )?(?:zero|0|no|£0|\$0) balance",
            r"renewed (?:\w+ ){0,4}?(?:even though|after|although|despite|when) "
            r"(?:i|we|i'd|we'd|i had|we had) (?:already )?(?:cancell?ed|stopped)",
            r"still (?:charging|taking money|taking payments|billing)",
            # codes and vouchers refused
            r"(?:code|voucher|coupon|discount|gift card|promo) " + _NOT + r" (?:\w+ )?"
            r"(?:apply|applying|work|working|go through|accepted|valid|recogni[sz]ed)",
            # bookings moved or dropped
            r"(?:bumped|pushed) (?:me |us |my \w+ |our \w+ )?(?:back )?to (?:\d{1,2}(?::\d\d)? ?"
            r"(?:am|pm)|a later \w+|the next \w+|next \w+)",
            r"without (?:a |any )?(?:heads[- ]up|warning|notice|telling (?:me|us)|"
            r"asking (?:me|us))",
            # charged more than the shop said, nothing left to buy
            r"(?:double|twice|triple|three times|more than) what (?:\w+ ){0,3}?(?:told|quoted|said|"
            r"estimated|promised)",
            r"(?:nothing|none|hardly anything|barely anything|not much) left (?:by|at|when|"
            r"before) (?:\d+(?::\d\d)? ?(?:am|pm)?|the|we|i|lunch|noon|midday)|"
            r"(?:nothing|none) left at all",
            # a queue that keeps customers out: "the queue is out the door as usual"
            r"(?:queue|line)s? (?:\w+ ){0,7}?(?:out|right out|all the way out|round) (?:of )?the "
            r"(?:door|block|shop|building|corner)",
            # links that lead nowhere: "the link in your email goes to a 404"
            r"(?:404|error page|dead link|broken link|page not found)(?![\w'])",
            r"(?:link|links|button|buttons) (?:\w+ ){0,4}?(?:is|are|was|were) broken",
            # closed when it should be open
            r"(?:door|doors) (?:was|were) (?:locked|shut)|"
            r"(?:shut|closed|closing) (?:early|before (?:the )?(?:\d|time))",
        ),
        -2.0,
    ),
}

SYSTEM_TITLES = {"could not pay or book": "could not buy, book or get in"}

COMPLAINTS = rows(SYSTEM_COMPLAINTS, SYSTEM_TITLES)
