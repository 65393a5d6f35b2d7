"""Paying more than the shop showed, getting less for the same money, or being told one
thing and getting another: shrinking portions, full price at the till after an offer
on the shelf, "that's not what your website says".

Every message is made up for the test; none comes from the development data.
"""

from __future__ import annotations

import pytest

from tests.sentiment_support import why


@pytest.mark.parametrize("text", [
    "half the price of the place in town and twice as tasty",
    "happy to pay full price for bread this good",
    "the portions are huge, we took half home",
])
def test_near_misses_are_not_short_changing(text):
    assert "paid more, got less" not in why(text)

