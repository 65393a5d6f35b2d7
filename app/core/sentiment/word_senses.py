"""Word senses VADER misreads: one word, scored by its neighbours.

"like" as a comparison or a request, "pretty bad" (a degree, not praise),
"who cares", "damn good", "average at best". Each fix is about a word VADER
scored, or one of the few it leaves at zero, so only those slots are visited.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from app.core.sentiment import sense_words as W
from app.core.sentiment.engine import NEGATION_SCALAR
from app.core.sentiment.lexicons import OCCASION_WORDS
from app.core.sentiment.sense_rules import Sense, Senses, SenseTable
from app.core.sentiment.tokens import Tokens


def _words(*groups: Iterable[str]) -> frozenset[str]:
    return frozenset().union(*groups)


def _zero_if(test: Callable[[Senses, int], bool]) -> Callable[[Senses, int], None]:
    """A `then` that zeroes the word only if a further check holds."""

    def then(s: Senses, i: int) -> None:
        if test(s, i):
            s.vals[i] = 0.0

    return then


def _manners_sorry(s: Senses, i: int) -> None:
    polite = W.MANNERS_SORRY[s.lows[i + 1]]
    following = [j for j in (i + 2, i + 3) if j <= s.last and s.lows[j] in polite][:1]
    if following:
        s.vals[i] = s.vals[following[0]] = 0.0


def _own_loss_asking(s: Senses, i: int) -> bool:
    own = i == 0 or s.lows[i - 1] in W.OWN_LOSS_BEFORE
    return own and not W.ASKING.isdisjoint(s.lows[i + 2 :])


def _errand(s: Senses, i: int) -> bool:
    low = s.lows[i]
    return (i < s.last and s.lows[i + 1] in W.ERRANDS[low]) or (i > 1 and s.lows[i - 2] in W.WHEN_I)


def _no_worries(s: Senses, i: int) -> None:
    s.vals[i] = s.vals[i - 1] = 0.0


def _no_rush(s: Senses, i: int) -> None:
    s.vals[i] = 0.0
    s.vals[i + 1] = max(s.vals[i + 1], 0.0)


def _saved_for_later(s: Senses, i: int) -> bool:
    nxt = s.lows[i + 1]
    return nxt[:1].isdigit() or nxt[:1] in "£$€" or not W.KEPT.isdisjoint(s.lows[i + 1 : i + 3])


def _degree_before(s: Senses, i: int) -> bool:
    nxt = s.lows[i + 1]
    return nxt in s.lexicon or nxt == "much" or (len(nxt) > 3 and nxt.endswith(W.ADJ_ENDINGS))


def _adj_booster(s: Senses, i: int) -> None:
    if i == s.last or s.lows[i + 1] not in s.lexicon:
        s.vals[i] = W.ADJ_BOOSTERS[s.lows[i]]


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
        s.vals[i] = W.ANGRY_PROFANITY


def _no_longer(s: Senses, i: int) -> None:
    window = s.lows[i - 3 : i]
    j = i - 3 + window.index("longer")
    if j > 0 and s.lows[j - 1] == "no":
        s.vals[i] *= NEGATION_SCALAR


def _swear_booster(s: Senses, i: int) -> None:
    s.vals[i] = 0.0
    s.vals[i + 1] += W.BOOST


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
        W.SAD_OCCASIONS,
        lambda s, i: s.vals[i] < 0 and _ordered_for(s.lows, i),
        0.0,
        '"flowers for a funeral"; "the funeral is on Friday": news',
    ),
    Sense(
        frozenset({"sorry"}),
        lambda s, i: i < s.last - 1 and s.lows[i + 1] in W.MANNERS_SORRY,
        _manners_sorry,
        '"sorry to bother you": manners before a question',
    ),
    Sense(
        W.STOP,
        lambda s, i: i < s.last and s.lows[i + 1].endswith("ing") and s.vals[i] < 0,
        _zero_if(lambda s, i: not W.WHEN.isdisjoint(s.lows[max(0, i - 5) : i])),
        '"what time do you stop serving?": a time, not a protest',
    ),
    Sense(
        frozenset({"fine"}),
        lambda s, i: s.vals[i] > 0 and i > 0 and _penalty(s.lows, i),
        W.FINE_PENALTY,
        '"got the fine", "a parking fine": a penalty',
    ),
    Sense(
        frozenset({"lost"}),
        lambda s, i: i < s.last and s.lows[i + 1] in W.MINE and s.vals[i] < 0,
        _zero_if(_own_loss_asking),
        '"lost my loyalty card, can you...": asking, not upset',
    ),
    Sense(
        _words(W.ERRANDS),
        lambda s, i: s.vals[i] < 0 and i > 0 and s.lows[i - 1] in W.ERRAND_BY,
        _zero_if(_errand),
        '"I\'ll drop the keys in", "when I leave": an errand',
    ),
    Sense(
        W.ACK,
        lambda s, i: i == 0 and i < s.last and s.vals[i] > 0,
        0.0,
        '"ok, I\'ll try again tomorrow": an acknowledgement',
    ),
    Sense(
        W.NO_WORRIES,
        lambda s, i: i > 0 and s.lows[i - 1] == "no",
        _no_worries,
        '"no worries": manners, not relief',
    ),
    Sense(
        frozenset({"no"}),
        lambda s, i: i < s.last and s.lows[i + 1] in W.NO_RUSH and s.vals[i] < 0,
        _no_rush,
        '"no rush", "no hurry": patience, not a refusal',
    ),
    Sense(
        frozenset({"like"}),
        lambda s, i: s.vals[i] > 0,
        _zero_if(
            lambda s, i: i == 0 or s.lows[i - 1] not in W.LIKE_SUBJECTS or _requested(s.lows, i)
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
        _words(W.FEATURE_AFTER),
        lambda s, i: i > 0 and s.lows[i - 1] in W.FEATURE_AFTER[s.lows[i]],
        0.0,
        '"dog friendly", "gluten free", "any chance you could...": a feature',
    ),
    Sense(
        _words(W.NO_OPINION_BEFORE),
        lambda s, i: i < s.last and s.lows[i + 1] in W.NO_OPINION_BEFORE[s.lows[i]],
        0.0,
        '"gift card", "best way to", "ok to": a thing or a question, no opinion',
    ),
    Sense(
        _words(W.DISCLAIMED),
        lambda s, i: i > 1 and tuple(s.lows[i - 2 : i]) == W.DISCLAIMED[s.lows[i]],
        0.0,
        '"don\'t get me wrong": a disclaimer',
    ),
    Sense(
        _words(W.FOND),
        lambda s, i: i < s.last and s.lows[i + 1] in W.FOND_OF[s.lows[i]] and s.vals[i] <= 0,
        lambda s, i: s.vals.__setitem__(i, W.FOND[s.lows[i]]),
        '"goes mad for them": love',
    ),
    Sense(
        frozenset({"nuts"}),
        lambda s, i: s.vals[i] < 0,
        _zero_if(lambda s, i: i == 0 or s.lows[i - 1] not in W.MADNESS_BEFORE),
        '"contains nuts": food; "drives me nuts": madness',
    ),
    Sense(
        W.SINCERITY,
        lambda s, i: (i == 0 or i == s.last) and s.vals[i] > 0,
        0.0,
        '"who trained your staff, honestly?": a tone, not praise',
    ),
    Sense(
        W.DEGREE_WORDS,
        lambda s, i: s.vals[i] > 0 and i < s.last,
        _zero_if(_degree_before),
        '"pretty bland": a degree word, not praise',
    ),
    Sense(
        _words(W.ADJ_BOOSTERS),
        lambda s, i: s.vals[i] == 0.0,
        _adj_booster,
        '"was incredible": VADER reads a booster',
        on_zero=True,
    ),
    Sense(
        _words(W.FILLER_SENSES),
        lambda s, i: s.vals[i] > 0 and i > 0,
        _zero_if(lambda s, i: s.lows[i - 1] in W.FILLER_SENSES[s.lows[i]]),
        '"as well", "oh well", "on the other hand": no praise',
    ),
    Sense(
        None,
        lambda s, i: (
            i > 1
            and s.lows[i - 1] in W.NOT_ONLY
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
            and bool(W.DISBELIEF.intersection(s.lows[max(0, i - 4) : i]))
        ),
        lambda s, i: s.vals.__setitem__(i, s.lexicon[s.lows[i]]),
        "\"can't believe you've discontinued it\": disbelief",
        needs=frozenset({"believe"}),
    ),
    Sense(
        W.PROFANITY,
        lambda s, i: s.vals[i] == 0.0,
        _angry_profanity,
        '"my fucking order": anger, not a booster',
        on_zero=True,
    ),
    Sense(
        _words(W.CARE),
        lambda s, i: i > 0 and s.lows[i - 1] in W.CARE[s.lows[i]] and s.vals[i] > 0,
        lambda s, i: s.vals.__setitem__(i, W.CARE[s.lows[i]][s.lows[i - 1]]),
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
        W.SWEAR_BOOSTERS,
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
            and not W.DESIRE.isdisjoint(s.lows[max(0, i - 8) : i])
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
        return lows[i - 1] in W.WHOSE or lows[i - 1].endswith("'s")
    return i > 2 and lows[i - 3] == "for" and lows[i - 2] in W.WHOSE and lows[i - 1].endswith("'s")


def _requested(lows: list[str], i: int) -> bool:
    """ "would like", "I'd really like": asking for something."""
    before = lows[i - 1]
    if before in W.SOFTENERS and i > 1:
        before = lows[i - 2]
    return before in W.WOULD


def _penalty(lows: list[str], i: int) -> bool:
    """ "fine" as a penalty: "a parking fine", "got the fine" (not "it's fine")."""
    before = lows[i - 1]
    if before in W.PENALTY_KIND or before[:1] in "£$€":
        return True
    return before in ("a", "the") and i > 1 and lows[i - 2] in W.PENALTY_TAKEN
