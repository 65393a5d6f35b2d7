"""Rescoring stored posts after the owner changes the word list or an update brings new
rules, in batches.

Each batch is read and scored on a worker thread, then written in one short
transaction through the write lane, so a sync's writes and the owner's own
clicks wait for one batch at most, never for the whole pass (tens of seconds
on a big inbox). Progress is reported between batches and a quitting app stops
it between batches. Owner corrections are untouched: they win anyway.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.models import Sentiment

if TYPE_CHECKING:
    from app.core.sentiment.learner import Learner

BATCH = 200
SETTINGS_KEY = "sentiment_words"  # the owner's list, in settings.json (no table for it)

Scorer = Callable[[str], Sentiment]


@dataclass(frozen=True, slots=True)
class ScoredPost:
    """A post's new score, with the text it was computed from: a post edited while the
    batch waited for the lane keeps the score its edit brought."""

    post_id: int
    thread_id: int
    text: str
    sentiment: Sentiment


@dataclass(frozen=True, slots=True)
class ScoredBatch:
    updates: list[ScoredPost]  # only posts whose score, label or reasons differ
    changed: int  # how many labels differ


ScoreBatch = Callable[[Sequence[int], Scorer], ScoredBatch]
WriteScores = Callable[[ScoredBatch], None]


@dataclass(frozen=True, slots=True)
class RescoreResult:
    scored: int
    changed: int
    stopped: bool = False


def load_words(settings_file: Path) -> dict[str, float]:
    """The owner's words and their valences; an unreadable file means no words."""
    try:
        data = json.loads(settings_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    words = data.get(SETTINGS_KEY) if isinstance(data, dict) else None
    if not isinstance(words, dict):
        return {}
    return {str(w): float(v) for w, v in words.items() if isinstance(v, int | float)}


def save_words(settings_file: Path, words: Mapping[str, float]) -> None:
    """Merge the list into settings.json, keeping every other key; atomic replace."""
    try:
        data = json.loads(settings_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    if not isinstance(data, dict):
        data = {}
    data[SETTINGS_KEY] = dict(sorted(words.items()))
    tmp = settings_file.with_suffix(".words.tmp")
    tmp.write_text(json.dumps(data, indent=2), encoding="utf-8")
    tmp.replace(settings_file)


class OwnerScorer:
    """The scorer ingest uses, always with the owner's current words and what was learned
    from their corrections: pass one instance to the sync service and to
    `install_corrections`, which updates it when the list is saved or a label corrected."""

    def __init__(self, words: Mapping[str, float] | None = None,
                 business_names: Sequence[str] = (), learner: Learner | None = None) -> None:
        self.words: dict[str, float] = dict(words or {})
        # the shop's own name must never read as praise ("Sunny Bakes" is not "sunny")
        self.business_names = tuple(n for n in business_names if n.strip())
        # replaced whole (never changed in place) when it learns, so a worker scoring
        # with it meanwhile sees one learner or the other, never half of one
        self.learner = learner

    def __call__(self, text: str) -> Sentiment:
        from app.core.sentiment import score  # compiled on first use, off the GUI thread

        result = score(text, business_names=self.business_names, extra_words=self.words or None)
        learner = self.learner
        return result if learner is None else learner.adjust(text, result)


def rescore(
    post_ids: Sequence[int],
    score_batch: ScoreBatch,
    write_scores: WriteScores,
    scorer: Scorer,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    batch: int = BATCH,
) -> RescoreResult:
    """Score `post_ids` again with `scorer`, `batch` at a time; returns the counts.

    `score_batch` reads and scores (no lock held); `write_scores` stores one batch.
    """
    total = len(post_ids)
    changed = done = 0
    for start in range(0, total, batch):
        if cancelled is not None and cancelled():
            return RescoreResult(done, changed, stopped=True)
        chunk = post_ids[start : start + batch]
        scored = score_batch(chunk, scorer)
        if scored.updates:
            write_scores(scored)
        changed += scored.changed
        done += len(chunk)
        if progress is not None:
            progress(done, total)
    return RescoreResult(done, changed)
