"""What a phrase pattern can start with: the few strings every match begins with.

The phrase matcher (`phrases`) only tries the patterns whose start fits the word
in front of it. This reads the small regex subset the phrase tables are written
in (literals, classes, groups, alternatives, repeats, look-arounds, `\\d`, `\\b`)
with a parser of its own; anything else (`.`, `\\w`, a negated class) is "any
character", and a pattern that can start with one is rejected by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass

DIGIT = "\0"  # in heads, stands for any of 0-9 (so "\\d+ days" stays a few strings)
_DIGITS = frozenset("0123456789")
_MANY = 1 << 30  # no upper bound ("*", "+", "{2,}")
_ESCAPED = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a"}
_ZERO_WIDTH_ESCAPES = frozenset("bBAZ")


@dataclass(frozen=True, slots=True)
class Chars:
    """One character out of `chars` (`digit`: also any digit, written DIGIT in heads);
    `chars` None means any character at all."""

    chars: frozenset[str] | None
    digit: bool = False


@dataclass(frozen=True, slots=True)
class Group:
    """One of the alternatives, each a sequence of items."""

    branches: tuple[tuple[Item, ...], ...]


@dataclass(frozen=True, slots=True)
class Repeat:
    low: int
    high: int
    items: tuple[Item, ...]


ZERO = Group(((),))  # a look-around or an anchor: matches the empty string
Item = Chars | Group | Repeat


class _Reader:
    """A recursive-descent reader over one pattern string."""

    def __init__(self, pattern: str) -> None:
        self.text = pattern
        self.at = 0

    def peek(self) -> str:
        return self.text[self.at] if self.at < len(self.text) else ""

    def take(self) -> str:
        char = self.text[self.at]
        self.at += 1
        return char

    def alternatives(self) -> tuple[tuple[Item, ...], ...]:
        branches = [self.sequence()]
        while self.peek() == "|":
            self.at += 1
            branches.append(self.sequence())
        return tuple(branches)

    def sequence(self) -> tuple[Item, ...]:
        items: list[Item] = []
        while self.peek() not in ("", "|", ")"):
            item = self.atom()
            items.append(self.repeat(item))
        return tuple(items)

    def repeat(self, item: Item) -> Item:
        char = self.peek()
        if char in ("?", "*", "+"):
            self.at += 1
            low, high = {"?": (0, 1), "*": (0, _MANY), "+": (1, _MANY)}[char]
        elif char == "{" and self._counted():
            low, high = self._bounds()
        else:
            return item
        if self.peek() in ("?", "+"):  # lazy or possessive: the same strings
            self.at += 1
        return Repeat(low, high, (item,))

    def _counted(self) -> bool:
        end = self.text.find("}", self.at)
        inner = self.text[self.at + 1 : end] if end > 0 else ""
        return bool(inner) and all(c.isdigit() or c == "," for c in inner)

    def _bounds(self) -> tuple[int, int]:
        end = self.text.index("}", self.at)
        inner = self.text[self.at + 1 : end]
        self.at = end + 1
        if "," not in inner:
            return int(inner), int(inner)
        low, high = inner.split(",", 1)
        return int(low or 0), int(high) if high else _MANY

    def atom(self) -> Item:
        char = self.take()
        if char == "(":
            return self.group()
        if char == "[":
            return self.char_class()
        if char == "\\":
            return self.escape()
        if char in "^$":
            return ZERO
        if char == ".":
            return Chars(None)
        return Chars(frozenset(char))

    def group(self) -> Item:
        zero = False
        if self.text.startswith("?", self.at):
            kind = self.text[self.at : self.at + 3]
            if kind.startswith(("?:",)):
                self.at += 2
            elif kind.startswith(("?=", "?!")):
                self.at, zero = self.at + 2, True
            elif kind in ("?<=", "?<!"):
                self.at, zero = self.at + 3, True
            elif kind == "?P<":
                self.at = self.text.index(">", self.at) + 1
            else:
                raise ValueError(f"unsupported group in phrase pattern: {self.text!r}")
        branches = self.alternatives()
        if self.take() != ")":
            raise ValueError(f"unbalanced phrase pattern: {self.text!r}")
        return ZERO if zero else Group(branches)

    def escape(self) -> Item:
        char = self.take()
        if char == "d":
            return Chars(_DIGITS, digit=True)
        if char in _ZERO_WIDTH_ESCAPES:
            return ZERO
        if char.isalnum() and char not in _ESCAPED:
            return Chars(None)  # \w, \s, \D, a back-reference...
        return Chars(frozenset(_ESCAPED.get(char, char)))

    def char_class(self) -> Item:
        chars: set[str] = set()
        digit, known = False, True
        if self.peek() == "^":
            known = False
            self.at += 1
        first = True
        while first or self.peek() != "]":
            first = False
            char = self.take()
            if char == "\\":
                escaped = self.take()
                if escaped == "d":
                    chars |= _DIGITS
                    digit = True
                    continue
                if escaped.isalnum() and escaped not in _ESCAPED:
                    known = False
                    continue
                char = _ESCAPED.get(escaped, escaped)
            if self.peek() == "-" and self.text[self.at + 1 : self.at + 2] not in ("]", ""):
                self.at += 1
                end = self.take()
                if end == "\\":
                    end = _ESCAPED.get(self.peek(), self.peek())
                    self.at += 1
                chars.update(chr(x) for x in range(ord(char), ord(end) + 1))
            else:
                chars.add(char)
        self.at += 1
        return Chars(frozenset(chars) if known else None, digit)


def parse(pattern: str) -> tuple[Item, ...]:
    """The pattern as items (one alternative list becomes one group)."""
    reader = _Reader(pattern)
    branches = reader.alternatives()
    if reader.at != len(pattern):
        raise ValueError(f"unbalanced phrase pattern: {pattern!r}")
    return branches[0] if len(branches) == 1 else (Group(branches),)


def prefixes(items: tuple[Item, ...], n: int, cap: int | None) -> set[str] | None:
    """The first n characters a match can start with (shorter if the pattern ends first);
    None if unknown or, with a cap, too many. With a cap, a digit is written DIGIT."""
    results = {""}
    for item in items:
        if all(len(r) >= n for r in results):
            break
        options = _options(item, n, cap)
        if options is None:
            return None
        results = {r if len(r) >= n else (r + o)[:n] for r in results for o in options}
        if cap is not None and len(results) > cap:
            return None
    return results


def _options(item: Item, n: int, cap: int | None) -> set[str] | None:
    """What one item can match, as strings (cut to n characters)."""
    if isinstance(item, Chars):
        if item.chars is None:
            return None
        if item.digit and cap is not None:
            return {DIGIT} | {c for c in item.chars if c not in _DIGITS}
        return set(item.chars)
    if isinstance(item, Group):
        out: set[str] = set()
        for branch in item.branches:
            sub = prefixes(branch, n, cap)
            if sub is None:
                return None
            out |= sub
        return out
    sub = prefixes(item.items, n, cap)
    if sub is None:
        return None
    out = {""} if item.low == 0 else set()
    current = {""}
    for count in range(1, min(item.high, n) + 1):
        current = {(c + o)[:n] for c in current for o in sub}
        if cap is not None and len(current) > cap:
            return None
        if count >= item.low:
            out |= current
    return out
