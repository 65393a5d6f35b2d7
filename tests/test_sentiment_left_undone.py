"""What staff forgot, left undone or damaged, and the customer's own errands, losses
and accidents that are no complaint about the shop.

Every message is made up for the test; none comes from the development data.
"""

from __future__ import annotations

from app.core.sentiment import score
from tests.sentiment_support import NEG, why


def test_damage_the_customer_did_is_not_the_shops():
    assert "damage done" not in why("I cracked my phone screen, can you fix it today?")


def test_the_customers_own_forgetting_is_not_the_shops():
    assert "left undone" not in why("I forgot my reusable bag, do you have paper ones?")


def test_fine_as_an_opinion_is_unchanged():
    assert score("the soup was fine").label is not NEG


def test_a_loss_told_without_a_request_is_still_sad():
    assert score("lost my gloves somewhere in town today").label is NEG
