"""Complaints and praise from florists, tailors, repair shops and takeaways.

Doubted claims in scare quotes, things that came not as ordered, spills, bad fits,
verdicts and ratings, and the manners and occasions that are not opinions. Every
message is made up for the test, in a customer's words; none comes from the
development data or from the held-out messages in bench/customer_messages.py.
"""

from __future__ import annotations

import pytest

from app.core.sentiment import score
from app.core.sentiment.text import scare_quotes
from tests.sentiment_support import NEG, NEU, POS, why


@pytest.mark.parametrize(("text", "kind"), [
    ("the 'organic' carrots came in plastic from Spain", "doubted claim"),
    ('our "express" delivery took nine days', "doubted claim"),
    ("the website has been 'down' all week", "doubted claim"),
    ("the till has been 'broken' every time I come in", "doubted claim"),
    ("the so-called waterproof boots let water in", "doubted claim"),
])
def test_a_claim_in_scare_quotes_is_doubted(text, kind):
    assert score(text).label is NEG
    assert kind in why(text)


@pytest.mark.parametrize("text", [
    "do you still sell the 'Heritage' loaf?",  # a product name: capitalised
    "my son calls it the 'crunchy bread' and asks for it every day",  # after "calls it": a name
    "a 'flat white' is just a latte with less milk, right?",  # a term after "a"
    "she said the cake was 'perfect' and she loved it",  # someone's words after "was"
    "I'm a rock 'n' roll fan",
])
def test_other_quotes_are_not_doubts(text):
    assert "doubted claim" not in why(text)


def test_scare_quotes_turn_into_so_called_and_leave_apostrophes_alone():
    assert scare_quotes("the 'fresh' rolls") == "the so-called fresh rolls"
    assert scare_quotes("your \u2018fast\u2019 service") == "your so-called fast service"
    assert scare_quotes("it's the shop's own jam") == "it's the shop's own jam"


@pytest.mark.parametrize("text", [
    "my birthday card arrived unsigned",
    "the laptop came without the charger",
    "the flour bag burst open in the van, flour everywhere",
    "my smoothie leaked all over the car seat",
    "the dress zip wasn't sewn in properly",
    "the cupboard doors don't line up at all",
    "had to glue the handle back on myself",
    "the hem is now an inch too long",
    "the curry had chicken in it and I ordered the veg one",
    "the bike chain snapped on the first ride",
    "the technician hasn't even started on my laptop yet",
])
def test_things_not_as_ordered_or_not_done_right_are_complaints(text):
    assert score(text).label is NEG


@pytest.mark.parametrize("text", [
    "the tulips are wilting already",
    "the canvas print is all pixelated",
])
def test_wilted_flowers_and_pixelated_prints_are_complaints(text):
    assert score(text).label is NEG


def test_a_fit_that_is_not_too_tight_is_no_complaint():
    assert score("the new jeans aren't too tight at all").label is not NEG


@pytest.mark.parametrize("text", [
    "would definitely recommend the sourdough class",
    "nine out of ten, only because I wanted more",
    "the friendliest barber I've ever been to",
    "your croissants have ruined all other croissants for me",
    "they fixed my watch for half what the jeweller quoted",
    "can't recommend the little bookshop on the corner enough",
    "the herbs you sold me are thriving on the windowsill",
])
def test_verdicts_ratings_and_hyperbole_are_praise(text):
    assert score(text).label is POS


@pytest.mark.parametrize("text", [
    "I'd recommend avoiding the lasagne",
    "I can't recommend this shop",
    "I would not recommend the delivery service",
])
def test_recommending_against_is_a_complaint(text):
    assert score(text).label is NEG


def test_sorry_to_bother_you_is_manners():
    text = "sorry to bother you, do you have size 9 in the brown boots?"
    assert score(text).label is NEU
    assert "bother" not in why(text)


def test_sorry_about_a_mistake_still_counts():
    assert score("sorry but the pie was awful").label is NEG


def test_a_funeral_an_order_is_for_is_the_occasion_not_a_complaint():
    assert score("could you make a wreath for my grandad's funeral?").label is NEU
    assert score("we need sandwiches for a funeral on Thursday").label is NEU


def test_a_funeral_in_the_news_keeps_its_sadness():
    assert score("The funeral of the town's oldest baker is on Friday.").label is NEG


@pytest.mark.parametrize("text", [
    "the girl at the till was more interested in her phone than the customers",
    "staff more interested in chatting than serving",
])
def test_staff_more_interested_in_other_things_is_a_complaint(text):
    assert score(text).label is NEG
    assert "staff attitude" in why(text)


@pytest.mark.parametrize("text", [
    "Friendly team and a nice view. However, our table was sticky and the tea was cold.",
    "Gorgeous little shop. Shame about the prices.",
    "the tart looked stunning, what a pity about the base",
    "Sweet wrapping paper. The soap inside smells of nothing though.",
])
def test_however_shame_and_a_closing_though_turn_to_the_complaint(text):
    assert score(text).label is NEG


def test_though_opening_a_sentence_concedes_instead():
    assert score("Though the bus was late, the pancakes were great.").label is POS


@pytest.mark.parametrize("text", [
    "oh brilliant, another parcel that went to the wrong house",
    "great. the printer is broken again",
])
def test_one_word_of_praise_beside_a_complaint_is_sarcasm(text):
    assert score(text).label is NEG
    assert "sarcastic" in why(text)
    assert "\n" not in why(text)


def test_one_word_of_praise_on_its_own_is_praise():
    assert score("Perfect, see you at ten!").label is POS


@pytest.mark.parametrize("text", [
    "the coffee machine at the front never works",
    "where have all the cheap seats gone?",
    "sent the form in March and still without a reply",
    "there was a 50 minute wait even with a reservation",
    "the standards have really slipped since the new owners took over",
    "my burger came half cooked",
])
def test_more_plain_complaints(text):
    assert score(text).label is NEG


@pytest.mark.parametrize("text", [
    "the queue was long, the risotto was worth every minute",
    "even with a full shop the owner took the time to explain every cheese",
])
def test_worth_every_minute_and_taking_the_time_are_praise(text):
    assert score(text).label is POS


def test_a_quoted_label_on_a_button_is_not_a_doubt():
    assert "doubted claim" not in why('the "pay" button on your site does nothing')
