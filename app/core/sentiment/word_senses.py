"""Word senses VADER misreads: one word, scored by its neighbours.

"like" as a comparison or a request, "pretty bad" (a degree, not praise),
"who cares", "damn good", "average at best". Each fix is about a word VADER
scored, or one of the few it leaves at zero, so only those slots are visited.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from app.core.sentiment.engine import NEGATION_SCALAR
from app.core.sentiment.lexicons import OCCASION_WORDS, word_set
from app.core.sentiment.sense_rules import Sense, Senses, SenseTable
from app.core.sentiment.tokens import Tokens

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
    "dog dogs pet pets kid kids child children family baby vegan vegetarian eco wheelchair allergy"
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
    "bad": word_set(
        "knee knees back hip hips leg legs shoulder ankle wrist neck foot feet eyes "
        "ears chest cold cough hearing eyesight tooth teeth"
    ),
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


def _words(*groups: Iterable[str]) -> frozenset[str]:
    return frozenset().union(*groups)


def _zero_if(test: Callable[[Senses, int], bool]) -> Callable[[Senses, int], None]:
    """A `then` that zeroes the word only if a further check holds."""

    def then(s: Senses, i: int) -> None:
        if test(s, i):
            s.vals[i] = 0.0

    return then


def _manners_sorry(s: Senses, i: int) -> None:
    polite = _MANNERS_SORRY[s.lows[i + 1]]
    following = [j for j in (i + 2, i + 3) if j <= s.last and s.lows[j] in polite][:1]
    if following:
        s.vals[i] = s.vals[following[0]] = 0.0


def _own_loss_asking(s: Senses, i: int) -> bool:
    own = i == 0 or s.lows[i - 1] in OWN_LOSS_BEFORE
    return own and not _ASKING.isdisjoint(s.lows[i + 2 :])


def _errand(s: Senses, i: int) -> bool:
    low = s.lows[i]
    return (i < s.last and s.lows[i + 1] in _ERRANDS[low]) or (i > 1 and s.lows[i - 2] in _WHEN_I)


def _no_worries(s: Senses, i: int) -> None:
    s.vals[i] = s.vals[i - 1] = 0.0


def _no_rush(s: Senses, i: int) -> None:
    s.vals[i] = 0.0
    s.vals[i + 1] = max(s.vals[i + 1], 0.0)


def _saved_for_later(s: Senses, i: int) -> bool:
    nxt = s.lows[i + 1]
    return nxt[:1].isdigit() or nxt[:1] in "£$€" or not _KEPT.isdisjoint(s.lows[i + 1 : i + 3])


def _degree_before(s: Senses, i: int) -> bool:
    nxt = s.lows[i + 1]
    return nxt in s.lexicon or nxt == "much" or (len(nxt) > 3 and nxt.endswith(_ADJ_ENDINGS))


def _adj_booster(s: Senses, i: int) -> None:
    if i == s.last or s.lows[i + 1] not in s.lexicon:
        s.vals[i] = _ADJ_BOOSTERS[s.lows[i]]


def _lexicon_value_if(test: Callable[[Senses, int], bool]) -> Callable[[Senses, int], None]:
    """A `then` that gives the word back its own lexicon valence if a check holds."""

    def then(s: Senses, i: int) -> None:
        if test(s, i):
            s.vals[i] = s.lexicon[s.lows[i]]

    return then


def _sign_flipped(s: Senses, i: int) -> bool:
    return s.vals[i] * s.lexicon.get(s.lows[i], 0.0) < 0


def _angry_profanity(s: Senses, i: int) -> None:
    if not any(w in s.lexicon for w in s.lows[i + 1 : i + 3]):
        s.vals[i] = _ANGRY_PROFANITY


def _no_longer(s: Senses, i: int) -> None:
    window = s.lows[i - 3 : i]
    j = i - 3 + window.index("longer")
    if j > 0 and s.lows[j - 1] == "no":
        s.vals[i] *= NEGATION_SCALAR


def _swear_booster(s: Senses, i: int) -> None:
    s.vals[i] = 0.0
    s.vals[i + 1] += _BOOST


def _at_best(s: Senses, i: int) -> None:
    s.vals[i] = -1.5
    for j in range(max(0, i - 6), i - 1):
        s.vals[j] = min(s.vals[j], 0.0)


# The rules, in the order they are tried for a word.
SENSES: tuple[Sense, ...] = (
    Sense(
        OCCASION_WORDS,
        lambda s, i: s.vals[i] > 0 and s.lows[i] not in s.owner,
        0.0,
        '"party", "birthday", "free": a topic, not an opinion',
    ),
    Sense(
        _SAD_OCCASIONS,
        lambda s, i: s.vals[i] < 0 and _ordered_for(s.lows, i),
        0.0,
        '"flowers for a funeral"; "the funeral is on Friday": news',
    ),
    Sense(
        frozenset({"sorry"}),
        lambda s, i: i < s.last - 1 and s.lows[i + 1] in _MANNERS_SORRY,
        _manners_sorry,
        '"sorry to bother you": manners before a question',
    ),
    Sense(
        _STOP,
        lambda s, i: i < s.last and s.lows[i + 1].endswith("ing") and s.vals[i] < 0,
        _zero_if(lambda s, i: not _WHEN.isdisjoint(s.lows[max(0, i - 5) : i])),
        '"what time do you stop serving?": a time, not a protest',
    ),
    Sense(
        frozenset({"fine"}),
        lambda s, i: s.vals[i] > 0 and i > 0 and _penalty(s.lows, i),
        _FINE_PENALTY,
        '"got the fine", "a parking fine": a penalty',
    ),
    Sense(
        frozenset({"lost"}),
        lambda s, i: i < s.last and s.lows[i + 1] in _MINE and s.vals[i] < 0,
        _zero_if(_own_loss_asking),
        '"lost my loyalty card, can you...": asking, not upset',
    ),
    Sense(
        _words(_ERRANDS),
        lambda s, i: s.vals[i] < 0 and i > 0 and s.lows[i - 1] in _ERRAND_BY,
        _zero_if(_errand),
        '"I\'ll drop the keys in", "when I leave": an errand',
    ),
    Sense(
        _ACK,
        lambda s, i: i == 0 and i < s.last and s.vals[i] > 0,
        0.0,
        '"ok, I\'ll try again tomorrow": an acknowledgement',
    ),
    Sense(
        _NO_WORRIES,
        lambda s, i: i > 0 and s.lows[i - 1] == "no",
        _no_worries,
        '"no worries": manners, not relief',
    ),
    Sense(
        frozenset({"no"}),
        lambda s, i: i < s.last and s.lows[i + 1] in _NO_RUSH and s.vals[i] < 0,
        _no_rush,
        '"no rush", "no hurry": patience, not a refusal',
    ),
    Sense(
        frozenset({"like"}),
        lambda s, i: s.vals[i] > 0,
        _zero_if(
            lambda s, i: i == 0 or s.lows[i - 1] not in _LIKE_SUBJECTS or _requested(s.lows, i)
        ),
        '"smelled like", "like a": a comparison; "I\'d like": a request',
    ),
    Sense(
        frozenset({"save"}),
        lambda s, i: s.vals[i] > 0 and i < s.last,
        _zero_if(_saved_for_later),
        '"save me a loaf", "save 20%": keeping or a promotion',
    ),
    Sense(
        _words(_FEATURE_AFTER),
        lambda s, i: i > 0 and s.lows[i - 1] in _FEATURE_AFTER[s.lows[i]],
        0.0,
        '"dog friendly", "gluten free", "any chance you could...": a feature',
    ),
    Sense(
        _words(_NO_OPINION_BEFORE),
        lambda s, i: i < s.last and s.lows[i + 1] in _NO_OPINION_BEFORE[s.lows[i]],
        0.0,
        '"gift card", "best way to", "ok to": a thing or a question, no opinion',
    ),
    Sense(
        _words(_DISCLAIMED),
        lambda s, i: i > 1 and tuple(s.lows[i - 2 : i]) == _DISCLAIMED[s.lows[i]],
        0.0,
        '"don\'t get me wrong": a disclaimer',
    ),
    Sense(
        _words(_FOND),
        lambda s, i: i < s.last and s.lows[i + 1] in _FOND_OF[s.lows[i]] and s.vals[i] <= 0,
        lambda s, i: s.vals.__setitem__(i, _FOND[s.lows[i]]),
        '"goes mad for them": love',
    ),
    Sense(
        frozenset({"nuts"}),
        lambda s, i: s.vals[i] < 0,
        _zero_if(lambda s, i: i == 0 or s.lows[i - 1] not in _MADNESS_BEFORE),
        '"contains nuts": food; "drives me nuts": madness',
    ),
    Sense(
        _SINCERITY,
        lambda s, i: (i == 0 or i == s.last) and s.vals[i] > 0,
        0.0,
        '"who trained your staff, honestly?": a tone, not praise',
    ),
    Sense(
        DEGREE_WORDS,
        lambda s, i: s.vals[i] > 0 and i < s.last,
        _zero_if(_degree_before),
        '"pretty bland": a degree word, not praise',
    ),
    Sense(
        _words(_ADJ_BOOSTERS),
        lambda s, i: s.vals[i] == 0.0,
        _adj_booster,
        '"was incredible": VADER reads a booster',
        on_zero=True,
    ),
    Sense(
        _words(_FILLER_SENSES),
        lambda s, i: s.vals[i] > 0 and i > 0,
        _zero_if(lambda s, i: s.lows[i - 1] in _FILLER_SENSES[s.lows[i]]),
        '"as well", "oh well", "on the other hand": no praise',
    ),
    Sense(
        None,
        lambda s, i: (
            i > 1
            and s.lows[i - 1] in _NOT_ONLY
            and s.lows[i - 2] == "not"
            and s.lows[i] in s.lexicon
        ),
        _lexicon_value_if(lambda s, i: s.vals[i] != 0.0),
        '"not only rude but slow": no negation',
        needs=frozenset({"not"}),
    ),
    Sense(
        None,
        lambda s, i: (
            _sign_flipped(s, i)
            and "believe" in s.lows[max(0, i - 3) : i]
            and bool(_DISBELIEF.intersection(s.lows[max(0, i - 4) : i]))
        ),
        lambda s, i: s.vals.__setitem__(i, s.lexicon[s.lows[i]]),
        "\"can't believe you've discontinued it\": disbelief",
        needs=frozenset({"believe"}),
    ),
    Sense(
        _PROFANITY,
        lambda s, i: s.vals[i] == 0.0,
        _angry_profanity,
        '"my fucking order": anger, not a booster',
        on_zero=True,
    ),
    Sense(
        _words(_CARE),
        lambda s, i: i > 0 and s.lows[i - 1] in _CARE[s.lows[i]] and s.vals[i] > 0,
        lambda s, i: s.vals.__setitem__(i, _CARE[s.lows[i]][s.lows[i - 1]]),
        '"who cares": dismissal; "take care": goodbye',
    ),
    Sense(
        None,
        lambda s, i: i > 1 and s.vals[i] > 0 and "longer" in s.lows[i - 3 : i],
        _no_longer,
        '"no longer a great place": negated praise',
        needs=frozenset({"longer"}),
    ),
    Sense(
        _SWEAR_BOOSTERS,
        lambda s, i: s.vals[i] < 0 and i < s.last and s.vals[i + 1] > 0,
        _swear_booster,
        '"damn good": a booster, not a complaint',
    ),
    Sense(
        frozenset({"bad", "badly"}),
        lambda s, i: (
            s.vals[i] < 0
            and i > 0
            and s.lows[i - 1] == "so"
            and not _DESIRE.isdisjoint(s.lows[max(0, i - 8) : i])
        ),
        0.0,
        '"I want those boots so bad": how much, not how bad',
    ),
    Sense(
        None,
        lambda s, i: s.nothing and i > 1 and _sign_flipped(s, i),
        _lexicon_value_if(
            lambda s, i: "but" in s.lows[i - 2 : i] and "nothing" in s.lows[max(0, i - 3) : i - 1]
        ),
        '"nothing but the best": "only", not a negation',
        needs=frozenset({"nothing"}),
    ),
    Sense(
        frozenset({"best"}),
        lambda s, i: i > 0 and s.lows[i - 1] == "at" and s.vals[i] > 0,
        _at_best,
        '"average at best": faint praise',
    ),
)
_APPLY = SenseTable(SENSES)


def apply(
    tokens: Tokens, lexicon: Mapping[str, float], owner_words: frozenset[str] = frozenset()
) -> None:
    """Apply the word-sense rules to the scored words (and the few VADER leaves at zero
    that a rule gives a valence), in place."""
    _APPLY.apply(tokens, lexicon, owner_words)


def _ordered_for(lows: list[str], i: int) -> bool:
    """ "for a funeral", "for my nan's funeral" (but not "off for bereavement. Nana's funeral")."""
    if i > 1 and lows[i - 2] == "for":
        return lows[i - 1] in _WHOSE or lows[i - 1].endswith("'s")
    return i > 2 and lows[i - 3] == "for" and lows[i - 2] in _WHOSE and lows[i - 1].endswith("'s")


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
