"""Chasing, escalation, spoiled goods, emoji and faint praise: more customer kinds.

Every message is made up for the test, in a customer's words; none comes from
the development data.
"""

from __future__ import annotations

import pytest

from app.core.sentiment import score
from tests.sentiment_support import NEG, NEU, POS, why


def test_love_waiting_is_sarcasm():
    text = "Love waiting 45 minutes for a coffee"
    assert score(text).label is NEG
    assert "sarcastic" in why(text)


def test_wow_next_to_a_complaint_is_exasperation():
    assert score("Wow. Just wow. Two hours and still no food.").label is NEG
    assert score("Wow, that was quick!").label is POS


def test_the_delay_drives_me_nuts_is_still_a_complaint():
    assert score("The delay drives me nuts").label is NEG


def test_fire_emoji_is_praise_and_upside_down_face_is_irony():
    assert score("New candles 🔥🔥").label is POS
    assert score("Ordered red, got blue 🙃").label is NEG
    assert "'🔥'" in why("New candles 🔥🔥")


def test_a_buzzing_fridge_is_not_enthusiasm():
    assert score("The fridge is buzzing").label is NEU


def test_so_sweet_is_praise_and_too_sweet_is_a_complaint():
    assert score("You're so sweet, thank you").label is POS
    assert score("The icing was far too sweet").label is NEG


@pytest.mark.parametrize("text", [
    "Third time lucky, the cake was perfect",
    "What's the best way to store the cheese?",
    "Is it ok to bring a pram in?",
])
def test_luck_advice_and_permission_are_not_complaints_or_praise(text):
    assert score(text).label is not NEG
    assert "'best'" not in why(text) and "'ok'" not in why(text)


def test_ordering_again_is_praise_but_out_of_order_again_is_not():
    assert score("Will definitely order again").label is POS
    assert "good quality" not in why("The lift is out of order again")
