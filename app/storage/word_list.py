"""Rescoring stored posts with the owner's word list (the list itself is in settings.json,
see app.core.rescore) or with an update's new rules. Scoring is a read; each batch's
writes are one short transaction, so the single write lane never holds the database
for long.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import peewee

from app.core.models import Sentiment
from app.core.owner_learning import learn_in_child
from app.core.rescore import ScoredBatch, ScoredPost
from app.storage import tables as t
from app.storage.aggregates import recompute_threads
from app.storage.database import storage_errors, write_transaction
from app.storage.learning import forget_learned, read_posts
from app.storage.migrations import RULES_KEY, read_meta, write_meta
from app.storage.raw_sql import tuples

if TYPE_CHECKING:
    from app.core.sentiment.learner import Learner


def scored_with(db: peewee.Database) -> int | None:
    """The rules version the stored posts were last scored with (None: never recorded)."""
    with storage_errors():
        value = read_meta(db, RULES_KEY)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def mark_scored_with(db: peewee.Database, version: int) -> None:
    with storage_errors(), write_transaction(db):
        write_meta(db, RULES_KEY, version)


def customer_post_ids() -> list[int]:
    """Ids of every stored customer post (the shop's own replies are never coloured)."""
    with storage_errors():
        query = t.Post.select(t.Post.id).where(~t.Post.is_own & ~t.Post.deleted)
        return [r.id for r in query.order_by(t.Post.id)]


def score_batch(post_ids: Sequence[int], score: Callable[[str], Sentiment]) -> ScoredBatch:
    """Score these posts again (a read: no transaction, no lock held while scoring)."""
    with storage_errors():
        rows = list(
            tuples(
                t.Post.select(
                    t.Post.id,
                    t.Post.thread,
                    t.Post.text,
                    t.Post.compound,
                    t.Post.label,
                    t.Post.reasons,
                ).where(t.Post.id.in_(list(post_ids)))
            )
        )
    updates, changed = [], 0
    for post_id, thread_id, text, compound, label, reasons in rows:
        result = score(text or "")
        if result.label.value != label:
            changed += 1
        elif (result.compound, list(result.reasons)) == (compound, list(reasons or [])):
            continue
        updates.append(ScoredPost(post_id, thread_id, text or "", result))
    return ScoredBatch(updates, changed)


def write_scores(db: peewee.Database, batch: ScoredBatch) -> None:
    """Store one scored batch in one transaction; a post whose text changed since it was
    read (an edit synced meanwhile) keeps the score its new text was given."""
    threads = set()
    with storage_errors(), write_transaction(db):
        for p in batch.updates:
            s = p.sentiment
            written = (
                t.Post.update(
                    compound=s.compound,
                    label=s.label.value,
                    reasons=list(s.reasons),
                    sentiment_language=s.language,
                )
                .where((t.Post.id == p.post_id) & (t.Post.text == p.text))
                .execute()
            )
            if written:
                threads.add(p.thread_id)
        recompute_threads(sorted(threads))


class StoredPostRescorer:
    """What the UI's rescoring needs from storage, handed to `install_corrections` (the UI
    layer may not import storage itself)."""

    def __init__(self, db: peewee.Database) -> None:
        self._db = db

    def post_ids(self) -> list[int]:
        return customer_post_ids()

    def score_batch(
        self, post_ids: Sequence[int], score: Callable[[str], Sentiment]
    ) -> ScoredBatch:
        return score_batch(post_ids, score)

    def write_scores(self, batch: ScoredBatch) -> None:
        write_scores(self._db, batch)

    def scored_with(self) -> int | None:
        return scored_with(self._db)

    def mark_scored_with(self, version: int) -> None:
        mark_scored_with(self._db, version)

    def learner(self) -> Learner:
        """What the owner's corrections and replies teach (app.storage.learning), learned
        in a child process so the window's process never holds the counts."""
        return learn_in_child(lambda: read_posts(self._db))

    def forget_learned(self) -> int:
        return forget_learned(self._db)
