"""The scorer's restatement of VADER's word rules stays exact, and scoring stays linear.

engine.valences re-implements VADER's per-word rules over words lower-cased
once (VADER's own methods made long clauses quadratic); these tests pin it to
VADER's methods, quirks included, and pin the cost of very long posts.
"""

from __future__ import annotations

import random

import pytest
from vaderSentiment.vaderSentiment import BOOSTER_DICT, SentiText, allcap_differential

from app.core.sentiment import engine, score, text


class _Clause:
    __slots__ = ("is_cap_diff", "words_and_emoticons")

    def __init__(self, words: list[str], is_cap_diff: bool) -> None:
        self.words_and_emoticons = words
        self.is_cap_diff = is_cap_diff


def _reference(clauses: list[list[str]]) -> list[float]:
    """Valences computed with VADER's own methods, clause by clause (the old engine)."""
    analyzer = engine.base_analyzer()
    words = [[SentiText._strip_punc_if_word(t) for t in clause] for clause in clauses]
    flat = [w for clause in words for w in clause]
    is_cap_diff = allcap_differential(flat)
    sentiments: list[float] = []
    for clause in words:
        sentitext = _Clause(clause, is_cap_diff)
        for i, item in enumerate(clause):
            low = item.lower()
            kind_of = low == "kind" and i < len(clause) - 1 and clause[i + 1].lower() == "of"
            if low not in analyzer.lexicon or low in BOOSTER_DICT or kind_of:
                sentiments.append(0.0)
            else:
                analyzer.sentiment_valence(0.0, sentitext, item, i, sentiments)
    return analyzer._but_check(flat, sentiments)


_TRICKY = [
    "The food was not good, but the staff were VERY friendly!",
    "no good at all. Least helpful shop. at least it was cheap",
    "never so happy, without doubt the best. kind of bad, sort of great",
    "good good good but bad bad good",  # repeated values: VADER's index() quirk
    "great, great but great and good good but GREAT",
    "it's not the shit, it is the bomb. bad ass. no or nor happy",
    "I HATE it. I LOVE it. extremely VERY nice but barely okay",
    "this isn't bad :) but :( no no no sad",
]


_VOCAB = (
    "good bad great not no never so this without doubt least at very kind of sort but BUT "
    "GREAT really extremely barely the shit bomb or nor happy sad isn't okay love hate LOVE "
    "slightly totally"
)


@pytest.mark.parametrize("body", _TRICKY)
def test_valences_match_vader_methods(body):
    clauses = text.clauses(body)
    sentiments = engine.valences(engine.base_analyzer(), clauses).valences
    assert sentiments == _reference(clauses)


def test_valences_match_vader_methods_on_random_text():
    rng = random.Random(11)
    vocab = [*_VOCAB.split(), ":)", "fine,", "awful.", "nice!", "meh?"]
    for _ in range(500):
        body = " ".join(rng.choice(vocab) for _ in range(rng.randint(1, 30)))
        clauses = text.clauses(body)
        sentiments = engine.valences(engine.base_analyzer(), clauses).valences
        assert sentiments == _reference(clauses), body


@pytest.mark.parametrize(
    "unit",
    [
        "I am angry ",
        "I am angry but happy ",
        "waited waited ",
        "#NeverAgain ",
        "pretty bland ",
        "where is my order ",
        "great job losing my parcel ",
        "thanks for nothing ",
        "good good bad but ",
    ],
)
@pytest.mark.timeout(30)  # a quadratic step takes minutes on 100k characters; linear, < 1 s
def test_a_100k_character_post_scores_in_linear_time(unit):
    body = (unit * (100_000 // len(unit) + 1))[:100_000]
    result = score(body, extra_words={"slow": -1.0, "cold brew": 1.0})
    assert result.language == "en"
