"""What the sentiment learner learns from, read from the inbox itself: the owner's
corrections (`corrected_label`), their replies, and every other post as the rules read
it. Nothing is stored but which corrections a reset told it to forget (a meta row),
so the learner lives and dies with the inbox and never leaves the machine.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from typing import TYPE_CHECKING

import peewee

from app.core.models import Sentiment, SentimentLabel
from app.storage import tables as t
from app.storage.database import storage_errors, write_transaction
from app.storage.migrations import read_meta, write_meta
from app.storage.raw_sql import tuples

if TYPE_CHECKING:
    from app.core.sentiment.learner import Learner

FORGOTTEN_KEY = "learner_forgotten"  # ids of posts whose correction or reply it ignores


def _forgotten(db: peewee.Database) -> set[int]:
    try:
        return {int(i) for i in json.loads(read_meta(db, FORGOTTEN_KEY) or "[]")}
    except (ValueError, TypeError):
        return set()


def build_learner(db: peewee.Database) -> Learner:
    """A learner that has seen the whole inbox (a read; run it off the GUI thread)."""
    from app.core.sentiment import score
    from app.core.sentiment.learner import LEARNED, WORD_MIN_POSTS, Learner, features

    with storage_errors():
        forgotten = _forgotten(db)
        customers = list(
            tuples(
                t.Post.select(
                    t.Post.id,
                    t.Post.account,
                    t.Post.remote_id,
                    t.Post.text,
                    t.Post.compound,
                    t.Post.label,
                    t.Post.reasons,
                    t.Post.corrected_label,
                )
                .where(~t.Post.is_own & ~t.Post.deleted)
                .order_by(t.Post.id)
            )
        )
        own = t.Post.select(t.Post.id, t.Post.account, t.Post.parent_remote_id, t.Post.text)
        own = own.where(t.Post.is_own & ~t.Post.deleted & t.Post.parent_remote_id.is_null(False))
        replies: dict[tuple[int, str], list[str]] = defaultdict(list)
        for reply_id, account, parent, text in tuples(own):
            if reply_id not in forgotten:
                replies[(account, parent)].append(text or "")
    learner = Learner()
    taught = []  # (text, rules, the owner's label or None, replies): corrections first
    for post_id, account, remote_id, text, compound, label, reasons, corrected in customers:
        text = text or ""
        reasons = tuple(reasons or ())
        rules = Sentiment(compound, SentimentLabel(label), reasons)
        if reasons and reasons[0].startswith(LEARNED):
            rules = score(text)  # stored with a learned label: the rules' own reading
        owner = SentimentLabel(corrected) if corrected and post_id not in forgotten else None
        taught.append((text, rules, owner, replies.get((account, remote_id), ())))
    # Only words a correction has, or that two posts share, can ever matter (the
    # learner leaves the rest out): counting just those keeps a big inbox's learner small.
    keep: set[str] = set()
    seen: Counter[str] = Counter()
    for text, rules, owner, answers in taught:
        feats = features(text, rules.compound)
        seen.update(feats)
        if owner is not None or answers:
            keep |= feats
            if owner is not None:
                learner.corrected(text, rules, owner)
            for reply in answers:
                learner.replied(text, rules, reply)
    keep.update(f for f, n in seen.items() if n >= WORD_MIN_POSTS)
    del seen
    frozen = frozenset(keep)
    for text, rules, owner, _answers in taught:
        if owner is None:
            learner.saw(text, rules, frozen)
    return learner.compact()


def forget_learned(db: peewee.Database) -> int:
    """Reset: the learner ignores every correction and reply made so far (the owner's
    labels on those posts stay). Returns how many it forgot."""
    with storage_errors(), write_transaction(db):
        corrected = t.Post.select(t.Post.id).where(t.Post.corrected_label.is_null(False))
        replies = t.Post.select(t.Post.id).where(
            t.Post.is_own & t.Post.parent_remote_id.is_null(False)
        )
        ids = _forgotten(db) | {r.id for r in corrected} | {r.id for r in replies}
        write_meta(db, FORGOTTEN_KEY, json.dumps(sorted(ids)))
    return len(ids)
