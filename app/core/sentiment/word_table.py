"""The one pass over a message's words: each whitespace token is looked up once in a
table that carries what the stages need to know of it.

A token's facts (VADER's form of it, its lower case, whether VADER scores it, whether
it is in capitals, whether it ends a clause) never change for a given lexicon, so
they are worked out the first time the token is seen and then read with one dict
lookup; a post's tokens, lower case, clauses and rule text come out of a few C-level
passes over those rows instead of a Python loop per word per stage.
"""

from __future__ import annotations

import itertools
import string
from collections.abc import Mapping

from vaderSentiment.vaderSentiment import BOOSTER_DICT

from app.core.sentiment.engine import idiom_word, modifier_word, scored_tokens
from app.core.sentiment.text import ends_clause
from app.core.sentiment.tokens import Tokens

_PUNCT = string.punctuation
_MAX_ROWS = 100_000  # distinct tokens kept per lexicon (~28 MB) before the table starts afresh

# (word as VADER keeps it, its lower case, VADER scores it, `engine.modifier_word`,
# `engine.idiom_word`, in capitals, ends a clause)
Row = tuple[str, str, bool, bool, bool, bool, bool]


class WordTable:
    """Token -> Row for one lexicon, filled as tokens come."""

    __slots__ = ("lexicon", "rows")

    def __init__(self, lexicon: Mapping[str, float]) -> None:
        self.lexicon = lexicon
        self.rows: dict[str, Row] = {}

    def row(self, token: str) -> Row:
        """A token's facts, worked out from the token (VADER strips punctuation from a
        word unless that leaves two letters or fewer)."""
        stripped = token.strip(_PUNCT)
        word = stripped if len(stripped) > 2 else token
        low = word.lower()
        if low == word:  # one string object, not two: fewer places in memory to read
            low = word
        scored = low in self.lexicon and low not in BOOSTER_DICT
        modifier, idiom = modifier_word(low), idiom_word(low)
        return (word, low, scored, modifier, idiom, word.isupper(), ends_clause(token))

    def rows_of(self, tokens: list[str]) -> list[Row]:
        """The rows of these tokens, in order (one dict lookup each once seen)."""
        rows = self.rows
        found = list(map(rows.get, tokens))
        if None in found:
            if len(rows) > _MAX_ROWS:
                rows.clear()
            for k, token in enumerate(tokens):
                if found[k] is None:
                    found[k] = rows[token] = self.row(token)
        return found  # type: ignore[return-value]  # no None left


def clause_starts(ends: tuple[bool, ...], lines: list[int]) -> list[int]:
    """Where each clause starts, from which tokens end one and how many tokens each
    line holds (a line's end ends a clause; an empty line holds none)."""
    starts: list[int] = []
    at = 0
    for m in lines:
        if not m:
            continue
        line_end = at + m
        starts.append(at)
        starts += itertools.compress(range(at + 1, line_end), ends[at : line_end - 1])
        at = line_end
    return starts


_TABLES: dict[int, tuple[Mapping[str, float], WordTable]] = {}


def table_for(lexicon: Mapping[str, float]) -> WordTable:
    """The table of one lexicon (the base one, or one with an owner's words on top)."""
    kept = _TABLES.get(id(lexicon))
    if kept is not None and kept[0] is lexicon:
        return kept[1]
    if len(_TABLES) > 32:
        _TABLES.clear()
    table = WordTable(lexicon)
    _TABLES[id(lexicon)] = (lexicon, table)
    return table


def read(lexicon: Mapping[str, float], cleaned: str) -> tuple[Tokens, str]:
    """The message's tokens with VADER's valences, and the phrase rules' text (one clause
    a line, lower case)."""
    lines = cleaned.splitlines()
    if len(lines) == 1:  # most posts: one line, whose clauses end where a token says
        tokens = lines[0].split()
        if not tokens:
            return Tokens([], [], [], [], [0]), ""
        rows = table_for(lexicon).rows_of(tokens)
        words, lows, scored, modifier, idiom, upper, ends = zip(*rows, strict=True)
        starts = [0, *itertools.compress(range(1, len(tokens)), ends)]
    else:
        split = [line.split() for line in lines]
        tokens = list(itertools.chain.from_iterable(split))
        if not tokens:
            return Tokens([], [], [], [], [0]), ""
        rows = table_for(lexicon).rows_of(tokens)
        words, lows, scored, modifier, idiom, upper, ends = zip(*rows, strict=True)
        starts = clause_starts(ends, list(map(len, split)))
    if len(starts) == 1:
        joined = " ".join(tokens).lower()
    else:
        bounds = [*starts, len(tokens)]
        joined = "\n".join([" ".join(tokens[a:b]) for a, b in itertools.pairwise(bounds)]).lower()
    kinds = (modifier, idiom)
    valued = scored_tokens(lexicon, list(words), list(lows), scored, kinds, sum(upper), starts)
    return valued, joined
