"""Sarcasm, negation and contrast: praise beside a complaint, "but", "though" and
"however", "not only", "no longer", "nothing but".

Every message is made up for the test, in a customer's words; none comes from the
development data.
"""

from __future__ import annotations

import pytest

from app.core.sentiment import score
from tests.sentiment_support import NEG, POS, check, reasons_of, why


def test_nothing_but_is_not_a_negation():
    assert score("Nothing but the best from this bakery").label is POS
    assert score("Nothing but bad news from this shop").label is NEG


def test_a_closing_great_after_a_complaint_is_sarcastic():
    text = "The frame arrived damaged. Party is on Saturday. Great."
    assert score(text).label is NEG
    assert "sarcastic praise" in why(text)


def test_a_closing_great_alone_is_praise():
    assert score("Picked up the frame this morning. Great.").label is POS


def test_though_opening_a_sentence_concedes_instead():
    assert score("Though the bus was late, the pancakes were great.").label is POS


@pytest.mark.parametrize(
    "text",
    [
        "oh brilliant, another parcel that went to the wrong house",
        "great. the printer is broken again",
    ],
)
def test_one_word_of_praise_beside_a_complaint_is_sarcasm(text):
    assert score(text).label is NEG
    assert "sarcastic" in why(text)
    assert "\n" not in why(text)


def test_one_word_of_praise_on_its_own_is_praise():
    assert score("Perfect, see you at ten!").label is POS


def test_love_waiting_is_sarcasm():
    text = "Love waiting 45 minutes for a coffee"
    assert score(text).label is NEG
    assert "sarcastic" in why(text)


def test_wow_next_to_a_complaint_is_exasperation():
    assert score("Wow. Just wow. Two hours and still no food.").label is NEG
    assert score("Wow, that was quick!").label is POS


def test_thanks_for_charging_me_twice_is_sarcasm():
    text = "Thanks for charging me twice"
    assert score(text).label is NEG
    assert "sarcastic" in why(text)


def test_nothing_better_than_this_is_not_a_complaint():
    assert "went elsewhere" not in reasons_of(score("Nothing better than this on a cold day."))


def test_not_only_disappointing_stays_a_complaint():
    check("The pizza was not only disappointing but cold.", NEG)


def test_no_longer_negates_praise():
    check("It is no longer a great place for lunch.", NEG)


def test_no_cap_does_not_negate_the_praise_after_it():
    text = "no cap the nicest bagels in the city"
    assert score(text).label is POS
    assert "'no'" not in why(text)
