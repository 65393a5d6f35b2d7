"""The learner is built from the inbox: what the owner corrected, and what they read and
left alone. A post never opened says nothing about the rules; a reset forgets what was
read before it as well as what was corrected. Real SQLite files, the real scorer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from app.core.models import AccountInfo, Author, Network, Post, SentimentLabel
from app.core.rescore import OwnerScorer
from app.core.sentiment import score
from app.storage.learning import build_learner, forget_learned

NEG, NEU = SentimentLabel.NEGATIVE, SentimentLabel.NEUTRAL
START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
TILL = "paid at the till"


def _post(store: Any, account: Any, n: int, text: str) -> Any:
    """One new mention in its own thread; returns the stored post."""
    post = Post(
        network=Network.MASTODON,
        remote_id=f"m{n}",
        author=Author(Network.MASTODON, f"c{n}", f"@c{n}@x.example", f"C{n}"),
        text=text,
        created_at=START + timedelta(minutes=n),
        is_mention=True,
    )
    thread_id = store.ingest(account.id, [post], score).new_thread_ids[0]
    return store.thread_posts(thread_id)[0]


def _shop(store: Any) -> Any:
    return store.add_account(
        AccountInfo(Network.MASTODON, "https://shop.example", "shop", "1"), is_demo=False
    )


def _till_moves(store: Any) -> SentimentLabel | None:
    found = build_learner(store.db).move(TILL, score(TILL))
    return None if found is None else found.label


def test_posts_the_owner_never_opened_do_not_count_as_the_rules_being_right(store):
    shop = _shop(store)
    for n in range(3):
        post = _post(store, shop, n, f"the queue at the till again, day {n}")
        store.correct_label(post.id, NEG)
    unread = [_post(store, shop, 10 + n, f"picked up order {n} at the till") for n in range(10)]
    assert all(p.sentiment.label is NEU for p in unread)
    # ten grey posts about the till, never opened: three corrections still teach
    assert _till_moves(store) is NEG
    for p in unread:  # the owner opens them and leaves them grey
        store.mark_read(p.thread_id)
    assert _till_moves(store) is None


def test_a_reset_forgets_what_was_read_before_it(store):
    shop = _shop(store)
    for n in range(10):
        post = _post(store, shop, n, f"picked up order {n} at the till")
        store.mark_read(post.thread_id)
    for n in range(3):
        post = _post(store, shop, 20 + n, f"the queue at the till again, day {n}")
        store.correct_label(post.id, NEG)
        store.mark_read(post.thread_id)
    assert _till_moves(store) is None  # ten read posts about the till were fine
    assert forget_learned(store.db) == 3
    assert build_learner(store.db).move(TILL, score(TILL)) is None
    # after the reset, three new corrections teach as in a new inbox: neither the posts
    # read before it nor the forgotten corrections (read, but no longer counted) weigh in
    for n in range(3):
        post = _post(store, shop, 40 + n, f"a queue at the till once more, day {n}")
        store.correct_label(post.id, NEG)
    assert _till_moves(store) is NEG


def test_a_learned_colour_the_owner_reads_and_keeps_is_not_unlearned(store):
    """Three corrections colour a fourth post about the queue; the owner opens it and
    leaves it red. That agrees with what was learned: the fifth is red too."""
    shop = _shop(store)
    for n in range(3):
        post = _post(store, shop, n, f"the queue at the till again, day {n}")
        store.correct_label(post.id, NEG)
        store.mark_read(post.thread_id)
    owner = OwnerScorer(learner=build_learner(store.db))
    account = store.accounts()[0]
    fourth = Post(
        network=Network.MASTODON,
        remote_id="m9",
        author=Author(Network.MASTODON, "c9", "@c9@x.example", "C9"),
        text="there's a queue at the till again",
        created_at=START + timedelta(minutes=9),
        is_mention=True,
    )
    thread_id = store.ingest(account.id, [fourth], owner).new_thread_ids[0]
    assert store.thread_posts(thread_id)[0].sentiment.label is NEG
    store.mark_read(thread_id)  # read, and left red
    fifth = "queue at the till yet again"
    assert score(fifth).label is NEU
    found = build_learner(store.db).move(fifth, score(fifth))
    assert found is not None and found.label is NEG
