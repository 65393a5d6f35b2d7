"""Praise kinds: praise with or without a praise word (a fix done fast, ratings, a
refund on the spot, "mind blown") and what only looks like praise.

Every message is made up for the test, in a customer's words; none comes from the
development data.
"""

from __future__ import annotations

import pytest

from app.core.sentiment import score
from tests.sentiment_support import NEU, POS, reasons_of, why


def test_ordering_again_is_praise_but_out_of_order_again_is_not():
    assert score("Will definitely order again").label is POS
    assert "good quality" not in why("The lift is out of order again")


def test_a_refund_on_the_spot_is_not_a_refund_complaint():
    assert "complaint (refund)" not in why("they refunded it on the spot")


def test_thanks_for_a_quick_refund_is_praise():
    assert score("Thanks for the quick refund, much appreciated").label is POS


def test_decent_is_mild_praise():
    assert score("Decent enough").label is POS


def test_ahead_of_time_alone_is_not_praise():
    result = score("The sauces are prepared ahead of time each morning.")
    assert "fast service" not in reasons_of(result)


def test_zero_issues_is_no_problem():
    assert score("2 years on and 0 issues with the bike").label is POS


@pytest.mark.parametrize(
    "text",
    [
        "collection on 4/10 works for us",
        "the hotline is open 24/7",
        "only 1/5 of the shelf is gluten free",
        "delivered 10/10/2025 at noon",
        "the sky had no stars above the market tonight",
    ],
)
def test_dates_fractions_and_opening_hours_are_not_ratings(text):
    assert "rating" not in why(text)


def test_a_middling_rating_is_left_to_the_words():
    assert score("the scones are a 3/5").label is NEU
    assert "rating" not in why("a 6/10 for the sandwich")


def test_mind_blown_is_praise():
    assert score("mind blown by the pistachio croissant").label is POS
    assert "praise" in why("that chocolate tart was mind-blowing")
