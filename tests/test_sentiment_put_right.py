"""A problem the shop put right, and quickly, is praise; a fix that failed again, or came
only after a fight, is still a complaint.

Every message is made up for the test; none comes from the development data.
"""

from __future__ import annotations

import pytest

from app.core.sentiment import score
from tests.sentiment_support import NEG, POS, why


@pytest.mark.parametrize("text", [
    "the zip broke on my coat, they had it replaced the same day",
    "my order went missing, they sent a replacement straight away",
    "the card reader double charged me and it was refunded on the spot",
    "the frame arrived damaged, so they made another and brought it round themselves",
    "the washing machine died on Sunday and the engineer was here by 9am",
    "our pipes burst on Boxing Day and they still came out",
    "the table was wrong, sorted immediately with no fuss",
    "the soup was cold but they swapped it without any quibble",
    "the courses were slow, they threw in a free dessert to say sorry",
    "a strap came loose, they stitched it back on while I waited",
    "we were overcharged and they refunded the difference there and then",
    "one bag was missing, they sent it over the next day",
    "the repeat prescription wasn't ready, so they delivered it to my house that evening",
])
def test_a_problem_put_right_quickly_is_praise(text):
    assert score(text).label is POS
    assert "put right" in why(text)


@pytest.mark.parametrize("text", [
    "they repaired it straight away, but it broke again the next day",
    "they sent a replacement straight away, which was also broken",
    "refunded eventually, after five weeks and nine phone calls",
    "the plumber was here by 9am and gone by ten past without fixing anything",
    "'fixed it straight away', apparently. it's still dripping",
])
def test_a_fix_that_failed_or_dragged_on_is_still_a_complaint(text):
    assert score(text).label is NEG


def test_a_refund_on_the_spot_is_not_a_refund_complaint():
    assert "complaint (refund)" not in why("they refunded it on the spot")
