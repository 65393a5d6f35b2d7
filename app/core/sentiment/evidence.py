"""How much opinion a message carries, so thin evidence stays neutral.

VADER turns any single lexicon hit into a colour: one "free" in an event
announcement or one "special" in a question paints the whole post. A shop
owner wants colour only where a customer clearly says something, so the
neutral band widens when the evidence is thin: one weak word in a long post,
a post that only asks, or a schedule (clock times) with no strong word. Only
praise is damped: a missed complaint costs a shop more than a missed
compliment, and explicit complaint or praise phrases keep the normal band.
"""

from __future__ import annotations

import re

from app.core.sentiment.tokens import Tokens

WEAK = 1.6  # VADER units: "want", "free", "special", "won"; "love"/"great" are stronger
STRONG = 2.0  # a word this strong colours even an announcement or a question
LONG = 10  # tokens: in a post this long one weak word is a passing mention
WIDE_BAND = 0.5  # the neutral band used when evidence is thin
_PRICE_FREE = 1.5  # below WEAK: VADER gives "free" 2.3, as much as "happy"
# A clock time is the vocabulary of a schedule ("9am", "7:30pm"). Day names, "today",
# months and ordinals are not: the development tweets that name a day and carry one
# mild opinion word are positive about twice as often as neutral.
_SCHEDULE = re.compile(
    r"\b\d{1,2}(?::\d\d)?\s?(?:am|pm|a\.m\.|p\.m\.)(?!\w)|\b\d{1,2}:\d\d\b", re.IGNORECASE
)

# How a question about what the shop has or does starts; a protest hidden in the
# question ("do you even...", "do you have any idea...") keeps its words.
_ASKS_WHAT_YOU_DO = re.compile(
    r"(?:(?:hi|hello|hey|morning|afternoon|evening)\b[,!.]* )?(?:do|can|could|would|will) "
    r"(?:you|u) (?:guys |lot |still |also )?(?:have|sell|stock|do|fix|repair|mend|sort|recommend|"
    r"suggest|treat|deal with|take in|service)\b|(?:is|are) there (?:anything|something)\b|"
    r"what(?:'s| is) (?:your|the) (?:policy|process|procedure)\b|what happens if\b",
    re.IGNORECASE,
)
_ASKS_WHO = re.compile(
    r"\b(?:anyone|anybody|any ?one) (?:know|recommend|suggest)"
    r"(?: of)? (?:a|an|any|someone|somebody|where|who|a good)\b|\bany recommendations\b",
    re.IGNORECASE,
)
_PROTEST = re.compile(r"\b(?:even|any idea|ever|actually|seriously|realise|realize)\b", re.I)


def band(cleaned: str, tokens: Tokens, explicit: bool) -> str | None:
    """Why the evidence is too thin to colour the post, or None if it is enough."""
    if explicit or sum(tokens.valences) <= 0:
        return None
    hits = [abs(v) for v in tokens.valences if v]
    strongest = max(hits)
    if len(hits) == 1 and strongest < WEAK and len(tokens.lows) >= LONG:
        return "one weak opinion word in a long post"
    if strongest < STRONG and _only_questions(cleaned):
        return "only asks a question"
    if strongest < STRONG and _SCHEDULE.search(cleaned):
        return "reads like an announcement (a schedule)"
    return None


def price_question(cleaned: str, tokens: Tokens) -> None:
    """ "free" in a question asks a price ("is the car park free after 6?", "do you deliver
    for free?"): it counts as a weak word there, so the question stays neutral."""
    lows, sentiments = tokens.lows, tokens.valences
    if "free" in lows and _only_questions(cleaned):
        for i, w in enumerate(lows):
            if w == "free" and sentiments[i] > _PRICE_FREE:
                sentiments[i] = _PRICE_FREE


def need_question(cleaned: str, tokens: Tokens) -> None:
    """A single question asking what the shop has or does names the customer's need, not a
    complaint about the shop: "do you have anything for a broken tooth?", "do you fix
    cracked screens?"; so does asking others for a recommendation ("boiler's broken,
    does anyone know a plumber who can come today?"). Its negative words count for
    nothing."""
    stripped = cleaned.rstrip().rstrip("?!")
    if not cleaned.rstrip().endswith("?") or _PROTEST.search(stripped):
        return
    single = _only_questions(cleaned) and "?" not in stripped  # one question, nothing else
    if (single and _ASKS_WHAT_YOU_DO.match(stripped)) or _ASKS_WHO.search(stripped):
        sentiments = tokens.valences
        for i, v in enumerate(sentiments):
            if v < 0:
                sentiments[i] = 0.0


def _only_questions(cleaned: str) -> bool:
    """Every sentence ends with "?" (an opinion needs a statement)."""
    stripped = cleaned.rstrip()
    if not stripped.endswith("?"):
        return False
    body = stripped.rstrip("?!")
    return not any(ch in body for ch in ".!")
