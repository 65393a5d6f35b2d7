"""Word senses: one word read by its neighbours ("like" as a comparison or a request,
"pretty bad", "who cares", "damn good", "gift card", "save me a loaf").

Every message is made up for the test, in a customer's words; none comes from the
development data.
"""

from __future__ import annotations

import pytest

from app.core.sentiment import score
from tests.sentiment_support import NEG, NEU, POS, check, reasons_of, why


def test_cant_wait_is_eagerness():
    text = "Can't wait for the new spring menu"
    assert score(text).label is POS
    assert "looking forward" in why(text)
    assert score("Really looking forward to Friday's tasting").label is POS


def test_cant_wait_any_longer_is_impatience():
    assert score("I can't wait any longer for my refund").label is NEG


def test_swear_word_before_praise_boosts_it():
    assert score("That burger was damn good").label is POS
    result = score("bloody brilliant service")
    assert result.label is POS
    assert "sarcastic" not in " | ".join(result.reasons)


def test_swear_word_alone_is_still_negative():
    assert score("damn, the courier lost it").label is NEG


def test_want_it_so_bad_is_not_a_complaint():
    assert score("I want those boots so bad").label is not NEG
    assert score("The boots were so bad").label is NEG


def test_a_funeral_an_order_is_for_is_the_occasion_not_a_complaint():
    assert score("could you make a wreath for my grandad's funeral?").label is NEU
    assert score("we need sandwiches for a funeral on Thursday").label is NEU


def test_a_funeral_in_the_news_keeps_its_sadness():
    assert score("The funeral of the town's oldest baker is on Friday.").label is NEG


def test_the_delay_drives_me_nuts_is_still_a_complaint():
    assert score("The delay drives me nuts").label is NEG


def test_a_buzzing_fridge_is_not_enthusiasm():
    assert score("The fridge is buzzing").label is NEU


def test_so_sweet_is_praise_and_too_sweet_is_a_complaint():
    assert score("You're so sweet, thank you").label is POS
    assert score("The icing was far too sweet").label is NEG


def test_fine_as_an_opinion_is_unchanged():
    assert score("the soup was fine").label is not NEG


def test_a_loss_told_without_a_request_is_still_sad():
    assert score("lost my gloves somewhere in town today").label is NEG


def test_dont_get_me_wrong_is_a_disclaimer_not_a_complaint():
    text = "Don't get me wrong, I love the shop, but the queue today was ridiculous"
    assert score(text).label is NEG
    assert "'wrong'" not in why(text)


def test_an_order_number_is_not_an_opinion():
    assert score("My order number is 4471, just checking the address").label is NEU


def test_care_instructions_are_not_an_opinion():
    assert score("Could you send the care instructions for the rug?").label is NEU


def test_mad_at_you_is_still_anger():
    assert score("I'm mad at you for cancelling my order").label is NEG


def test_liking_something_is_still_praise():
    assert score("I really like the new blend").label is POS


@pytest.mark.parametrize(
    "text",
    [
        "Can you save me two croissants for tomorrow?",
        "Save the date: the market stall is back on Friday",
        "Save 20 percent on candles this week",
    ],
)
def test_save_as_keeping_or_a_promotion_is_not_praise(text):
    assert "'save'" not in why(text)


def test_saving_the_day_is_still_praise():
    assert score("You saved my day, thank you").label is POS


def test_save_your_spot_is_an_invitation_not_a_warning():
    assert score("Save your spot for Friday's workshop").label is NEU
    assert score("Save your money, the fit is awful").label is NEG


def test_spot_on_the_shelf_is_not_praise():
    assert score("Found a spot on the shelf for it").label is NEU


def test_must_have_been_is_not_praise():
    result = score("It must have been a busy day for the bakers.")
    assert "coming back" not in reasons_of(result)
    assert result.label is not POS


def test_degree_word_before_a_complaint_is_not_praise():
    check("Pretty mediocre coffee overall.", NEG)
    check("Definitely not fresh bread.", NEG)


def test_as_well_and_oh_well_are_not_praise():
    assert score("My order may as well have been lost.").label is not POS
    assert score("Oh well, see you next time.").label is NEU


def test_hand_as_a_body_part_is_not_praise():
    result = score("The chef on the other hand was rude.")
    assert result.label is NEG
    assert "hand" not in reasons_of(result)


def test_pretty_much_is_not_praise():
    assert "pretty" not in reasons_of(score("They pretty much ignored us."))


def test_profanity_with_nothing_to_boost_is_anger():
    check("Still no sign of my fucking parcel", NEG)
    check("This cake is fucking amazing", POS)


def test_who_cares_is_dismissal_and_take_care_is_a_goodbye():
    check("Who cares what the customer thinks", NEG)
    check("Take care!", NEU)


def test_honestly_as_a_tone_is_not_praise():
    text = "who trained the new barista, honestly?"
    assert score(text).label is NEG
    assert "honestly" not in why(text)


def test_honestly_before_praise_still_praises():
    assert score("honestly the friendliest café around").label is POS


def test_free_as_a_gift_is_still_praise():
    assert score("they popped a free brownie in the bag").label is POS


def test_pretty_sure_is_certainty_not_praise():
    assert "sure" not in why("pretty sure the last batch had egg in it")
