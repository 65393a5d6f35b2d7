"""What is masked or read differently before the rules score a message: export escapes,
curly apostrophes, names, hashtags, scare quotes and quotations, emoji.

Every message is made up for the test, in a customer's words; none comes from the
development data.
"""

from __future__ import annotations

import pytest

from app.core.sentiment import score
from app.core.sentiment.text import scare_quotes, split_hashtags
from tests.sentiment_support import NEG, NEU, POS, why


def test_escaped_characters_are_decoded():
    assert score("The app can\\u2019t load my basket\\u002c again").label is NEG


def test_html_entities_are_decoded():
    assert score("Collected my order today &lt;3").label is POS


def test_curly_apostrophe_negates_like_a_plain_one():
    assert score("I don\u2019t like the new packaging").label is NEG


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


def test_a_tag_naming_a_kind_of_shop_splits():
    assert score("the sourdough was raw in the middle #bakeryfail").label is NEG
    assert "'fail'" in why("#bakeryfail")


@pytest.mark.parametrize(
    "text",
    [
        "do you still sell the 'Heritage' loaf?",  # a product name: capitalised
        "my son calls it the 'crunchy bread' and asks for it every day",  # after "calls it": a name
        "a 'flat white' is just a latte with less milk, right?",  # a term after "a"
        "she said the cake was 'perfect' and she loved it",  # someone's words after "was"
        "I'm a rock 'n' roll fan",
    ],
)
def test_other_quotes_are_not_doubts(text):
    assert "doubted claim" not in why(text)


def test_scare_quotes_turn_into_so_called_and_leave_apostrophes_alone():
    assert scare_quotes("the 'fresh' rolls") == "the so-called fresh rolls"
    assert scare_quotes("your \u2018fast\u2019 service") == "your so-called fast service"
    assert scare_quotes("it's the shop's own jam") == "it's the shop's own jam"


def test_a_quoted_label_on_a_button_is_not_a_doubt():
    assert "doubted claim" not in why('the "pay" button on your site does nothing')


def test_fire_emoji_is_praise_and_upside_down_face_is_irony():
    assert score("New candles 🔥🔥").label is POS
    assert score("Ordered red, got blue 🙃").label is NEG
    assert "'🔥'" in why("New candles 🔥🔥")


def test_each_tag_in_a_run_is_its_own_verdict():
    """ "never" in the first tag must not turn "fail" in the next one into praise."""
    text = "waited in for the parcel all day #neveragain #fail"
    assert score(text).label is NEG
    assert "positive words" not in why(text)
    assert split_hashtags("#neveragain #fail") == "never again, fail"


def test_a_lone_not_or_still_tag_leads_into_the_next_tag():
    assert split_hashtags("#not #happy") == "not happy"
    assert score("the order came late #not #happy").label is NEG
    assert score("day three #still #waiting").label is NEG


def test_an_opinion_word_run_together_with_a_noun_is_split():
    assert split_hashtags("#goodtimes") == "good times"
    assert split_hashtags("#worstdayever") == "worst day ever"
    assert score("quiz night at the cafe #goodtimes").label is POS
    assert score("third cancelled slot this month #badservice").label is NEG
