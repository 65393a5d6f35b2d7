"""The review-complaint kinds and word-sense rules, each pinned by made-up customer messages
(written for these tests; none come from the development data sets)."""

from __future__ import annotations

from app.core.models import Sentiment, SentimentLabel
from app.core.sentiment import score

NEG, NEU, POS = SentimentLabel.NEGATIVE, SentimentLabel.NEUTRAL, SentimentLabel.POSITIVE


def _reasons(result: Sentiment) -> str:
    return " | ".join(result.reasons)


def _check(text: str, label: SentimentLabel, reason: str | None = None) -> None:
    result = score(text)
    assert result.label is label, (text, result)
    if reason is not None:
        assert reason in _reasons(result), (text, result.reasons)


# --- waiting: slow service said with a degree word, an object or a filler ---------------


# --- never again -------------------------------------------------------------------------


def test_must_have_been_is_not_praise():
    result = score("It must have been a busy day for the bakers.")
    assert "coming back" not in _reasons(result)
    assert result.label is not POS


# --- fast service --------------------------------------------------------------------------


def test_ahead_of_time_alone_is_not_praise():
    result = score("The sauces are prepared ahead of time each morning.")
    assert "fast service" not in _reasons(result)


# --- food made badly, unsafe food ----------------------------------------------------------


# --- staff attitude ------------------------------------------------------------------------


# --- blocked, disbelief, walked out, went elsewhere -----------------------------------------


def test_nothing_better_than_this_is_not_a_complaint():
    assert "went elsewhere" not in _reasons(score("Nothing better than this on a cold day."))


# --- praise said by denying a complaint, praise idioms --------------------------------------


def test_not_only_disappointing_stays_a_complaint():
    _check("The pizza was not only disappointing but cold.", NEG)


# --- word senses -------------------------------------------------------------------------


def test_degree_word_before_a_complaint_is_not_praise():
    _check("Pretty mediocre coffee overall.", NEG)
    _check("Definitely not fresh bread.", NEG)


def test_as_well_and_oh_well_are_not_praise():
    assert score("My order may as well have been lost.").label is not POS
    assert score("Oh well, see you next time.").label is NEU


def test_hand_as_a_body_part_is_not_praise():
    result = score("The chef on the other hand was rude.")
    assert result.label is NEG
    assert "hand" not in _reasons(result)


def test_pretty_much_is_not_praise():
    assert "pretty" not in _reasons(score("They pretty much ignored us."))


def test_profanity_with_nothing_to_boost_is_anger():
    _check("Still no sign of my fucking parcel", NEG)
    _check("This cake is fucking amazing", POS)


def test_who_cares_is_dismissal_and_take_care_is_a_goodbye():
    _check("Who cares what the customer thinks", NEG)
    _check("Take care!", NEU)


def test_no_longer_negates_praise():
    _check("It is no longer a great place for lunch.", NEG)
