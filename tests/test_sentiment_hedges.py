"""Hedged praise and ASCII smileys: the rules in hedges.py and smileys.py."""

from __future__ import annotations

from app.core.models import SentimentLabel
from app.core.sentiment import hedges, score, smileys
from app.core.sentiment.tokens import Tokens

POS, NEU, NEG = SentimentLabel.POSITIVE, SentimentLabel.NEUTRAL, SentimentLabel.NEGATIVE


def _damp(words, lows, valences, starts):
    return hedges.damp(Tokens.of(list(words), list(lows), list(valences), list(starts)))


def test_mild_praise_under_a_modal_counts_half():
    hedged = score("The new stock may include a nice blue one")
    plain = score("The new stock does include a nice blue one")
    assert 0 < hedged.compound < plain.compound
    assert "praise under 'may' counted half" in hedged.reasons
    assert "praise under 'could' counted half" in score("It could be nice, maybe").reasons


def test_praise_in_a_condition_is_not_an_evaluation():
    offer = score("If anyone is interested, I have a spare voucher")
    assert offer.compound < score("Anyone is interested, I have a spare voucher").compound
    assert "praise under 'if' counted half" in offer.reasons


def test_strong_praise_under_a_hedge_keeps_its_weight():
    s = score("This may be the best coffee I have ever ordered")
    assert s.label is POS
    assert not any("counted half" in r for r in s.reasons)


def test_complaints_under_a_hedge_are_not_damped():
    s = score("The lid may be broken, it leaks everywhere")
    assert s.label is NEG
    assert not any("counted half" in r for r in s.reasons)
    assert _damp(["may", "bad"], ["may", "bad"], [0.0, -2.5], [0]) == ([], 0.0)


def test_hedge_takes_half_of_mild_praise_only():
    words = ["it", "might", "be", "nice", "and", "amazing"]
    used, cut = _damp(words, words, [0, 0, 0, 1.8, 0, 2.8], [0])
    assert used == ["might"]
    assert cut == 0.9  # half of "nice"; "amazing" (strong) keeps its weight


def test_a_wish_and_the_month_are_no_hedge():
    assert _damp(["May", "you", "enjoy"], ["may", "you", "enjoy"], [0, 0, 1.0], [0]) == (
        [],
        0.0,
    )
    words = ["nice", "sale", "in", "May", "nice"]
    lows = [w.lower() for w in words]
    assert _damp(words, lows, [1.8, 0, 0, 0, 1.8], [0]) == ([], 0.0)


def test_a_hedge_reaches_only_to_the_end_of_its_clause():
    words = ["maybe", "later", ".", "nice"]
    assert _damp(words, words, [0.0, 0.0, 0.0, 1.8], [0, 3]) == ([], 0.0)


def test_repeated_mouth_smileys_are_read():
    assert smileys.shorten("arrived today :)))") == "arrived today :)"
    assert smileys.shorten("still waiting :-((") == "still waiting :-("
    assert smileys.shorten("f(x))") == "f(x))"
    assert score("the parcel arrived today :))").label is POS


def test_a_negation_does_not_flip_a_sad_smiley():
    s = score("my order is still not here :(")
    assert s.label is NEG
    assert score("not bad at all :)").label is POS
