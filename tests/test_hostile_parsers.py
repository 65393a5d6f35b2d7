"""Whatever a server sends, the parsers answer with a Post or a BadResponse, nothing else.

Property-based: hypothesis builds real-looking Mastodon statuses and Bluesky
notifications / post views / threads, then replaces any field with any JSON
value (a number where a string belongs, null ids, a missing `account`, lists
where objects belong...) or throws arbitrary JSON at the parser. A shop owner
must never see the crash dialog because a fork or a proxy sent odd JSON, and
whatever comes out must be safe to store and to show.
"""

from __future__ import annotations

import contextlib
import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.errors import BadResponse
from app.core.models import Post
from app.net import bluesky_parse as bp
from app.net import mastodon_parse as mp
from app.net.bluesky import decode_cursor
from app.net.http import decode_json

# ---------------------------------------------------------------- strategies

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            "javascript:alert(1)",
            "file:///etc/passwd",
            "9999-12-31T23:59:59-12:00",
            "0001-01-01T00:00:00+14:00",
            "at://",
            "at://x/y/z",
            "did:plc:x",
            "<script>alert(1)</script>",
            "2024-05-01T09:00:00Z",
            "mention",
        ]
    ),
)
ANY_JSON = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)

FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def mastodon_status(status_id: str = "101") -> dict[str, Any]:
    account = {
        "id": "7",
        "acct": "dana@town.example",
        "display_name": "Dana",
        "url": "https://town.example/@dana",
    }
    return {
        "id": status_id,
        "created_at": "2024-05-01T09:00:00.000Z",
        "account": account,
        "content": "<p>@shop the cake was <b>late</b> https://town.example/x</p>",
        "url": "https://town.example/@dana/101",
        "uri": "https://town.example/users/dana/1",
        "in_reply_to_id": None,
        "visibility": "public",
        "spoiler_text": "",
        "media_attachments": [
            {"type": "image", "url": "https://cdn.example/a.png", "description": "the cake"}
        ],
        "mentions": [{"acct": "shop", "id": "1"}],
        "language": "en",
        "edited_at": None,
        "reblog": None,
        "quote": None,
    }


def bluesky_notification() -> dict[str, Any]:
    uri = "at://did:plc:dana/app.bsky.feed.post/3kaaaaaaaaa22"
    return {
        "uri": uri,
        "cid": "bafy",
        "reason": "mention",
        "indexedAt": "2024-05-01T09:00:00.000Z",
        "author": {"did": "did:plc:dana", "handle": "dana.test", "displayName": "Dana"},
        "record": {
            "$type": "app.bsky.feed.post",
            "text": "@shop.test where is my order?",
            "createdAt": "2024-05-01T09:00:00.000Z",
            "langs": ["en"],
            "facets": [
                {
                    "index": {"byteStart": 0, "byteEnd": 10},
                    "features": [
                        {"$type": "app.bsky.richtext.facet#mention", "did": "did:plc:shop"}
                    ],
                }
            ],
            "embed": {
                "$type": "app.bsky.embed.images",
                "images": [{"alt": "receipt", "fullsize": "https://cdn.example/r.jpg"}],
            },
            "reply": {"root": {"uri": uri, "cid": "r"}, "parent": {"uri": uri, "cid": "p"}},
        },
    }


def paths_of(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path into a JSON value (so any field, however deep, can be broken)."""
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, inner in value.items():
            found += paths_of(inner, (*prefix, key))
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            found += paths_of(inner, (*prefix, i))
    return found


@st.composite
def broken(draw: st.DrawFn, good: dict[str, Any]) -> Any:
    """`good` with 1-3 fields replaced by any JSON value, or deleted."""
    value = copy.deepcopy(good)
    for _ in range(draw(st.integers(1, 3))):
        paths = paths_of(value)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = value
        for key in path[:-1]:
            parent = parent[key]
        if isinstance(parent, dict) and draw(st.booleans()):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(ANY_JSON)
    return value


def assert_safe(post: Post) -> None:
    """What comes out can be stored (UTF-8) and shown (no script: or file: links)."""
    for text in (
        post.remote_id,
        post.text,
        post.url,
        post.author.handle,
        post.author.display_name,
        post.author.remote_id,
        post.content_warning,
        post.raw_json,
        *(m.label for m in post.media),
        *(m.url for m in post.media),
    ):
        assert isinstance(text, str)
        text.encode("utf-8")  # raises on lone surrogates SQLite and Qt cannot take
    for url in (post.url, *(m.url for m in post.media)):
        assert url == "" or url.lower().startswith(("https://", "http://")), url
    assert post.created_at.tzinfo is not None


def outcome(parse: Any, value: Any) -> list[Post]:
    """Run a parser: the Posts it made, or [] when it said BadResponse. Anything else fails."""
    try:
        result = parse(value)
    except BadResponse as exc:
        assert exc.user_message  # a plain sentence for the account
        return []
    if isinstance(result, Post):
        return [result]
    if isinstance(result, tuple):  # parse_context
        return [*result[0], *result[1]]
    return [p for p in result if isinstance(p, Post)] + [
        item.post for item in result if not isinstance(item, Post) and item.post is not None
    ]


# ---------------------------------------------------------------- Mastodon


@FAST
@given(broken(mastodon_status()))
def test_a_mastodon_status_with_any_field_broken_is_a_post_or_bad_response(status: Any) -> None:
    for post in outcome(mp.parse_status, status):
        assert_safe(post)


@FAST
@given(
    st.lists(st.one_of(broken(mastodon_status()), ANY_JSON), max_size=3),
    st.sampled_from(["mention", "follow", 3, None]),
)
def test_a_notifications_page_of_odd_items_never_crashes(statuses: list[Any], kind: Any) -> None:
    page = [{"id": str(i + 1), "type": kind, "status": s} for i, s in enumerate(statuses)]
    for post in outcome(mp.parse_notifications, page):
        assert_safe(post)


@FAST
@given(ANY_JSON)
def test_any_json_at_all_is_a_post_or_bad_response_for_every_mastodon_parser(value: Any) -> None:
    for parse in (mp.parse_status, mp.parse_notifications, mp.parse_context):
        for post in outcome(parse, value):
            assert_safe(post)
    for other in (mp.parse_credentials, lambda v: mp.parse_instance_limits(v, "instance")):
        with contextlib.suppress(BadResponse):
            other(value)


@FAST
@given(st.binary(max_size=300))
def test_any_bytes_as_a_body_give_json_or_bad_response(body: bytes) -> None:
    with contextlib.suppress(BadResponse):
        mp.load_json(body, "GET /api/v1/notifications")
    assert isinstance(mp.error_message(body), str)


@FAST
@given(st.text(max_size=400))
def test_any_html_becomes_plain_text(html: str) -> None:
    text = mp.html_to_text(html)
    assert "\x00" not in text
    text.encode("utf-8", "surrogatepass")


@pytest.mark.parametrize(
    "moment",
    ["9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00", "2024-13-01T00:00:00Z", "yesterday"],
)
def test_a_time_at_the_edge_of_the_calendar_is_a_bad_response(moment: str) -> None:
    status = mastodon_status()
    status["created_at"] = moment
    with pytest.raises(BadResponse):
        mp.parse_status(status)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "file:///home/shop/.ssh/id_rsa",
        "data:text/html,<script>x</script>",
        "  JavaScript:x",
    ],
)
def test_dangerous_link_schemes_never_reach_a_post(url: str) -> None:
    status = mastodon_status()
    status["url"] = url
    status["uri"] = url
    status["media_attachments"] = [{"type": "image", "url": url, "remote_url": url}]
    post = mp.parse_status(status)
    assert post.url == ""
    assert [m.url for m in post.media] == [""]
    assert_safe(post)


def test_lone_surrogates_from_json_escapes_become_replacement_characters() -> None:
    body = json.dumps(mastodon_status()).replace("the cake", "the \\ud83d cake").encode()
    post = mp.parse_status(mp.load_json(body, "status"))
    assert "\ufffd" in post.text
    assert_safe(post)


def test_json_nested_a_hundred_thousand_deep_is_a_bad_response() -> None:
    for body in (b"[" * 100_000, b'{"a":' * 100_000 + b"1" + b"}" * 100_000):
        with pytest.raises(BadResponse):
            mp.load_json(body, "status")
        with pytest.raises(BadResponse):
            decode_json(body.decode(), "xrpc")


@pytest.mark.timeout(30)  # was quadratic: minutes for a hostile page; linear: well under 1 s
def test_a_post_of_100000_characters_in_many_paragraphs_parses_quickly() -> None:
    status = mastodon_status()
    status["content"] = "<p>ab</p>" * 60_000 + "<br>" * 20_000 + "</p>" * 20_000
    post = mp.parse_status(status)
    assert post.text.startswith("ab\n\nab")


# ---------------------------------------------------------------- Bluesky


def bluesky_view() -> dict[str, Any]:
    view = bluesky_notification()
    view.pop("reason")
    view["embed"] = {
        "$type": "app.bsky.embed.recordWithMedia#view",
        "record": {
            "record": {
                "uri": view["uri"],
                "author": {"handle": "x.test"},
                "value": {"text": "quoted"},
            }
        },
        "media": {
            "$type": "app.bsky.embed.images#view",
            "images": [{"alt": "a", "fullsize": "https://cdn.example/f"}],
        },
    }
    return view


def bluesky_thread() -> dict[str, Any]:
    anchor = bluesky_view()
    reply = bluesky_view()
    reply["uri"] = "at://did:plc:shop/app.bsky.feed.post/3kaaaaaaaaa23"
    return {
        "thread": {
            "$type": "app.bsky.feed.defs#threadViewPost",
            "post": anchor,
            "parent": {
                "$type": "app.bsky.feed.defs#notFoundPost",
                "uri": anchor["uri"],
                "notFound": True,
            },
            "replies": [
                {"$type": "app.bsky.feed.defs#threadViewPost", "post": reply, "replies": []}
            ],
        }
    }


@FAST
@given(broken(bluesky_notification()))
def test_a_bluesky_notification_with_any_field_broken_is_a_post_or_bad_response(item: Any) -> None:
    for post in outcome(bp.parse_notification, item):
        assert_safe(post)
    with contextlib.suppress(BadResponse):
        bp.notification_stamp(item)


@FAST
@given(broken(bluesky_view()))
def test_a_bluesky_post_view_with_any_field_broken_is_a_post_or_bad_response(view: Any) -> None:
    for post in outcome(bp.parse_post_view, view):
        assert_safe(post)


@FAST
@given(broken(bluesky_thread()))
def test_a_bluesky_thread_with_any_field_broken_is_posts_or_bad_response(body: Any) -> None:
    for post in outcome(bp.parse_thread, body):
        assert_safe(post)


@FAST
@given(ANY_JSON)
def test_any_json_at_all_is_a_post_or_bad_response_for_every_bluesky_parser(value: Any) -> None:
    for parse in (bp.parse_notification, bp.parse_post_view, bp.parse_thread):
        for post in outcome(parse, value):
            assert_safe(post)
    assert isinstance(bp.media_from_embed(value, "https://bsky.app/x"), tuple)
    raw = json.dumps(value)
    assert bp.root_ref_from_raw(raw) is None or isinstance(bp.root_ref_from_raw(raw), dict)
    with contextlib.suppress(BadResponse):
        decode_cursor(raw)


def test_a_thread_nested_ten_thousand_replies_deep_is_read_without_a_stack_overflow() -> None:
    body = bluesky_thread()
    node = body["thread"]
    for i in range(10_000):
        child = {
            "$type": "app.bsky.feed.defs#threadViewPost",
            "post": {**bluesky_view(), "uri": f"at://did:plc:x/app.bsky.feed.post/r{i}"},
            "replies": [],
        }
        node["replies"] = [child]
        node = child
    posts = bp.parse_thread(body)
    assert len(posts) >= 2
    for post in posts[:3]:
        assert_safe(post)
