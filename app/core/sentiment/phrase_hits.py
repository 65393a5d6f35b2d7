"""Which complaint and praise phrases (kinds/) a message has, read in context, and how
they weigh against the words around them.

A phrase after a negation is none ("wasn't late") or the opposite ("wasn't tasty"); a
promise to come back may be doubted; a complaint before "but" counts half, after it
one and a half times; a problem put right weighs like the clause before a "but".
"""

from __future__ import annotations

import bisect
import re
from typing import NamedTuple

from app.core.sentiment import phrases, shortfall
from app.core.sentiment.engine import NEGATION_SCALAR
from app.core.sentiment.kinds.put_right import RESOLVED
from app.core.sentiment.sense_words import DEGREE_WORDS, OWN_LOSS_BEFORE
from app.core.sentiment.tokens import Tokens

NEGATED_PRAISE = phrases.NEGATED_PRAISE
MAX_COMPLAINTS = 3  # a long rant should not outweigh everything by repetition alone

_BY_START, _STARTS = phrases.compile_tables()
# Named group of a phrase alternative -> (kind, valence), so a hit costs one dict lookup.
_GROUP_KIND = {
    f"k{i}_{j}": (kind.key, kind.valence)
    for i, kind in enumerate(phrases.KINDS)
    for j in range(len(kind.patterns))
}
# A complaint phrase right after a negation is not one: "wasn't late", "no refund needed".
_NEGATED_BEFORE = re.compile(
    r"(?:\b(?:not|no|never|nothing|without|none|zero)|n't) (?!only |just )(?:once |ever |even )?"
    r"(?:\w+ )?$"
)
_OWN_LOSS = re.compile(r"(?:^|\n|\b(?:" + "|".join(map(re.escape, OWN_LOSS_BEFORE)) + r"))\s?$")
_FIXED_SCALAR = 0.5  # what went wrong before it was put right, as VADER weighs before "but"
_FIX_SCALAR = 1.5  # and the fix, as after "but"
_NEVER_ONCE = re.compile(r"\b(?:never|not) (?:once|ever)\b")
_NO_PROBLEMS = "no problems"
_SELF_NEGATING = ("never", "not", "no ", "n't", "nobody", "no one", "noone", "yet", "still")
# A promise to come back reads as doubt when a negation or doubt comes earlier in the
# clause: "I don't think I'll be back", "not sure we will go back".
_DOUBTED_BEFORE = re.compile(
    r"(?:\b(?:not|never|doubt|unsure|unlikely|hardly)|n't)(?: [\w']+){0,4} $"
)
# "will be back" said of someone or something else is news, not a customer's promise:
# "what time are you going to be back?", "the lemon tart will be back in June".
_OTHER_SUBJECT = re.compile(
    r"\b(?:you|u|ya|y'?all|it|they|he|she|(?:the|this|that|these|those|your|their) [\w']+"
    r"(?: [\w']+)?)(?: (?:guys|lot|is|are|all))? $"
)
_FIRST_PERSON = ("i ", "i'", "we ", "we'", "ill ")
_GOT_WORDS = frozenset({"got", "received", "given", "gave", "was", "they", "but", "and"})
_SHORT_KIND = "missing"  # fewer than promised (shortfall.py) is a kind of "missing or wrong"
_SHORT_VALENCE = phrases.BY_KEY[_SHORT_KIND].valence
_RETURN_PRAISE = "coming back"
_DOUBTED_KIND = "never again"


class Complaint(NamedTuple):
    """One complaint or praise phrase hit (a tuple: built for every hit, so kept cheap)."""

    kind: str
    phrase: str
    valence: float
    clause: int = 0


def rule_text(clauses: list[list[str]]) -> str:
    """The text as the phrase rules read it: one clause a line, lower case (the emoji
    table has already made every apostrophe a plain one)."""
    return "\n".join(map(" ".join, clauses)).lower()


def complaints(text: str, owner_words: frozenset[str] = frozenset()) -> list[Complaint]:
    """Service failures (and service praise) VADER has no words for: waiting, missing, ...

    `text` may hold several clauses, one per line; each hit says which line.
    """
    found = []
    clause, line_end = 0, text.find("\n")
    pos = 0
    for at in _STARTS.find(text):
        if at < pos:
            continue
        bucket = _BY_START[text[at : at + phrases.KEY]]  # compiled on first use
        if bucket is None:
            continue
        m = bucket.match(text, at)
        if m is None:
            continue
        pos = m.end()
        while 0 <= line_end < at:
            clause += 1
            line_end = text.find("\n", line_end + 1)
        phrase = m.group()
        if owner_words and any(w in owner_words for w in phrase.split()):
            continue  # the owner's word list decides about this word
        hit = _read_hit(text, at, m.end(), phrase, *_GROUP_KIND[m.lastgroup])  # type: ignore[index]  # always set
        if hit is not None:
            found.append(Complaint(*hit, clause))
    short = shortfall.shortfall(text)  # numbers the patterns cannot compare
    if short is not None and not any(c.kind == _SHORT_KIND for c in found):
        phrase, at = short
        found.append(Complaint(_SHORT_KIND, phrase, _SHORT_VALENCE, text.count("\n", 0, at)))
    return found


def _read_hit(
    text: str, at: int, end: int, phrase: str, kind: str, valence: float
) -> tuple[str, str, float] | None:
    """(kind, phrase, valence) of a phrase hit in its context, or None if it is none."""
    if kind == _RETURN_PRAISE:
        line_start = max(0, text.rfind("\n", 0, at) + 1, at - 40)
        if (
            "back" in phrase
            and not phrase.startswith(_FIRST_PERSON)
            and _OTHER_SUBJECT.search(text, line_start, at)
        ):
            return None
        if _DOUBTED_BEFORE.search(text, line_start, at):
            kind, valence = _DOUBTED_KIND, phrases.BY_KEY[_DOUBTED_KIND].valence
    elif (
        not phrase.startswith(_SELF_NEGATING)
        and _may_negate(text[max(0, at - 24) : at])
        and _NEGATED_BEFORE.search(text, max(0, at - 24), at)
    ):
        if valence > 0:
            # "wasn't tasty": negated praise is a complaint, as VADER negates its own words
            kind, valence = NEGATED_PRAISE, valence * NEGATION_SCALAR
        elif _NEVER_ONCE.search(text, max(0, at - 24), at):
            # "never once been stale": years without the failure is praise
            kind, valence = _NO_PROBLEMS, phrases.BY_KEY[_NO_PROBLEMS].valence
        else:
            return None  # "wasn't late": no complaint
    if phrase.startswith("lost ") and _OWN_LOSS.search(text, max(0, at - 12), at):
        return None  # "lost my loyalty card, can you...": the customer's own loss
    if phrase.startswith("asked for ") and _got_as_asked(phrase, text, end):
        return None  # "asked for a trim and got a trim": what was asked for
    if "\n" in phrase:  # a phrase across a clause end ("ordered a medium, got")
        phrase = phrase.replace("\n", " ")
    return kind, phrase, valence


def _may_negate(before: str) -> bool:
    """Whether `_NEGATED_BEFORE` can match in these characters: each of its negations has
    one of these strings (a plain substring test is cheaper than the search)."""
    return "no" in before or "ne" in before or "wi" in before or "ze" in before or "n't" in before


def _got_as_asked(phrase: str, text: str, end: int) -> bool:
    """Whether what follows "asked for X ... got" is X again."""
    asked = phrase[len("asked for ") :].split()
    while asked and asked[-1].strip(",.") in _GOT_WORDS:
        asked.pop()
    wanted = " ".join(asked).strip(",.")
    return bool(wanted) and text.startswith(" " + wanted, end)


def put_right(found: list[Complaint], tokens: Tokens) -> list[Complaint]:
    """A problem the shop then put right ("the screen was smashed, they had it fixed within
    the hour") weighs as if a "but" came before the fix: what went wrong counts half, the
    fix one and a half times. Not when something goes wrong again after the fix."""
    fixes = [k for k, c in enumerate(found) if c.kind == RESOLVED]  # `found` is in text order
    sentiments, bounds = tokens.valences, tokens.bounds
    if not fixes:
        return found
    last = found[fixes[-1]].clause
    if any(c.valence < 0 for c in found[fixes[-1] + 1 :]) or any(
        v < 0 for v in sentiments[bounds[last + 1] :]
    ):  # "they fixed it, but it broke again the next day": the fix is no praise
        return [c for c in found if c.kind != RESOLVED]
    for i in range(bounds[last + 1]):
        if sentiments[i] < 0:
            sentiments[i] *= _FIXED_SCALAR
    weighed = []
    for c in found:
        if c.valence < 0:
            c = c._replace(valence=c.valence * _FIXED_SCALAR)
        elif c.kind == RESOLVED:
            c = c._replace(valence=c.valence * _FIX_SCALAR)
        weighed.append(c)
    return weighed


def weigh_complaints(found: list[Complaint], tokens: Tokens) -> list[Complaint]:
    """A complaint phrase's own words are not praise ("expected better"), and like VADER's
    words a complaint before "but" counts half, after it one and a half times.

    Linear in the text: each clause is swept once for all its phrases, and only the
    MAX_COMPLAINTS complaints that count towards the score are rescaled (a rant of
    10,000 "waited" used to rescan its clause per hit).
    """
    lows, sentiments, bounds = tokens.lows, tokens.valences, tokens.bounds
    phrase_words: dict[int, set[str]] = {}
    for c in found:
        if c.valence < 0:
            phrase_words.setdefault(c.clause, set()).update(c.phrase.split())
    for k, words in phrase_words.items():
        if max(sentiments[bounds[k] : bounds[k + 1]], default=0.0) <= 0:
            continue  # no praise in the clause (most complaints): nothing to zero
        for i in range(bounds[k], bounds[k + 1]):
            if sentiments[i] > 0 and (
                lows[i].strip(".,!?:;\"'") in words or lows[i] in DEGREE_WORDS
            ):
                sentiments[i] = 0.0  # "definitely not fresh": a degree word, not praise
    if "but" not in lows:
        return found
    but_clause = bisect.bisect_right(bounds, lows.index("but")) - 1
    clause_text: list[str] = []  # the "but" clause, joined once if needed
    out = list(found)
    for n, c in enumerate(found[:MAX_COMPLAINTS]):
        if c.valence < 0:
            scale = _but_scale(c, but_clause, lows, bounds, clause_text)
            out[n] = Complaint(c.kind, c.phrase, c.valence * scale, c.clause)
    return out


def praise_words(found: list[Complaint], tokens: Tokens) -> None:
    """A praise phrase's own words are not complaints: "to die for", "can't go wrong"."""
    lows, sentiments, bounds = tokens.lows, tokens.valences, tokens.bounds
    for c in found:
        lo, hi = bounds[c.clause], bounds[c.clause + 1]
        if c.valence > 0 and min(sentiments[lo:hi], default=0.0) < 0:
            words = c.phrase.split()
            for i in range(lo, hi):
                if sentiments[i] < 0 and lows[i] in words:
                    sentiments[i] = 0.0


def _but_scale(
    c: Complaint, but_clause: int, lows: list[str], bounds: list[int], cache: list[str]
) -> float:
    """0.5 before the first "but", 1.5 after it (VADER's weights for its own words)."""
    if c.clause != but_clause:
        return 0.5 if c.clause < but_clause else 1.5
    if not cache:
        cache.append(" ".join(lows[bounds[c.clause] : bounds[c.clause + 1]]))
    clause = cache[0]
    return 1.5 if clause.find(c.phrase) > clause.find("but ") else 0.5
