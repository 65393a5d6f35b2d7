"""What staff forgot, left undone or damaged, and the customer's own errands, losses
and accidents that are no complaint about the shop.

Every message is made up for the test; none comes from the development data.
"""

from __future__ import annotations

import pytest

from app.core.sentiment import score
from tests.sentiment_support import NEG, NEU, why


@pytest.mark.parametrize("text", [
    "the pharmacy forgot to put the inhaler in the bag",
    "the groomer again forgot about his nails",
    "they left the bathroom without even cleaning up the grout dust",
    "the agent submitted our paperwork late and the sale fell through",
])
def test_a_job_left_undone_is_a_complaint(text):
    assert score(text).label is NEG
    assert "left undone" in why(text)


@pytest.mark.parametrize("text", [
    "the window cleaner cracked our conservatory roof",
    "the decorator scuffed my new skirting boards",
])
def test_damage_done_on_the_job_is_a_complaint(text):
    assert score(text).label is NEG
    assert "damage done" in why(text)


def test_damage_the_customer_did_is_not_the_shops():
    assert "damage done" not in why("I cracked my phone screen, can you fix it today?")


def test_the_customers_own_forgetting_is_not_the_shops():
    assert "left undone" not in why("I forgot my reusable bag, do you have paper ones?")


@pytest.mark.parametrize("text", [
    "the garage forgot the paperwork and I got a parking fine",
    "paid a £60 fine because the tax disc was posted late",
])
def test_a_fine_is_a_penalty_not_praise(text):
    assert score(text).label is NEG


def test_fine_as_an_opinion_is_unchanged():
    assert score("the soup was fine").label is not NEG


@pytest.mark.parametrize("text", [
    "I'll drop the spare key off on Monday",
    "we'll leave the bikes outside the side door",
    "can I pay when I leave?",
    "lost my stamp card, could you start me a new one?",
    "what's the cancellation policy for group bookings?",
    "need the table at 8 not 7 please",
    "kitchen tap's leaking, does anyone know a plumber who can come Saturday?",
])
def test_errands_and_requests_are_neutral(text):
    assert score(text).label is NEU


def test_a_loss_told_without_a_request_is_still_sad():
    assert score("lost my gloves somewhere in town today").label is NEG
