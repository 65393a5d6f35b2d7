"""Mastodon JSON and HTML -> core dataclasses: safe text, kept details, typed failures."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from app.core.errors import BadResponse
from app.net.mastodon_parse import (
    html_to_text,
    narrower,
    parse_context,
    parse_credentials,
    parse_instance_limits,
    parse_notifications,
    parse_status,
)

SPLIT_URL = (
    '<p>New stock: <a href="https://shop.example/products/blue-teapot-2024" rel="nofollow">'
    '<span class="invisible">https://</span><span class="ellipsis">shop.example/products/blu'
    '</span><span class="invisible">e-teapot-2024</span></a> !</p>'
)


@pytest.mark.parametrize(
    ("html", "text"),
    [
        (SPLIT_URL, "New stock: https://shop.example/products/blue-teapot-2024 !"),
        ("<p>one<br>two<br />three</p><p>next para</p>", "one\ntwo\nthree\n\nnext para"),
        (
            '<p><span class="h-card"><a href="https://x.example/@al" class="u-url mention">'
            "@<span>al</span></a></span> hi</p>",
            "@al hi",
        ),
        ("<p>love it :blobcat: :shop_heart:</p>", "love it :blobcat: :shop_heart:"),
        (
            '<p>hi <img class="emoji" alt=":blob:" src="https://cdn.example/blob.png"></p>',
            "hi :blob:",
        ),
        ('<p>see <img src="https://tracker.example/pixel.gif" alt="tracking pixel"></p>', "see"),
        ("<p>hi<script>alert('x')</script> there</p>", "hi there"),
        ("<p>a<style>p{color:red}</style>b</p>", "ab"),
        ("<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</p>", "<script>alert(1)</script> & co"),
        ("<p>tab\tand   many\n  spaces</p>", "tab and many spaces"),
        ("<ul><li>tea</li><li>cake</li></ul><p>end</p>", "- tea\n- cake\n\nend"),
        ("<p>ctrl\x07chars\x1b[31m</p>", "ctrlchars[31m"),
        ("<p>caf&eacute; &#x1F600;</p>", "café 😀"),
        ("", ""),
        ("plain text, no tags", "plain text, no tags"),
        ("<p>unclosed <b>bold", "unclosed bold"),
    ],
)
def test_html_to_text(html: str, text: str) -> None:
    assert html_to_text(html) == text


def test_quote_inline_dropped_only_for_quotes() -> None:
    html = (
        '<p class="quote-inline">RE: <a href="https://x.example/1">x.example/1</a></p><p>Agreed</p>'
    )
    assert html_to_text(html, drop_quote_inline=True) == "Agreed"
    assert html_to_text(html).startswith("RE: x.example/1")


def status_json(**overrides: object) -> dict:
    base = {
        "id": "109",
        "uri": "https://remote.example/users/al/statuses/109",
        "url": "https://remote.example/@al/109",
        "created_at": "2024-05-01T10:20:30.123Z",
        "account": {
            "id": "7",
            "username": "al",
            "acct": "al@remote.example",
            "display_name": "Al Baker",
        },
        "content": "<p>Broken lid :(</p>",
        "visibility": "unlisted",
        "sensitive": True,
        "spoiler_text": "complaint",
        "in_reply_to_id": "100",
        "language": "en",
        "edited_at": "2024-05-01T11:00:00Z",
        "media_attachments": [
            {
                "id": "1",
                "type": "image",
                "url": "https://cdn.example/lid.jpg",
                "description": "A cracked teapot lid",
            },
            {"id": "2", "type": "video", "url": "https://cdn.example/v.mp4", "description": None},
        ],
        "mentions": [
            {"id": "1", "username": "shop", "acct": "shop", "url": "u"},
            {"id": "9", "username": "bo", "acct": "bo@else.example", "url": "u"},
        ],
        "emojis": [],
        "tags": [],
        "reblog": None,
        "quote": None,
    }
    base.update(overrides)
    return base


def test_status_fields() -> None:
    post = parse_status(status_json(), is_mention=True)
    assert post.remote_id == "109"
    assert post.author.handle == "@al@remote.example"
    assert post.author.display_name == "Al Baker"
    assert post.text == "Broken lid :("
    assert post.content_warning == "complaint"
    assert post.visibility == "unlisted"
    assert post.parent_remote_id == "100"
    assert post.language == "en"
    assert post.url == "https://remote.example/@al/109"
    assert post.created_at == datetime(2024, 5, 1, 10, 20, 30, 123000, tzinfo=UTC)
    assert post.edited_at == datetime(2024, 5, 1, 11, 0, tzinfo=UTC)
    assert post.mentions == ("@shop", "@bo@else.example")
    assert [m.label for m in post.media] == ["Image: A cracked teapot lid", "Video"]
    assert post.media[0].url == "https://cdn.example/lid.jpg"
    assert post.is_mention
    assert json.loads(post.raw_json)["id"] == "109"


def test_reblog_is_unwrapped_and_quote_paragraph_dropped() -> None:
    inner = status_json(
        id="5",
        content='<p class="quote-inline">RE: x</p><p>yes</p>',
        quote={"state": "accepted", "quoted_status": None},
    )
    post = parse_status(status_json(id="6", reblog=inner))
    assert (post.remote_id, post.text) == ("5", "yes")


BAD_STATUSES = [
    ("id", 109, "status.id: expected a string, got int"),
    ("id", None, "status.id: expected a string, got NoneType"),
    ("id", "", "status.id: empty id"),
    ("account", None, "status.account: expected an object"),
    ("content", 5, "status.content: expected a string"),
    ("created_at", "yesterday", "status.created_at: not an ISO 8601 time"),
    ("in_reply_to_id", 100, "status.in_reply_to_id: expected a string"),
    ("media_attachments", "none", "status.media_attachments: expected a list"),
    ("mentions", [{"acct": None}], "status.mentions[0].acct: expected a string"),
]


@pytest.mark.parametrize(("key", "value", "message"), BAD_STATUSES)
def test_wrong_types_are_bad_responses(key: str, value: object, message: str) -> None:
    with pytest.raises(BadResponse, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_status(status_json(**{key: value}))


def test_missing_account_is_bad_response() -> None:
    data = status_json()
    del data["account"]
    with pytest.raises(BadResponse, match=r"status\.account"):
        parse_status(data)


def test_notifications_page() -> None:
    page = [
        {"id": "12", "type": "mention", "status": status_json(id="50")},
        {"id": "11", "type": "favourite", "status": status_json(id="49")},
        {"id": "10", "type": "mention", "status": None},
    ]
    items = parse_notifications(page).items
    assert [i.id for i in items] == ["12", "11", "10"]
    assert [i.post.remote_id if i.post else None for i in items] == ["50", None, None]
    assert items[0].post is not None and items[0].post.is_mention
    with pytest.raises(BadResponse, match="expected a list"):
        parse_notifications({"error": "nope"})


def test_one_unreadable_notification_is_skipped_with_its_field_and_id_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    page = [
        {"id": "13", "type": "mention", "status": status_json(id="51")},
        {"id": "12", "type": "mention", "status": status_json(id="50")},
        {"id": 7, "type": "mention"},
    ]
    page[1]["status"]["account"]["id"] = None
    page[1]["status"]["content"] = "<p>secret customer words</p>"
    with caplog.at_level("WARNING"):
        parsed = parse_notifications(page)
    assert [(i.id, i.post.remote_id if i.post else None, i.unreadable) for i in parsed.items] == [
        ("13", "51", False),
        ("12", None, True),
    ]
    assert parsed.unreadable == 2
    assert "notifications[1].status.account.id" in caplog.text and " 12 " in caplog.text
    assert "secret customer words" not in caplog.text


def test_quotes_of_the_shop_join_the_inbox_with_the_quoted_post() -> None:
    shop_post = status_json(id="40", content="<p>Fresh bread at 8</p>")
    quote = status_json(
        id="52",
        content="<p>Best in town!</p>",
        quote={"state": "accepted", "quoted_status": shop_post},
    )
    parsed = parse_notifications(
        [
            {"id": "14", "type": "quote", "status": quote},
            {"id": "15", "type": "quoted_update", "status": quote},
        ]
    )
    post = parsed.items[0].post
    assert post is not None and post.is_mention and post.text == "Best in town!"
    assert any(
        m.label.startswith("Quoted post by @") and "Fresh bread at 8" in m.label for m in post.media
    )
    assert parsed.items[1].post is not None


def test_context_credentials_and_limits() -> None:
    ancestors, descendants = parse_context({"ancestors": [status_json(id="1")], "descendants": []})
    assert [p.remote_id for p in ancestors] == ["1"] and descendants == []
    with pytest.raises(BadResponse):
        parse_context({"ancestors": None, "descendants": []})
    creds = parse_credentials({"id": "1", "acct": "shop", "source": {"privacy": "private"}})
    assert (creds.author.handle, creds.default_visibility) == ("@shop", "private")
    assert parse_credentials({"id": "1", "acct": "shop"}).default_visibility == "public"
    v2 = {
        "configuration": {"statuses": {"max_characters": 5000, "characters_reserved_per_url": 30}}
    }
    assert parse_instance_limits(v2, "v2") == (5000, 30)
    assert parse_instance_limits({"max_toot_chars": 1000}, "v1") == (1000, 23)
    assert parse_instance_limits({"configuration": {}}, "v1") is None
    with pytest.raises(BadResponse):
        parse_instance_limits({"configuration": {"statuses": {"max_characters": "lots"}}}, "v2")


@pytest.mark.parametrize(
    ("parent", "default", "expected"),
    [
        ("public", "public", "public"),
        ("public", "private", "private"),
        ("direct", "public", "direct"),
        ("private", "unlisted", "private"),
        ("unlisted", "public", "unlisted"),
        ("limited", "public", "direct"),
    ],
)
def test_reply_visibility_is_never_wider(parent: str, default: str, expected: str) -> None:
    assert narrower(parent, default) == expected
