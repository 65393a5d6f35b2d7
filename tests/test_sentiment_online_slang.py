"""Slang from short replies on Bluesky and Mastodon: "kinda mid", "huge L", "slaps".

Every message is made up for the test; none comes from the development data.
"""

from __future__ import annotations

import pytest

from app.core.sentiment import score
from tests.sentiment_support import NEG, NEU, POS, why


@pytest.mark.parametrize("text", [
    "honestly the new sourdough is pretty mid",
    "took an L on the hoodie, it shrank first wash",
    "the new shop front is giving budget",
    "rip my parcel, tracking says it's in Belgium",
    "who decided to remove the window seats??",
    "the vibes in there were off today",
    "the croissants have gotten tiny",
])
def test_complaints_in_slang(text):
    assert score(text).label is NEG
    assert "complaint in slang" in why(text) or "negative words" in why(text)


@pytest.mark.parametrize("text", [
    "your chilli jam slaps",
    "the cinnamon knots are bussin",
    "the owner is goated",
    "absolute W from the delivery driver today",
    "the iced chai hits different in this heat",
    "the breakfast bap is the move",
    "the new bookshop corner is such a vibe",
    "the glow up on the shop front is wild",
    "the knitting kits are elite",
])
def test_praise_in_slang(text):
    assert score(text).label is POS


def test_no_cap_does_not_negate_the_praise_after_it():
    text = "no cap the nicest bagels in the city"
    assert score(text).label is POS
    assert "'no'" not in why(text)


@pytest.mark.parametrize("text", [
    "we're popping in mid morning",
    "is the mid-week discount still on?",
    "do you have the mid size boxes?",
])
def test_mid_as_a_prefix_is_not_slang(text):
    assert score(text).label is NEU


def test_a_capital_l_in_a_size_is_not_a_loss():
    assert score("do you have the jacket in a size L?").label is NEU
