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

import pytest

from app.core.sentiment import score
from tests.sentiment_support import NEG, NEU, POS, why


@pytest.mark.parametrize(("text", "kind"), [
    ("the school shoes have already split at the toe", "faulty"),
    ("the kettle I bought in May has already stopped working", "faulty"),
    ("the salad bag was going slimy the day after we bought it", "faulty"),
    ("the avocados were rotten inside", "faulty"),
    ("they cleared our plates mid-bite and hurried us out for the next sitting", "staff attitude"),
    ("felt really rushed the whole meal", "staff attitude"),
    ("the couple behind us were served first despite arriving later", "staff attitude"),
    ("the car park machine ate my ticket and no one came", "could not do it"),
    ("the parcel locker jammed and nobody could open it", "could not do it"),
    ("the scones used to be light, now they're like bricks", "fell short of expectations"),
    ("you've changed the recipe and it's not the same", "fell short of expectations"),
    ("the toast was like cardboard", "fell short of expectations"),
    ("the fitter promised the door would shut. It doesn't.", "fell short of expectations"),
    ("the queue was right out of the door at half nine", "could not buy, book or get in"),
    ("the room was tatty and the shower just dribbled", "faulty"),
    ("spent a fortune on a keratin treatment and it feels like straw",
     "fell short of expectations"),
    ("there's a hidden fee for paying by card", "paid more, got less"),
    ("a cleaning charge nobody mentioned when we booked", "paid more, got less"),
    ("the burrito was 80% rice", "fell short of expectations"),
    ("the hot chocolate was basically froth", "fell short of expectations"),
    ("went in for a tidy up and came out with a buzz cut", "fell short of expectations"),
    ("the unsubscribe link goes to a 404", "could not buy, book or get in"),
    ("the pay now button on the app is broken", "could not buy, book or get in"),
    ("nice enough shop but I'll be going to the one in town instead", "fell short of expectations"),
    ("six quid for a sandwich and they can't even put it in a bag", "disbelief"),
    ("the doctor was too busy to see a child with a temperature", "staff attitude"),
    ("the big shop order got substituted with the wrong brands again", "faulty"),
    ("paid for a double room, given a single with a camp bed", "paid more, got less"),
    ("couldn't book a table there for love nor money", "could not do it"),
    ("why do your trains always stop short of the platform", "disbelief"),
    ("asked for an exception and the manager said computer says no", "staff attitude"),
    ("the recycling lorry missed our road again", "left undone"),
    ("the grout they put in is already cracking", "faulty"),
    ("sold me a 'new' kettle with limescale inside", "doubted claim"),
    ("the spa was closed all weekend and it wasn't mentioned when we booked", "not what you said"),
    ("the new trainers are a different fit to the same size last time", "faulty"),
    ("the shirt came back from the cleaners with an ink stain", "faulty"),
    ("third time I've had to explain the same fault", "asking where / no reply"),
    ("the manager said sorry but nothing has actually changed", "fell short of expectations"),
    ("a bit of plastic cooked into the pie crust", "unsafe food"),
    ("ok but who do I actually complain to", "asking where / no reply"),
    ("friendly lot, but they obviously don't know what they're doing with boilers",
     "staff attitude"),
    ("gorgeous room, shame we couldn't hear each other over the music", "could not do it"),
    ("they were nice about it but the damp is still there", "fell short of expectations"),
])
def test_a_plain_fact_complaint_is_read(text, kind):
    assert score(text).label is NEG
    assert kind in why(text)


@pytest.mark.parametrize(("text", "kind"), [
    ("the pavlova was the star of the show at Sunday lunch", "praise"),
    ("everybody asked where the cheese board came from", "praise"),
    ("shout-out to the lad at the hardware counter", "praise"),
    ("swapped the shoes, no questions asked", "praise"),
    ("the kids' disco was madness in the best possible way", "praise"),
    ("top lads at the garage, as always", "praise"),
    ("need a locksmith on a Sunday? Kev is your man", "praise"),
    ("finally a dentist who listens", "praise"),
    ("the assistant spent ages helping my dad choose a phone", "kindness"),
    ("they stayed open late for us so we could grab the cake", "kindness"),
    ("the optician picked up on something the hospital missed", "honest advice"),
    ("the whole exchange took about five minutes", "fast service"),
    ("we went back in for seconds before we'd even left the car park", "coming back"),
    ("eight years of veg boxes and the box has never once arrived late", "no problems"),
    ("the new vet put my mind at rest straight away", "peace of mind"),
    ("the bookkeeper sorted out two years of mess", "peace of mind"),
    ("the driver helped us with all the shopping", "kindness"),
    ("the taxi was ten minutes early", "fast service"),
    ("had our deposit back in full the same day", "fast service"),
    ("the cinnamon bun might be my new usual", "coming back"),
    ("never thought a boiler service could be this painless", "praise"),
    ("the new jeans fit like a glove", "praise"),
    ("the new receptionist is a gem", "praise in slang"),
    ("their Sunday playlist is a whole mood", "praise in slang"),
    ("friendliest welcome we've had all year", "recommended"),
    ("whoever designed the new shop front deserves a medal", "praise"),
    ("the kids couldn't stop talking about the pottery class", "praise"),
    ("the caterers absolutely nailed it at the christening", "praise"),
    ("the butcher gave us a recipe for the brisket", "kindness"),
    ("the sofa came on the Tuesday, exactly as they promised", "no problems"),
    ("the boots look like new after the resole", "praise"),
    ("the optician talked me out of the expensive frames", "honest advice"),
    ("the B&B upgraded us to the garden room", "kindness"),
    ("the physio made me a gentle routine around my bad back", "kindness"),
    ("the chef remembered my allergy from last time", "kindness"),
    ("ordered on Sunday night, at the door by Monday lunchtime", "fast service"),
    ("the pie arrived piping hot", "good quality"),
    ("our old cat hates travelling but left the groomer's wagging her tail", "praise"),
    ("the bus there is a faff but the view makes up for it", "praise"),
    ("wasn't keen on the new sofa at first but it has really grown on me", "praise"),
])
def test_praise_without_a_praise_word_is_read(text, kind):
    assert score(text).label is POS
    assert kind in why(text)


@pytest.mark.parametrize("text", [
    "the salted caramel brownies are addictive",
    "my nephew came out of the trampoline park beaming",
    "new hinges fitted in ten minutes, absolute wizardry",
])
def test_everyday_praise_words_count(text):
    assert score(text).label is POS


@pytest.mark.parametrize("text", [
    "do you have anything for a sore throat?",
    "do you fix broken zips on coats?",
    "can you repair a cracked phone screen while I wait?",
    "is there something for a dog with itchy skin?",
    "what's the cut off for Christmas orders?",
    "do I need to return it in the original box?",
    "ok, I'll pop back on Thursday then",
    "no worries, see you next week",
    "does the market stall cut keys?",
    "do you sell second hand bikes?",
    "is the pharmacy doing flu jabs this week?",
    "what's your policy if a parcel arrives damaged?",
    "will you have the stall up at the fete?",
    "it gets busy at lunch, best to book",
    "they shut at noon on Sundays, fair enough",
])
def test_a_question_about_what_the_shop_does_is_neutral(text):
    assert score(text).label is NEU


@pytest.mark.parametrize("text", [
    "do you even check the fridges? the milk was off",
    "do you have any idea how rude your driver was?",
])
def test_a_protest_put_as_a_question_stays_a_complaint(text):
    assert score(text).label is NEG


def test_a_closing_great_after_a_complaint_is_sarcastic():
    text = "The frame arrived damaged. Party is on Saturday. Great."
    assert score(text).label is NEG
    assert "sarcastic praise" in why(text)


def test_a_closing_great_alone_is_praise():
    assert score("Picked up the frame this morning. Great.").label is POS


def test_asking_for_something_and_getting_it_is_no_complaint():
    assert "missing or wrong" not in why("asked for a fringe trim and got a fringe trim")
    assert "missing or wrong" in why("asked for a fringe trim and got a bob")


@pytest.mark.parametrize("text", [
    "the 'next day' delivery took a week",
    "the 'perfect fit' jeans sag at the knee",  # neither quoted word counts as praise
])
def test_two_word_scare_quotes_doubt_the_claim(text):
    assert score(text).label is NEG
    assert "doubted claim" in why(text)


def test_a_refund_that_has_landed_is_no_complaint():
    text = "cheers, the refund just landed"
    assert "refund" not in why(text).split(":")[0]
    assert score(text).label is POS


def test_a_tag_naming_a_kind_of_shop_splits():
    assert score("the sourdough was raw in the middle #bakeryfail").label is NEG
    assert "'fail'" in why("#bakeryfail")
