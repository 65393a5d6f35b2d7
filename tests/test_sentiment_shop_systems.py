"""When the shop's systems let the customer down (the website, the app, payments,
vouchers, bookings, opening hours), and a few more kinds found with them: a
reaction to food, staff chatting while customers wait, "made my day", a fix done
in minutes, honest advice, and "free" in a question about a price.

Every message is made up for the test; none comes from the development data.
"""

from __future__ import annotations

import pytest

from app.core.sentiment import score
from tests.sentiment_support import NEG, POS, why


@pytest.mark.parametrize("text", [
    "we tried the new menu and loved it",
    "the app logs every stamp on the loyalty card",
    "we're closed on Mondays, open again Tuesday 9am",
])
def test_near_misses_are_not_system_failures(text):
    assert "could not buy" not in why(text)


def test_staff_chatting_while_customers_wait_is_their_attitude():
    text = "two of them gossiping behind the counter while we stood there"
    assert score(text).label is NEG
    assert "staff attitude" in why(text)


def test_free_as_a_gift_is_still_praise():
    assert score("they popped a free brownie in the bag").label is POS


def test_failing_again_soon_after_a_repair_is_faulty():
    text = "the new battery was dead again within two days"
    assert score(text).label is NEG


def test_is_a_joke_is_a_complaint_not_a_laugh():
    text = "the new parking rules are a joke"
    assert score(text).label is NEG
    assert "gave up or went elsewhere" in why(text)


def test_pretty_sure_is_certainty_not_praise():
    assert "sure" not in why("pretty sure the last batch had egg in it")
