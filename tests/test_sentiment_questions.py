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


@pytest.mark.parametrize("text", ["no rush at all", "no hurry, whenever suits"])
def test_no_rush_is_patience_not_a_refusal(text):
    assert score(text).label is not NEG


@pytest.mark.parametrize("text", [
    "what time are you going to be back in the shop?",
    "the lemon tart will be back in June",
    "you guys will be back at the market next week?",
    "are the cinnamon buns going to be back after Easter",
])
def test_someone_else_coming_back_is_news_not_a_promise(text):
    assert score(text).label is NEU
    assert "coming back" not in why(text)

