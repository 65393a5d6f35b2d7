"""Chasing, escalation, spoiled goods, emoji and faint praise: more customer kinds.

Every message is made up for the test, in a customer's words; none comes from
the development data.
"""

from __future__ import annotations

import pytest

from app.core.sentiment import score
from tests.sentiment_support import NEG, NEU, POS, why


@pytest.mark.parametrize("text", [
    "Can someone call me back? I've rung 5 times",
    "I've emailed twice and heard nothing",
    "Following up on my message from Tuesday",
    "Is anyone actually reading these?",
    "I want to speak to a manager",
    "I'd like to make a formal complaint",
])
def test_chasing_and_escalating_are_complaints(text):
    assert score(text).label is NEG
    assert "no reply" in why(text)


@pytest.mark.parametrize("text", [
    "The milk smelled off when it arrived",
    "Had to throw it away",
    "My cat won't touch the new food",
    "Absolutely gutted, the vase arrived in pieces",
    "The checkout keeps timing out",
    "Payment went through twice, please fix",
    "Ordered a size 10, got a size 6",
    "Way smaller than it looks online",
])
def test_spoiled_broken_and_wrong_goods_are_complaints(text):
    assert score(text).label is NEG


def test_love_waiting_is_sarcasm():
    text = "Love waiting 45 minutes for a coffee"
    assert score(text).label is NEG
    assert "sarcastic" in why(text)


def test_wow_next_to_a_complaint_is_exasperation():
    assert score("Wow. Just wow. Two hours and still no food.").label is NEG
    assert score("Wow, that was quick!").label is POS


@pytest.mark.parametrize("text", [
    "No issues at all with my order",
    "Not a single problem, will order again",
    "Exactly as described",
    "The jumper is so soft",
])
def test_plain_satisfaction_is_praise(text):
    assert score(text).label is POS


@pytest.mark.parametrize("text", [
    "Does the sourdough contain nuts?",
    "Any chance of a gluten free option?",
])
def test_food_questions_are_neutral(text):
    assert score(text).label is NEU


def test_the_delay_drives_me_nuts_is_still_a_complaint():
    assert score("The delay drives me nuts").label is NEG


def test_fire_emoji_is_praise_and_upside_down_face_is_irony():
    assert score("New candles 🔥🔥").label is POS
    assert score("Ordered red, got blue 🙃").label is NEG
    assert "'🔥'" in why("New candles 🔥🔥")


@pytest.mark.parametrize("text", [
    "Well chuffed with my new wallet",
    "Stoked with the board, cheers",
    "That brownie was lush",
    "You lot are legends",
])
def test_everyday_praise_vader_lacks_is_praise(text):
    assert score(text).label is POS


@pytest.mark.parametrize("text", [
    "The lid is rubbish",
    "Returning it was such a faff",
    "Feel like I got scammed",
    "The stitching is atrocious",
])
def test_everyday_complaint_words_vader_lacks_are_complaints(text):
    assert score(text).label is NEG


def test_a_buzzing_fridge_is_not_enthusiasm():
    assert score("The fridge is buzzing").label is NEU


@pytest.mark.parametrize("text", [
    "The card made my gran cry happy tears",
    "Your team went above and beyond for us",
    "I've recommended you to all my friends",
    "Can't stop wearing my new scarf",
])
def test_praise_without_a_praise_word_is_praise(text):
    assert score(text).label is POS


def test_so_sweet_is_praise_and_too_sweet_is_a_complaint():
    assert score("You're so sweet, thank you").label is POS
    assert score("The icing was far too sweet").label is NEG


@pytest.mark.parametrize("text", [
    "I've asked for a refund four times now",
    "This is the third time my order has been wrong",
    "Second week in a row the bread's sold out by ten",
    "I was promised a reply by Friday",
    "You gave our table away while we were parking",
    "There's a charge on my card I don't recognise",
    "You've run out of oat milk again",
    "The flowers were already dying when they came",
    "The lamp arrived in two pieces",
    "The new tubs are impossible to open",
    "The so-called express delivery took a week",
    "Can't believe you've discontinued the rosemary bread",
    "The bag feels cheap",
])
def test_complaints_in_everyday_words(text):
    assert score(text).label is NEG


@pytest.mark.parametrize("text", [
    "Third time lucky, the cake was perfect",
    "What's the best way to store the cheese?",
    "Is it ok to bring a pram in?",
])
def test_luck_advice_and_permission_are_not_complaints_or_praise(text):
    assert score(text).label is not NEG
    assert "'best'" not in why(text) and "'ok'" not in why(text)


@pytest.mark.parametrize("text", [
    "Really appreciate you sorting the refund so quickly",
    "My skin has never felt softer",
    "The quality is unreal for the price",
])
def test_praise_customers_write(text):
    assert score(text).label is POS


@pytest.mark.parametrize("text", [
    "The coffee machine is out of order again",
    "My fringe is shorter on one side",
    "The highlights have gone brassy",
    "Bike's been in a fortnight and nobody's called",
    "The final bill was double the quote",
    "The changing rooms have been cold for days",
    "The room smelled of damp",
    "Our reservation wasn't on the system",
    "The plumber didn't turn up",
    "Nobody on the desk knew anything about it",
    "There were extra charges on the bill",
    "The dye job is patchy",
])
def test_service_failures_in_salons_garages_and_hotels(text):
    assert score(text).label is NEG


@pytest.mark.parametrize("text", [
    "The team couldn't do enough for us",
    "Couldn't recommend them highly enough",
    "She really listened to what I wanted",
    "Honestly, your yoga classes changed my life",
])
def test_praise_for_service(text):
    assert score(text).label is POS


def test_ordering_again_is_praise_but_out_of_order_again_is_not():
    assert score("Will definitely order again").label is POS
    assert "good quality" not in why("The lift is out of order again")
