"""Bluesky JSON -> core dataclasses (shapes as recorded from the devnet, trimmed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.core.errors import BadResponse
from app.core.models import Unavailable
from app.core.outbox import new_tid
from app.net.bluesky import decode_cursor, encode_cursor, rkey_for
from app.net.bluesky_parse import (
    UNAVAILABLE_TEXT,
    is_tid,
    parse_datetime,
    parse_notification,
    parse_thread,
    root_ref_from_raw,
    tid_datetime,
)

A = "at://did:plc:ann/app.bsky.feed.post/3kaaaaaaaaa22"
B = "at://did:plc:bob/app.bsky.feed.post/3kaaaaaaaaa23"
C = "at://did:plc:ann/app.bsky.feed.post/3kaaaaaaaaa24"


def view(
    uri: str, text: str, *, parent: str | None = None, root: str | None = None, embed: Any = None
) -> dict[str, Any]:
    did = uri.split("/")[2]
    record: dict[str, Any] = {
        "$type": "app.bsky.feed.post",
        "text": text,
        "createdAt": "2026-11-22T20:42:05.363Z",
        "langs": ["fr"],
    }
    if parent:
        record["reply"] = {
            "root": {"uri": root or parent, "cid": "cr"},
            "parent": {"uri": parent, "cid": "cp"},
        }
    out = {
        "uri": uri,
        "cid": "c-" + uri[-2:],
        "record": record,
        "author": {"did": did, "handle": did.split(":")[-1] + ".test", "displayName": "Ann B"},
        "indexedAt": "2026-11-22T20:42:05.400Z",
    }
    if embed is not None:
        out["embed"] = embed
    return out


def test_notification_reply_detected_from_record_not_reason() -> None:
    item = {**view(B, "Also @shop.test", parent=A), "reason": "mention", "isRead": False}
    post = parse_notification(item)
    assert post.is_mention and post.parent_remote_id == A and post.root_remote_id == A
    assert post.author.display_name == "Ann B" and post.language == "fr"
    assert post.created_at == datetime(2026, 11, 22, 20, 42, 5, 363000, tzinfo=UTC)
    assert post.url == "https://bsky.app/profile/bob.test/post/3kaaaaaaaaa23"
    assert root_ref_from_raw(post.raw_json) == {"uri": A, "cid": "cr"}


def test_broken_notification_is_bad_response() -> None:
    for item in (
        {"uri": A},
        {"uri": A, "author": {}, "record": {}},
        "x",
        {"uri": "https://x", "author": {"did": "did:plc:a"}, "record": {}},
    ):
        with pytest.raises(BadResponse):
            parse_notification(item)


def test_thread_with_missing_and_blocked_nodes() -> None:
    body = {
        "thread": {
            "$type": "app.bsky.feed.defs#threadViewPost",
            "post": view(C, "me", parent=B, root=A),
            "parent": {
                "$type": "app.bsky.feed.defs#threadViewPost",
                "post": view(B, "b", parent=A),
                "parent": {"$type": "app.bsky.feed.defs#notFoundPost", "uri": A, "notFound": True},
            },
            "replies": [
                {
                    "$type": "app.bsky.feed.defs#blockedPost",
                    "uri": B[:-2] + "25",
                    "blocked": True,
                    "author": {"did": "did:plc:bob"},
                },
                {
                    "$type": "app.bsky.feed.defs#threadViewPost",
                    "post": view(B[:-2] + "26", "r", parent=C, root=A),
                    "replies": [{"$type": "something#new"}],
                },
            ],
        }
    }
    posts = parse_thread(body)
    assert [p.remote_id for p in posts] == [A, B, C, B[:-2] + "25", B[:-2] + "26"]
    assert posts[0].deleted and posts[0].text == UNAVAILABLE_TEXT
    assert posts[3].deleted and posts[3].parent_remote_id == C and posts[3].root_remote_id == A
    assert posts[3].created_at == tid_datetime("3kaaaaaaaaa25")
    assert not posts[2].deleted and posts[2].parent_remote_id == B


def test_a_blocked_node_says_it_is_blocked_and_a_missing_one_that_it_is_not_found() -> None:
    blocked = {
        "$type": "app.bsky.feed.defs#blockedPost",
        "uri": B,
        "blocked": True,
        "author": {"did": "did:plc:bob", "viewer": {"blockedBy": True}},
    }
    gone = {"$type": "app.bsky.feed.defs#notFoundPost", "uri": A, "notFound": True}
    (anchor,) = parse_thread({"thread": blocked})
    assert anchor.deleted and anchor.blocked and anchor.unavailable is Unavailable.BLOCKED
    assert anchor.author.remote_id == "did:plc:bob"
    (missing,) = parse_thread({"thread": gone})
    assert missing.deleted and not missing.blocked
    assert missing.unavailable is Unavailable.NOT_FOUND
    untyped = {"uri": B, "blocked": True, "author": {"did": "did:plc:bob"}}  # no $type
    assert parse_thread({"thread": untyped})[0].unavailable is Unavailable.BLOCKED
    (readable,) = parse_thread({"thread": {"post": view(B, "hello")}})
    assert readable.unavailable is None and not readable.deleted


def test_embeds_become_labelled_links_never_loaded() -> None:
    embed = {
        "$type": "app.bsky.embed.recordWithMedia#view",
        "record": {
            "record": {"uri": A, "author": {"handle": "ann.test"}, "value": {"text": "original"}}
        },
        "media": {
            "$type": "app.bsky.embed.images#view",
            "images": [{"alt": "a cup", "thumb": "https://cdn/t", "fullsize": "https://cdn/f"}],
        },
    }
    (post,) = parse_thread({"thread": {"post": view(B, "look", embed=embed)}})
    assert [(m.label, m.url) for m in post.media] == [
        (
            "Quoted post by @ann.test: original",
            "https://bsky.app/profile/ann.test/post/3kaaaaaaaaa22",
        ),
        ("Image: a cup", "https://cdn/f"),
    ]
    ext = {"$type": "app.bsky.embed.external", "external": {"uri": "javascript:x", "title": "t"}}
    assert parse_thread({"thread": {"post": view(B, "x", embed=ext)}})[0].media == ()


TICK = timedelta(milliseconds=1)  # the TID's float microseconds, rounded either way


def test_tids_and_idempotency_keys() -> None:
    before = datetime.now(UTC)
    tid = new_tid()  # the generator the outbox uses for Bluesky replies
    after = datetime.now(UTC)
    assert is_tid(tid) and rkey_for(tid) == tid
    assert before - TICK <= tid_datetime(tid) <= after + TICK  # it carries the time it was made
    assert new_tid() > tid
    mapped = rkey_for("outbox-42")
    assert is_tid(mapped) and mapped == rkey_for("outbox-42") != rkey_for("outbox-43")


def test_datetimes_and_cursor_round_trip() -> None:
    assert parse_datetime("2026-11-22T20:50:02.796123456Z").microsecond == 796123
    assert parse_datetime("2026-11-22T20:50:02").tzinfo is UTC
    assert parse_datetime("yesterday") is None
    now = datetime(2026, 1, 1, 12, tzinfo=UTC)
    old = datetime(2026, 1, 1, 11, tzinfo=UTC)
    cursor = encode_cursor(now, {A: now, B: old})
    newest, seen = decode_cursor(cursor)
    assert newest == now and seen == {A: now}, "only the overlap window is remembered"
    with pytest.raises(BadResponse):
        decode_cursor("12345")
