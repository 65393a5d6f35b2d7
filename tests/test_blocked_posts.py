"""A customer and the shop blocked apart: the post is hidden, not deleted.

When one blocks the other, Bluesky's getPostThread answers an
app.bsky.feed.defs#blockedPost node where the post was. The shop keeps what the
customer wrote, the conversation says the post is hidden by a block (never "deleted"),
and once the block is lifted the post is readable again. A post the network no longer
finds (#notFoundPost) still reads as deleted, for good.

The answers come from tests/bluesky_error_server.py through the real client, and go
into the real store (SQLite and PostgreSQL).
"""

from __future__ import annotations

from typing import Any

import pytest

from app.core.models import Author, Network, Post, ThreadStatus, Unavailable
from app.core.ports import ThreadQuery
from app.net.bluesky import BlueskyClient
from app.net.bluesky_parse import parse_datetime
from tests.bluesky_error_server import ErrorServer

pytestmark = pytest.mark.engines("sqlite", "postgres")

THREAD = "app.bsky.feed.getPostThread"
WHEN = "2026-03-01T10:00:00.000Z"
CAT, DAN, EVE = "did:plc:cat", "did:plc:dan", "did:plc:eve"
ROOT = f"at://{CAT}/app.bsky.feed.post/3kaaaaaaaa001"
REPLY = f"at://{DAN}/app.bsky.feed.post/3kaaaaaaaa002"
HIDDEN = f"at://{EVE}/app.bsky.feed.post/3kaaaaaaaa003"
COMPLAINT = "@cornerbakery.bsky.social my order never came"


def view(uri: str, text: str, parent: str | None = None) -> dict[str, Any]:
    did = uri.split("/")[2]
    record: dict[str, Any] = {"$type": "app.bsky.feed.post", "text": text, "createdAt": WHEN}
    if parent:
        record["reply"] = {
            "root": {"uri": ROOT, "cid": "c1"},
            "parent": {"uri": parent, "cid": "c"},
        }
    return {
        "uri": uri,
        "cid": "c" + uri[-1],
        "record": record,
        "indexedAt": WHEN,
        "author": {"did": did, "handle": did.split(":")[-1] + ".test"},
        "replyCount": 0,
    }


def thread(*replies: dict[str, Any]) -> dict[str, Any]:
    """The conversation as getPostThread answers it from the opening post."""
    return {
        "thread": {
            "$type": "app.bsky.feed.defs#threadViewPost",
            "post": {**view(ROOT, COMPLAINT), "replyCount": len(replies)},
            "replies": list(replies),
        }
    }


def reply(uri: str, text: str) -> dict[str, Any]:
    return {"$type": "app.bsky.feed.defs#threadViewPost", "post": view(uri, text, ROOT)}


def blocked(uri: str) -> dict[str, Any]:
    did = uri.split("/")[2]
    return {
        "$type": "app.bsky.feed.defs#blockedPost",
        "uri": uri,
        "blocked": True,
        "author": {"did": did, "viewer": {"blockedBy": True}},
    }


def not_found(uri: str) -> dict[str, Any]:
    return {"$type": "app.bsky.feed.defs#notFoundPost", "uri": uri, "notFound": True}


OPENING = Post(
    Network.BLUESKY,
    ROOT,
    Author(Network.BLUESKY, CAT, "cat.test"),
    COMPLAINT,
    parse_datetime(WHEN),
    is_mention=True,
)


class Shop:
    """The shop's Bluesky account, its store and a client of the scripted AppView."""

    def __init__(self, store: Any, account: Any, server: ErrorServer) -> None:
        self.store, self.account, self.server = store, account, server
        self.client = BlueskyClient(
            server.url,
            account.remote_id,
            "access-1",
            "refresh-1",
            lambda a, r: None,
            handle=account.handle,
            prefetch_threads=False,
        )

    def sync(self, answer: dict[str, Any], score: Any) -> Any:
        """The AppView answers `answer` for the conversation; the shop stores what it read."""
        self.server.forget(THREAD)
        self.server.route(THREAD, 200, answer)
        return self.store.ingest(self.account.id, self.client.thread(OPENING), score)

    def posts(self) -> dict[str, Any]:
        (row,) = self.store.list_threads(ThreadQuery(account_id=self.account.id), 0, 10)
        return {sp.post.remote_id: sp for sp in self.store.thread_posts(row.id)}


@pytest.fixture
def shop(store: Any, shop_bsky_account: Any, bluesky_error_server: ErrorServer) -> Any:
    opened = Shop(store, shop_bsky_account, bluesky_error_server)
    yield opened
    opened.client.close()


def test_a_stored_post_hidden_by_a_block_keeps_its_words_and_comes_back_when_lifted(
    shop: Shop, keyword_score: Any
) -> None:
    shop.sync(thread(reply(REPLY, "same here, late again")), keyword_score)

    shop.sync(blocked_thread := {"thread": blocked(ROOT)}, keyword_score)
    shop.sync(blocked_thread, keyword_score)  # the next refresh reads the same block

    hidden = shop.posts()[ROOT].post
    assert hidden.deleted and hidden.blocked and hidden.unavailable is Unavailable.BLOCKED
    assert hidden.text == COMPLAINT  # what the customer wrote is kept
    assert not shop.posts()[REPLY].post.deleted

    shop.sync(thread(reply(REPLY, "same here, late again")), keyword_score)  # block lifted

    back = shop.posts()[ROOT].post
    assert not back.deleted and back.unavailable is None and back.text == COMPLAINT
    assert shop.store.count_threads(ThreadQuery(search="never")) == 1  # searchable again


def test_a_reply_first_seen_blocked_keeps_its_place_without_reopening_the_thread(
    shop: Shop, keyword_score: Any
) -> None:
    shop.sync(thread(), keyword_score)
    thread_id = shop.posts()[ROOT].thread_id
    shop.store.mark_read(thread_id)
    shop.store.set_status(thread_id, ThreadStatus.DONE)

    result = shop.sync(thread(blocked(HIDDEN)), keyword_score)

    assert result.new_posts == 0  # nothing new to read
    hidden = shop.posts()[HIDDEN]
    assert hidden.post.blocked and hidden.post.parent_remote_id == ROOT
    assert hidden.thread_id == thread_id and not hidden.is_own
    (row,) = shop.store.list_threads(ThreadQuery(account_id=shop.account.id), 0, 10)
    assert row.status is ThreadStatus.DONE and not row.unread
    assert row.post_count == 1  # counted like a deleted post: not at all

    shop.sync(thread(blocked(HIDDEN), reply(REPLY, "same here")), keyword_score)

    posts = shop.posts()
    assert set(posts) == {ROOT, HIDDEN, REPLY} and posts[HIDDEN].post.blocked  # still there


def test_a_blocked_post_of_no_known_conversation_is_not_stored(
    shop: Shop, store: Any, keyword_score: Any
) -> None:
    shop.sync({"thread": blocked(ROOT)}, keyword_score)

    assert store.count_threads(ThreadQuery()) == 0


def test_a_post_the_network_no_longer_finds_stays_deleted(shop: Shop, keyword_score: Any) -> None:
    shop.sync(thread(), keyword_score)

    shop.sync({"thread": not_found(ROOT)}, keyword_score)
    gone = shop.posts()[ROOT].post
    assert gone.deleted and gone.unavailable is Unavailable.NOT_FOUND and not gone.blocked
    assert gone.text == COMPLAINT

    shop.sync(thread(), keyword_score)  # a stale cache still serving it: a deletion is final
    assert shop.posts()[ROOT].post.deleted


@pytest.mark.engines("sqlite")
def test_the_conversation_says_a_post_is_hidden_by_a_block_not_deleted(
    qtbot: Any, shop: Shop, keyword_score: Any
) -> None:
    from app.ui.conversation_view import BLOCKED_WORDS, DELETED_WORDS, ConversationView

    hidden_later = f"at://{DAN}/app.bsky.feed.post/3kaaaaaaaa004"
    shop.sync(thread(reply(REPLY, "same here"), reply(hidden_later, "me too")), keyword_score)
    shop.sync(thread(not_found(REPLY), blocked(hidden_later), blocked(HIDDEN)), keyword_score)
    view = ConversationView()
    qtbot.addWidget(view)
    view.resize(800, 600)

    view.show_posts(list(shop.posts().values()))

    text = view.toPlainText()
    assert text.count(BLOCKED_WORDS) == 2  # stored with its words before, and first seen blocked
    assert text.count(DELETED_WORDS) == 1  # the one the network no longer finds
    assert "me too" not in text and "same here" not in text  # hidden words are not shown
    assert COMPLAINT in text


@pytest.mark.engines("sqlite")
def test_exports_say_why_a_post_is_unavailable_and_keep_its_words(
    shop: Shop, store: Any, keyword_score: Any, tmp_path: Any
) -> None:
    import csv
    import json

    from app.core.export import export_inbox

    shop.sync(thread(reply(REPLY, "same here")), keyword_score)
    shop.sync(thread(not_found(REPLY)), keyword_score)
    shop.sync({"thread": blocked(ROOT)}, keyword_score)

    export_inbox(store, tmp_path / "all.csv")
    export_inbox(store, tmp_path / "all.json")

    with (tmp_path / "all.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = {r["text"]: r for r in csv.DictReader(f)}
    assert (rows["'" + COMPLAINT]["deleted"], rows["'" + COMPLAINT]["unavailable"]) == (
        "yes",
        "blocked",
    )
    assert (rows["same here"]["deleted"], rows["same here"]["unavailable"]) == ("yes", "not_found")
    data = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    (conversation,) = data["threads"]
    why = {p["text"]: (p["deleted"], p["unavailable"]) for p in conversation["posts"]}
    assert why == {COMPLAINT: (True, "blocked"), "same here": (True, "not_found")}
