"""Complaints and praise told as plain facts, found in a round of customer messages
written for tuning: goods failing straight away, produce gone off, being hurried
out, served out of turn, a machine that swallows a code, "used to be ... now",
a promise the next sentence takes back; and on the praise side, the star of the
party, time given, a problem others missed, "never once" late. Plus the questions
and quotes that were misread: "do you have anything for a broken ...?", "the cut
off", a closing "Great." after a complaint, two-word scare quotes.

Every message is made up for the test; none comes from the development data.
"""

from __future__ import annotations

from app.core.sentiment import score
from tests.sentiment_support import NEG, POS, why


def test_a_closing_great_after_a_complaint_is_sarcastic():
    text = "The frame arrived damaged. Party is on Saturday. Great."
    assert score(text).label is NEG
    assert "sarcastic praise" in why(text)


def test_a_closing_great_alone_is_praise():
    assert score("Picked up the frame this morning. Great.").label is POS


def test_asking_for_something_and_getting_it_is_no_complaint():
    assert "missing or wrong" not in why("asked for a fringe trim and got a fringe trim")
    assert "missing or wrong" in why("asked for a fringe trim and got a bob")


def test_a_refund_that_has_landed_is_no_complaint():
    text = "cheers, the refund just landed"
    assert "refund" not in why(text).split(":")[0]
    assert score(text).label is POS


def test_a_tag_naming_a_kind_of_shop_splits():
    assert score("the sourdough was raw in the middle #bakeryfail").label is NEG
    assert "'fail'" in why("#bakeryfail")
