"""Word lists the rules use, kept apart from the code so each list can be reviewed.

Everything here names a *kind* of customer-service failure or a kind of
politeness; nothing is copied from the development data.
"""

from __future__ import annotations

import re


def after(words: str) -> str:
    """Lookbehinds for "one of these words, then a space": the phrase then starts at the
    rare word, which keeps the matcher from trying it at every "was" and "so"."""
    return "(?:" + "|".join(f"(?<={re.escape(w)} )" for w in words.split("|")) + ")"


def word_set(text: str) -> frozenset[str]:
    """A word list written as one string, so long lists stay readable."""
    return frozenset(text.split())


# Politeness: words VADER counts as praise that in a customer message are mostly
# just manners. "please"/"help" are requests; "thanks" is praise only when it
# carries the message (see politeness.py).
REQUEST_WORDS = frozenset({"please", "pls", "plz", "kindly", "help", "helping"})
THANKS_WORDS = frozenset({"thanks", "thank", "thx", "thankyou", "thnx", "ty", "appreciate"})
THANKS_BOOSTERS = frozenset(
    {"much", "lot", "million", "tons", "loads", "heaps", "bunch", "again", "so", "really"}
)

# Praise phrases that turn sarcastic next to a complaint ("great job losing my parcel").
SARCASM_PRAISE = (
    r"thanks? (?:you )?(?:so much |a lot |very much )?for",
    r"(?:great|good|nice|fantastic|brilliant|amazing|excellent|wonderful) "
    r"(?:job|work|service|stuff)",
    r"well done",
    r"way to go",
    r"love (?:how|that|it when)",
    r"so (?:glad|happy) (?:i|we)",
    r"just (?:great|perfect|wonderful|brilliant|fantastic|lovely)",
    r"(?:great|perfect|wonderful|brilliant|fantastic|lovely|awesome)[,.!]+\s(?:another|again|now)",
    # a clause of one word of praise: "Great, another order that didn't turn up". Lovely.
    r"(?<![^\n])(?:oh |just )?(?:great|perfect|wonderful|brilliant|fantastic|lovely|awesome|"
    r"marvellous|super|fab|charming|nice one)(?=[,.!]*(?:\n|$))",
    r"oh (?:great|perfect|wonderful|joy)",
    r"(?:love|loving|enjoy|enjoying|nothing like|nothing beats) (?:waiting|being (?:ignored|kept|"
    r"left|charged|told)|getting (?:charged|ignored)|paying|having to)",
    r"wow\.? just wow|just wow",
    r"(?:just |simply |absolutely )?unbelievable",
    r"(?:yeah|yay),? right",
)

# What sarcastic thanks are often "for": nothing at all.
EMPTY_THANKS = r"thanks? (?:you )?(?:a lot |very much |so much )?for (?:nothing|none|zilch|zip)"

_NOT = (
    r"(?:not|never|hasn't|hasnt|haven't|havent|didn't|didnt|doesn't|doesnt|don't|dont|"
    r"won't|wont|isn't|isnt|can't|cant|cannot|still not|has not|have not|did not|does not|"
    r"will not|is not|aren't|arent|wasn't|wasnt)"
)
NOT = _NOT  # for the phrase kinds in kinds/

# Occasions and events VADER scores as praise ("party", "birthday"): a topic,
# not the customer's opinion of the shop.
OCCASION_WORDS = frozenset(
    {
        "party",
        "parties",
        "partied",
        "birthday",
        "festival",
        "celebration",
        "wedding",
        "holiday",
        "holidays",
        "christmas",
        "xmas",
        "anniversary",
    }
)
