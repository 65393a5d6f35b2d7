"""Delivery and product faults told in plain words, and a few word senses.

Every message is made up for the test, in a customer's words; none comes from
the development data.
"""

from __future__ import annotations

from app.core.sentiment import score
from tests.sentiment_support import NEG, NEU, POS, why


def test_a_parcel_due_on_friday_is_not_a_complaint():
    assert score("My parcel is due to arrive on Friday").label is NEU


def test_thanks_for_a_quick_refund_is_praise():
    assert score("Thanks for the quick refund, much appreciated").label is POS


def test_thanks_for_charging_me_twice_is_sarcasm():
    text = "Thanks for charging me twice"
    assert score(text).label is NEG
    assert "sarcastic" in why(text)


def test_the_wait_is_a_complaint_but_worth_the_wait_is_praise():
    assert score("Nothing wrong with the coffee, just the wait").label is NEG
    assert score("Long queue but worth the wait").label is POS


def test_dont_get_me_wrong_is_a_disclaimer_not_a_complaint():
    text = "Don't get me wrong, I love the shop, but the queue today was ridiculous"
    assert score(text).label is NEG
    assert "'wrong'" not in why(text)


def test_this_is_how_you_treat_a_regular_is_a_complaint():
    assert score("I've been a customer for 10 years and this is how you treat me?").label is NEG


def test_decent_is_mild_praise():
    assert score("Decent enough").label is POS


def test_an_order_number_is_not_an_opinion():
    assert score("My order number is 4471, just checking the address").label is NEU


def test_the_flowers_arriving_wilted_is_damage():
    assert score("The flowers turned up wilted").label is NEG


def test_a_parcel_paid_for_that_came_on_time_is_not_a_complaint():
    assert score("Paid for express and it came on time").label is not NEG


def test_care_instructions_are_not_an_opinion():
    assert score("Could you send the care instructions for the rug?").label is NEU


def test_mad_at_you_is_still_anger():
    assert score("I'm mad at you for cancelling my order").label is NEG
