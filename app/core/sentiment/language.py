"""Cheap language check so non-English posts are marked, not guessed at.

VADER only knows English; a German complaint scored by it comes out "neutral"
and looks handled. Script ranges and stopword counts are enough to tell, and
cost microseconds, so no language-detection dependency.
"""

from __future__ import annotations

import re

from app.core.sentiment.lexicons import STOPWORDS

OTHER = "other"
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_ENGLISH = STOPWORDS["en"]
_FOREIGN = tuple((code, words) for code, words in STOPWORDS.items() if code != "en")
_ANY_FOREIGN = frozenset().union(*(words for _, words in _FOREIGN))


def _foreign_scan() -> re.Pattern[str]:
    """Every ASCII foreign stopword standing as a whole word (overlaps included, longest
    first), grouped by first letter: for ASCII text it finds at least the distinct
    stopwords `_WORD` would, in one C pass instead of tokenizing every English post."""
    by_first: dict[str, list[str]] = {}
    for word in sorted((w for w in _ANY_FOREIGN if w.isascii()), key=lambda w: (-len(w), w)):
        by_first.setdefault(word[0], []).append(re.escape(word[1:]))
    alts = "|".join(f"{re.escape(c)}(?:{'|'.join(rest)})" for c, rest in sorted(by_first.items()))
    return re.compile(rf"(?<![a-z])(?=({alts})(?![a-z]))")


_FOREIGN_SCAN = _foreign_scan()

# Letters of non-Latin scripts (emoji and symbols are outside these ranges).
_NON_LATIN = re.compile("[\u0370-\u1fff\u2e80-\ud7ff\uf900-\ufaff]")
# Letters that English text almost never uses.
_ACCENTED = frozenset("äöüßéèêàâçñãõìòùœ¿¡")

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
    if not text.isascii() and _NON_LATIN.search(text):
        script = _script(text)
        if script is not None:
            return script
    if text.isascii() and len(set(_FOREIGN_SCAN.findall(text.lower()))) < 2:
        return None  # the common case: fewer than two foreign stopwords
    words = _WORD.findall(text.lower())
    if len(words) < 2:
        return None
    distinct = set(words)
    if len(distinct & _ANY_FOREIGN) < 2 and text.isascii():
        return None
    english = len(distinct & _ENGLISH)
    best, best_hits = None, 0
    for code, stop in _FOREIGN:
        hits = len(distinct & stop)
        if hits > best_hits:
            best, best_hits = code, hits
    if best is None:
        return None
    accents = 0 if text.isascii() else sum(c in _ACCENTED for c in text.lower())
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
