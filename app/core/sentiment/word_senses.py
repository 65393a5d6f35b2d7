"""Word senses VADER misreads: one word, scored by its neighbours.

"like" as a comparison or a request, "pretty bad" (a degree, not praise),
"who cares", "damn good", "average at best". Each fix is about a word VADER
scored, or one of the few it leaves at zero, so only those slots are visited.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from app.core.sentiment.lexicons import OCCASION_WORDS, word_set

_NEGATION_SCALAR = -0.74  # VADER's N_SCALAR

_LIKE_SUBJECTS = word_set(
    "i we you they u ya really do does did don't dont didn't didnt "
    "to also still just actually totally definitely kinda who people everyone all"
)
# "I would like to know where my order is": a request, not a liking.
_WOULD = word_set("would 'd i'd we'd you'd they'd wd")
_SOFTENERS = word_set("really just also so")
# "save me a loaf", "save the date", "save 20%": keeping or a promotion, not a rescue.
_KEPT = word_set("me us him her them date spot seat place table slot")
# "gluten free", "nut free": what a product lacks, not a gift.
_FREE_OF = word_set(
    "gluten dairy sugar nut nuts fat lactose meat plastic cruelty alcohol caffeine egg "
    "soy wheat fragrance scent"
)
# "he goes mad for them", "crazy about the new blend": love, not anger.
_FOND = {"mad": 2.0, "crazy": 2.0, "nuts": 2.0, "obsessed": 2.2}
# "flowers for my nan's funeral": what an order is for, not a complaint about the shop.
_SAD_OCCASIONS = word_set("funeral funerals")
_WHOSE = word_set("a the my his her our their your")
# "what time do you stop serving?": asking when, not protesting.
_STOP = word_set("stop stops")
_WHEN = word_set("when time till until")
_NO_RUSH = word_set("rush hurry pressure stress")
_NO_WORRIES = word_set("worries worry probs bother")
_ACK = word_set("ok okay")
# "(I've) lost my card": the customer's own loss, not the shop's doing.
OWN_LOSS_BEFORE = word_set("i we i've we've ive just have")  # also rules' "lost my" phrase
_MINE = word_set("my our")
_ASKING = word_set("can could would please pls")
# "I'll drop the keys in", "when I leave": errands, not a drop in quality or a walk-out.
_ERRANDS = {
    "drop": word_set("off in by round it them the my our your a some"),
    "leave": word_set("it them the a my our your at with outside in on"),
}
_ERRAND_BY = word_set("i we i'll we'll ill can could will to")
_WHEN_I = word_set("when before after once as")
_FINE_PENALTY = -1.5
_PENALTY_KIND = word_set("parking late library speeding")
_PENALTY_TAKEN = word_set("got get paid pay given received landed issued")
# "sorry to bother you", "sorry for the trouble": manners before a question.
_MANNERS_SORRY = {
    "to": word_set("bother trouble ask pester disturb interrupt"),
    "for": word_set("bothering troubling trouble bother"),
}
_FOND_OF = {
    "mad": frozenset({"for", "about"}),
    "crazy": frozenset({"for", "about"}),
    "nuts": frozenset({"for", "about"}),
    "obsessed": frozenset({"with", "over"}),
}
# "drives me nuts", "it's nuts": madness; otherwise ("contains nuts") food.
_MADNESS_BEFORE = word_set(
    "'s is are was were me you him her them us go going went gone drive drives driving "
    "drove absolutely completely totally bit little"
)
# "dog friendly", "vegan friendly": a feature the customer asks about, not praise.
_FRIENDLY_TO = word_set(
    "dog dogs pet pets kid kids child children family baby vegan vegetarian eco "
    "wheelchair allergy"
)
_ADJ_BOOSTERS = {"incredible": 2.8, "exceptional": 2.8, "tremendous": 2.2, "phenomenal": 3.0}
# Degree and sincerity words VADER lists as praise: before another opinion word they
# only intensify it ("pretty bland", "honestly frustrating", "truly awful").
DEGREE_WORDS = word_set(
    "pretty super real mighty honestly truly definitely certainly clearly obviously"
)
_SINCERITY = frozenset({"honestly", "truthfully", "sincerely"})
_ADJ_ENDINGS = ("ed", "y", "ful", "ing", "ive", "ous", "ic", "al", "able", "ible", "ish", "less")


# Lexicon words that are no opinion after these words: "as well" (also), "oh well"
# (resignation), a body part's "hand".
_FILLER_SENSES = {
    "well": frozenset({"as", "oh"}),
    "hand": frozenset(
        {"other", "my", "his", "her", "their", "your", "our", "the", "left", "right", "second"}
    ),
}
_NOT_ONLY = frozenset({"only", "just"})
# "can't believe you've discontinued it": disbelief, not a negation of what follows.
_DISBELIEF = frozenset({"can't", "cant", "cannot", "couldn't", "couldnt"})
# Swearing VADER reads as a booster; with no opinion word to boost it is anger.
_PROFANITY = frozenset(
    {"fucking", "fuckin", "effing", "frickin", "fricking", "friggin", "frigging"}
)
_ANGRY_PROFANITY = -1.5
# Swearing right before praise intensifies it ("damn good", "bloody brilliant", "hell
# yeah"), as VADER's boosters do; it is not a complaint next to the praise.
_SWEAR_BOOSTERS = frozenset(
    {"damn", "damned", "bloody", "hell", "crazy", "wicked", "stupid", "freaking", "fuckin"}
)
_BOOST = 0.293  # VADER's B_INCR
# "want it so bad": "bad" measures the wanting.
_DESIRE = frozenset({"want", "wanted", "wants", "wanna", "need", "needed", "needs", "miss"})
_ZERO_VALUED = frozenset(_ADJ_BOOSTERS) | _PROFANITY  # words word_rules may give a valence
# "don't get me wrong": a disclaimer before an opinion, not a complaint.
_DISCLAIMED = {"wrong": ("get", "me")}
_CARE = {
    "cares": {"who": -1.5},
    "care": {"who": -1.5, "take": 0.0},
}
# A lexicon word that is no opinion before these: a product ("gift card", "loyalty
# points", "care instructions"), asking advice ("best way to") or leave ("ok to").
_NO_OPINION_BEFORE = {
    "gift": word_set("card cards voucher vouchers certificate box boxes wrap wrapping set bag"),
    "loyalty": word_set("points point card scheme programme program club stamps discount"),
    "care": word_set("instructions label labels guide card sheet"),
    "best": word_set("way ways option options method route to"),  # "best way to...", "best to book"
    "fair": word_set("enough"),  # "fair enough": accepting, not praising
    "cuts": word_set("keys key hair"),  # "does the shop cut keys?": a service
    "cut": word_set("keys key"),
    # a body part or an illness named, not judged: "my bad knee", "flu jabs"
    "bad": word_set("knee knees back hip hips leg legs shoulder ankle wrist neck foot feet eyes "
                    "ears chest cold cough hearing eyesight tooth teeth"),
    "flu": word_set("jab jabs vaccine vaccines vaccination shot shots season"),
    "ok": word_set("to if"),  # "is it ok to bring my dog?": asking leave
    "okay": word_set("to if"),
}
# A word that names a feature or a thing, not an opinion, after these words.
_FEATURE_AFTER = {
    "stall": word_set("market food street craft cake flower book farm farmers the a your our my"),
    "number": word_set("order phone tracking reference account item card house flat ticket"),
    "friendly": _FRIENDLY_TO,
    "free": _FREE_OF,
    "chance": frozenset({"any"}),
    "sure": word_set("pretty fairly quite make i'm im"),  # certainty, not praise
    "fit": word_set("different same slim regular relaxed skinny loose tight the a"),  # a cut
    "cut": word_set("the what's whats hair"),  # "the cut off for orders": a deadline, a trim
}
# Every word one of word_rules' fixes is about ("not" for "not only" aside).
_WORD_RULE_WORDS = (
    OCCASION_WORDS
    | DEGREE_WORDS
    | _ADJ_BOOSTERS.keys()
    | _FILLER_SENSES.keys()
    | _PROFANITY
    | _CARE.keys()
    | _SWEAR_BOOSTERS
    | _FEATURE_AFTER.keys()
    | _DISCLAIMED.keys()
    | _NO_OPINION_BEFORE.keys()
    | _FOND.keys()
    | _DISBELIEF
    | _SAD_OCCASIONS
    | _ERRANDS.keys()
    | {"lost", "fine"}
    | _NO_WORRIES
    | _ACK
    | _STOP
    | _NO_RUSH
    | {"like", "bad", "badly", "best", "longer", "nothing", "save", "nuts", "sorry"}
)


def word_rules(
    lows: list[str],
    sentiments: list[float],
    lexicon: dict[str, float],
    owner_words: frozenset[str] = frozenset(),
) -> None:
    """Small VADER word-sense fixes: "like" as comparison, "pretty bad", "was incredible".

    Every fix is about a word VADER scored, or one of the few it leaves at zero
    (_ZERO_VALUED), so only those slots are visited, not every token."""
    if _WORD_RULE_WORDS.isdisjoint(lows) and "not" not in lows:
        return  # no rule below can fire: each needs one of these words (or "not only")
    last = len(lows) - 1
    nothing = "nothing" in lows
    slots: Iterable[int] = itertools.compress(range(len(lows)), sentiments)
    if not _ZERO_VALUED.isdisjoint(lows):
        slots = sorted({*slots, *(i for i, w in enumerate(lows) if w in _ZERO_VALUED)})
    for i in list(slots):
        low = lows[i]
        if low in OCCASION_WORDS and sentiments[i] > 0 and low not in owner_words:
            sentiments[i] = 0.0  # "party", "birthday", "free": a topic, not an opinion
        elif low in _SAD_OCCASIONS and sentiments[i] < 0 and _ordered_for(lows, i):
            sentiments[i] = 0.0  # "flowers for a funeral"; "the funeral is on Friday": news
        elif low == "sorry" and i < last - 1 and lows[i + 1] in _MANNERS_SORRY:
            polite = _MANNERS_SORRY[lows[i + 1]]
            following = [j for j in (i + 2, i + 3) if j <= last and lows[j] in polite][:1]
            if following:
                sentiments[i] = sentiments[following[0]] = 0.0
        elif low in _STOP and i < last and lows[i + 1].endswith("ing") and sentiments[i] < 0:
            if not _WHEN.isdisjoint(lows[max(0, i - 5) : i]):
                sentiments[i] = 0.0  # "what time do you stop serving?": a time, not a protest
        elif low == "fine" and sentiments[i] > 0 and i > 0 and _penalty(lows, i):
            sentiments[i] = _FINE_PENALTY  # "got the fine", "a parking fine": a penalty
        elif low == "lost" and i < last and lows[i + 1] in _MINE and sentiments[i] < 0:
            own = i == 0 or lows[i - 1] in OWN_LOSS_BEFORE
            if own and not _ASKING.isdisjoint(lows[i + 2 :]):
                sentiments[i] = 0.0  # "lost my loyalty card, can you...": asking, not upset
        elif low in _ERRANDS and sentiments[i] < 0 and i > 0 and lows[i - 1] in _ERRAND_BY:
            if (i < last and lows[i + 1] in _ERRANDS[low]) or (i > 1 and lows[i - 2] in _WHEN_I):
                sentiments[i] = 0.0  # "I'll drop the keys in", "when I leave": an errand
        elif low in _ACK and i == 0 and i < last and sentiments[i] > 0:
            sentiments[i] = 0.0  # "ok, I'll try again tomorrow": an acknowledgement
        elif low in _NO_WORRIES and i > 0 and lows[i - 1] == "no":
            sentiments[i] = sentiments[i - 1] = 0.0  # "no worries": manners, not relief
        elif low == "no" and i < last and lows[i + 1] in _NO_RUSH and sentiments[i] < 0:
            sentiments[i] = 0.0  # "no rush", "no hurry": patience, not a refusal
            sentiments[i + 1] = max(sentiments[i + 1], 0.0)
        elif low == "like" and sentiments[i] > 0:
            if i == 0 or lows[i - 1] not in _LIKE_SUBJECTS or _requested(lows, i):
                sentiments[i] = 0.0  # "smelled like", "like a": a comparison; "I'd like"
        elif low == "save" and sentiments[i] > 0 and i < last:
            nxt = lows[i + 1]
            if nxt[:1].isdigit() or nxt[:1] in "£$€" or not _KEPT.isdisjoint(lows[i + 1 : i + 3]):
                sentiments[i] = 0.0
        elif low in _FEATURE_AFTER and i > 0 and lows[i - 1] in _FEATURE_AFTER[low]:
            sentiments[i] = 0.0  # "dog friendly", "gluten free", "any chance you could..."
        elif (
            low in _NO_OPINION_BEFORE and i < last and lows[i + 1] in _NO_OPINION_BEFORE[low]
        ) or (low in _DISCLAIMED and i > 1 and tuple(lows[i - 2 : i]) == _DISCLAIMED[low]):
            sentiments[i] = 0.0  # "gift card", "don't get me wrong"
        elif low in _FOND and i < last and lows[i + 1] in _FOND_OF[low] and sentiments[i] <= 0:
            sentiments[i] = _FOND[low]  # "goes mad for them": love
        elif low == "nuts" and sentiments[i] < 0:
            if i == 0 or lows[i - 1] not in _MADNESS_BEFORE:
                sentiments[i] = 0.0
        elif low in _SINCERITY and (i == 0 or i == last) and sentiments[i] > 0:
            sentiments[i] = 0.0  # "who trained your staff, honestly?": a tone, not praise
        elif low in DEGREE_WORDS and sentiments[i] > 0 and i < last:
            nxt = lows[i + 1]
            if nxt in lexicon or nxt == "much" or (len(nxt) > 3 and nxt.endswith(_ADJ_ENDINGS)):
                sentiments[i] = 0.0  # "pretty bland": a degree word, not praise
        elif low in _ADJ_BOOSTERS and sentiments[i] == 0.0:
            if i == last or lows[i + 1] not in lexicon:
                sentiments[i] = _ADJ_BOOSTERS[low]  # "was incredible": VADER reads a booster
        elif low in _FILLER_SENSES and sentiments[i] > 0 and i > 0:
            if lows[i - 1] in _FILLER_SENSES[low]:
                sentiments[i] = 0.0  # "as well", "oh well", "on the other hand": no praise
        elif i > 1 and lows[i - 1] in _NOT_ONLY and lows[i - 2] == "not" and low in lexicon:
            if sentiments[i] != 0.0:
                sentiments[i] = lexicon[low]  # "not only rude but slow": no negation
        elif (
            sentiments[i] * lexicon.get(low, 0.0) < 0
            and "believe" in lows[max(0, i - 3) : i]
            and _DISBELIEF.intersection(lows[max(0, i - 4) : i])
        ):
            sentiments[i] = lexicon[low]  # "can't believe you've discontinued it"
        elif low in _PROFANITY and sentiments[i] == 0.0:
            if not any(w in lexicon for w in lows[i + 1 : i + 3]):
                sentiments[i] = _ANGRY_PROFANITY  # "my fucking order": anger, not a booster
        elif low in _CARE and i > 0 and lows[i - 1] in _CARE[low] and sentiments[i] > 0:
            sentiments[i] = _CARE[low][lows[i - 1]]  # "who cares": dismissal; "take care": bye
        elif i > 1 and sentiments[i] > 0 and "longer" in lows[i - 3 : i]:
            j = i - 3 + lows[i - 3 : i].index("longer")
            if j > 0 and lows[j - 1] == "no":
                sentiments[i] *= _NEGATION_SCALAR  # "no longer a great place": negated praise
        elif low in _SWEAR_BOOSTERS and sentiments[i] < 0 and i < last and sentiments[i + 1] > 0:
            sentiments[i] = 0.0  # "damn good": a booster, not a complaint
            sentiments[i + 1] += _BOOST
        elif (
            sentiments[i] < 0
            and low in ("bad", "badly")
            and i > 0
            and lows[i - 1] == "so"
            and not _DESIRE.isdisjoint(lows[max(0, i - 8) : i])
        ):
            sentiments[i] = 0.0  # "I want those boots so bad": how much, not how bad
        elif nothing and i > 1 and sentiments[i] * lexicon.get(low, 0.0) < 0:
            if "but" in lows[i - 2 : i] and "nothing" in lows[max(0, i - 3) : i - 1]:
                sentiments[i] = lexicon[low]  # "nothing but the best": "only", not a negation
        elif low == "best" and i > 0 and lows[i - 1] == "at" and sentiments[i] > 0:
            sentiments[i] = -1.5  # "average at best": faint praise
            for j in range(max(0, i - 6), i - 1):
                sentiments[j] = min(sentiments[j], 0.0)


def _ordered_for(lows: list[str], i: int) -> bool:
    """ "for a funeral", "for my nan's funeral" (but not "off for bereavement. Nana's funeral")."""
    if i > 1 and lows[i - 2] == "for":
        return lows[i - 1] in _WHOSE or lows[i - 1].endswith("'s")
    return (
        i > 2 and lows[i - 3] == "for" and lows[i - 2] in _WHOSE and lows[i - 1].endswith("'s")
    )


def _requested(lows: list[str], i: int) -> bool:
    """ "would like", "I'd really like": asking for something."""
    before = lows[i - 1]
    if before in _SOFTENERS and i > 1:
        before = lows[i - 2]
    return before in _WOULD


def _penalty(lows: list[str], i: int) -> bool:
    """ "fine" as a penalty: "a parking fine", "got the fine" (not "it's fine")."""
    before = lows[i - 1]
    if before in _PENALTY_KIND or before[:1] in "£$€":
        return True
    return before in ("a", "the") and i > 1 and lows[i - 2] in _PENALTY_TAKEN
