"""The rules for issue #8's failure kinds, one test (or two) per rule.

Every message is made up for the test, in a customer's words; none comes from the
development data.
"""

from __future__ import annotations

from app.core.sentiment import score
from tests.sentiment_support import NEG, NEU, POS, why

# --- text an export left escaped, and phones' curly apostrophes ---------------------------


def test_escaped_characters_are_decoded():
    assert score("The app can\\u2019t load my basket\\u002c again").label is NEG


def test_html_entities_are_decoded():
    assert score("Collected my order today &lt;3").label is POS


def test_curly_apostrophe_negates_like_a_plain_one():
    assert score("I don\u2019t like the new packaging").label is NEG


# --- only a schedule reads as an announcement ---------------------------------------------


def test_a_day_name_alone_does_not_make_praise_an_announcement():
    assert score("So excited for the tasting on Saturday").label is POS


def test_a_schedule_with_a_mild_word_stays_neutral():
    text = "Tasting on Saturday from 2pm, come and play"
    assert score(text).label is NEU
    assert "announcement" in why(text)


# --- capitalised names are not opinions ---------------------------------------------------


def test_lexicon_words_inside_a_name_are_not_counted():
    text = "We had Bad Blood on repeat in the shop all morning"
    assert score(text).label is NEU
    assert "names not counted: 'Bad'" in why(text)


def test_owner_word_inside_a_name_still_counts():
    text = "We had Bad Blood on repeat in the shop all morning"
    assert score(text, extra_words={"bad": -3.0}).label is NEG


def test_name_joined_by_of_is_a_name():
    assert score("Picked up the Hall of Fame mug for my dad").label is NEU


def test_title_case_writing_is_emphasis_not_a_name():
    assert score("Great Service And Lovely Staff").label is POS


def test_capitalised_first_word_is_not_a_name():
    assert score("Lovely Sunday brunch with the family").label is POS


def test_wishes_are_not_names():
    assert score("Wishing the whole team a Happy Birthday today").label is POS


# --- eagerness ----------------------------------------------------------------------------


def test_cant_wait_is_eagerness():
    text = "Can't wait for the new spring menu"
    assert score(text).label is POS
    assert "looking forward" in why(text)
    assert score("Really looking forward to Friday's tasting").label is POS


def test_cant_wait_any_longer_is_impatience():
    assert score("I can't wait any longer for my refund").label is NEG


# --- swearing that boosts praise ----------------------------------------------------------


def test_swear_word_before_praise_boosts_it():
    assert score("That burger was damn good").label is POS
    result = score("bloody brilliant service")
    assert result.label is POS
    assert "sarcastic" not in " | ".join(result.reasons)


def test_swear_word_alone_is_still_negative():
    assert score("damn, the courier lost it").label is NEG


# --- "nothing but" means "only" -----------------------------------------------------------


def test_nothing_but_is_not_a_negation():
    assert score("Nothing but the best from this bakery").label is POS
    assert score("Nothing but bad news from this shop").label is NEG


# --- "so bad" after wanting measures the want ---------------------------------------------


def test_want_it_so_bad_is_not_a_complaint():
    assert score("I want those boots so bad").label is not NEG
    assert score("The boots were so bad").label is NEG
