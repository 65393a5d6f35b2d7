"""Error paths the real network cannot produce on demand, against tests/bluesky_error_server.py."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from app.core.errors import (
    AuthError,
    BadResponse,
    NotFound,
    RateLimited,
    ServerError,
    TooLong,
    WrongCredentials,
)
from app.core.models import Author, Network, Post
from app.core.outbox import new_tid
from app.net.bluesky import BlueskyClient, encode_cursor
from app.net.bluesky_parse import parse_datetime
from app.net.bluesky_session import APP_PASSWORD_HINT, login
from tests.bluesky_error_server import ErrorServer

DID = "did:plc:shop"
LIST = "app.bsky.notification.listNotifications"


def _client(server: ErrorServer, saved: list[Any] | None = None) -> BlueskyClient:
    store = saved if saved is not None else []
    return BlueskyClient(
        server.url,
        DID,
        "access-1",
        "refresh-1",
        lambda a, r: store.append((a, r)),
        handle="shop.test",
    )


def _note(n: int, when: str, reason: str = "mention") -> dict[str, Any]:
    return {
        "uri": f"at://did:plc:c{n}/app.bsky.feed.post/3kaaaaaaaaa{n:02d}",
        "cid": f"cid{n}",
        "author": {"did": f"did:plc:c{n}", "handle": f"c{n}.test"},
        "reason": reason,
        "record": {"$type": "app.bsky.feed.post", "text": f"hi {n}", "createdAt": when},
        "indexedAt": when,
        "isRead": False,
        "labels": [],
    }


def _parent() -> Post:
    return Post(
        Network.BLUESKY,
        "at://did:plc:c1/app.bsky.feed.post/3kaaaaaaaaa01",
        Author(Network.BLUESKY, "did:plc:c1", "c1.test"),
        "hi",
        parse_datetime("2026-01-01T00:00:00Z"),
        cid="cid1",
    )


def test_429_with_ratelimit_headers_waits_until_reset(bluesky_error_server: ErrorServer) -> None:
    reset = int(time.time()) + 120
    bluesky_error_server.route(
        LIST,
        429,
        {"error": "RateLimitExceeded", "message": "slow"},
        headers={
            "RateLimit-Limit": "3000",
            "RateLimit-Remaining": "0",
            "RateLimit-Reset": str(reset),
            "RateLimit-Policy": "3000;w=300",
        },
    )
    client = _client(bluesky_error_server)
    with pytest.raises(RateLimited) as info:
        client.mentions(None)
    assert 100 <= info.value.retry_after <= 121
    with pytest.raises(RateLimited):  # remembered: no second request before the reset
        client.mentions(None)
    assert len(bluesky_error_server.calls(LIST)) == 1


def test_last_allowed_request_holds_the_next_one(bluesky_error_server: ErrorServer) -> None:
    bluesky_error_server.route(
        LIST,
        200,
        {"notifications": []},
        headers={"RateLimit-Remaining": "0", "RateLimit-Reset": str(int(time.time()) + 60)},
    )
    client = _client(bluesky_error_server)
    assert client.mentions(None).posts == []
    with pytest.raises(RateLimited) as info:
        client.mentions(None)
    assert 50 <= info.value.retry_after <= 61
    assert len(bluesky_error_server.calls(LIST)) == 1


def test_429_retry_after_header(bluesky_error_server: ErrorServer) -> None:
    bluesky_error_server.route(
        LIST, 429, {"error": "RateLimitExceeded"}, headers={"Retry-After": "7"}
    )
    with pytest.raises(RateLimited) as info:
        _client(bluesky_error_server).mentions(None)
    assert info.value.retry_after == pytest.approx(7, abs=1)


@pytest.mark.parametrize("status", [500, 502, 503])
def test_5xx_is_server_error(bluesky_error_server: ErrorServer, status: int) -> None:
    bluesky_error_server.route(LIST, status, {"error": "InternalServerError"})
    with pytest.raises(ServerError):
        _client(bluesky_error_server).mentions(None)


def test_html_error_page_from_a_proxy(bluesky_error_server: ErrorServer) -> None:
    page = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
    bluesky_error_server.route(LIST, 502, raw=page, content_type="text/html")
    with pytest.raises(ServerError):
        _client(bluesky_error_server).mentions(None)
    bluesky_error_server.route(
        "app.bsky.feed.getPostThread", 400, raw=page, content_type="text/html"
    )
    with pytest.raises(BadResponse):
        _client(bluesky_error_server).thread(_parent())


@pytest.mark.parametrize(
    "raw", [b"{not json", b"<html>ok</html>", b"[]", b'{"notifications": "nope"}']
)  # one bad item: test_bluesky_edges
def test_malformed_success_bodies_are_bad_responses(
    bluesky_error_server: ErrorServer, raw: bytes
) -> None:
    bluesky_error_server.route(LIST, 200, raw=raw)
    with pytest.raises(BadResponse):
        _client(bluesky_error_server).mentions(None)


def test_expired_token_refreshes_once_saves_and_retries(bluesky_error_server: ErrorServer) -> None:
    srv = bluesky_error_server
    srv.route(LIST, 400, {"error": "ExpiredToken", "message": "Token has expired"})
    srv.route(LIST, 200, {"notifications": [_note(1, "2026-01-01T00:00:00.000Z")]})
    srv.route(
        "com.atproto.server.refreshSession",
        200,
        {"accessJwt": "access-2", "refreshJwt": "refresh-2", "did": DID, "handle": "shop.test"},
    )
    saved: list[Any] = []
    batch = _client(srv, saved).mentions(None)
    assert len(batch.posts) == 1 and saved == [("access-2", "refresh-2")]
    refresh = srv.calls("com.atproto.server.refreshSession")
    assert len(refresh) == 1 and refresh[0].method == "POST" and refresh[0].body == b""
    assert refresh[0].headers["Authorization"] == "Bearer refresh-1"
    auth = [c.headers["Authorization"] for c in srv.calls(LIST)]
    assert auth == ["Bearer access-1", "Bearer access-2"]


def test_failed_refresh_means_sign_in_again(bluesky_error_server: ErrorServer) -> None:
    srv = bluesky_error_server
    srv.route(LIST, 400, {"error": "ExpiredToken"})
    srv.route("com.atproto.server.refreshSession", 400, {"error": "ExpiredToken"})
    saved: list[Any] = []
    with pytest.raises(AuthError) as info:
        _client(srv, saved).mentions(None)
    assert type(info.value) is AuthError and saved == []


def test_invalid_token_is_auth_error(bluesky_error_server: ErrorServer) -> None:
    bluesky_error_server.route(LIST, 400, {"error": "InvalidToken", "message": "bad"})
    with pytest.raises(AuthError):
        _client(bluesky_error_server).mentions(None)
    assert not bluesky_error_server.calls("com.atproto.server.refreshSession")


@pytest.mark.parametrize(
    ("status", "error", "kind", "words"),
    [
        (401, "AuthenticationRequired", WrongCredentials, "handle or password"),
        (401, "AuthFactorTokenRequired", WrongCredentials, "app password"),
        (401, "AccountTakedown", AuthError, "taken down"),
    ],
)
def test_login_errors(
    bluesky_error_server: ErrorServer, status: int, error: str, kind: type[Exception], words: str
) -> None:
    bluesky_error_server.route(
        "com.atproto.server.createSession", status, {"error": error, "message": "no"}
    )
    with pytest.raises(kind) as info:
        login("shop.test", "pw", pds_url=bluesky_error_server.url)
    assert words in info.value.user_message
    if error == "AuthFactorTokenRequired":
        assert info.value.user_message == APP_PASSWORD_HINT
    assert b"pw" in bluesky_error_server.calls("com.atproto.server.createSession")[0].body


def test_paging_walks_short_pages_until_the_stored_cursor(
    bluesky_error_server: ErrorServer,
) -> None:
    srv = bluesky_error_server
    seen = _note(1, "2026-01-01T10:00:00.000Z")
    stored = encode_cursor(
        parse_datetime(seen["indexedAt"]), {seen["uri"]: parse_datetime(seen["indexedAt"])}
    )
    srv.route(
        LIST,
        200,
        {
            "notifications": [_note(4, "2026-01-01T12:00:00.000Z")],
            "cursor": "2026-01-01T12:00:00.000Z",
        },
    )
    srv.route(LIST, 200, {"notifications": [], "cursor": "2026-01-01T11:30:00.000Z"})  # filtered
    srv.route(
        LIST,
        200,
        {
            "notifications": [
                _note(3, "2026-01-01T11:00:00.000Z", "reply"),
                seen,
                _note(0, "2026-01-01T09:00:00.000Z"),
            ],
            "cursor": "2026-01-01T09:00:00.000Z",
        },
    )
    srv.route(LIST, 200, {"notifications": [_note(9, "2026-01-01T08:00:00.000Z")]})
    batch = _client(srv).mentions(stored)
    assert [p.text for p in batch.posts] == ["hi 3", "hi 4"]  # oldest first, seen one dropped
    calls = srv.calls(LIST)
    assert len(calls) == 3, "stops once older than the stored cursor"
    assert calls[0].params["reasons"] == ["mention", "reply", "quote"]
    assert calls[0].params["priority"] == ["false"] and "cursor" not in calls[0].params
    assert calls[1].params["cursor"] == ["2026-01-01T12:00:00.000Z"]
    assert json.loads(batch.cursor)["t"].startswith("2026-01-01T12:00:00")


def test_max_items_bounds_the_first_sync(bluesky_error_server: ErrorServer) -> None:
    bluesky_error_server.route(
        LIST,
        200,
        {
            "notifications": [_note(n, f"2026-01-01T1{9 - n}:00:00.000Z") for n in range(5)],
            "cursor": "c",
        },
    )
    batch = _client(bluesky_error_server).mentions(None, max_items=3)
    assert len(batch.posts) == 3 and not batch.complete


def _parent_still_there(server: ErrorServer) -> None:
    """getPosts shows the parent: it was not deleted before the reply went out."""
    server.route(
        "app.bsky.feed.getPosts",
        200,
        {
            "posts": [
                {
                    "uri": _parent().remote_id,
                    "cid": "cid1",
                    "indexedAt": "2026-01-01T00:00:00Z",
                    "author": {"did": "did:plc:c1", "handle": "c1.test"},
                    "record": {
                        "$type": "app.bsky.feed.post",
                        "text": "hi",
                        "createdAt": "2026-01-01T00:00:00Z",
                    },
                }
            ]
        },
    )


def test_duplicate_rkey_500_returns_the_reply_already_stored(
    bluesky_error_server: ErrorServer,
) -> None:
    srv = bluesky_error_server
    _parent_still_there(srv)
    key = new_tid()
    srv.route("com.atproto.identity.resolveHandle", 400, {"error": "InvalidRequest"})
    srv.route("com.atproto.repo.createRecord", 500, {"error": "InternalServerError"})
    srv.route(
        "com.atproto.repo.getRecord",
        200,
        {
            "uri": f"at://{DID}/app.bsky.feed.post/{key}",
            "cid": "cidR",
            "value": {
                "$type": "app.bsky.feed.post",
                "text": "thanks!",
                "createdAt": "2026-01-01T00:00:00Z",
                "reply": {
                    "root": {"uri": _parent().remote_id, "cid": "cid1"},
                    "parent": {"uri": _parent().remote_id, "cid": "cid1"},
                },
            },
        },
    )
    post = _client(srv).reply(_parent(), "thanks!", key)
    assert post.remote_id.endswith(key) and post.cid == "cidR"
    sent = json.loads(srv.calls("com.atproto.repo.createRecord")[0].body)
    assert sent["rkey"] == key and sent["record"]["reply"]["parent"]["cid"] == "cid1"


def test_500_without_stored_record_stays_a_server_error(bluesky_error_server: ErrorServer) -> None:
    srv = bluesky_error_server
    _parent_still_there(srv)
    srv.route("com.atproto.repo.createRecord", 500, {"error": "InternalServerError"})
    srv.route(
        "com.atproto.repo.getRecord",
        400,
        {"error": "RecordNotFound", "message": "Could not locate record"},
    )
    with pytest.raises(ServerError):
        _client(srv).reply(_parent(), "thanks!", new_tid())
    assert _client(srv).find_reply(_parent(), "thanks!", new_tid()) is None


@pytest.mark.parametrize("text", ["x" * 301, "👨‍👩‍👧‍👦" * 150, "   "])
def test_too_long_is_refused_before_sending(bluesky_error_server: ErrorServer, text: str) -> None:
    with pytest.raises(TooLong):
        _client(bluesky_error_server).reply(_parent(), text, new_tid())
    assert bluesky_error_server.requests == []


def test_300_graphemes_of_accents_fit(bluesky_error_server: ErrorServer) -> None:
    client = _client(bluesky_error_server)
    text = "e\u0301" * 300  # 600 code points, 300 graphemes
    assert client.count_chars(text) == 300
    client.check_length(text)


def test_deleting_a_sent_reply_asks_deleterecord_for_its_own_record(
    bluesky_error_server: ErrorServer,
) -> None:
    srv = bluesky_error_server
    srv.route("com.atproto.repo.deleteRecord", 200, {})
    _client(srv).delete_post(f"at://{DID}/app.bsky.feed.post/3kabcdefghi22")
    [call] = srv.calls("com.atproto.repo.deleteRecord")
    assert call.method == "POST"
    assert json.loads(call.body) == {
        "repo": DID,
        "collection": "app.bsky.feed.post",
        "rkey": "3kabcdefghi22",
    }


def test_someone_elses_post_is_never_deleted(bluesky_error_server: ErrorServer) -> None:
    with pytest.raises(NotFound):
        _client(bluesky_error_server).delete_post(
            "at://did:plc:c1/app.bsky.feed.post/3kaaaaaaaaa01"
        )
    assert bluesky_error_server.calls("com.atproto.repo.deleteRecord") == []


def test_a_reply_meant_as_private_is_never_posted_on_bluesky(
    bluesky_error_server: ErrorServer,
) -> None:
    with pytest.raises(BadResponse, match="Bluesky has no private replies"):
        _client(bluesky_error_server).reply(_parent(), "just for you", new_tid(), private=True)
    assert bluesky_error_server.calls("com.atproto.repo.createRecord") == []
