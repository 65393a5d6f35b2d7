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


def test_a_fit_that_is_not_too_tight_is_no_complaint():
    assert score("the new jeans aren't too tight at all").label is not NEG


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


def test_a_quoted_label_on_a_button_is_not_a_doubt():
    assert "doubted claim" not in why('the "pay" button on your site does nothing')
