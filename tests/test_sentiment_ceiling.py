"""The ceiling study measures what `bench.sentiment --owner` measures: the same owner,
the same unseen posts, the same rules-alone figures (made-up posts; no scikit-learn)."""

from __future__ import annotations

import json

import pytest

from bench import sentiment as bench
from bench import sentiment_ceiling as ceiling

# A small business: complaints, praise and plain questions, some of which the rules
# misread (the test checks below that they do, so the owner has something to correct).
POSTS = [
    ("the cake was lovely, thank you", 1),
    ("my order never arrived and nobody answers", 0),
    ("are you open on sunday", 1),
    ("great coffee, great staff", 1),
    ("waited forty minutes for a sandwich", 0),
    ("the bread was stale again", 0),
    ("what a fantastic little shop", 1),
    ("the queue was out the door", 0),
    ("do you do gluten free", 1),
    ("cold soup and a rude reply", 0),
    ("best croissant in town", 1),
    ("the card machine was down", 0),
    ("i will be back for the scones", 1),
    ("still no refund after two weeks", 0),
    ("the new menu is nice", 1),
    ("the delivery came with the lid off", 0),
    ("thanks for the quick reply", 1),
    ("the coffee tasted burnt", 0),
    ("lovely service as always", 1),
    ("the table was sticky", 0),
]


@pytest.fixture
def business(tmp_path):
    rows = [{"text": t, "class": c} for t, c in POSTS]
    (tmp_path / "uci_yelp.json").write_text(json.dumps([*rows, {"text": "", "class": None}]))
    return bench.load(tmp_path, None)[0]


def test_the_owner_and_the_rules_alone_are_those_of_bench_sentiment(business):
    rules = [ceiling.read_rules(t) for t in business.texts]
    misread = sum(r.label != g for r, g in zip(rules, business.gold, strict=True))
    assert misread >= 3  # there is something to correct
    scores = [bench.score(t) for t in business.texts]
    for n in (1, 2, misread):
        theirs = bench.simulate_owner(business, scores, n)
        ours = ceiling.oracle_row(business, rules, n)
        assert (ours.walk.corrections, ours.unseen) == (theirs.corrections, theirs.unseen)
        assert ours.rules_f1 == theirs.rules_f1


def test_the_rules_own_band_gives_the_rules_colours_and_no_band_does_better_by_chance(
    business,
):
    rules = [ceiling.read_rules(t) for t in business.texts]
    own = ceiling.banded(rules, -bench.THRESHOLD, bench.THRESHOLD)
    assert own == [r.label for r in rules]
    lo, hi, best = ceiling.best_band(business.gold, rules, business.two_class)
    assert best == ceiling.macro_f1(business.gold, ceiling.banded(rules, lo, hi), True)
    assert best >= ceiling.macro_f1(business.gold, own, True)


def test_the_oracle_table_prints_a_row_per_n(business, tmp_path, capsys):
    folder = tmp_path
    assert ceiling.main(["--data", str(folder), "--oracles-only", "--steps", "1", "2"]) == 0
    out = capsys.readouterr().out
    assert "uci yelp (20 posts)" in out
    assert out.count("\n| 1 | 1 |") == 1
    assert out.count("\n| 2 | 2 |") == 1
