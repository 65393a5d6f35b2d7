"""The phrase matcher tries only the word starts and patterns that can match there
(its pre-scan, its regex per key, and the table of what each pattern can start with);
that must never change which phrase matches. Checked against the plain reading: every
pattern, in the tables' order, tried at every word start."""

from __future__ import annotations

import re
from pathlib import Path

from app.core.sentiment import phrase_hits, phrase_start_table, phrases
from tests.sentiment_support import example_texts

_WORD_START = re.compile(r"(?<![\w'])")


def _plain_matcher() -> re.Pattern[str]:
    groups = [
        f"(?P<k{i}_{j}>{alt})"
        for i, kind in enumerate(phrases.KINDS)
        for j, alt in enumerate(kind.patterns)
    ]
    return re.compile("(?:" + "|".join(groups) + r")(?![\w'])")


def _hits(text: str, starts, match_at) -> list[tuple[int, str, str | None]]:
    out, pos = [], 0
    for at in starts:
        if at < pos:
            continue
        hit = match_at(text, at)
        if hit is not None:
            out.append((at, hit.group(), hit.lastgroup))
            pos = hit.end()
    return out


def _dispatched(text: str, at: int) -> re.Match[str] | None:
    bucket = phrase_hits._BY_START[text[at : at + phrases.KEY]]
    return None if bucket is None else bucket.match(text, at)


def test_the_regex_tried_at_a_word_matches_what_every_pattern_in_order_would():
    plain = _plain_matcher()
    texts = [
        "i have been waiting 3 weeks and still nothing, charged me full price",
        "have not received it. we have had no reply and it's now mid-march",
        "they sent me a small one instead of a large, won't be returning",
        # not ASCII: no word starts after "é" or "ñ", one does after "…" and "—"
        "the café never arrived…never arrived again—still waiting, pequeñnever arrived",
        *(t.lower() for t in example_texts()),
    ]
    found = 0
    for text in texts:
        every_word = [m.start() for m in _WORD_START.finditer(text)]
        expected = _hits(text, every_word, plain.match)
        assert _hits(text, phrase_hits._STARTS.find(text), _dispatched) == expected, text
        found += len(expected)
    assert found > 200  # the examples are full of phrases: the check has teeth


def test_the_start_table_is_written_for_the_patterns_registered_now():
    """A changed pattern in kinds/ is read at every start until the table is written again:
    `python -m app.core.sentiment.write_start_table`."""
    written = Path(phrase_start_table.__file__).read_text(encoding="utf-8")
    assert written == phrases.start_table_source()


def test_a_pattern_missing_from_the_start_table_is_read_from_the_pattern():
    new = r"(?:parcel|box) (?:left|dumped) (?:in|on) the (?:rain|road)"
    assert new not in phrase_start_table.STARTS
    keys, heads = phrases.starts_of(new)
    assert keys == {"par", "box"}
    assert heads == phrases.read_starts(new)[1]
    assert {"parcel lef", "box dumped"} <= heads
