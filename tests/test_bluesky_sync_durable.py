"""Bluesky thread fetches are durable too, and the refresh sees deletions in old threads.

Issue 19, failure 13: after an interrupted sync some Bluesky posts never came
back (the shop's own post at the root among them), and a reply deleted after it
was synced stayed live in an older thread. The scripted XRPC server
(tests/bluesky_error_server.py) answers with the AppView's documented JSON.
"""

from __future__ import annotations

from typing import Any

from app.core.models import AccountInfo, Network
from app.core.sync import SyncService
from app.net.bluesky import BlueskyClient
from tests.bluesky_error_server import ErrorServer
from tests.sync_support import score

SHOP = "did:plc:shop"
LIST = "app.bsky.notification.listNotifications"
THREAD = "app.bsky.feed.getPostThread"
POSTS = "app.bsky.feed.getPosts"


def uri(did: str, rkey: str) -> str:
    return f"at://{did}/app.bsky.feed.post/{rkey}"


def view(
    did: str,
    rkey: str,
    text: str,
    when: str,
    *,
    parent: dict | None = None,
    root: dict | None = None,
) -> dict[str, Any]:
    record: dict[str, Any] = {"$type": "app.bsky.feed.post", "text": text, "createdAt": when}
    if parent is not None:
        record["reply"] = {
            "root": {"uri": (root or parent)["uri"], "cid": (root or parent)["cid"]},
            "parent": {"uri": parent["uri"], "cid": parent["cid"]},
        }
    return {
        "uri": uri(did, rkey),
        "cid": f"cid-{rkey}",
        "indexedAt": when,
        "record": record,
        "author": {"did": did, "handle": f"{did.rsplit(':', 1)[1]}.test"},
    }


def node(post: dict, *, parent: dict | None = None, replies: list | None = None) -> dict:
    found: dict[str, Any] = {
        "$type": "app.bsky.feed.defs#threadViewPost",
        "post": post,
        "replies": replies or [],
    }
    if parent is not None:
        found["parent"] = parent
    return found


def notification(post: dict, reason: str = "reply") -> dict[str, Any]:
    return {**post, "reason": reason, "isRead": False, "labels": []}


# The shop posted; Cy answered (a notification); then Cy added a reply under it (no notification).
NEWS = {
    **view(SHOP, "3kaaaaaaaaa01", "New: rye bread on Fridays", "2026-11-01T10:00:00.000Z"),
    "replyCount": 1,
}
ANSWER = view(
    "did:plc:cy", "3kaaaaaaaaa02", "my rye was burnt", "2026-11-01T11:00:00.000Z", parent=NEWS
)
MORE = view(
    "did:plc:cy", "3kaaaaaaaaa03", "and stale", "2026-11-01T11:05:00.000Z", parent=ANSWER, root=NEWS
)
OTHER_NEWS = {
    **view(SHOP, "3kaaaaaaaaa04", "Cake sale today", "2026-11-02T10:00:00.000Z"),
    "replyCount": 1,
}
OTHER = view(
    "did:plc:di",
    "3kaaaaaaaaa05",
    "saving me a slice?",
    "2026-11-02T11:00:00.000Z",
    parent=OTHER_NEWS,
)


def shop_account(store: Any, server: ErrorServer) -> Any:
    return store.add_account(
        AccountInfo(network=Network.BLUESKY, server=server.url, handle="shop.test", remote_id=SHOP)
    )


def service(store: Any, server: ErrorServer, **kw: Any) -> SyncService:
    client = BlueskyClient(
        server.url,
        SHOP,
        "access",
        "refresh",
        lambda a, r: None,
        handle="shop.test",
        prefetch_threads=False,
    )
    return SyncService(store, lambda a: client, score, **kw)


def stored(store: Any) -> dict[str, bool]:
    """remote id -> deleted, for every stored post."""
    rows = store.db.execute_sql("SELECT remote_id, deleted FROM post").fetchall()
    return {r[0]: bool(r[1]) for r in rows}


def test_a_thread_fetch_cut_off_by_a_503_is_fetched_by_the_next_sync(
    store: Any, bluesky_error_server: ErrorServer
) -> None:
    server = bluesky_error_server
    shop = shop_account(store, server)
    server.route(LIST, 200, {"notifications": [notification(OTHER), notification(ANSWER)]})
    server.route(THREAD, 200, {"thread": node(ANSWER, parent=node(NEWS), replies=[node(MORE)])})
    server.route(THREAD, 503, {"error": "InternalServerError"})
    first = service(store, server, refresh_limit=0).sync_account(shop)
    assert not first.ok
    assert OTHER_NEWS["uri"] not in stored(store)  # the shop's own root post is missing

    server.forget(THREAD)
    server.route(THREAD, 200, {"thread": node(OTHER, parent=node(OTHER_NEWS))})
    second = service(store, server, refresh_limit=0).sync_account(shop)
    assert second.ok, second.error
    assert set(stored(store)) == {p["uri"] for p in (NEWS, ANSWER, MORE, OTHER_NEWS, OTHER)}


def test_a_reply_without_a_notification_in_an_old_thread_arrives_with_the_refresh(
    store: Any, bluesky_error_server: ErrorServer
) -> None:
    server = bluesky_error_server
    shop = shop_account(store, server)
    server.route(LIST, 200, {"notifications": [notification(ANSWER)]})
    server.route(THREAD, 200, {"thread": node(ANSWER, parent=node(NEWS))})
    assert service(store, server).sync_account(shop).ok  # a month-old conversation
    assert MORE["uri"] not in stored(store)

    server.forget(THREAD)  # deep replies are not notified: only the thread shows it
    server.route(THREAD, 200, {"thread": node(NEWS, replies=[node(ANSWER, replies=[node(MORE)])])})
    assert service(store, server).sync_account(shop).ok
    assert stored(store)[MORE["uri"]] is False


def test_a_reply_deleted_after_it_was_synced_is_marked_deleted_by_the_refresh(
    store: Any, bluesky_error_server: ErrorServer
) -> None:
    server = bluesky_error_server
    shop = shop_account(store, server)
    server.route(LIST, 200, {"notifications": [notification(ANSWER)]})
    server.route(THREAD, 200, {"thread": node(ANSWER, parent=node(NEWS), replies=[node(MORE)])})
    assert service(store, server).sync_account(shop).ok
    assert stored(store) == {NEWS["uri"]: False, ANSWER["uri"]: False, MORE["uri"]: False}

    # Cy deletes the second reply: it vanishes from the thread and from getPosts.
    server.forget(THREAD)
    server.route(THREAD, 200, {"thread": node(NEWS, replies=[node(ANSWER)])})
    server.route(POSTS, 200, {"posts": []})
    report = service(store, server).sync_account(shop)
    assert report.ok, report.error
    assert stored(store) == {NEWS["uri"]: False, ANSWER["uri"]: False, MORE["uri"]: True}
    assert [c.params["uris"] for c in server.calls(POSTS)] == [[MORE["uri"]]]


def test_a_reply_the_refresh_cannot_see_but_the_appview_still_has_stays(
    store: Any, bluesky_error_server: ErrorServer
) -> None:
    server = bluesky_error_server
    shop = shop_account(store, server)
    server.route(LIST, 200, {"notifications": [notification(ANSWER)]})
    server.route(THREAD, 200, {"thread": node(ANSWER, parent=node(NEWS), replies=[node(MORE)])})
    assert service(store, server).sync_account(shop).ok
    server.forget(THREAD)
    server.route(THREAD, 200, {"thread": node(NEWS, replies=[node(ANSWER)])})  # e.g. too deep
    server.route(POSTS, 200, {"posts": [MORE]})
    assert service(store, server).sync_account(shop).ok
    assert stored(store)[MORE["uri"]] is False


def test_a_customer_who_blocked_then_unblocked_the_shop_is_readable_again_after_a_refresh(
    store: Any, bluesky_error_server: ErrorServer
) -> None:
    server = bluesky_error_server
    shop = shop_account(store, server)
    question = {
        **view(
            "did:plc:fay", "3kaaaaaaaaa06", "@shop.test open on Sunday?", "2026-11-03T09:00:00Z"
        ),
        "replyCount": 0,
    }
    server.route(LIST, 200, {"notifications": [notification(question, "mention")]})
    server.route(THREAD, 200, {"thread": node(question)})
    assert service(store, server).sync_account(shop).ok  # a lone question, nobody answered
    server.forget(LIST)
    server.route(LIST, 200, {"notifications": []})
    server.forget(THREAD)

    server.route(THREAD, 200, {"thread": {  # Fay blocks the shop
        "$type": "app.bsky.feed.defs#blockedPost", "uri": question["uri"], "blocked": True,
        "author": {"did": "did:plc:fay", "viewer": {"blockedBy": True}}}})  # fmt: skip
    assert service(store, server).sync_account(shop).ok
    (hidden,) = store.thread_posts(store.stored_post(shop.id, question["uri"]).thread_id)
    assert hidden.post.blocked and hidden.post.text == "@shop.test open on Sunday?"

    server.forget(THREAD)  # and lifts the block: the refresh still asks about the post
    server.route(THREAD, 200, {"thread": node(question)})
    assert service(store, server).sync_account(shop).ok
    back = store.stored_post(shop.id, question["uri"]).post
    assert not back.deleted and back.unavailable is None


def test_a_post_hidden_by_a_block_then_deleted_reads_as_deleted(
    store: Any, bluesky_error_server: ErrorServer
) -> None:
    server = bluesky_error_server
    shop = shop_account(store, server)
    question = {
        **view("did:plc:gus", "3kaaaaaaaaa07", "@shop.test gluten free?", "2026-11-03T09:00:00Z"),
        "replyCount": 0,
    }
    server.route(LIST, 200, {"notifications": [notification(question, "mention")]})
    server.route(THREAD, 200, {"thread": {
        "$type": "app.bsky.feed.defs#blockedPost", "uri": question["uri"], "blocked": True,
        "author": {"did": "did:plc:gus", "viewer": {"blockedBy": True}}}})  # fmt: skip
    assert service(store, server).sync_account(shop).ok  # stored, then hidden by a block
    assert store.stored_post(shop.id, question["uri"]).post.blocked
    server.forget(LIST)
    server.route(LIST, 200, {"notifications": []})
    server.forget(THREAD)

    server.route(THREAD, 400, {"error": "NotFound", "message": "Post not found"})  # deleted
    assert service(store, server).sync_account(shop).ok

    gone = store.stored_post(shop.id, question["uri"]).post
    assert gone.deleted and not gone.blocked and gone.text == "@shop.test gluten free?"
