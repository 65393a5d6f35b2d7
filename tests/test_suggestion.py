"""The composer opens on the kind of reply the message needs.

Each row is a message a bakery might get, the label the scorer (or the owner's
correction) gave it, and the template kind the owner would reach for.
"""

from __future__ import annotations

import pytest

from app.core.models import SentimentLabel
from app.core.suggestion import has_complaint_words, is_question, suggest_kind

NEG = SentimentLabel.NEGATIVE
NEU = SentimentLabel.NEUTRAL
POS = SentimentLabel.POSITIVE
UNS = SentimentLabel.UNSCORED

MESSAGES = [
    # complaints get an apology
    (
        "@juniperrye the guy at the till rolled his eyes and ignored me. Not the first time.",
        NEG,
        "apology",
    ),
    (
        "Paid $6 for a cinnamon roll that was stale and hard as a rock. Really not ok.",
        NEG,
        "apology",
    ),
    (
        "@juniperrye Where is my order?? It's been two hours and nobody answers the phone",
        NEG,
        "apology",
    ),
    ("ordered the seeded rye, got a white sandwich loaf 😩", NEG, "apology"),
    # the scorer heard these as neutral, but they name what went wrong
    ("My order never arrived.", NEU, "apology"),
    ("I was charged twice for order #4471, could you refund one of them please?", NEU, "apology"),
    # questions get an answer, with or without a question mark
    ("@juniperrye are you open on Sundays? I'd love to bring my parents.", POS, "answer"),
    ("hey is there parking near the shop or should i take the bus", NEU, "answer"),
    ("@juniperrye do you deliver to Millbrook", NEU, "answer"),
    ("What time do you close on Saturdays", NEU, "answer"),
    ("Just wondering if the stollen is coming back this year", NEU, "answer"),
    ("are you open late on fridays", NEU, "answer"),  # "late" is not a complaint here
    # a worried question is still a question
    ("Is there anything gluten-free? I'm so sick of missing out", NEG, "answer"),
    ("¿Lo tenéis también los domingos?", UNS, "answer"),
    # praise gets a thank-you
    ("those cardamom buns 😍🥐 I had two. No regrets.", POS, "thanks"),
    ("How lovely was that! Best morning in ages.", POS, "thanks"),
    ("thank you for the free coffee when my card wouldn't work ☕💛", POS, "thanks"),
    # anything else gets a friendly hello
    ("Morning loaf run at @juniperrye before work.", NEU, "answer"),
    ("Wunderbar, bis Samstag!", UNS, "answer"),
]


@pytest.mark.parametrize(("text", "label", "kind"), MESSAGES)
def test_the_composer_suggests_the_kind_of_reply_that_fits(
    text: str, label: SentimentLabel, kind: str
) -> None:
    assert suggest_kind(text, label) == kind


def test_a_complaint_phrased_as_a_question_still_gets_an_apology() -> None:
    text = "Why was my cake late AGAIN? This is the second time."
    assert is_question(text)
    assert suggest_kind(text, NEG) == "apology"


def test_a_negative_message_without_a_question_gets_an_apology() -> None:
    assert suggest_kind("Honestly not impressed today.", NEG) == "apology"


def test_a_question_beats_praise() -> None:
    assert suggest_kind("Love your bread! Do you do wholesale for cafés?", POS) == "answer"


def test_question_words_count_in_lower_case_too() -> None:
    assert is_question("can i order a cake for friday")
    assert is_question("HOW LONG does the sourdough keep")


def test_exclamations_that_start_like_questions_are_not_questions() -> None:
    assert not is_question("What a lovely morning!")
    assert not is_question("How kind of you.")


def test_everyday_words_are_not_mistaken_for_complaints() -> None:
    assert not has_complaint_words("Do you have cold brew?")
    assert not has_complaint_words("Are you open late on Fridays")
    assert has_complaint_words("The coffee arrived cold")
