"""What the sentiment learner learns from, read from the inbox itself: the owner's
corrections (`corrected_label`), their replies, and every other post they have read,
as the rules read it. Nothing is stored but what a reset told it to forget (two meta
rows), so the learner lives and dies with the inbox and never leaves the machine.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, cast

import peewee

from app.core.models import Sentiment, SentimentLabel
from app.core.owner_learning import ReadPost, learn
from app.storage import tables as t
from app.storage.database import storage_errors, write_transaction
from app.storage.migrations import read_meta, write_meta
from app.storage.raw_sql import tuples

if TYPE_CHECKING:
    from app.core.sentiment.learner import Learner

FORGOTTEN_KEY = "learner_forgotten"  # ids of posts whose correction or reply it ignores
# posts up to this id, read before the last reset, no longer count as the rules being right
FORGOTTEN_UNTIL_KEY = "learner_forgotten_until"


def _forgotten(db: peewee.Database) -> set[int]:
    try:
        return {int(i) for i in json.loads(read_meta(db, FORGOTTEN_KEY) or "[]")}
    except (ValueError, TypeError):
        return set()


def _forgotten_until(db: peewee.Database) -> int:
    try:
        return int(read_meta(db, FORGOTTEN_UNTIL_KEY) or 0)
    except ValueError:
        return 0


def read_posts(db: peewee.Database) -> Iterator[ReadPost]:
    """Every post the owner has read, oldest first, streamed (a read; run it off the GUI
    thread). Read means opened, or answered (ingest marks a thread read up to the
    shop's reply): the owner had the post and its colour in front of them. A post
    never read teaches nothing, unless it was corrected or answered."""
    with storage_errors():
        forgotten, until = _forgotten(db), _forgotten_until(db)
        own = t.Post.select(t.Post.id, t.Post.account, t.Post.parent_remote_id, t.Post.text)
        own = own.where(t.Post.is_own & ~t.Post.deleted & t.Post.parent_remote_id.is_null(False))
        replies: dict[tuple[int, str], list[str]] = defaultdict(list)
        for reply_id, account, parent, text in tuples(own):
            if reply_id not in forgotten:
                replies[(account, parent)].append(text or "")
        customers = (
            t.Post.select(
                t.Post.id,
                t.Post.account,
                t.Post.remote_id,
                t.Post.text,
                t.Post.compound,
                t.Post.label,
                t.Post.reasons,
                t.Post.corrected_label,
                t.Post.read,
            )
            .where(~t.Post.is_own & ~t.Post.deleted)
            .order_by(t.Post.created_at, t.Post.id)
        )
        # .iterator(): rows are not cached, so a big inbox is never all in memory at once
        rows = iter(cast("Iterable[tuple[Any, ...]]", customers.tuples().iterator()))
        for post_id, account, remote_id, text, compound, label, reasons, corrected, read in rows:
            owner = SentimentLabel(corrected) if corrected and post_id not in forgotten else None
            answers = replies.get((account, remote_id), [])
            if owner is None and not answers and (not read or post_id <= until):
                continue
            shown = Sentiment(compound, SentimentLabel(label), tuple(reasons or ()))
            yield ReadPost(text or "", shown, owner, tuple(answers))


def build_learner(db: peewee.Database) -> Learner:
    """A learner that has seen every post the owner has read, built in this process
    (the window builds it in a child: app.core.owner_learning.learn_in_child)."""
    return learn(read_posts(db))


def forget_learned(db: peewee.Database) -> int:
    """Reset: the learner ignores every correction and reply made so far, and every post
    read so far (the owner's labels on those posts stay). Returns how many corrections
    and replies it forgot."""
    with storage_errors(), write_transaction(db):
        corrected = t.Post.select(t.Post.id).where(t.Post.corrected_label.is_null(False))
        replies = t.Post.select(t.Post.id).where(
            t.Post.is_own & t.Post.parent_remote_id.is_null(False)
        )
        ids = _forgotten(db) | {r.id for r in corrected} | {r.id for r in replies}
        write_meta(db, FORGOTTEN_KEY, json.dumps(sorted(ids)))
        last = t.Post.select(peewee.fn.MAX(t.Post.id)).scalar()
        write_meta(db, FORGOTTEN_UNTIL_KEY, int(last or 0))
    return len(ids)
