"""Thin evidence stays neutral: one weak word in a long post, a post that only asks, a
schedule; explicit phrases keep the normal band.

Every message is made up for the test, in a customer's words; none comes from the
development data.
"""

from __future__ import annotations

from app.core.sentiment import score
from tests.sentiment_support import NEG, NEU, POS, why


def test_a_day_name_alone_does_not_make_praise_an_announcement():
    assert score("So excited for the tasting on Saturday").label is POS


def test_a_schedule_with_a_mild_word_stays_neutral():
    text = "Tasting on Saturday from 2pm, come and play"
    assert score(text).label is NEU
    assert "announcement" in why(text)


def test_one_weak_word_in_a_long_post_is_neutral():
    text = "We might want to pick up the sourdough order on the way to the market later"
    assert score(text).label is NEU
    assert "one weak opinion word" in why(text)


def test_one_weak_word_in_a_short_post_still_counts():
    assert score("I want that tart").label is POS


def test_a_strong_word_in_a_long_post_still_counts():
    assert score("We picked up the sourdough on the way to the market and loved it").label is POS


def test_question_only_post_with_mild_word_is_neutral():
    text = "Is the special edition tin back in stock?"
    assert score(text).label is NEU
    assert "only asks a question" in why(text)


def test_complaint_question_stays_negative():
    assert score("Why is the app so slow and buggy?").label is NEG


def test_announcement_with_mild_word_is_neutral():
    text = "Pastry class Saturday 9am, come play"
    assert score(text).label is NEU
    assert "announcement" in why(text)


def test_announcement_with_strong_praise_stays_positive():
    assert score("Saturday's pastry class was amazing, thank you!").label is POS


def test_thin_evidence_never_hides_a_complaint():
    assert score("Tomorrow I will ask again where my refund is, this is awful").label is NEG


def test_had_better_is_a_complaint():
    assert score("I've had better croissants at the station kiosk").label is NEG


def test_far_from_is_a_complaint():
    result = score("The fit was far from what the photos showed")
    assert result.label is NEG
    assert "fell short" in " | ".join(result.reasons)


def test_expected_better_does_not_count_better_as_praise():
    assert score("For the price I expected a lot better").label is NEG


def test_take_business_elsewhere_with_words_between():
    assert score("Next time we will spend our money somewhere else").label is NEG


def test_defect_words_vader_lacks():
    assert score("The hinge is flimsy and the lid is unusable.").label is NEG
    assert score("Total rip off").label is NEG


def test_leaves_to_be_desired():
    assert score("The packaging leaves a lot to be desired").label is NEG


def test_negated_praise_phrase_is_a_complaint():
    result = score("The muffins weren't tasty")
    assert result.label is NEG
    assert "praise denied" in " | ".join(result.reasons)


def test_plain_praise_phrase_still_praise():
    assert score("The muffins were tasty").label is POS


def test_review_praise_without_sentiment_words():
    assert score("Sturdy case, works perfectly").label is POS
    assert score("Will order from them again").label is POS
    assert score("The delivery arrived on time").label is POS


def test_complaint_after_but_outweighs_praise_before_it():
    assert score("Definitely a cute shop but I would not order here again").label is NEG


def test_occasion_words_are_not_praise():
    assert score("Ordered a cake for the party").label is NEU


def test_quoted_text_is_not_the_customers_opinion():
    text = 'The card says "Happy wonderful day Tom". His name is Tim. Really upsetting.'
    result = score(text)
    assert result.label is NEG
    assert "happy" not in " | ".join(result.reasons)


def test_whole_post_in_quotes_is_still_scored():
    assert score('"Lovely scones"').label is POS


def test_demo_cake_post_is_negative():
    text = (
        "@juniperrye I just picked up the birthday cake I ordered for my daughter and it says "
        '"Happy Birthday Mia". Her name is Nia. I spelled it out on the form. The party is at 4. '
        "This is really upsetting."
    )
    assert score(text).label is NEG
