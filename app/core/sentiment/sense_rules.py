"""The small engine word-sense rules run on: rows dispatched by the word they are about.

A rule is a row (the words it is about, a context condition, the new valence, the
reason); the table finds a word's rules by a dict lookup, so a new row is found
without any hand-kept list of words to update.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from app.core.sentiment.tokens import Tokens


@dataclass(frozen=True, slots=True)
class Sense:
    """One word-sense rule: about `words` (None: any scored word), when the context
    holds, the word's valence becomes `then` (a number, or a function that sets it and
    its neighbours'). Rules are tried in order and the first whose `when` holds decides
    for that word, even if its `then` then leaves the valence as it is.
    """

    words: frozenset[str] | None
    when: Callable[[Senses, int], bool]
    then: float | Callable[[Senses, int], None]
    reason: str
    needs: frozenset[str] = frozenset()  # for words=None: a word the text must have
    on_zero: bool = False  # also visit the word when VADER gave it no valence


class Senses:
    """What a rule reads: the tokens' lower case and valences, and the word lists."""

    __slots__ = ("last", "lexicon", "lows", "nothing", "owner", "vals")

    def __init__(self, tokens: Tokens, lexicon: Mapping[str, float], owner: frozenset[str]):
        self.lows = tokens.lows
        self.vals = tokens.valences
        self.last = len(tokens.lows) - 1
        self.lexicon = lexicon
        self.owner = owner
        self.nothing = "nothing" in tokens.lows


class SenseTable:
    """Rows in the order they are tried, looked up by word."""

    def __init__(self, rows: tuple[Sense, ...]) -> None:
        self.rows = rows
        # A text without one of these words has nothing a rule is about.
        self.triggers = frozenset().union(*(r.words or r.needs for r in rows))
        self.on_zero = frozenset().union(*(r.words or () for r in rows if r.on_zero))
        self.any_word = tuple(r for r in rows if r.words is None)
        self._needs = tuple((r.needs, 1 << k) for k, r in enumerate(self.any_word))
        # present (see `candidates`) -> word -> the rules to try, filled as words come
        self._cache: dict[int, dict[str, tuple[Sense, ...]]] = {}

    def candidates(self, low: str, present: int) -> tuple[Sense, ...]:
        """The rules about `low`, in order (a rule about any word only if its `needs`
        word is in the text: bit k of `present` for the k-th such rule)."""
        return tuple(
            r
            for r in self.rows
            if (r.words is not None and low in r.words)
            or (r.words is None and present >> self.any_word.index(r) & 1)
        )

    def apply(
        self, tokens: Tokens, lexicon: Mapping[str, float], owner_words: frozenset[str]
    ) -> None:
        """The first rule whose condition holds decides each scored word, in place."""
        lows = tokens.lows
        if self.triggers.isdisjoint(lows):
            return
        s = Senses(tokens, lexicon, owner_words)
        present = 0
        for needs, bit in self._needs:
            if not needs.isdisjoint(lows):
                present |= bit
        slots: Iterable[int] = itertools.compress(range(len(lows)), s.vals)
        if not self.on_zero.isdisjoint(lows):
            slots = sorted({*slots, *(i for i, w in enumerate(lows) if w in self.on_zero)})
        cache = self._cache.get(present)
        if cache is None:
            cache = self._cache[present] = {}
        for i in list(slots):
            low = lows[i]
            rules = cache.get(low)
            if rules is None:
                rules = cache[low] = self.candidates(low, present)
            for rule in rules:
                if rule.when(s, i):
                    then = rule.then
                    if callable(then):
                        then(s, i)
                    else:
                        s.vals[i] = then
                    break
