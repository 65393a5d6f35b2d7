"""Paying more than the shop showed, getting less for the same money, or being told one
thing and getting another: shrinking portions, full price at the till after an offer
on the shelf, "that's not what your website says".

Every message is made up for the test; none comes from the development data.
"""

from __future__ import annotations

import pytest

from app.core.sentiment import score
from tests.sentiment_support import NEG, why


@pytest.mark.parametrize("text", [
    "the chip portions have shrunk again since the summer",
    "the bags of crisps got smaller and nobody said a word",
    "the pies are half the filling they were last year",
    "the shelf said two for five pounds but it rang up at full price",
    "they charged me full price for the sale rug",
    "the loyalty discount wasn't applied at the till",
])
def test_less_for_the_money_is_a_complaint(text):
    assert score(text).label is NEG
    assert "paid more, got less" in why(text)


@pytest.mark.parametrize("text", [
    "half the price of the place in town and twice as tasty",
    "happy to pay full price for bread this good",
    "the portions are huge, we took half home",
])
def test_near_misses_are_not_short_changing(text):
    assert "paid more, got less" not in why(text)


@pytest.mark.parametrize("text", [
    "that's not what your website says about next day delivery",
    "the listing says solid oak but it's veneer",
    "different to what the manager told us on the phone",
])
def test_the_shops_own_words_against_what_happened(text):
    assert score(text).label is NEG
    assert "not what you said" in why(text)
