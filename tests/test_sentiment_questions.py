"""Questions that are complaints, and questions that are only questions.

"Is it too much to ask…", "since when does…", "does anyone there read emails?"
are complaints with no opinion word; "what time do you stop serving?" asks a
time. Every message is made up for the test; none comes from the development data.
"""

from __future__ import annotations

import pytest

from app.core.sentiment import score
from tests.sentiment_support import NEG, NEU, POS, why


@pytest.mark.parametrize("text", [
    "is it really too much to ask for a receipt?",
    "does anybody at the shop actually answer messages?",
    "what's the point of booking if you give the table away?",
    "is anyone ever going to call me back?",
    "will you ever restock the large sizes",
    "who packed this box?",
    "since when do you charge for tap water?",
    "do you even taste the soup before serving it?",
    "how difficult can it be to write a name on a cup?",
    "would it kill someone to sweep the floor?",
    "why do we even bother booking",
    "how many more times do I need to send my address?",
])
def test_a_question_that_is_a_complaint(text):
    assert score(text).label is NEG
    assert "disbelief" in why(text)


@pytest.mark.parametrize("text", [
    "what time do you stop serving breakfast?",
    "when does the bakery stop taking Christmas orders?",
    "who designed your logo? my daughter wants to know",
])
def test_a_question_that_is_only_a_question(text):
    assert score(text).label is not NEG


def test_stop_is_still_a_protest_outside_a_time_question():
    assert score("please stop sending me texts every day").label is NEG


def test_honestly_as_a_tone_is_not_praise():
    text = "who trained the new barista, honestly?"
    assert score(text).label is NEG
    assert "honestly" not in why(text)


def test_honestly_before_praise_still_praises():
    assert score("honestly the friendliest café around").label is POS


def test_zero_issues_is_no_problem():
    assert score("2 years on and 0 issues with the bike").label is POS


def test_a_plain_question_stays_neutral():
    assert score("do you sell gift vouchers?").label is NEU


@pytest.mark.parametrize("text", [
    "they said the same last Tuesday",
    "heard that one before",
    "that didn't really answer my question",
    "so what do I do now?",
    "when exactly is someone coming out?",
    "ok. this is the last time though",
])
def test_a_reply_to_the_shop_that_is_not_satisfied(text):
    assert score(text).label is NEG


@pytest.mark.parametrize("text", ["no rush at all", "no hurry, whenever suits"])
def test_no_rush_is_patience_not_a_refusal(text):
    assert score(text).label is not NEG


@pytest.mark.parametrize("text", [
    "When will you be open on Sunday?",
    "when will you be at the farmers market?",
    "when will you be back in stock with the blue mugs?",
])
def test_asking_when_the_shop_will_be_somewhere_is_not_chasing(text):
    assert score(text).label is NEU


@pytest.mark.parametrize("text", [
    "when are you going to reply to my email?",
    "when will you be sending my replacement?",
    "when do you fix the card machine?",
])
def test_asking_when_an_answer_or_a_fix_comes_is_chasing(text):
    assert score(text).label is NEG
    assert "no reply" in why(text)


@pytest.mark.parametrize("text", [
    "what time are you going to be back in the shop?",
    "the lemon tart will be back in June",
    "you guys will be back at the market next week?",
    "are the cinnamon buns going to be back after Easter",
])
def test_someone_else_coming_back_is_news_not_a_promise(text):
    assert score(text).label is NEU
    assert "coming back" not in why(text)


@pytest.mark.parametrize("text", [
    "I can assure you we'll be back",
    "my husband and I will be back for the pies",
    "will definitely be back",
])
def test_the_customer_coming_back_is_still_praise(text):
    assert score(text).label is POS
    assert "coming back" in why(text)
