"""The composer's counter agrees with what each server will accept."""

from __future__ import annotations

import pytest

from app.core.char_count import (
    BLUESKY_MAX_BYTES,
    BLUESKY_MAX_GRAPHEMES,
    bluesky_bytes,
    bluesky_length,
    count_graphemes,
    graphemes,
    mastodon_length,
)

FAMILY = "👨‍👩‍👧‍👦"  # four people joined by zero-width joiners
WAVE_DARK = "👋🏿"  # hand + skin-tone modifier
FLAG_DE = "🇩🇪"  # two regional indicators
FLAG_ENGLAND = "🏴󠁧󠁢󠁥󠁮󠁧󠁿"  # black flag + tag sequence
HEART_RED = "❤️"  # heart + variation selector 16
KEYCAP_ONE = "1️⃣"  # digit + VS16 + combining enclosing keycap
E_COMBINING = "e\u0301"  # e + combining acute: looks like é


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("Thanks!", 7),
        ("café", 4),
        ("caf" + E_COMBINING, 4),
        (FAMILY, 1),
        (WAVE_DARK, 1),
        (FLAG_DE, 1),
        (FLAG_DE + FLAG_DE, 2),
        ("🇩🇪🇫🇷🇮", 3),  # two flags and a lone regional indicator
        (FLAG_ENGLAND, 1),
        (HEART_RED, 1),
        (KEYCAP_ONE, 1),
        ("👩🏽‍🍳", 1),  # woman cook, medium skin tone
        ("Zoë loves 🍞✨", 12),
        ("line\r\nbreak", 10),
        ("한국어", 3),
        ("\u1100\u1161\u11a8", 1),  # Hangul syllable spelt as jamo
        # Devanagari: legacy clusters, without Unicode 15.1's conjunct rule;
        # counting high is the safe side of a limit.
        ("नमस्ते", 4),
    ],
)
def test_a_person_counts_what_they_see(text: str, expected: int) -> None:
    assert count_graphemes(text) == expected


def test_splitting_then_joining_gives_back_the_same_text() -> None:
    text = f"Brought the whole crew {FAMILY} {WAVE_DARK} {FLAG_DE}{FLAG_ENGLAND} caf{E_COMBINING}!"
    assert "".join(graphemes(text)) == text
    assert FAMILY in graphemes(text)


def test_a_link_weighs_23_on_mastodon_however_long_it_is() -> None:
    short = "Our menu: https://t.example/a"
    long = "Our menu: https://blog.example/best-bakeries-2026/juniper-and-rye-winter-menu?ref=x"
    assert mastodon_length(short) == len("Our menu: ") + 23
    assert mastodon_length(long) == len("Our menu: ") + 23


def test_punctuation_after_a_link_still_counts() -> None:
    assert mastodon_length("See https://blog.example/top3.") == len("See ") + 23 + 1


def test_a_plain_domain_without_http_is_just_text() -> None:
    assert mastodon_length("blog.example/top3") == len("blog.example/top3")


def test_a_remote_mention_counts_only_the_username_on_mastodon() -> None:
    reply = "@dana@social.example So glad it got there in time!"
    assert mastodon_length(reply) == len("@dana So glad it got there in time!")


def test_a_local_mention_counts_in_full() -> None:
    assert mastodon_length("@dana thanks") == len("@dana thanks")


def test_an_email_address_is_not_a_mention() -> None:
    text = "write to orders@juniperrye.example"
    assert mastodon_length(text) == len(text)


def test_a_custom_link_weight_is_honoured() -> None:
    assert mastodon_length("https://x.example/abc", url_weight=10) == 10


def test_mastodon_counts_an_emoji_family_as_one() -> None:
    assert mastodon_length(f"Thanks {FAMILY}") == len("Thanks ") + 1


def test_bluesky_counts_graphemes_not_code_points() -> None:
    text = f"Pancakes for the crew {FAMILY} {FLAG_DE}"
    assert bluesky_length(text) == len("Pancakes for the crew ") + 1 + 1 + 1
    assert len(text) > bluesky_length(text)


def test_bluesky_bytes_are_utf8_bytes() -> None:
    assert bluesky_bytes("abc") == 3
    assert bluesky_bytes("é") == 2
    assert bluesky_bytes(FAMILY) == 25


def test_a_run_of_emoji_can_fit_the_grapheme_limit_but_not_the_byte_limit() -> None:
    text = FAMILY * 150
    assert bluesky_length(text) <= BLUESKY_MAX_GRAPHEMES
    assert bluesky_bytes(text) > BLUESKY_MAX_BYTES
