"""Cheap language check so non-English posts are marked, not guessed at.

VADER only knows English; a German complaint scored by it comes out "neutral"
and looks handled. Script ranges and stopword counts are enough to tell, and
cost microseconds, so no language-detection dependency.
"""

from __future__ import annotations

import re

from app.core.sentiment.stopwords import STOPWORDS

OTHER = "other"
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_ENGLISH = STOPWORDS["en"]
_FOREIGN = tuple((code, words) for code, words in STOPWORDS.items() if code != "en")
_ANY_FOREIGN = frozenset().union(*(words for _, words in _FOREIGN))


def _foreign_alternatives() -> str:
    """Every ASCII foreign stopword (longest first), grouped by first letter."""
    by_first: dict[str, list[str]] = {}
    for word in sorted((w for w in _ANY_FOREIGN if w.isascii()), key=lambda w: (-len(w), w)):
        by_first.setdefault(word[0], []).append(re.escape(word[1:]))
    return "|".join(f"{re.escape(c)}(?:{'|'.join(rest)})" for c, rest in sorted(by_first.items()))


# Every ASCII foreign stopword standing as a whole word (overlaps included): for text
# with no letters beyond a-z it finds at least the distinct stopwords `_WORD` would, in
# one C pass instead of tokenizing every English post. The scan matches the character
# before a word (or the text's start), a plain class `re` skips through words with.
_FOREIGN_WORD = rf"(?=({_foreign_alternatives()})(?![a-z]))"
_FOREIGN_AFTER = re.compile("[^a-z]" + _FOREIGN_WORD)
_FOREIGN_AT_START = re.compile(_FOREIGN_WORD)


def _foreign_stopwords(lowered: str) -> set[str]:
    """The distinct ASCII foreign stopwords standing as words in lower-cased text."""
    found = set(_FOREIGN_AFTER.findall(lowered))
    first = _FOREIGN_AT_START.match(lowered)
    if first is not None:
        found.add(first.group(1))
    return found


# Letters of non-Latin scripts (emoji and symbols are outside these ranges).
_NON_LATIN = re.compile("[\u0370-\u1fff\u2e80-\ud7ff\uf900-\ufaff]")
# Letters that English text almost never uses.
_ACCENTED = frozenset("äöüßéèêàâçñãõìòùœ¿¡")
# A non-ASCII letter (what `_WORD` reads beyond a-z) or one of the accent characters.
# The cheap non-ASCII class comes first so that `re` skips ASCII in C.
_LETTER_OR_ACCENT = re.compile(
    r"[^\x00-\x7f](?<=[^\W\d_]|["
    + "".join(sorted(c for c in _ACCENTED if not _WORD.fullmatch(c)))
    + "])"
)

# (first, last, language) for scripts that name one language; other non-Latin
# scripts (Cyrillic, Arabic, Devanagari...) are reported as "other".
_SCRIPTS = (
    (0x3040, 0x30FF, "ja"),  # hiragana, katakana
    (0xAC00, 0xD7AF, "ko"),
    (0x1100, 0x11FF, "ko"),
    (0x0370, 0x03FF, "el"),
    (0x0590, 0x05FF, "he"),
    (0x0E00, 0x0E7F, "th"),
    (0x4E00, 0x9FFF, "zh"),  # Han without kana: Chinese
)


def detect(text: str) -> str | None:
    """Language code when the text is clearly not English, else None (score it)."""
    is_ascii = text.isascii()
    if not is_ascii and _NON_LATIN.search(text):
        script = _script(text)
        if script is not None:
            return script
    lowered = text.lower()
    if (is_ascii or not _LETTER_OR_ACCENT.search(lowered)) and len(_foreign_stopwords(lowered)) < 2:
        # The common case: fewer than two foreign stopwords. Text whose only non-ASCII
        # characters are emoji or symbols has no accents either, so the same check decides.
        return None
    words = _WORD.findall(lowered)
    if len(words) < 2:
        return None
    distinct = set(words)
    if _ANY_FOREIGN.isdisjoint(distinct):
        return None  # no language below gets a hit
    if len(distinct & _ANY_FOREIGN) < 2 and is_ascii:
        return None
    english = len(distinct & _ENGLISH)
    best, best_hits = None, 0
    for code, stop in _FOREIGN:
        hits = len(distinct & stop)
        if hits > best_hits:
            best, best_hits = code, hits
    if best is None:
        return None
    accents = 0 if is_ascii else sum(map(lowered.count, _ACCENTED))  # counted in C
    evidence = best_hits + min(accents, 2)
    if evidence >= 2 and evidence > 2 * english and best_hits / len(distinct) >= 0.2:
        return best
    return None


def _script(text: str) -> str | None:
    """The language of a dominant non-Latin script, "other" if unnamed, None if Latin."""
    letters = foreign = 0
    counts: dict[str, int] = {}
    for ch in text:
        if not ch.isalpha():
            continue
        letters += 1
        cp = ord(ch)
        if cp < 0x0250:  # Latin incl. accents
            continue
        foreign += 1
        for first, last, code in _SCRIPTS:
            if first <= cp <= last:
                counts[code] = counts.get(code, 0) + 1
                break
    if not letters or foreign * 2 < letters:
        return None
    if counts.get("ja"):
        return "ja"
    if counts:
        code = max(counts, key=counts.__getitem__)
        if counts[code] * 2 >= foreign:
            return code
    return OTHER
