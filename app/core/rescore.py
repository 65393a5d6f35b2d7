"""Rescoring stored posts after the owner changes the word list or an update brings new
rules, in batches.

Each batch is read and scored on a worker thread, then written in one short
transaction through the write lane, so a sync's writes and the owner's own
clicks wait for one batch at most, never for the whole pass (tens of seconds
on a big inbox). Progress is reported between batches and a quitting app stops
it between batches. Owner corrections are untouched: they win anyway.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.models import Account, Sentiment

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
    """The owner's words and their valences, validated (app.core.settings owns the file)."""
    from app.core.settings import SettingsFile

    return dict(SettingsFile(settings_file).load().sentiment_words)


def save_words(settings_file: Path, words: Mapping[str, float]) -> None:
    """Store the list in settings.json, keeping every other key; atomic replace."""
    from app.core.settings import SettingsFile, clean_words

    SettingsFile(settings_file).update(**{SETTINGS_KEY: clean_words(words)})


class OwnerScorer:
    """The scorer ingest uses, always with the owner's current words and what was learned
    from their corrections: pass one instance to the sync service and to
    `install_corrections`, which updates it when the list is saved or a label corrected."""

    def __init__(
        self,
        words: Mapping[str, float] | None = None,
        business_names: Sequence[str] = (),
        learner: Learner | None = None,
    ) -> None:
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


def owner_scorer_for(settings_file: Path, accounts: Iterable[Account]) -> OwnerScorer:
    """The scorer the window and `shopkeep sync` share: the owner's word list, and the
    business name and the accounts' display names, so both colour a post the same."""
    from app.core.settings import SettingsFile

    settings = SettingsFile(settings_file).load()
    names = [settings.business, *(a.display_name for a in accounts)]
    return OwnerScorer(settings.sentiment_words, business_names=names)


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
