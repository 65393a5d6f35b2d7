"""Fewer than promised: "the box said 24 pieces. I counted 19".

A customer who quotes a number and then a smaller one is reporting a shortfall,
with no sentiment word. Numbers that are times, durations or prices are left
out: "said 3 days, came in 2" is good news, and prices have their own kind.
"""

from __future__ import annotations

import re

_DIGIT = re.compile(r"\d")
_NUMBER = r"(?<![£$€\d.,:/])(\d{1,4})(?![\d.,:/%])"
_UNIT_AFTER = re.compile(
    r"\s*(?:am|pm|mins?|minutes?|hrs?|hours?|days?|weeks?|months?|years?|secs?|seconds?|"
    r"st|nd|rd|th|p|pence|quid|pounds?|dollars?|euros?|cm|mm|kg|g|ml|l|inch\w*)\b"
)
_PROMISED = re.compile(
    r"\b(?:says?|said|listed|advertised|states?|stated|supposed to (?:be|have)|should (?:be|have)|"
    r"meant to (?:be|have)|paid for|ordered|receipt says|label says|box says)"
    r"[ ](?:(?:a|an|the|only|about|exactly)[ ])?" + _NUMBER
)
# A string every `_PROMISED` word has ("says", "said", "listed", ...): a few substring
# tests rule out most texts before the search.
_PROMISE_WORDS = ("sa", "list", "advertis", "stat", "suppos", "should", "meant", "paid", "ordered")
_GOT = re.compile(
    r"\b(?:had|has|got|counted|there (?:were|was|are|is)|only|contained|contains|came with|"
    r"received|arrived with|i count|we count)[ ](?:(?:only|just|about|exactly)[ ])?" + _NUMBER
)


def shortfall(text: str) -> tuple[str, int] | None:
    """(the phrase that reports fewer than promised, where its smaller number is), if any."""
    if _DIGIT.search(text) is None:  # most posts have no number: one pass in C
        return None
    if not any(word in text for word in _PROMISE_WORDS):
        return None
    for promised in _PROMISED.finditer(text):
        if _UNIT_AFTER.match(text, promised.end()):
            continue
        for got in _GOT.finditer(text, promised.end()):
            if _UNIT_AFTER.match(text, got.end()):
                continue
            if int(got.group(1)) < int(promised.group(1)):
                return " ".join(f"{promised.group()} … {got.group()}".split()), got.start()
    return None
