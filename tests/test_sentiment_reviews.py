"""The review-complaint kinds and word-sense rules, each pinned by made-up customer messages
(written for these tests; none come from the development data sets)."""

from __future__ import annotations

import pytest

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


@pytest.mark.parametrize(
    "text",
    [
        "Service was kind of slow tonight.",
        "The kitchen is extremely slow.",
        "Slow service at the counter again.",
        "It took our waiter forever to bring the bill.",
        "Drinks took close to 25 minutes to arrive.",
        "We sat another twenty minutes before anyone came.",
        "They made us wait at the door.",
    ],
)
def test_slow_service_is_waiting(text):
    _check(text, NEG, "waiting")


# --- never again -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "We won't be revisiting this cafe.",
        "I will never set foot in that shop again.",
        "Honestly, we are done with this place.",
    ],
)
def test_refusing_to_return_is_never_again(text):
    _check(text, NEG, "never again")


@pytest.mark.parametrize(
    "text",
    [
        "I do not think we will go back to the deli.",
        "Not sure we'll be back after that.",
        "I doubt I'll be back.",
    ],
)
def test_doubted_return_is_never_again_not_praise(text):
    _check(text, NEG, "complaint (never again)")


@pytest.mark.parametrize(
    "text", ["I'll be back next week!", "We will definitely return.", "Def coming back soon"]
)
def test_promise_to_return_is_praise(text):
    _check(text, POS, "coming back")


def test_must_have_been_is_not_praise():
    result = score("It must have been a busy day for the bakers.")
    assert "coming back" not in _reasons(result)
    assert result.label is not POS


# --- fast service --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["We were seated right away.", "The florist was very prompt with our order."]
)
def test_seated_at_once_is_fast_service(text):
    _check(text, POS, "fast service")


def test_ahead_of_time_alone_is_not_praise():
    result = score("The sauces are prepared ahead of time each morning.")
    assert "fast service" not in _reasons(result)


# --- food made badly, unsafe food ----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The soup was lukewarm.",
        "My latte arrived ice cold.",
        "The burger was overdone and the chips underseasoned.",
        "That was the driest cake I have ever had.",
        "The fries came back cold.",
        "There was hardly any filling in the pie.",
        "The stew needed more salt.",
        "The noodles did not look appealing.",
        "The chicken was not cooked through.",
    ],
)
def test_badly_made_food_is_a_complaint(text):
    _check(text, NEG)


@pytest.mark.parametrize(
    "text",
    [
        "There was a hair in my sandwich.",
        "My son got sick after the takeaway.",
        "The bread was moldy.",
        "The curry made me ill.",
    ],
)
def test_unsafe_food_is_a_complaint(text):
    _check(text, NEG, "unsafe food")


# --- staff attitude ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The cashier had an attitude with us.",
        "The manager was dismissive.",
        "Nobody checked on our table.",
        "Not even a hello when we walked in.",
        "We had to ask three times for water.",
    ],
)
def test_staff_attitude_is_a_complaint(text):
    _check(text, NEG, "staff attitude")


# --- blocked, disbelief, walked out, went elsewhere -----------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I can't log in to my account.",
        "Unable to checkout on the website.",
        "I couldn't get through on the phone.",
        "Won't be able to collect the cake now.",
    ],
)
def test_blocked_customer_is_a_complaint(text):
    _check(text, NEG, "could not do it")


@pytest.mark.parametrize(
    "text", ["Are you kidding me? Two hours for a sandwich", "Why on earth is the shop shut?"]
)
def test_disbelief_is_a_complaint(text):
    _check(text, NEG, "disbelief")


@pytest.mark.parametrize(
    "text",
    [
        "We gave up and went home.",
        "The booking system is a joke.",
        "The corner cafe does much better coffee than this.",
    ],
)
def test_walking_out_or_preferring_elsewhere_is_a_complaint(text):
    _check(text, NEG, "gave up or went elsewhere")


def test_nothing_better_than_this_is_not_a_complaint():
    assert "went elsewhere" not in _reasons(score("Nothing better than this on a cold day."))


@pytest.mark.parametrize(
    "text",
    [
        "The new recipe is nowhere near as good.",
        "Second-rate pastries at first-rate prices.",
        "Kiss your deposit goodbye.",
        "The delivery times they promise are unrealistic.",
    ],
)
def test_fell_short_kinds(text):
    _check(text, NEG, "fell short")


# --- praise said by denying a complaint, praise idioms --------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Tried the brunch and was not one bit disappointed!",
        "You can't go wrong with their pies.",
        "The new menu did not disappoint.",
        "Could not be happier with the cake.",
        "No complaints at all.",
    ],
)
def test_denied_complaint_is_praise(text):
    _check(text, POS, "no complaints")


def test_not_only_disappointing_stays_a_complaint():
    _check("The pizza was not only disappointing but cold.", NEG)


@pytest.mark.parametrize(
    "text",
    ["The brownies are to die for!", "Their staff went above and beyond.", "Worth every penny."],
)
def test_praise_idiom_is_praise_not_its_literal_words(text):
    _check(text, POS, "praise")


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
