"""The learners of the ceiling study (bench/sentiment_ceiling.py), stacked on the rules.

Each reads the rules' own reading of a post (colour, colour with strength, reasons,
compound) beside its words; they are tuned by cross-validation on the posts they are
given and nothing else. Bench only: scikit-learn is imported inside the functions, so
the study's oracle bounds run without it.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bench.sentiment import Dataset, metrics

if TYPE_CHECKING:
    from bench.sentiment_ceiling import Rules

SEED = 0
INNER_FOLDS = 5
OUTER_FOLDS = 10
LEARNERS = ("LR", "NB", "kNN")
# The generous bound also tries letters: character n-grams (too slow to tune at every N).
GENEROUS_LEARNERS = (*LEARNERS, "LR chars")


def macro_f1(gold: Sequence[str], pred: Sequence[str], two_class: bool) -> float:
    return metrics(gold, pred, two_class)[1]


def folds(labels: Sequence[str], k: int, seed: int) -> list[int]:
    """A stratified, seeded fold number for each post."""
    out = [0] * len(labels)
    rng = random.Random(seed)
    for c in sorted(set(labels)):
        members = [i for i, g in enumerate(labels) if g == c]
        rng.shuffle(members)
        for pos, i in enumerate(members):
            out[i] = pos % k
    return out


def _strength(r: Rules) -> str:
    size = abs(r.compound)
    return f"{r.label}/{'weak' if size < 0.3 else 'clear' if size < 0.6 else 'strong'}"


def _rule_tokens(r: Rules) -> list[str]:
    return [f"rule={r.label}", f"strength={_strength(r)}", *(f"reason={k}" for k in r.reasons)]


@dataclass(frozen=True, slots=True)
class Split:
    """One training set and one test set, as features every learner reads: words and
    word pairs (vocabulary from the training posts only; 0/1 and tf-idf) beside the
    rules' own reading (colour, colour with strength, reasons; compound)."""

    y: list[str]
    test_rules: list[Rules]
    words: tuple[Any, Any]  # 0/1 counts, train and test
    tfidf: tuple[Any, Any]
    rule_tokens: tuple[Any, Any]  # one-hot rule tokens
    compound: tuple[Any, Any]  # one column
    strength: tuple[list[str], list[str]]
    chars: tuple[Any, Any] | None  # tf-idf of character 2- to 5-grams, when asked for


def split(
    train_texts: Sequence[str],
    train_rules: Sequence[Rules],
    y: Sequence[str],
    test_texts: Sequence[str],
    test_rules: Sequence[Rules],
    chars: bool = False,
) -> Split:
    import numpy as np
    from scipy import sparse
    from sklearn.feature_extraction.text import (
        CountVectorizer,
        TfidfTransformer,
        TfidfVectorizer,
    )

    vectorizer = CountVectorizer(ngram_range=(1, 2), binary=True)
    words = (vectorizer.fit_transform(train_texts), vectorizer.transform(test_texts))
    idf = TfidfTransformer().fit(words[0])
    letters = None
    if chars:
        grams = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)
        letters = (grams.fit_transform(train_texts), grams.transform(test_texts))
    vocab = {t: k for k, t in enumerate(sorted({t for r in train_rules for t in _rule_tokens(r)}))}

    def one_hot(rules: Sequence[Rules]) -> Any:
        block = np.zeros((len(rules), len(vocab)))
        for i, r in enumerate(rules):
            for t in _rule_tokens(r):
                if t in vocab:
                    block[i, vocab[t]] = 1.0
        return sparse.csr_matrix(block)

    def compound(rules: Sequence[Rules]) -> Any:
        return sparse.csr_matrix(np.array([[r.compound] for r in rules]))

    return Split(
        list(y),
        list(test_rules),
        words,
        (idf.transform(words[0]), idf.transform(words[1])),
        (one_hot(train_rules), one_hot(test_rules)),
        (compound(train_rules), compound(test_rules)),
        ([_strength(r) for r in train_rules], [_strength(r) for r in test_rules]),
        letters,
    )


def _fit_predict_logistic(s: Split, params: dict[str, Any], blocks: list[list[Any]]) -> list[str]:
    """Logistic regression on the feature blocks (train, test) stacked side by side."""
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    x = [sparse.hstack([block[k] for block in blocks]).tocsr() for k in (0, 1)]
    model = LogisticRegression(
        C=params["C"], class_weight=params["class_weight"], solver="newton-cg", max_iter=1000
    )
    model.fit(x[0], s.y)
    return [str(p) for p in model.predict(x[1])]


def fit_predict_lr(s: Split, params: dict[str, Any]) -> list[str]:
    """Logistic regression on [rules' reading, words and word pairs x word_scale]."""
    words = [s.words[k] * params["word_scale"] for k in (0, 1)]
    return _fit_predict_logistic(s, params, [list(s.rule_tokens), list(s.compound), words])


def fit_predict_lr_chars(s: Split, params: dict[str, Any]) -> list[str]:
    """Logistic regression on [rules' reading, words x 0.3, character n-grams]."""
    assert s.chars is not None
    words = [s.words[k] * 0.3 for k in (0, 1)]
    blocks = [list(s.rule_tokens), list(s.compound), words, list(s.chars)]
    return _fit_predict_logistic(s, params, blocks)


def fit_predict_nb(s: Split, params: dict[str, Any]) -> list[str]:
    """Naive Bayes: P(owner's colour) x P(rules' colour and strength | owner's colour) x
    P(words | owner's colour) ^ word_weight (words damped: they are not independent)."""
    import numpy as np
    from sklearn.naive_bayes import MultinomialNB

    nb = MultinomialNB(alpha=params["alpha"]).fit(s.words[0], s.y)
    classes = [str(c) for c in nb.classes_]
    strengths = sorted(set(s.strength[0]) | set(s.strength[1]))
    counts = np.ones((len(classes), len(strengths)))  # Laplace
    for st, c in zip(s.strength[0], s.y, strict=True):
        counts[classes.index(c), strengths.index(st)] += 1
    log_strength = np.log(counts / counts.sum(axis=1, keepdims=True))
    log_prior = np.log(np.array([s.y.count(c) for c in classes]) / len(s.y))
    joint = params["word_weight"] * (s.words[1] @ nb.feature_log_prob_.T)
    joint = joint + log_prior + log_strength[:, [strengths.index(st) for st in s.strength[1]]].T
    return [classes[k] for k in np.asarray(joint).argmax(axis=1)]


def fit_predict_knn(s: Split, params: dict[str, Any]) -> list[str]:
    """k nearest neighbours by cosine over [tf-idf words, rules' reading x rule_weight]."""
    from scipy import sparse
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.preprocessing import normalize

    x = [
        sparse.hstack([s.tfidf[k], normalize(s.rule_tokens[k]) * params["rule_weight"]])
        for k in (0, 1)
    ]
    k = min(params["k"], len(s.y))
    model = KNeighborsClassifier(n_neighbors=k, metric="cosine", algorithm="brute")
    model.fit(x[0].tocsr(), s.y)
    return [str(p) for p in model.predict(x[1].tocsr())]


FitPredict = Callable[[Split, dict[str, Any]], list[str]]

GRIDS: dict[str, tuple[FitPredict, list[dict[str, Any]]]] = {
    "LR": (
        fit_predict_lr,
        [
            {"C": c, "word_scale": w, "class_weight": cw}
            for c in (0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
            for w in (0.3, 1.0)
            for cw in (None, "balanced")
        ],
    ),
    "NB": (
        fit_predict_nb,
        [{"alpha": a, "word_weight": w} for a in (0.1, 0.3, 1.0) for w in (0.1, 0.25, 0.5, 1.0)],
    ),
    "kNN": (
        fit_predict_knn,
        [{"k": k, "rule_weight": w} for k in (5, 15, 31) for w in (0.5, 1.0, 2.0)],
    ),
    "LR chars": (
        fit_predict_lr_chars,
        [{"C": c, "class_weight": cw} for c in (0.3, 1.0, 3.0) for cw in (None, "balanced")],
    ),
}


def _predict(name: str, s: Split, params: dict[str, Any]) -> list[str]:
    """A learner that has seen only one colour has nothing to learn: the rules stand."""
    if len(set(s.y)) < 2:
        return [r.label for r in s.test_rules]
    return GRIDS[name][0](s, params)


def out_of_fold(
    texts: Sequence[str],
    rules: Sequence[Rules],
    y: Sequence[str],
    fold: Sequence[int],
    names: Sequence[str],
) -> dict[tuple[str, int], list[str]]:
    """Every learner's every setting: a prediction for each post from a model trained on
    the other folds. Keyed by (learner, index of the setting in its grid)."""
    out: dict[tuple[str, int], list[str]] = {
        (name, k): [""] * len(y) for name in names for k in range(len(GRIDS[name][1]))
    }
    for f in sorted(set(fold)):
        tr = [i for i, x in enumerate(fold) if x != f]
        te = [i for i, x in enumerate(fold) if x == f]
        s = split(
            [texts[i] for i in tr],
            [rules[i] for i in tr],
            [y[i] for i in tr],
            [texts[i] for i in te],
            [rules[i] for i in te],
            chars="LR chars" in names,
        )
        for name in names:
            for k, params in enumerate(GRIDS[name][1]):
                for i, p in zip(te, _predict(name, s, params), strict=True):
                    out[name, k][i] = p
    return out


def best_setting(
    name: str, preds: dict[tuple[str, int], list[str]], y: Sequence[str], two_class: bool
) -> tuple[int, float]:
    """The setting with the best cross-validated macro-F1 (the first, on a tie)."""
    scores = [macro_f1(y, preds[name, k], two_class) for k in range(len(GRIDS[name][1]))]
    best = max(range(len(scores)), key=lambda k: (scores[k], -k))
    return best, scores[best]


def trained_on_seen(
    texts: Sequence[str],
    rules: Sequence[Rules],
    y: Sequence[str],
    test_texts: Sequence[str],
    test_rules: Sequence[Rules],
    two_class: bool,
) -> tuple[dict[str, list[str]], dict[str, float]]:
    """Each learner tuned by a 5-fold cross-validation on the seen posts, trained on all
    of them, predicting the unseen ones; with its cross-validated macro-F1."""
    preds = out_of_fold(texts, rules, y, folds(y, INNER_FOLDS, SEED), LEARNERS)
    s = split(texts, rules, y, test_texts, test_rules)
    out, cv = {}, {}
    for name in LEARNERS:
        k, cv[name] = best_setting(name, preds, y, two_class)
        out[name] = _predict(name, s, GRIDS[name][1][k])
    return out, cv


def generous(ds: Dataset, rules: Sequence[Rules]) -> dict[str, list[str]]:
    """Each learner's prediction for every post from a model trained on the other nine
    tenths of the file, with the setting whose 10-fold macro-F1 over the whole file is
    best (chosen on the test labels too: an upper bound, not an estimate)."""
    fold = folds(ds.gold, OUTER_FOLDS, SEED + 1)
    preds = out_of_fold(ds.texts, rules, ds.gold, fold, GENEROUS_LEARNERS)
    return {
        name: preds[name, best_setting(name, preds, ds.gold, ds.two_class)[0]]
        for name in GENEROUS_LEARNERS
    }
