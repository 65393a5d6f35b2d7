"""The window learns from what the owner read in a child process: the same learner as
learning in place, without the window's process holding every post's word counts
(~90 MB at the peak for a 100,000-post inbox, never given back). Real stores on both
engines, the real scorer, a real spawned child."""

from __future__ import annotations

import random
import tracemalloc
from datetime import UTC, datetime, timedelta
from typing import Any

from app.core.models import AccountInfo, Author, Network, Post, SentimentLabel
from app.core.owner_learning import learn, learn_in_child
from app.core.sentiment import score
from app.storage.learning import read_posts

NEG, POS = SentimentLabel.NEGATIVE, SentimentLabel.POSITIVE
START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
PROBES = [
    "the queue at the till again this morning",
    "queue at the till was long",
    "lovely sourdough as always",
    "picked up my order today",
    "is the car park free on sundays?",
]


def _read_inbox(store: Any) -> None:
    """A shop whose owner corrected the till queue three times, praised the sourdough
    twice and read forty ordinary posts."""
    shop = store.add_account(
        AccountInfo(Network.MASTODON, "https://shop.example", "shop", "1"), is_demo=False
    )
    texts = [f"the queue at the till again, day {n}" for n in range(3)]
    texts += [f"the sourdough, loaf number {n}" for n in range(2)]
    texts += [f"picked up order {n} at the counter" for n in range(40)]
    posts = [
        Post(
            network=Network.MASTODON,
            remote_id=f"m{n}",
            author=Author(Network.MASTODON, f"c{n}", f"@c{n}@x.example", f"C{n}"),
            text=text,
            created_at=START + timedelta(minutes=n),
            is_mention=True,
        )
        for n, text in enumerate(texts)
    ]
    result = store.ingest(shop.id, posts, score)
    for n, thread_id in enumerate(result.new_thread_ids):
        store.mark_read(thread_id)
        post = store.thread_posts(thread_id)[0]
        if n < 3:
            store.correct_label(post.id, NEG)
        elif n < 5:
            store.correct_label(post.id, POS)


def _moves(learner: Any) -> list[Any]:
    return [learner.move(text, score(text)) for text in PROBES]


def test_the_learner_from_the_child_moves_exactly_as_one_learned_here(store):
    _read_inbox(store)
    here = learn(read_posts(store.db))
    apart = learn_in_child(lambda: read_posts(store.db))
    assert apart.corrections == here.corrections >= 3
    assert _moves(apart) == _moves(here)
    assert _moves(apart)[0] is not None and _moves(apart)[0].label is NEG  # it did learn


def _big_read_inbox(store: Any, count: int) -> None:
    """`count` posts in varied words, all read, three of them corrected."""
    _read_inbox(store)
    shop = store.accounts()[0]
    pick = random.Random(7)
    syllables = ["ba", "ke", "ri", "to", "mu", "sa", "lo", "pe", "di", "nu", "ga", "fi"]
    words = sorted({"".join(pick.choices(syllables, k=3)) for _ in range(3000)})
    posts = [
        Post(
            network=Network.MASTODON,
            remote_id=f"big{n}",
            author=Author(Network.MASTODON, f"b{n}", f"@b{n}@x.example", f"B{n}"),
            text=" ".join(pick.choices(words, k=12)),
            created_at=START + timedelta(hours=1, seconds=n),
            is_mention=True,
        )
        for n in range(count)
    ]
    store.ingest(shop.id, posts, score)
    store.db.execute_sql("UPDATE post SET read = TRUE")


def test_learning_in_the_child_keeps_the_window_process_small(store):
    _big_read_inbox(store, 3000)
    tracemalloc.start()
    try:
        learn(read_posts(store.db))
        _, peak_here = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        learn_in_child(lambda: read_posts(store.db))
        _, peak_apart = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # here the counts of every read post are held until compacted; apart, only one
    # chunk of posts and the compact learner that comes back
    assert peak_apart < peak_here / 2, (peak_apart, peak_here)
