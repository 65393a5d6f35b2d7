"""The customer-message rules layered on VADER, one small function per failure kind.

Each rule looks at one clause's lower-cased text or at the token valences and
says what it changed, so the scorer can explain itself to a shop owner.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from re import _constants as _C  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

from app.core.sentiment.lexicons import (
    COMPLAINTS,
    PRAISE,
    EMPTY_THANKS,
    REQUEST_WORDS,
    SARCASM_PRAISE,
    THANKS_BOOSTERS,
    THANKS_WORDS,
)

SARCASM_VALENCE = -2.0
MAX_COMPLAINTS = 3  # a long rant should not outweigh everything by repetition alone

_TABLE = {**COMPLAINTS, **PRAISE}
_KINDS = list(_TABLE)
_WORD_START = re.compile(r"(?<![\w'])[\w']")


def _first_chars(items: Sequence[tuple[Any, Any]]) -> set[str] | None:
    """Characters a parsed pattern can start with; None when it could start with anything."""
    out: set[str] = set()
    for op, av in items:
        if op is _C.LITERAL:
            return out | {chr(av)}
        if op is _C.IN:
            for o, a in av:
                if o is _C.LITERAL:
                    out.add(chr(a))
                elif o is _C.RANGE:
                    out.update(chr(x) for x in range(a[0], a[1] + 1))
                elif o is _C.CATEGORY and a is _C.CATEGORY_DIGIT:
                    out.update("0123456789")
                else:
                    return None
            return out
        if op is _C.SUBPATTERN or op is _C.BRANCH:
            for branch in av[1] if op is _C.BRANCH else [av[3]]:
                first = _first_chars(branch)
                if first is None:
                    return None
                out |= first
            return out
        if op is _C.MAX_REPEAT or op is _C.MIN_REPEAT:
            first = _first_chars(av[2])
            if first is None:
                return None
            out |= first
            if av[0] > 0:
                return out
            continue
        return None
    return None


def _dispatch() -> dict[str, re.Pattern[str]]:
    """One small regex per first character: scanning ~100 alternatives at every word start
    was the scorer's biggest cost, so each word start only tries the ones that can match."""
    buckets: dict[str, list[str]] = {}
    every: list[str] = []
    for i, kind in enumerate(_KINDS):
        for alt in _TABLE[kind][0]:
            group = f"(?P<k{i}_{len(every)}>{alt})"
            every.append(group)
            first = _first_chars(_parser.parse(alt))
            for ch in first if first is not None else ["*"]:
                buckets.setdefault(ch, []).append(group)
    anywhere = buckets.pop("*", [])
    return {
        ch: re.compile("(?:" + "|".join(groups + anywhere) + r")(?![\w'])")
        for ch, groups in buckets.items()
    }


_BY_FIRST = _dispatch()
# A complaint phrase right after a negation is not one: "wasn't late", "no refund needed".
_NEGATED_BEFORE = re.compile(r"(?:\b(?:not|no|never|nothing|without|none|zero)|n't) (?:\w+ )?$")
_SELF_NEGATING = ("never", "not", "no ", "n't", "nobody", "no one", "noone", "yet", "still")
_PRAISE_RE = re.compile(r"(?<![\w'])(?:" + "|".join(SARCASM_PRAISE) + r")(?![\w'])")
_EMPTY_THANKS_RE = re.compile(r"(?<![\w'])" + EMPTY_THANKS + r"(?![\w'])")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})


@dataclass(frozen=True, slots=True)
class Complaint:
    kind: str
    phrase: str
    valence: float
    clause: int = 0


def rule_text(clauses: list[list[str]]) -> str:
    """The text as the phrase rules read it: one clause a line, lower case, plain apostrophes."""
    return "\n".join(" ".join(c) for c in clauses).lower().translate(_APOSTROPHES)


def complaints(text: str, owner_words: frozenset[str] = frozenset()) -> list[Complaint]:
    """Service failures (and service praise) VADER has no words for: waiting, missing, ...

    `text` may hold several clauses, one per line; each hit says which line.
    """
    found = []
    clause, line_end = 0, text.find("\n")
    pos = 0
    for start in _WORD_START.finditer(text):
        at = start.start()
        pattern = _BY_FIRST.get(text[at])
        if at < pos or pattern is None:
            continue
        m = pattern.match(text, at)
        if m is None:
            continue
        pos = m.end()
        while 0 <= line_end < at:
            clause += 1
            line_end = text.find("\n", line_end + 1)
        phrase = m.group()
        if owner_words and any(w in owner_words for w in phrase.split()):
            continue  # the owner's word list decides about this word
        if not phrase.startswith(_SELF_NEGATING) and _NEGATED_BEFORE.search(
            text, max(0, at - 24), at
        ):
            continue
        kind = _KINDS[int(m.lastgroup[1:].split("_")[0])]  # type: ignore[index]
        found.append(Complaint(kind, phrase, _TABLE[kind][1], clause))
    return found


def praise_phrases(text: str) -> list[str]:
    """Praise that may be sarcastic: "thanks for", "great job", "well done"..."""
    return [m.group() for m in _PRAISE_RE.finditer(text)]


def empty_thanks(text: str) -> str | None:
    """"thanks for nothing" and friends: sarcastic whatever surrounds them."""
    m = _EMPTY_THANKS_RE.search(text)
    return m.group() if m else None


def politeness(
    lows: list[str], sentiments: list[float], *, keep_thanks: bool, owner_words: frozenset[str]
) -> list[str]:
    """Zero manners-only praise ("please", "help", "thanks" next to a request); say which."""
    dropped = []
    for i, low in enumerate(lows):
        if sentiments[i] <= 0:
            continue
        if low in owner_words:
            continue
        if low in REQUEST_WORDS or (low in THANKS_WORDS and not keep_thanks):
            sentiments[i] = 0.0
            dropped.append(low)
    return dropped


def thanks_boosted(lows: list[str]) -> bool:
    """"thank you so much", "thanks a lot", "many thanks": gratitude carries the message."""
    for i, low in enumerate(lows):
        if low in THANKS_WORDS:
            window = lows[i + 1 : i + 4]
            if any(w in THANKS_BOOSTERS for w in window):
                return True
            if i > 0 and lows[i - 1] in {"many", "big", "huge", "massive", "special"}:
                return True
    return False


_LIKE_SUBJECTS = frozenset(
    "i we you they u ya really do does did don't dont didn't didnt would 'd i'd we'd "
    "to also still just actually totally definitely kinda who people everyone all "
    "i'd we'd you'd they'd".split()
)
_ADJ_BOOSTERS = {"incredible": 2.8, "exceptional": 2.8, "tremendous": 2.2, "phenomenal": 3.0}
_DEGREE_WORDS = frozenset({"pretty", "super", "real", "mighty"})
_ADJ_ENDINGS = ("ed", "y", "ful", "ing", "ive", "ous", "ic", "al", "able", "ible", "ish", "less")


def word_rules(lows: list[str], sentiments: list[float], lexicon: dict[str, float]) -> None:
    """Small VADER word-sense fixes: "like" as comparison, "pretty bad", "was incredible"."""
    last = len(lows) - 1
    for i, low in enumerate(lows):
        if low == "like" and sentiments[i] > 0 and (i == 0 or lows[i - 1] not in _LIKE_SUBJECTS):
            sentiments[i] = 0.0  # "smelled like", "like a", "like how": a comparison
        elif low in _DEGREE_WORDS and sentiments[i] > 0 and i < last:
            nxt = lows[i + 1]
            if nxt in lexicon or (len(nxt) > 3 and nxt.endswith(_ADJ_ENDINGS)):
                sentiments[i] = 0.0  # "pretty bland": a degree word, not praise
        elif low in _ADJ_BOOSTERS and sentiments[i] == 0.0:
            if i == last or lows[i + 1] not in lexicon:
                sentiments[i] = _ADJ_BOOSTERS[low]  # "was incredible": VADER reads a booster
        elif low == "best" and i > 0 and lows[i - 1] == "at" and sentiments[i] > 0:
            sentiments[i] = -1.5  # "average at best": faint praise
            for j in range(max(0, i - 6), i - 1):
                sentiments[j] = min(sentiments[j], 0.0)
