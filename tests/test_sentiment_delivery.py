"""Delivery and product faults told in plain words, and a few word senses.

Every message is made up for the test, in a customer's words; none comes from
the development data.
"""

from __future__ import annotations

import pytest

from app.core.sentiment import score
from tests.sentiment_support import NEG, NEU, POS, why


@pytest.mark.parametrize(("text", "kind"), [
    ("@HappyHound my order from the 3rd still isn't here", "not delivered"),
    ("Parcel marked delivered but it's not here", "not delivered"),
    ("It says delivered but nothing arrived", "not delivered"),
    ("Delivery was supposed to be Tuesday. It's Friday.", "not delivered"),
    ("Your driver threw my parcel over the gate", "careless delivery"),
    ("The duvet cover I got has a hole in it", "faulty"),
    ("Bag split on the way home", "faulty"),
    ("The label says vegan but it contains milk", "faulty"),
    ("The sandwich had a hair in it", "unsafe food"),
    ("There was mould on the bread", "unsafe food"),
])
def test_faults_told_without_an_opinion_word_are_complaints(text, kind):
    assert score(text).label is NEG
    assert kind in why(text)


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


@pytest.mark.parametrize("text", [
    "I was sent a small instead of a large",
    "Asked for oat milk, got cow's milk",
    "You've double-booked our table again",
    "The receipt went to the wrong email",
    "The card machine was down again",
    "I've been trying to get through to your office all morning",
    "Smaller bars, same price",
    "Ordered the sofa in January, it's now April",
    "The driver left a card saying nobody was in, I was home",
    "Nobody knocked, they didn't even ring the bell",
    "The discount code doesn't apply at checkout",
    "The jeans faded after one wash",
    "The sole came off within a week",
])
def test_service_and_product_failures_are_complaints(text):
    assert score(text).label is NEG


@pytest.mark.parametrize("text", [
    "The new menu isn't a patch on the old one",
    "The scones used to be so much better",
    "The staff told me to google it",
    "The soup tasted of nothing",
])
def test_comparisons_brush_offs_and_tasteless_food_are_complaints(text):
    assert score(text).label is NEG


@pytest.mark.parametrize("text", [
    "My gift card balance is wrong",
    "Loyalty points vanished from my account",
])
def test_a_product_name_is_not_praise_inside_a_complaint(text):
    assert score(text).label is NEG


def test_an_order_number_is_not_an_opinion():
    assert score("My order number is 4471, just checking the address").label is NEU


def test_the_flowers_arriving_wilted_is_damage():
    assert score("The flowers turned up wilted").label is NEG


@pytest.mark.parametrize("text", [
    "The candle set came without the lids",
    "Paid for next-day delivery, it came after four days",
    "Your helpline keeps sending me round in circles",
    "Tracking has shown 'in transit' since Friday",
    "Booked a table for 7pm, seated at 7:45",
    "Only one till open on a Saturday",
    "Staff were on their phones the whole time",
    "The waiter was really short with us",
    "The zip jammed on day two",
    "The legs are different lengths",
    "The sizes run small, nothing fits",
    "Half the tealights won't light",
])
def test_more_plain_word_complaints(text):
    assert score(text).label is NEG


@pytest.mark.parametrize("text", [
    "My new favourite bakery",
    "Still dreaming about that pie",
    "The restored chair looks brand new",
    "The roses lasted nearly three weeks!",
])
def test_more_praise_without_a_praise_word(text):
    assert score(text).label is POS


def test_a_parcel_paid_for_that_came_on_time_is_not_a_complaint():
    assert score("Paid for express and it came on time").label is not NEG


def test_care_instructions_are_not_an_opinion():
    assert score("Could you send the care instructions for the rug?").label is NEU


@pytest.mark.parametrize("text", [
    "The vase arrived with a cracked rim",
    "You sent us someone else's shopping",
    "My order came short again, two rolls missing",
    "The shop assistant rolled her eyes at my question",
    "The pizza was still doughy in the middle",
    "The new table wobbles",
])
def test_faults_customers_describe_plainly(text):
    assert score(text).label is NEG


@pytest.mark.parametrize("text", [
    "Can I pay by bank transfer?",
    "Is the market stall on this Saturday?",
])
def test_paying_and_market_stalls_are_not_complaints(text):
    assert score(text).label is NEU


@pytest.mark.parametrize("text", [
    "My cat goes mad for these treats",
    "Obsessed with the new candle",
    "You've got a customer for life",
    "Would give ten stars if I could",
    "My son hasn't taken the jumper off since Christmas",
    "The kindest staff in town",
])
def test_fondness_is_praise(text):
    assert score(text).label is POS


def test_mad_at_you_is_still_anger():
    assert score("I'm mad at you for cancelling my order").label is NEG
