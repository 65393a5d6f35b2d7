"""Ratings and runs of hashtags: the verdicts customers write in digits and tags.

Every message is made up for the test; none comes from the development data.
"""

from __future__ import annotations

import pytest

from app.core.sentiment import score
from app.core.sentiment.text import split_hashtags
from tests.sentiment_support import NEG, NEU, POS, why


@pytest.mark.parametrize("text", [
    "5/5 for the lemon drizzle",
    "the repair service gets a 4.5/5 from me",
    "9 out of 10, only because parking is a pain",
    "our table rated the brunch 10/10",
    "four stars for the new candle range",
    "genuinely 5 star service at the counter",
    "eight outta ten, would order the ramen again",
])
def test_a_high_rating_is_praise(text):
    assert score(text).label is POS
    assert "a high rating" in why(text)


@pytest.mark.parametrize("text", [
    "the delivery was a 1/5",
    "honestly 2/10 for the coffee today",
    "two out of five, the frame arrived scratched",
    "would give zero stars if I could",
    "leaving a 1-star review for the florist",
    "I'd give them no stars after that phone call",
])
def test_a_low_rating_is_a_complaint(text):
    assert score(text).label is NEG
    assert "a low rating" in why(text)


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
