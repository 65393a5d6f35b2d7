"""One phrase kind as a row: its key, the words a shop owner reads, its patterns, its weight."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# How a module writes its kinds: key -> (regex alternatives, valence). The valence is in
# VADER lexicon units (-4..+4) and is added once per match.
Table = Mapping[str, tuple[tuple[str, ...], float]]


@dataclass(frozen=True, slots=True)
class Kind:
    key: str
    title: str  # the reason's wording: "complaint (<title>): 'the phrase'"
    patterns: tuple[str, ...]
    valence: float


def rows(table: Table, titles: Mapping[str, str] | None = None) -> tuple[Kind, ...]:
    """A module's table as rows, in its order; a kind without a title is read by its key."""
    titles = titles or {}
    return tuple(Kind(key, titles.get(key, key), pats, val) for key, (pats, val) in table.items())
