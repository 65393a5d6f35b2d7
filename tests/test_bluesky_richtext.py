"""Facets in UTF-8 byte offsets: detecting them for replies and decoding them for display."""

from __future__ import annotations

from app.net.bluesky_richtext import LINK, MENTION, TAG, decode, detect_facets, facet_text

DIDS = {"ann.test": "did:plc:ann", "shop.bsky.social": "did:plc:shop"}


def test_mention_offsets_are_bytes_after_emoji_and_accents() -> None:
    text = "Héllo 👋 @ann.test — café ☕"
    (facet,) = detect_facets(text, DIDS.get)
    assert facet["index"] == {"byteStart": 12, "byteEnd": 21}
    assert text.index("@") == 8
    assert facet_text(text, facet) == "@ann.test"
    assert facet["features"] == [{"$type": MENTION, "did": "did:plc:ann"}]


def test_unresolvable_mentions_and_emails_stay_plain() -> None:
    assert detect_facets("hi @nobody.test and mail me@ann.test", DIDS.get) == []
    assert detect_facets("@ann.test", None) == []


def test_links_drop_trailing_punctuation_and_tags_are_found() -> None:
    text = "Voilà (https://shop.example/a?b=1), see www.shop.example. #café #2024"
    facets = detect_facets(text, DIDS.get)
    kinds = [(f["features"][0]["$type"], facet_text(text, f)) for f in facets]
    assert kinds == [
        (LINK, "https://shop.example/a?b=1"),
        (LINK, "www.shop.example"),
        (TAG, "#café"),
    ]
    assert facets[1]["features"][0]["uri"] == "https://www.shop.example"


def test_decode_round_trip_and_shortened_links_show_the_full_url() -> None:
    text = "Merci @ann.test 🙏 voir shop.example/very/lo..."
    data = text.encode()
    start = data.index(b"shop.example")
    link = {
        "index": {"byteStart": start, "byteEnd": len(data)},
        "features": [{"$type": LINK, "uri": "https://shop.example/very/long/path"}],
    }
    facets = [*detect_facets("Merci @ann.test 🙏", DIDS.get), link]
    rich = decode(text, facets)
    assert rich.text == "Merci @ann.test 🙏 voir https://shop.example/very/long/path"
    assert rich.links == ("https://shop.example/very/long/path",)
    assert rich.mentions == ("ann.test",) and rich.mention_dids == ("did:plc:ann",)


def test_decode_reveals_custom_anchor_text_destination() -> None:
    text = "click here"
    facets = [
        {
            "index": {"byteStart": 0, "byteEnd": 10},
            "features": [{"$type": LINK, "uri": "https://evil.example/"}],
        }
    ]
    assert decode(text, facets).text == "click here (https://evil.example/)"


def test_decode_ignores_broken_facets() -> None:
    text = "é👋 ok"
    broken = [
        {
            "index": {"byteStart": 1, "byteEnd": 3},
            "features": [{"$type": LINK, "uri": "https://x"}],
        },
        {"index": {"byteStart": 0, "byteEnd": 99}, "features": []},
        {"index": {"byteStart": 5, "byteEnd": 2}, "features": []},
        {"index": "nope"},
        "nope",
        {
            "index": {"byteStart": 7, "byteEnd": 9},
            "features": [{"$type": LINK, "uri": "javascript:alert(1)"}],
        },
    ]
    rich = decode(text, broken)
    assert rich.text == text and rich.links == ()
