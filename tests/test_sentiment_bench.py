"""The benchmark script keeps working (smoke mode), without any data in the repository."""

from __future__ import annotations

import json

import pytest

from bench import sentiment as bench


@pytest.fixture
def data_dir(tmp_path):
    """A tiny labelled folder in the real formats, with made-up lines."""
    (tmp_path / "tweeteval_val_text.txt").write_text(
        "where is my order\nopen on sunday\nlove the new scones\n", encoding="utf-8"
    )
    (tmp_path / "tweeteval_val_labels.txt").write_text("0\n1\n2\n", encoding="utf-8")
    (tmp_path / "vader_tweets_GroundTruth.txt").write_text(
        "1\t2.5\tlovely shop\n2\t-2.0\tawful wait\n3\t0.1\tit is tuesday\n", encoding="utf-8"
    )
    rows = [{"text": "great cake", "class": 1}, {"text": "never arrived", "class": 0}]
    (tmp_path / "uci_yelp.json").write_text(json.dumps([*rows, {"text": "", "class": None}]))
    return tmp_path


def test_smoke_prints_a_row_per_file(data_dir, capsys):
    assert bench.main(["--data", str(data_dir), "--smoke"]) == 0
    out = capsys.readouterr().out
    assert "| tweeteval val | 3 |" in out
    assert "| vader tweets | 3 |" in out
    assert "| uci yelp (2-class) | 2 |" in out
    assert f"| customer messages (written here, held out) | {bench.SMOKE_LINES} |" in out


def test_the_held_out_customer_messages_cover_all_three_labels():
    labels = [label for _text, label in bench.MESSAGES]
    assert {labels.count(c) >= 15 for c in bench.CLASSES} == {True}
    assert len({text for text, _label in bench.MESSAGES}) == len(bench.MESSAGES)


def test_missing_data_folder_is_an_error(tmp_path, capsys):
    assert bench.main(["--data", str(tmp_path / "nope"), "--smoke"]) == 2


def test_metrics():
    gold = ["negative", "neutral", "positive", "negative"]
    pred = ["negative", "positive", "positive", "neutral"]
    acc, f1, neg_recall = bench.metrics(gold, pred, two_class=False)
    assert acc == pytest.approx(0.5)
    assert neg_recall == pytest.approx(0.5)
    assert 0 < f1 < 1
