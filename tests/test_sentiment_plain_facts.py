"""Complaints told as plain facts, with no opinion word at all.

"The box said 24, I counted 19", "it went to someone else's address", "the
phone rings out". Every message is made up for the test; none comes from the
development data.
"""

from __future__ import annotations

import pytest

from app.core.sentiment import score
from app.core.sentiment.counts import shortfall
from tests.sentiment_support import NEG, NEU, why


@pytest.mark.parametrize("text", [
    "the pack says 6 and there were 6",
    "it said 5 days, it came in 3",  # a duration: sooner is good news
    "the label says 12 but there were 14, bonus!",
    "said £20, the till charged 18",  # a price: its own kind
    "the shop says 9am, we got there at 8",  # a time
])
def test_the_same_or_more_or_a_time_or_a_price_is_no_shortfall(text):
    assert "missing or wrong" not in why(text)


def test_shortfall_quotes_both_numbers():
    found = shortfall("the box said 24 pieces.\ni counted 19")
    assert found is not None
    assert found[0] == "said 24 … counted 19"


@pytest.mark.parametrize("text", [
    "she shrugged it off and laughed, lovely lady",
    "we're off to the market on Saturday",
    "I was off work so I popped in",
    "the tracking number is 4453 2231",
])
def test_look_alikes_that_are_not_complaints(text):
    assert score(text).label is not NEG


def test_a_count_that_matches_is_not_a_complaint():
    assert score("ordered 6 doughnuts and got 6").label is NEU
