"""Requests, damage, silence, prices and slang: customer kinds VADER misreads.

Every message is made up for the test, in a customer's words; none comes from
the development data.
"""

from __future__ import annotations

import pytest

from app.core.sentiment import score
from tests.sentiment_support import NEG, NEU, POS, why

# --- "would like" asks for something; it is not a liking ----------------------------------


def test_would_like_is_a_request_not_praise():
    assert score("Hi, I'd like to order a cake for Saturday").label is NEU
    assert "'like'" not in why("I would really like to know the opening hours")


def test_a_request_does_not_hide_the_complaint_it_makes():
    assert score("I would like to know where my order is, it's been two weeks").label is NEG
    assert score("I'd like to return it, the strap snapped").label is NEG


def test_liking_something_is_still_praise():
    assert score("I really like the new blend").label is POS


# --- "save" that keeps something, and "friendly" as a feature ------------------------------


@pytest.mark.parametrize("text", [
    "Can you save me two croissants for tomorrow?",
    "Save the date: the market stall is back on Friday",
    "Save 20 percent on candles this week",
])
def test_save_as_keeping_or_a_promotion_is_not_praise(text):
    assert "'save'" not in why(text)


def test_saving_the_day_is_still_praise():
    assert score("You saved my day, thank you").label is POS


def test_asking_whether_a_place_is_dog_friendly_is_a_question_not_praise():
    assert score("Is the cafe dog friendly?").label is NEU
    assert score("The staff were so friendly").label is POS


# --- damage on arrival -------------------------------------------------------------------


def test_cracked_pepper_on_the_menu_is_not_damage():
    assert "missing or wrong" not in why("Try the cracked pepper crackers")


# --- silence and stale tracking ----------------------------------------------------------


def test_where_family_are_is_not_a_complaint():
    assert score("That's where my parents are now").label is NEU


def test_tracking_that_has_not_moved_is_waiting():
    text = "The tracking hasn't updated in a week"
    assert score(text).label is NEG
    assert "waiting" in why(text)


def test_a_duration_after_been_is_waiting():
    assert "waiting" in why("Ordered the lamp, it's been three weeks")


# --- prices and polite rejections --------------------------------------------------------


def test_a_price_rise_is_a_complaint():
    assert score("Your prices went up again").label is NEG
    assert "price rise" in why("Delivery costs have gone up")


def test_not_for_me_is_a_mild_rejection():
    assert score("Tried the oat latte, not for me").label is NEG


def test_save_your_spot_is_an_invitation_not_a_warning():
    assert score("Save your spot for Friday's workshop").label is NEU
    assert score("Save your money, the fit is awful").label is NEG


# --- slang praise ------------------------------------------------------------------------


def test_spot_on_the_shelf_is_not_praise():
    assert score("Found a spot on the shelf for it").label is NEU
