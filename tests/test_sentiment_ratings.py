"""Ratings and runs of hashtags: the verdicts customers write in digits and tags.

Every message is made up for the test; none comes from the development data.
"""

from __future__ import annotations

import pytest

from app.core.sentiment import score
from app.core.sentiment.text import split_hashtags
from tests.sentiment_support import NEG, NEU, POS, why


@pytest.mark.parametrize("text", [
    "collection on 4/10 works for us",
    "the hotline is open 24/7",
    "only 1/5 of the shelf is gluten free",
    "delivered 10/10/2025 at noon",
    "the sky had no stars above the market tonight",
])
def test_dates_fractions_and_opening_hours_are_not_ratings(text):
    assert "rating" not in why(text)


def test_a_middling_rating_is_left_to_the_words():
    assert score("the scones are a 3/5").label is NEU
    assert "rating" not in why("a 6/10 for the sandwich")


def test_each_tag_in_a_run_is_its_own_verdict():
    """"never" in the first tag must not turn "fail" in the next one into praise."""
    text = "waited in for the parcel all day #neveragain #fail"
    assert score(text).label is NEG
    assert "positive words" not in why(text)
    assert split_hashtags("#neveragain #fail") == "never again, fail"


def test_a_lone_not_or_still_tag_leads_into_the_next_tag():
    assert split_hashtags("#not #happy") == "not happy"
    assert score("the order came late #not #happy").label is NEG
    assert score("day three #still #waiting").label is NEG


def test_an_opinion_word_run_together_with_a_noun_is_split():
    assert split_hashtags("#goodtimes") == "good times"
    assert split_hashtags("#worstdayever") == "worst day ever"
    assert score("quiz night at the cafe #goodtimes").label is POS
    assert score("third cancelled slot this month #badservice").label is NEG


def test_mind_blown_is_praise():
    assert score("mind blown by the pistachio croissant").label is POS
    assert "praise" in why("that chocolate tart was mind-blowing")
