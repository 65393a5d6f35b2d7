"""Questions, requests and manners: a question is not a complaint, a request is not
praise, "sorry to bother you" and "no rush" are manners.

Every message is made up for the test, in a customer's words; none comes from the
development data.
"""

from __future__ import annotations

import pytest

from app.core.sentiment import score
from tests.sentiment_support import NEG, NEU, POS, why


def test_sorry_to_bother_you_is_manners():
    text = "sorry to bother you, do you have size 9 in the brown boots?"
    assert score(text).label is NEU
    assert "bother" not in why(text)


def test_sorry_about_a_mistake_still_counts():
    assert score("sorry but the pie was awful").label is NEG


@pytest.mark.parametrize(
    "text",
    [
        "Third time lucky, the cake was perfect",
        "What's the best way to store the cheese?",
        "Is it ok to bring a pram in?",
    ],
)
def test_luck_advice_and_permission_are_not_complaints_or_praise(text):
    assert score(text).label is not NEG
    assert "'best'" not in why(text) and "'ok'" not in why(text)


def test_would_like_is_a_request_not_praise():
    assert score("Hi, I'd like to order a cake for Saturday").label is NEU
    assert "'like'" not in why("I would really like to know the opening hours")


def test_a_request_does_not_hide_the_complaint_it_makes():
    assert score("I would like to know where my order is, it's been two weeks").label is NEG
    assert score("I'd like to return it, the strap snapped").label is NEG


def test_asking_whether_a_place_is_dog_friendly_is_a_question_not_praise():
    assert score("Is the cafe dog friendly?").label is NEU
    assert score("The staff were so friendly").label is POS


@pytest.mark.parametrize(
    "text",
    [
        "what time do you stop serving breakfast?",
        "when does the bakery stop taking Christmas orders?",
        "who designed your logo? my daughter wants to know",
    ],
)
def test_a_question_that_is_only_a_question(text):
    assert score(text).label is not NEG


def test_stop_is_still_a_protest_outside_a_time_question():
    assert score("please stop sending me texts every day").label is NEG


def test_a_plain_question_stays_neutral():
    assert score("do you sell gift vouchers?").label is NEU


@pytest.mark.parametrize("text", ["no rush at all", "no hurry, whenever suits"])
def test_no_rush_is_patience_not_a_refusal(text):
    assert score(text).label is not NEG


@pytest.mark.parametrize(
    "text",
    [
        "what time are you going to be back in the shop?",
        "the lemon tart will be back in June",
        "you guys will be back at the market next week?",
        "are the cinnamon buns going to be back after Easter",
    ],
)
def test_someone_else_coming_back_is_news_not_a_promise(text):
    assert score(text).label is NEU
    assert "coming back" not in why(text)
