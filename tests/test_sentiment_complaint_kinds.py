"""Complaint kinds: complaints told in plain words (waiting, faults, damage, delivery,
value for money, the shop's systems) and the near misses that are none.

Every message is made up for the test, in a customer's words; none comes from the
development data.
"""

from __future__ import annotations

import pytest

from app.core.sentiment import score
from app.core.sentiment.shortfall import shortfall
from tests.sentiment_support import NEG, NEU, POS, why


@pytest.mark.parametrize(
    "text",
    [
        "the pack says 6 and there were 6",
        "it said 5 days, it came in 3",  # a duration: sooner is good news
        "the label says 12 but there were 14, bonus!",
        "said £20, the till charged 18",  # a price: its own kind
        "the shop says 9am, we got there at 8",  # a time
    ],
)
def test_the_same_or_more_or_a_time_or_a_price_is_no_shortfall(text):
    assert "missing or wrong" not in why(text)


def test_shortfall_quotes_both_numbers():
    found = shortfall("the box said 24 pieces.\ni counted 19")
    assert found is not None
    assert found[0] == "said 24 … counted 19"


@pytest.mark.parametrize(
    "text",
    [
        "she shrugged it off and laughed, lovely lady",
        "we're off to the market on Saturday",
        "I was off work so I popped in",
        "the tracking number is 4453 2231",
    ],
)
def test_look_alikes_that_are_not_complaints(text):
    assert score(text).label is not NEG


def test_a_count_that_matches_is_not_a_complaint():
    assert score("ordered 6 doughnuts and got 6").label is NEU


def test_asking_for_something_and_getting_it_is_no_complaint():
    assert "missing or wrong" not in why("asked for a fringe trim and got a fringe trim")
    assert "missing or wrong" in why("asked for a fringe trim and got a bob")


def test_a_refund_that_has_landed_is_no_complaint():
    text = "cheers, the refund just landed"
    assert "refund" not in why(text).split(":")[0]
    assert score(text).label is POS


def test_a_fit_that_is_not_too_tight_is_no_complaint():
    assert score("the new jeans aren't too tight at all").label is not NEG


@pytest.mark.parametrize(
    "text",
    [
        "half the price of the place in town and twice as tasty",
        "happy to pay full price for bread this good",
        "the portions are huge, we took half home",
    ],
)
def test_near_misses_are_not_short_changing(text):
    assert "paid more, got less" not in why(text)


def test_damage_the_customer_did_is_not_the_shops():
    assert "damage done" not in why("I cracked my phone screen, can you fix it today?")


def test_the_customers_own_forgetting_is_not_the_shops():
    assert "left undone" not in why("I forgot my reusable bag, do you have paper ones?")


def test_a_parcel_due_on_friday_is_not_a_complaint():
    assert score("My parcel is due to arrive on Friday").label is NEU


def test_the_wait_is_a_complaint_but_worth_the_wait_is_praise():
    assert score("Nothing wrong with the coffee, just the wait").label is NEG
    assert score("Long queue but worth the wait").label is POS


def test_this_is_how_you_treat_a_regular_is_a_complaint():
    assert score("I've been a customer for 10 years and this is how you treat me?").label is NEG


def test_the_flowers_arriving_wilted_is_damage():
    assert score("The flowers turned up wilted").label is NEG


def test_a_parcel_paid_for_that_came_on_time_is_not_a_complaint():
    assert score("Paid for express and it came on time").label is not NEG


def test_cracked_pepper_on_the_menu_is_not_damage():
    assert "missing or wrong" not in why("Try the cracked pepper crackers")


def test_where_family_are_is_not_a_complaint():
    assert score("That's where my parents are now").label is NEU


def test_tracking_that_has_not_moved_is_waiting():
    text = "The tracking hasn't updated in a week"
    assert score(text).label is NEG
    assert "waiting" in why(text)


def test_a_duration_after_been_is_waiting():
    assert "waiting" in why("Ordered the lamp, it's been three weeks")


def test_a_price_rise_is_a_complaint():
    assert score("Your prices went up again").label is NEG
    assert "price rise" in why("Delivery costs have gone up")


def test_not_for_me_is_a_mild_rejection():
    assert score("Tried the oat latte, not for me").label is NEG


@pytest.mark.parametrize(
    "text",
    [
        "honestly the new sourdough is pretty mid",
        "took an L on the hoodie, it shrank first wash",
        "the new shop front is giving budget",
        "rip my parcel, tracking says it's in Belgium",
        "who decided to remove the window seats??",
        "the vibes in there were off today",
        "the croissants have gotten tiny",
    ],
)
def test_complaints_in_slang(text):
    assert score(text).label is NEG
    assert "complaint in slang" in why(text) or "negative words" in why(text)


def test_a_capital_l_in_a_size_is_not_a_loss():
    assert score("do you have the jacket in a size L?").label is NEU


@pytest.mark.parametrize(
    "text",
    [
        "we tried the new menu and loved it",
        "the app logs every stamp on the loyalty card",
        "we're closed on Mondays, open again Tuesday 9am",
    ],
)
def test_near_misses_are_not_system_failures(text):
    assert "could not buy" not in why(text)


def test_staff_chatting_while_customers_wait_is_their_attitude():
    text = "two of them gossiping behind the counter while we stood there"
    assert score(text).label is NEG
    assert "staff attitude" in why(text)


def test_failing_again_soon_after_a_repair_is_faulty():
    text = "the new battery was dead again within two days"
    assert score(text).label is NEG


def test_is_a_joke_is_a_complaint_not_a_laugh():
    text = "the new parking rules are a joke"
    assert score(text).label is NEG
    assert "gave up or went elsewhere" in why(text)
