"""The neighbour words each word sense looks at (word_senses.SENSES reads them).

Tables only: "save me a loaf" is keeping, not a rescue, because "me" is in KEPT.
"""

from __future__ import annotations

from app.core.sentiment.lexicons import word_set

LIKE_SUBJECTS = word_set(
    "i we you they u ya really do does did don't dont didn't didnt "
    "to also still just actually totally definitely kinda who people everyone all"
)
# "I would like to know where my order is": a request, not a liking.
WOULD = word_set("would 'd i'd we'd you'd they'd wd")
SOFTENERS = word_set("really just also so")
# "save me a loaf", "save the date", "save 20%": keeping or a promotion, not a rescue.
KEPT = word_set("me us him her them date spot seat place table slot")
# "gluten free", "nut free": what a product lacks, not a gift.
FREE_OF = word_set(
    "gluten dairy sugar nut nuts fat lactose meat plastic cruelty alcohol caffeine egg "
    "soy wheat fragrance scent"
)
# "he goes mad for them", "crazy about the new blend": love, not anger.
FOND = {"mad": 2.0, "crazy": 2.0, "nuts": 2.0, "obsessed": 2.2}
# "flowers for my nan's funeral": what an order is for, not a complaint about the shop.
SAD_OCCASIONS = word_set("funeral funerals")
WHOSE = word_set("a the my his her our their your")
# "what time do you stop serving?": asking when, not protesting.
STOP = word_set("stop stops")
WHEN = word_set("when time till until")
NO_RUSH = word_set("rush hurry pressure stress")
NO_WORRIES = word_set("worries worry probs bother")
ACK = word_set("ok okay")
# "(I've) lost my card": the customer's own loss, not the shop's doing.
OWN_LOSS_BEFORE = word_set("i we i've we've ive just have")  # also rules' "lost my" phrase
MINE = word_set("my our")
ASKING = word_set("can could would please pls")
# "I'll drop the keys in", "when I leave": errands, not a drop in quality or a walk-out.
ERRANDS = {
    "drop": word_set("off in by round it them the my our your a some"),
    "leave": word_set("it them the a my our your at with outside in on"),
}
ERRAND_BY = word_set("i we i'll we'll ill can could will to")
WHEN_I = word_set("when before after once as")
FINE_PENALTY = -1.5
PENALTY_KIND = word_set("parking late library speeding")
PENALTY_TAKEN = word_set("got get paid pay given received landed issued")
# "sorry to bother you", "sorry for the trouble": manners before a question.
MANNERS_SORRY = {
    "to": word_set("bother trouble ask pester disturb interrupt"),
    "for": word_set("bothering troubling trouble bother"),
}
FOND_OF = {
    "mad": frozenset({"for", "about"}),
    "crazy": frozenset({"for", "about"}),
    "nuts": frozenset({"for", "about"}),
    "obsessed": frozenset({"with", "over"}),
}
# "drives me nuts", "it's nuts": madness; otherwise ("contains nuts") food.
MADNESS_BEFORE = word_set(
    "'s is are was were me you him her them us go going went gone drive drives driving "
    "drove absolutely completely totally bit little"
)
# "dog friendly", "vegan friendly": a feature the customer asks about, not praise.
FRIENDLY_TO = word_set(
    "dog dogs pet pets kid kids child children family baby vegan vegetarian eco wheelchair allergy"
)
ADJ_BOOSTERS = {"incredible": 2.8, "exceptional": 2.8, "tremendous": 2.2, "phenomenal": 3.0}
# Degree and sincerity words VADER lists as praise: before another opinion word they
# only intensify it ("pretty bland", "honestly frustrating", "truly awful").
DEGREE_WORDS = word_set(
    "pretty super real mighty honestly truly definitely certainly clearly obviously"
)
SINCERITY = frozenset({"honestly", "truthfully", "sincerely"})
ADJ_ENDINGS = ("ed", "y", "ful", "ing", "ive", "ous", "ic", "al", "able", "ible", "ish", "less")


# Lexicon words that are no opinion after these words: "as well" (also), "oh well"
# (resignation), a body part's "hand".
FILLER_SENSES = {
    "well": frozenset({"as", "oh"}),
    "hand": frozenset(
        {"other", "my", "his", "her", "their", "your", "our", "the", "left", "right", "second"}
    ),
}
NOT_ONLY = frozenset({"only", "just"})
# "can't believe you've discontinued it": disbelief, not a negation of what follows.
DISBELIEF = frozenset({"can't", "cant", "cannot", "couldn't", "couldnt"})
# Swearing VADER reads as a booster; with no opinion word to boost it is anger.
PROFANITY = frozenset({"fucking", "fuckin", "effing", "frickin", "fricking", "friggin", "frigging"})
ANGRY_PROFANITY = -1.5
# Swearing right before praise intensifies it ("damn good", "bloody brilliant", "hell
# yeah"), as VADER's boosters do; it is not a complaint next to the praise.
SWEAR_BOOSTERS = frozenset(
    {"damn", "damned", "bloody", "hell", "crazy", "wicked", "stupid", "freaking", "fuckin"}
)
BOOST = 0.293  # VADER's B_INCR
# "want it so bad": "bad" measures the wanting.
DESIRE = frozenset({"want", "wanted", "wants", "wanna", "need", "needed", "needs", "miss"})
# "don't get me wrong": a disclaimer before an opinion, not a complaint.
DISCLAIMED = {"wrong": ("get", "me")}
CARE = {
    "cares": {"who": -1.5},
    "care": {"who": -1.5, "take": 0.0},
}
# A lexicon word that is no opinion before these: a product ("gift card", "loyalty
# points", "care instructions"), asking advice ("best way to") or leave ("ok to").
NO_OPINION_BEFORE = {
    "gift": word_set("card cards voucher vouchers certificate box boxes wrap wrapping set bag"),
    "loyalty": word_set("points point card scheme programme program club stamps discount"),
    "care": word_set("instructions label labels guide card sheet"),
    "best": word_set("way ways option options method route to"),  # "best way to...", "best to book"
    "fair": word_set("enough"),  # "fair enough": accepting, not praising
    "cuts": word_set("keys key hair"),  # "does the shop cut keys?": a service
    "cut": word_set("keys key"),
    # a body part or an illness named, not judged: "my bad knee", "flu jabs"
    "bad": word_set(
        "knee knees back hip hips leg legs shoulder ankle wrist neck foot feet eyes "
        "ears chest cold cough hearing eyesight tooth teeth"
    ),
    "flu": word_set("jab jabs vaccine vaccines vaccination shot shots season"),
    "ok": word_set("to if"),  # "is it ok to bring my dog?": asking leave
    "okay": word_set("to if"),
}
# A word that names a feature or a thing, not an opinion, after these words.
FEATURE_AFTER = {
    "stall": word_set("market food street craft cake flower book farm farmers the a your our my"),
    "number": word_set("order phone tracking reference account item card house flat ticket"),
    "friendly": FRIENDLY_TO,
    "free": FREE_OF,
    "chance": frozenset({"any"}),
    "sure": word_set("pretty fairly quite make i'm im"),  # certainty, not praise
    "fit": word_set("different same slim regular relaxed skinny loose tight the a"),  # a cut
    "cut": word_set("the what's whats hair"),  # "the cut off for orders": a deadline, a trim
}
