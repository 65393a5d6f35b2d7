"""Bluesky conversations at their edges: deeper than one getPostThread reaches, a customer
who blocks the shop, a reply to a deleted post, and a server that pages forever.

Against tests/bluesky_error_server.py, which answers exactly the JSON the AppView
documents (app.bsky.feed.defs#threadViewPost, #blockedPost), so each edge is certain.
"""

from __future__ import annotations

from typing import Any

import pytest

from app.core.errors import NotFound
from app.core.models import Author, Network, Post
from app.core.outbox import new_tid
from app.net.bluesky import EMPTY_PAGES, THREAD_DEPTH, BlueskyClient
from app.net.bluesky_parse import BLOCKED_TEXT, parse_datetime
from tests.bluesky_error_server import ErrorServer

DID = "did:plc:shop"
THREAD = "app.bsky.feed.getPostThread"
LIST = "app.bsky.notification.listNotifications"
WHEN = "2026-03-01T10:00:00.000Z"


def uri(n: int) -> str:
    return f"at://did:plc:c{n % 2}/app.bsky.feed.post/3kaaaaaaaa{n:03d}"


def view(n: int, *, replies: int = 0) -> dict[str, Any]:
    record: dict[str, Any] = {"$type": "app.bsky.feed.post", "text": f"post {n}", "createdAt": WHEN}
    if n:
        record["reply"] = {
            "root": {"uri": uri(0), "cid": "cid0"},
            "parent": {"uri": uri(n - 1), "cid": f"cid{n - 1}"},
        }
    return {
        "uri": uri(n),
        "cid": f"cid{n}",
        "record": record,
        "indexedAt": WHEN,
        "author": {"did": f"did:plc:c{n % 2}", "handle": f"c{n % 2}.test"},
        "replyCount": replies,
    }


def chain(first: int, last: int, cut_at: int | None = None) -> dict[str, Any]:
    """Thread nodes first..last, each answering the one before; below `cut_at` the answer
    stops although the post has a reply (what a depth limit looks like)."""
    node: dict[str, Any] | None = None
    for n in range(last, first - 1, -1):
        has_reply = n < last or (cut_at is not None and n == cut_at)
        here: dict[str, Any] = {
            "$type": "app.bsky.feed.defs#threadViewPost",
            "post": view(n, replies=1 if has_reply else 0),
        }
        if node is not None and (cut_at is None or n < cut_at):
            here["replies"] = [node]
        node = here
    assert node is not None
    return node


def post_of(n: int) -> Post:
    return Post(
        Network.BLUESKY,
        uri(n),
        Author(Network.BLUESKY, f"did:plc:c{n % 2}", f"c{n % 2}.test"),
        f"post {n}",
        parse_datetime(WHEN),
        cid=f"cid{n}",
        is_mention=True,
        root_remote_id=uri(0) if n else None,
        parent_remote_id=uri(n - 1) if n else None,
    )


def client(server: ErrorServer) -> BlueskyClient:
    return BlueskyClient(
        server.url,
        DID,
        "access-1",
        "refresh-1",
        lambda a, r: None,
        handle="shop.test",
        prefetch_threads=False,
    )


def test_a_conversation_12_posts_deep_is_fetched_to_its_last_post(
    bluesky_error_server: ErrorServer,
) -> None:
    srv = bluesky_error_server
    srv.route(THREAD, 200, {"thread": chain(0, THREAD_DEPTH, cut_at=THREAD_DEPTH)})
    srv.route(THREAD, 200, {"thread": chain(THREAD_DEPTH, 12)})  # asked from post 10 down
    posts = client(srv).thread(post_of(0))
    assert [p.remote_id for p in posts] == [uri(n) for n in range(13)]
    assert posts[-1].parent_remote_id == uri(11) and posts[-1].text == "post 12"
    below = srv.calls(THREAD)[1].params
    assert below["uri"] == [uri(THREAD_DEPTH)] and below["parentHeight"] == ["0"]


def test_a_customer_who_blocks_the_shop_is_a_state_of_that_post_not_a_failed_sync(
    bluesky_error_server: ErrorServer,
) -> None:
    srv = bluesky_error_server
    srv.route(
        THREAD,
        200,
        {
            "thread": {
                "$type": "app.bsky.feed.defs#blockedPost",
                "uri": uri(3),
                "blocked": True,
                "author": {"did": "did:plc:c1", "viewer": {"blockedBy": True}},
            }
        },
    )
    (post,) = client(srv).thread(post_of(3))
    assert post.remote_id == uri(3) and post.deleted and post.text == BLOCKED_TEXT
    assert post.blocked  # hidden by a block, which the conversation says (not "deleted")


def test_a_reply_to_a_deleted_post_is_not_sent(bluesky_error_server: ErrorServer) -> None:
    srv = bluesky_error_server
    srv.route("app.bsky.feed.getPosts", 200, {"posts": []})  # the AppView no longer has it
    srv.route("com.atproto.repo.createRecord", 200, {"uri": "x", "cid": "y"})
    with pytest.raises(NotFound) as exc:
        client(srv).reply(post_of(0), "Sorry to hear that!", new_tid())
    assert "deleted" in exc.value.user_message and "Nothing was posted" in exc.value.user_message
    assert srv.calls("com.atproto.repo.createRecord") == []


def test_pages_that_bring_nothing_new_end_the_walk(bluesky_error_server: ErrorServer) -> None:
    srv = bluesky_error_server
    for page in range(40):  # a server that keeps sending likes, each page a fresh cursor
        like = {
            "uri": f"at://did:plc:f/app.bsky.feed.like/3kaaaaaaaa{page:03d}",
            "cid": "c",
            "author": {"did": "did:plc:f", "handle": "f.test"},
            "reason": "like",
            "record": {},
            "indexedAt": WHEN,
            "isRead": False,
        }
        srv.route(LIST, 200, {"notifications": [like], "cursor": f"page-{page}"})
    batch = client(srv).mentions(None)
    assert batch.posts == [] and not batch.complete
    assert len(srv.calls(LIST)) == EMPTY_PAGES


def test_one_unreadable_notification_is_skipped_and_counted(
    bluesky_error_server: ErrorServer,
) -> None:
    srv = bluesky_error_server
    good = {
        "uri": uri(1),
        "cid": "cid1",
        "reason": "mention",
        "indexedAt": WHEN,
        "author": {"did": "did:plc:c1", "handle": "c1.test"},
        "isRead": False,
        "record": {"$type": "app.bsky.feed.post", "text": "hello shop", "createdAt": WHEN},
    }
    broken = {
        **good,
        "uri": uri(2),
        "author": {"handle": "no-did.test"},
        "record": {"$type": "app.bsky.feed.post", "text": "private words"},
    }
    srv.route(LIST, 200, {"notifications": [broken, good]})
    batch = client(srv).mentions(None)
    assert [p.remote_id for p in batch.posts] == [uri(1)] and batch.skipped == 1


def test_one_unreadable_reply_leaves_the_rest_of_the_conversation(
    bluesky_error_server: ErrorServer,
) -> None:
    srv = bluesky_error_server
    thread = chain(0, 1)
    unreadable = {
        "$type": "app.bsky.feed.defs#threadViewPost",
        "post": {**view(2), "author": {"handle": "no-did.test"}},
    }
    thread["replies"].append(unreadable)
    srv.route(THREAD, 200, {"thread": thread})
    assert [p.remote_id for p in client(srv).thread(post_of(0))] == [uri(0), uri(1)]
