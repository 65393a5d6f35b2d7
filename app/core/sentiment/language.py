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
# word -> the languages it is a stopword in (one dict lookup per word).
_LANGS_OF: dict[str, tuple[str, ...]] = {}
for _code, _words in STOPWORDS.items():
    for _w in _words:
        _LANGS_OF[_w] = (*_LANGS_OF.get(_w, ()), _code)
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
    if not text.isascii():
        script = _script(text)
        if script is not None:
            return script
    words = _WORD.findall(text.lower())
    if len(words) < 2:
        return None
    counts: dict[str, int] = {}
    for w in words:
        for code in _LANGS_OF.get(w, ()):
            counts[code] = counts.get(code, 0) + 1
    english = counts.pop("en", 0)
    if not counts:
        return None
    best = max(counts, key=counts.__getitem__)
    best_hits = counts[best]
    accents = sum(c in _ACCENTED for c in text.lower())
    evidence = best_hits + min(accents, 2)
    if evidence >= 2 and evidence > 2 * english and best_hits / len(words) >= 0.2:
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
