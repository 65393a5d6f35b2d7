"""The demo inbox a new owner explores before connecting a real account.

It has to look like a real bakery's week: praise, complaints, questions, a
long back-and-forth, another language, and threads already answered.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from functools import cache
from typing import Any

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from app.core.char_count import bluesky_bytes, bluesky_length, mastodon_length
from app.core.paths import resources_dir
from app.core.suggestion import has_complaint_words

DEMO = resources_dir() / "demo" / "demo.json"
POST_KEYS = {
    "account",
    "id",
    "author",
    "text",
    "created_at",
    "parent",
    "is_mention",
    "is_own",
    "visibility",
    "language",
}


@cache
def demo() -> dict[str, Any]:
    return json.loads(DEMO.read_text(encoding="utf-8"))


def posts() -> list[dict[str, Any]]:
    return demo()["posts"]


def when(post: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(post["created_at"].replace("Z", "+00:00"))


def root_of(post: dict[str, Any]) -> str:
    by_id = {p["id"]: p for p in posts()}
    while post["parent"] is not None:
        post = by_id[post["parent"]]
    return post["id"]


def threads() -> Counter[str]:
    return Counter(root_of(p) for p in posts())


def test_the_demo_shop_has_one_mastodon_and_one_bluesky_account() -> None:
    data = demo()
    assert data["business"] == "Juniper & Rye Bakery"
    accounts = {a["key"]: a for a in data["accounts"]}
    assert accounts["masto"]["network"] == "mastodon"
    assert accounts["masto"]["handle"] == "@juniperrye@toot.example"
    assert accounts["masto"]["server"] == "https://toot.example"
    assert accounts["bsky"]["network"] == "bluesky"
    assert accounts["bsky"]["handle"] == "juniperrye.bsky.example"


def test_every_post_has_the_fields_the_loader_reads() -> None:
    for post in posts():
        assert set(post) == POST_KEYS, post["id"]
        assert set(post["author"]) == {"id", "handle", "name"}
        assert post["visibility"] in {"public", "unlisted", "private", "direct"}
        assert when(post).tzinfo is not None


def test_post_ids_are_unique() -> None:
    ids = [p["id"] for p in posts()]
    assert len(ids) == len(set(ids))


def test_every_reply_points_at_an_earlier_post_in_the_same_account() -> None:
    by_id = {p["id"]: p for p in posts()}
    for post in posts():
        if post["parent"] is None:
            continue
        parent = by_id[post["parent"]]
        assert parent["account"] == post["account"], post["id"]
        assert when(parent) < when(post), post["id"]


def test_there_is_about_a_fortnight_of_mentions() -> None:
    assert 50 <= len(posts()) <= 75
    assert 20 <= len(threads()) <= 35
    newest = max(when(p) for p in posts())
    oldest = min(when(p) for p in posts())
    assert 7 <= (newest - oldest).days <= 14
    assert newest.isoformat() <= "2026-11-20T12:00:00+00:00"


def test_both_networks_have_a_fair_share() -> None:
    per_account = Counter(p["account"] for p in posts())
    assert per_account["masto"] >= 20
    assert per_account["bsky"] >= 20


def test_the_shops_own_posts_are_written_by_the_shop() -> None:
    accounts = {a["key"]: a for a in demo()["accounts"]}
    own = [p for p in posts() if p["is_own"]]
    assert len(own) >= 10
    for post in own:
        assert post["author"]["handle"] == accounts[post["account"]]["handle"]
        assert not post["is_mention"]
    for post in posts():
        if not post["is_own"]:
            assert post["author"]["handle"] not in {a["handle"] for a in accounts.values()}


def test_some_threads_are_already_answered_and_some_are_waiting() -> None:
    answered = {root_of(p) for p in posts() if p["is_own"] and p["parent"] is not None}
    waiting = set(threads()) - answered
    assert len(answered) >= 8
    assert len(waiting) >= 8


def test_one_long_conversation_alternates_between_customer_and_shop() -> None:
    root, size = threads().most_common(1)[0]
    assert size >= 6
    thread = sorted((p for p in posts() if root_of(p) == root), key=when)
    assert [p["is_own"] for p in thread[:6]] == [False, True, False, True, False, True]


def test_a_thread_is_in_another_language() -> None:
    foreign = {root_of(p) for p in posts() if p["language"] not in ("en", None)}
    assert foreign
    assert any(threads()[root] >= 2 for root in foreign)


def test_one_mastodon_mention_is_a_direct_message() -> None:
    direct = [p for p in posts() if p["visibility"] == "direct"]
    assert len(direct) >= 1
    assert all(p["account"] == "masto" and p["is_mention"] for p in direct)


def test_the_inbox_has_real_complaints_to_sort_to_the_top() -> None:
    analyzer = SentimentIntensityAnalyzer()
    customer = [p["text"] for p in posts() if not p["is_own"]]
    negative = [t for t in customer if analyzer.polarity_scores(t)["compound"] <= -0.05]
    assert len(negative) >= 5
    assert sum(has_complaint_words(t) for t in customer) >= 8


def test_there_is_praise_emoji_and_questions_too() -> None:
    customer = [p["text"] for p in posts() if not p["is_own"]]
    assert sum("?" in t for t in customer) >= 8
    assert sum(any(ord(ch) > 0x1F000 for ch in t) for t in customer) >= 5


def test_one_post_is_very_long_but_still_fits_mastodon() -> None:
    longest = max(posts(), key=lambda p: len(p["text"]))
    assert longest["account"] == "masto"
    assert 420 <= len(longest["text"]) <= 500
    assert mastodon_length(longest["text"]) <= 500


def test_every_post_fits_its_networks_limits() -> None:
    for post in posts():
        if post["account"] == "masto":
            assert mastodon_length(post["text"]) <= 500, post["id"]
        else:
            assert bluesky_length(post["text"]) <= 300, post["id"]
            assert bluesky_bytes(post["text"]) <= 3000, post["id"]
