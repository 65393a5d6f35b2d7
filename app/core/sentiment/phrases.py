"""The complaint and praise phrase tables compiled into a matcher that skips most words.

Trying ~150 phrase patterns at every word was the scorer's biggest cost. Each
pattern is parsed (`pattern_starts`) to learn which few strings a match
can start with: a three-character key picks the small regex to try, and a
longer "head" (up to a few words: "the go", "is not ", "waited") feeds one
C-level pre-scan, so only word starts that can begin a phrase reach Python.

Reading the patterns for their keys and heads took ~0.2 s of every scoring
process's start, so the answers are kept in `phrase_start_table` (written by
`python -m app.core.sentiment.write_start_table`); a pattern not in it is read at import.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.core.sentiment import pattern_starts, phrase_start_table
from app.core.sentiment.kinds import REGISTERED, Kind
from app.core.sentiment.lexicons import SARCASM_PRAISE

NEGATED_PRAISE = "negated praise"  # a praise phrase after a negation: "wasn't tasty"
KINDS: tuple[Kind, ...] = REGISTERED
BY_KEY: dict[str, Kind] = {kind.key: kind for kind in KINDS}
TITLES: dict[str, str] = {
    **{kind.key: kind.title for kind in KINDS},
    NEGATED_PRAISE: "praise denied",
}
KEY = 3  # dispatch on the first three characters of a word
_HEAD = 10  # longest head tried for the pre-scan
_HEAD_CAP = 48  # more head strings than this per pattern: use a shorter head
_SET_CAP = 512  # give up on a head length whose string sets grow past this
_DIGIT = pattern_starts.DIGIT


def _heads(parsed: tuple[pattern_starts.Item, ...], keys: set[str]) -> set[str]:
    """The longest start strings (few enough) that every match of a pattern begins with.

    A shorter length never has more strings, so the length is found by bisection.
    """
    best, low, high = keys, KEY + 1, _HEAD
    while low <= high:
        n = (low + high) // 2
        heads = pattern_starts.prefixes(parsed, n, _SET_CAP)
        if heads is not None and len(heads) <= _HEAD_CAP:
            best, low = heads, n + 1
        else:
            high = n - 1
    return best


def _trie(words: Iterable[str]) -> str:
    """A regex matching any of `words` as a prefix, nested by character so `re` can
    reject a branch on its first character."""
    by_first: dict[str, set[str]] = {}
    for w in words:
        by_first.setdefault(w[0], set()).add(w[1:])
    alts = []
    for first, rests in sorted(by_first.items()):
        char = "[0-9]" if first == _DIGIT else re.escape(first)
        if "" in rests:  # a shorter head already covers the longer ones
            alts.append(char)
        else:
            alts.append(char + "(?:" + _trie(rests) + ")")
    return "|".join(alts)


class WordStarts:
    """Where a word begins (not after a word character or an apostrophe) and `head`
    matches, in order; overlapping starts included.

    A lookbehind scan would run the regex engine at every character. The scan instead
    looks for the character *before* a word, a cheap character class that lets `re`
    skip through words in C, and makes no match object for the positions in between
    (about 2x faster, same positions). The class is ASCII: in other text a start found
    after a non-ASCII letter ("café") is dropped, which keeps one head regex (~60 ms
    to compile) instead of a second one for such text.
    """

    __slots__ = ("_scan",)

    def __init__(self, head: str) -> None:
        self._scan = re.compile(r"[^0-9A-Z_a-z'](?=" + head + ")")

    def find(self, text: str) -> list[int]:
        """The start positions, ascending."""
        scan = self._scan
        if text.isascii():
            out = [m.end() for m in scan.finditer(text)]
        else:
            out = [
                m.end()
                for m in scan.finditer(text)
                if text[m.start()].isascii() or not _WORD_CHAR.match(text, m.start())
            ]
        if scan.match(" " + text[:_HEAD]):  # a phrase can start the text
            out.insert(0, 0)
        return out


_WORD_CHAR = re.compile(r"\w")


class Buckets(dict[str, "re.Pattern[str] | None"]):
    """The small regex per three-character key, compiled the first time a text needs it.

    Compiling all ~2,400 at import took ~0.5 s in every process that scores (the
    window's workers, each scoring-pool process); a text needs only the keys its words
    start with. Once a key is compiled a lookup is a plain dict lookup (`__missing__`
    runs once per key). The ~2,400 keys share ~450 distinct regexes (every key a
    pattern like "\\d+ days" can start with holds the same patterns): each is compiled
    once, not again whenever `re`'s own cache of 512 has dropped it.
    """

    __slots__ = ("_compiled", "_sources")

    def __init__(self, sources: dict[str, str]) -> None:
        super().__init__()
        self._sources = sources
        self._compiled: dict[str, re.Pattern[str]] = {}

    def __missing__(self, key: str) -> re.Pattern[str] | None:
        source = self._sources.get(key)
        if source is None:
            self[key] = None
            return None
        compiled = self._compiled.get(source)
        if compiled is None:
            compiled = self._compiled[source] = re.compile(source)
        self[key] = compiled
        return compiled


def read_starts(alt: str) -> tuple[set[str], set[str]]:
    """(the keys, the heads) of one pattern, read from the pattern itself."""
    parsed = pattern_starts.parse(alt)
    keys = pattern_starts.prefixes(parsed, KEY, None)
    if keys is None or any(len(p) < KEY for p in keys):
        raise ValueError(f"phrase pattern needs a literal start: {alt!r}")
    return keys, _heads(parsed, keys)


def starts_of(alt: str) -> tuple[set[str], set[str]]:
    """(the keys, the heads) of one pattern: kept in the table, or read now if it is new."""
    kept = phrase_start_table.STARTS.get(alt)
    if kept is None:
        return read_starts(alt)
    keys, heads = kept
    return set(keys.split(_SEP)), set(heads.split(_SEP))


_SEP = "\x1f"  # between the strings of one table entry (never in a pattern's start)


def start_table_source() -> str:
    """`phrase_start_table.py` as it should read for the patterns registered now (one
    line per kind, so the module stays short)."""
    lines = []
    for kind in KINDS:
        entries = []
        for alt in kind.patterns:
            keys, heads = read_starts(alt)
            entries.append(f"{alt!r}: ({_SEP.join(sorted(keys))!r}, {_SEP.join(sorted(heads))!r}),")
        lines.append("    " + " ".join(entries))
    return _TABLE_HEAD + "\n".join(lines) + "\n}\n"


_TABLE_HEAD = '''"""What each phrase pattern can start with: its three-character keys and its heads.

Written by `python -m app.core.sentiment.write_start_table` from the patterns in
kinds/; do not edit. Reading the patterns costs ~0.2 s at every scoring process's
start; a pattern missing here is read at import instead (a test in
tests/test_sentiment_phrase_starts.py says when the table is out of date).
Each entry: (keys, heads), the strings of each joined by "\\x1f".
"""

# ruff: noqa: E501
# fmt: off
STARTS: dict[str, tuple[str, str]] = {
'''


def compile_tables() -> tuple[Buckets, WordStarts]:
    """(the regex per three-character key, the pre-scan for possible phrase starts).

    The named groups `k{kind}_{alternative}` say which kind matched. Every word start
    the pre-scan finds begins with some key.
    """
    buckets: dict[str, list[str]] = {}
    heads: set[str] = set()
    for i, kind in enumerate(KINDS):
        for j, alt in enumerate(kind.patterns):
            keys, own = starts_of(alt)
            for key in keys:
                buckets.setdefault(key, []).append(f"(?P<k{i}_{j}>{alt})")
            heads |= own
    sources = {key: "(?:" + "|".join(groups) + r")(?![\w'])" for key, groups in buckets.items()}
    return Buckets(sources), WordStarts(_trie(heads))


# Praise that may be sarcastic ("thanks for", "great job"); every match ends in a letter.
_PRAISE = "(?:" + "|".join(SARCASM_PRAISE) + r")(?![\w'])"
_PRAISE_RE = re.compile(r"(?<![\w'])" + _PRAISE)
# For ASCII text: the praise after the character before it (as in WordStarts).
_PRAISE_AFTER = re.compile(r"[^0-9A-Z_a-z'](" + _PRAISE + ")")
_PRAISE_AT_START = re.compile(_PRAISE)


def praise_hits(text: str) -> list[tuple[int, str]]:
    """(start, phrase) of each `_PRAISE_RE` match, in order.

    For ASCII text the scan looks for the character before a phrase, which `re` finds
    without trying the phrases inside words; a phrase ends in a letter, so the next
    one's preceding character is never inside the last match."""
    hits, pos = [], 0
    first = _PRAISE_AT_START.match(text)
    if first is not None:
        hits.append((0, first.group()))
        pos = first.end()
    if text.isascii():
        hits += [(m.start(1), m.group(1)) for m in _PRAISE_AFTER.finditer(text, pos)]
    else:
        _praise_hits_beyond_ascii(text, pos, hits)
    return hits


def _praise_hits_beyond_ascii(text: str, pos: int, hits: list[tuple[int, str]]) -> None:
    """The ASCII scan, where a phrase found after a letter beyond ASCII ("épicgreat") is
    none and the scan goes on from that phrase's start (a phrase may begin inside it)."""
    m = _PRAISE_AFTER.search(text, pos)
    while m is not None:
        before = m.start()
        if text[before].isascii() or not _WORD_CHAR.match(text, before):
            hits.append((m.start(1), m.group(1)))
            m = _PRAISE_AFTER.search(text, m.end())
        else:
            m = _PRAISE_AFTER.search(text, m.start(1))
