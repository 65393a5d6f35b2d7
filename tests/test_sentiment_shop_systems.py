"""When the shop's systems let the customer down (the website, the app, payments,
vouchers, bookings, opening hours), and a few more kinds found with them: a
reaction to food, staff chatting while customers wait, "made my day", a fix done
in minutes, honest advice, and "free" in a question about a price.

Every message is made up for the test; none comes from the development data.
"""

from __future__ import annotations

import pytest

from app.core.sentiment import score
from tests.sentiment_support import NEG, NEU, POS, why


@pytest.mark.parametrize("text", [
    "tried four times to book online and gave up",
    "the checkout just hangs when I press pay",
    "the app logs me out whenever I switch screens",
    "they took the payment twice for one candle",
    "my voucher shows a zero balance and I haven't spent a penny",
    "the membership renewed even though I cancelled in January",
    "the student code doesn't apply to anything in the sale",
    "got bumped to 4pm and the appointment was at 11",
    "class moved to Thursday without any warning",
    "the doors were locked at ten on a Saturday",
    "closed early again, third time this month",
    "the final bill was twice what the garage quoted",
    "by the time I got there at 10 there was none left at all",
    "the staples were gone, hardly anything left before lunch",
])
def test_the_shops_systems_failing_is_a_complaint(text):
    assert score(text).label is NEG
    assert "could not buy, book or get in" in why(text)


@pytest.mark.parametrize("text", [
    "we tried the new menu and loved it",
    "the app logs every stamp on the loyalty card",
    "we're closed on Mondays, open again Tuesday 9am",
])
def test_near_misses_are_not_system_failures(text):
    assert "could not buy" not in why(text)


@pytest.mark.parametrize("text", [
    "my daughter had a reaction to the icing on the cupcakes",
    "he came out in hives after the satay",
    "my partner reacted within an hour of eating the curry",
    "ate the prawn wrap at lunch and felt queasy all evening",
])
def test_a_reaction_or_feeling_ill_after_eating_is_unsafe_food(text):
    assert score(text).label is NEG
    assert "unsafe food" in why(text)


def test_staff_chatting_while_customers_wait_is_their_attitude():
    text = "two of them gossiping behind the counter while we stood there"
    assert score(text).label is NEG
    assert "staff attitude" in why(text)


@pytest.mark.parametrize("text", [
    "delivery charge up another £1.50",
    "oat milk up 30p since last week",
    "the card fees are getting beyond a joke",
])
def test_a_price_going_up_or_getting_silly_is_a_complaint(text):
    assert score(text).label is NEG


@pytest.mark.parametrize("text", [
    "the birthday card you drew on made our week",
    "the barista had my glasses fixed in five minutes",
    "the optician explained all the options and never tried to upsell",
    "no hard sell at all, just good advice",
    "she stayed with my nervous mum the whole time",
    "they squeezed my son in on a busy Saturday",
    "the barber remembered my usual from last time",
    "the groomer went out of her way to keep him calm",
    "the most polite delivery driver we've had",
    "really professional from the quote to the fitting",
    "my skin has never felt so smooth",
])
def test_praise_with_no_praise_word(text):
    assert score(text).label is POS


@pytest.mark.parametrize("text", [
    "is the wifi free for customers?",
    "do you deliver for free within town?",
])
def test_free_in_a_question_asks_a_price(text):
    assert score(text).label is NEU
    assert "only asks a question" in why(text)


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
