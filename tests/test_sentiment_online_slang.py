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


def test_no_cap_does_not_negate_the_praise_after_it():
    text = "no cap the nicest bagels in the city"
    assert score(text).label is POS
    assert "'no'" not in why(text)


def test_a_capital_l_in_a_size_is_not_a_loss():
    assert score("do you have the jacket in a size L?").label is NEU
