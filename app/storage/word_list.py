"""Rescoring stored posts with the owner's word list (the list itself is in settings.json,
see app.core.rescore) or with an update's new rules. Each batch is one short
transaction, so the single write lane never holds the database for long.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import peewee

from app.core.models import Sentiment
from app.storage import tables as t
from app.storage.aggregates import recompute_threads
from app.storage.database import storage_errors, write_transaction
from app.storage.migrations import RULES_KEY, read_meta, write_meta


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


def rescore_batch(
    db: peewee.Database, post_ids: Iterable[int], score: Callable[[str], Sentiment]
) -> int:
    """Rescore these posts in one transaction; returns how many labels changed."""
    changed = 0
    with storage_errors(), write_transaction(db):
        rows = list(t.Post.select().where(t.Post.id.in_(list(post_ids))))
        threads = set()
        for row in rows:
            result = score(row.text or "")
            if result.label.value != row.label:
                changed += 1
            if (result.label.value, result.compound, list(result.reasons)) == (
                row.label,
                row.compound,
                list(row.reasons or []),
            ):
                continue
            t.Post.update(
                compound=result.compound,
                label=result.label.value,
                reasons=list(result.reasons),
                sentiment_language=result.language,
            ).where(t.Post.id == row.id).execute()
            threads.add(row.thread_id)
        recompute_threads(sorted(threads))
    return changed


class StoredPostRescorer:
    """What the UI's rescoring needs from storage, handed to `install_corrections` (the UI
    layer may not import storage itself)."""

    def __init__(self, db: peewee.Database) -> None:
        self._db = db

    def post_ids(self) -> list[int]:
        return customer_post_ids()

    def write_batch(self, post_ids: Iterable[int], score: Callable[[str], Sentiment]) -> int:
        return rescore_batch(self._db, post_ids, score)

    def scored_with(self) -> int | None:
        return scored_with(self._db)

    def mark_scored_with(self, version: int) -> None:
        mark_scored_with(self._db, version)
