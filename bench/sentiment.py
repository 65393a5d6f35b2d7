"""Raw VADER vs the Shopkeep scorer on the labelled development data, side by side.

Run `python -m bench.sentiment [--data DIR] [--smoke] [--owner]`. The data stays
outside the repository (see the README in the data folder); this only reads it.

`--owner` prints the learner's curve with a simulated owner instead: each file is
one business; posts are read in order and the owner corrects every misread one
until N corrections are made; then macro-F1 of the rules alone and of the rules
with the learner, on the posts not yet seen. The targets are on UCI Yelp, UCI
Amazon and TweetEval validation; `--all-files` adds the other labelled files (held
out: the learner was never tuned on them), `--shuffle SEED` reads each file in a
shuffled order (some files are sorted by label, which no shop's inbox is).
`--keep-learning` prints instead what happens when the owner reads on, as in the
app: each post is coloured before it is read and learned after, and macro-F1 is
counted over every post after the 25th correction.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from app.core.models import Sentiment, SentimentLabel
from app.core.sentiment import THRESHOLD, score
from app.core.sentiment.learner import Learner
from bench.customer_messages import MESSAGES


def _default_data() -> Path:
    """The `shared/data/sentiment` folder beside the checkout or any folder above it."""
    for parent in Path(__file__).resolve().parents:
        if (parent / "shared" / "data" / "sentiment").is_dir():
            return parent / "shared" / "data" / "sentiment"
    return Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "sentiment"


DEFAULT_DATA = _default_data()
OWNER_FILES = ("uci yelp", "uci amazon", "tweeteval val")
OWNER_STEPS = (0, 25, 50, 100, 200)
SMOKE_LINES = 25
# A small file gets more timing passes (at least this many texts per scorer in all), so
# one slow moment on a shared machine cannot decide its speed ratio.
MIN_TIMED = 10_000
NEG, NEU, POS = "negative", "neutral", "positive"
CLASSES = (NEG, NEU, POS)


@dataclass(frozen=True, slots=True)
class Dataset:
    name: str
    texts: list[str]
    gold: list[str]
    two_class: bool  # UCI: only pos/neg gold; a neutral prediction counts as wrong


@dataclass(frozen=True, slots=True)
class Result:
    accuracy: float
    macro_f1: float
    neg_recall: float
    posts_per_s: float


def _label(compound: float) -> str:
    if compound >= THRESHOLD:
        return POS
    if compound <= -THRESHOLD:
        return NEG
    return NEU


def _rated(path: Path, limit: int | None) -> Dataset:
    texts, gold = [], []
    with path.open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t", 2)
            if len(parts) < 3:
                continue
            mean = float(parts[1])
            texts.append(parts[2])
            gold.append(POS if mean >= 0.5 else NEG if mean <= -0.5 else NEU)
            if limit and len(texts) >= limit:
                break
    name = path.name.removeprefix("vader_").removesuffix("_GroundTruth.txt")
    return Dataset(f"vader {name}", texts, gold, two_class=False)


def _tweeteval(data: Path, limit: int | None) -> Dataset:
    texts = (data / "tweeteval_val_text.txt").read_text(encoding="utf-8").splitlines()
    labels = (data / "tweeteval_val_labels.txt").read_text(encoding="utf-8").split()
    gold = [CLASSES[int(x)] for x in labels]
    if limit:
        texts, gold = texts[:limit], gold[:limit]
    return Dataset("tweeteval val", texts, gold, two_class=False)


def _uci(path: Path, limit: int | None) -> Dataset:
    rows = [r for r in json.loads(path.read_text(encoding="utf-8")) if r.get("class") in (0, 1)]
    rows = rows[: limit or None]  # the files end with an empty, unlabelled record
    texts = [r["text"] for r in rows]
    gold = [POS if int(r["class"]) == 1 else NEG for r in rows]
    return Dataset(path.stem.replace("_", " "), texts, gold, two_class=True)


def _customers(limit: int | None) -> Dataset:
    rows = MESSAGES[: limit or None]
    return Dataset(
        "customer messages (written here, held out)",
        [t for t, _ in rows],
        [label for _, label in rows],
        two_class=False,
    )


def load(data: Path, limit: int | None) -> list[Dataset]:
    """Every labelled file in the data folder that is present, then our own customer
    messages (bench/customer_messages.py), which live in the repository."""
    sets = []
    if (data / "tweeteval_val_text.txt").exists():
        sets.append(_tweeteval(data, limit))
    for path in sorted(data.glob("vader_*_GroundTruth.txt")):
        sets.append(_rated(path, limit))
    for path in sorted(data.glob("uci_*.json")):
        sets.append(_uci(path, limit))
    if sets:
        sets.append(_customers(limit))
    return sets


def metrics(gold: Sequence[str], pred: Sequence[str], two_class: bool) -> tuple[float, ...]:
    """Accuracy, macro-F1 (over the gold classes) and negative recall."""
    classes = (NEG, POS) if two_class else CLASSES
    acc = sum(g == p for g, p in zip(gold, pred, strict=True)) / max(len(gold), 1)
    f1s = []
    for c in classes:
        tp = sum(g == c and p == c for g, p in zip(gold, pred, strict=True))
        n_pred = sum(p == c for p in pred)
        n_gold = sum(g == c for g in gold)
        prec = tp / n_pred if n_pred else 0.0
        rec = tp / n_gold if n_gold else 0.0
        f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    n_neg = sum(g == NEG for g in gold)
    neg_rec = sum(g == NEG and p == NEG for g, p in zip(gold, pred, strict=True)) / max(n_neg, 1)
    return acc, sum(f1s) / len(f1s), neg_rec


def _timed(ds: Dataset, scorer: Callable[[str], str]) -> tuple[list[str], float]:
    start = time.perf_counter()
    pred = [scorer(t) for t in ds.texts]
    return pred, time.perf_counter() - start


def compare(
    ds: Dataset, raw: Callable[[str], str], shop: Callable[[str], str], rounds: int
) -> tuple[Result, Result]:
    """Both scorers, timed in alternating passes; the fastest pass of each counts, so a
    busy shared machine slows both alike instead of skewing the ratio."""
    best = [float("inf"), float("inf")]
    preds: list[list[str]] = [[], []]
    for _ in range(rounds):
        for i, scorer in enumerate((raw, shop)):
            preds[i], elapsed = _timed(ds, scorer)
            best[i] = min(best[i], elapsed)
    out = []
    for pred, elapsed in zip(preds, best, strict=True):
        acc, f1, neg = metrics(ds.gold, pred, ds.two_class)
        out.append(Result(acc, f1, neg, len(ds.texts) / max(elapsed, 1e-9)))
    return out[0], out[1]


def scorers() -> tuple[Callable[[str], str], Callable[[str], str]]:
    """Raw VADER and Shopkeep, both returning a 3-class label (unscored counts as neutral)."""
    analyzer = SentimentIntensityAnalyzer()

    def raw(text: str) -> str:
        return _label(analyzer.polarity_scores(text)["compound"])

    def shopkeep(text: str) -> str:
        label = score(text).label.value
        return label if label in CLASSES else NEU

    return raw, shopkeep


@dataclass(frozen=True, slots=True)
class OwnerPoint:
    corrections: int  # made (fewer than asked when the file runs out of misread posts)
    unseen: int  # posts left to measure on
    rules_f1: float
    learner_f1: float


def simulate_owner(ds: Dataset, rules: Sequence[Sentiment], n: int) -> OwnerPoint:
    """Read posts in order, correcting each misread one, until n corrections; then
    macro-F1 on the rest, rules alone against rules plus what was learned."""
    learner = Learner()
    made = i = 0
    while made < n and i < len(ds.texts):
        rule = _three_class(rules[i])
        if rule.label.value != ds.gold[i]:
            learner.corrected(ds.texts[i], rule, SentimentLabel(ds.gold[i]))
            made += 1
        else:
            learner.saw(ds.texts[i], rule)
        i += 1
    learner.compact()  # as the app sends it to its scoring workers
    gold, base, learned = ds.gold[i:], [], []
    for text, rule in zip(ds.texts[i:], rules[i:], strict=True):
        rule = _three_class(rule)
        move = learner.move(text, rule)
        base.append(rule.label.value)
        learned.append(move.label.value if move else rule.label.value)
    return OwnerPoint(
        made,
        len(gold),
        metrics(gold, base, ds.two_class)[1] if gold else float("nan"),
        metrics(gold, learned, ds.two_class)[1] if gold else float("nan"),
    )


def _three_class(s: Sentiment) -> Sentiment:
    """Unscored (not English) counts as neutral, as in the rules' own figures."""
    return s if s.label.value in CLASSES else Sentiment(0.0, SentimentLabel.NEUTRAL)


def shuffled(ds: Dataset, seed: int) -> Dataset:
    """The same posts in another order, the same for the same seed."""
    order = list(range(len(ds.texts)))
    random.Random(seed).shuffle(order)
    return Dataset(
        f"{ds.name} (shuffled, seed {seed})",
        [ds.texts[i] for i in order],
        [ds.gold[i] for i in order],
        ds.two_class,
    )


def keep_learning(ds: Dataset, rules: Sequence[Sentiment], start: int = 25) -> OwnerPoint:
    """The owner reads every post in order, correcting each misread one; the learner
    colours each post before it is read and learns it after. Macro-F1 over the posts
    after the `start`-th correction."""
    learner = Learner()
    made = 0
    gold: list[str] = []
    base: list[str] = []
    learned: list[str] = []
    for text, rule, truth in zip(ds.texts, rules, ds.gold, strict=True):
        rule = _three_class(rule)
        if made >= start:
            move = learner.move(text, rule)
            gold.append(truth)
            base.append(rule.label.value)
            learned.append(move.label.value if move else rule.label.value)
        if rule.label.value != truth:
            learner.corrected(text, rule, SentimentLabel(truth))
            made += 1
        else:
            learner.saw(text, rule)
    return OwnerPoint(
        made,
        len(gold),
        metrics(gold, base, ds.two_class)[1] if gold else float("nan"),
        metrics(gold, learned, ds.two_class)[1] if gold else float("nan"),
    )


def keep_learning_table(datasets: Sequence[Dataset]) -> None:
    """Print one row per file: the owner reads on and the learner keeps learning."""
    print("| file | corrections | posts measured | macro-F1 rules | macro-F1 learner | gain |")
    print("|---|---:|---:|---:|---:|---:|")
    for ds in datasets:
        p = keep_learning(ds, [score(t) for t in ds.texts])
        if not p.unseen:
            print(f"| {ds.name} | {p.corrections} | 0 | - | - | - |")
            continue
        print(
            f"| {ds.name} | {p.corrections} | {p.unseen} | {p.rules_f1:.3f} "
            f"| {p.learner_f1:.3f} | {p.learner_f1 - p.rules_f1:+.3f} |"
        )


def owner_curve(datasets: Sequence[Dataset], steps: Sequence[int] = OWNER_STEPS) -> None:
    """Print the simulated owner's curve, one row per file and N."""
    print(
        "| file | N asked | corrections | unseen posts | macro-F1 rules | macro-F1 learner | gain |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for ds in datasets:
        rules = [score(t) for t in ds.texts]
        for n in steps:
            p = simulate_owner(ds, rules, n)
            if not p.unseen:
                print(f"| {ds.name} | {n} | {p.corrections} | 0 | - | - | - |")
                continue
            print(
                f"| {ds.name} | {n} | {p.corrections} | {p.unseen} | {p.rules_f1:.3f} "
                f"| {p.learner_f1:.3f} | {p.learner_f1 - p.rules_f1:+.3f} |"
            )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sentiment", description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="labelled data folder")
    parser.add_argument("--smoke", action="store_true", help=f"first {SMOKE_LINES} lines per file")
    parser.add_argument("--rounds", type=int, default=5, help="timing passes per scorer")
    parser.add_argument("--owner", action="store_true", help="the simulated owner's curve")
    parser.add_argument(
        "--all-files", action="store_true", help="with --owner: every labelled file"
    )
    parser.add_argument(
        "--shuffle", type=int, metavar="SEED", help="with --owner: read each file shuffled"
    )
    parser.add_argument(
        "--keep-learning", action="store_true", help="with --owner: the owner reads on"
    )
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"no data folder at {args.data}", file=sys.stderr)
        return 2
    datasets = load(args.data, SMOKE_LINES if args.smoke else None)
    if not datasets:
        print(f"no labelled files in {args.data}", file=sys.stderr)
        return 2
    if args.owner:
        chosen = [ds for ds in datasets if args.all_files or ds.name in OWNER_FILES]
        if args.shuffle is not None:
            chosen = [shuffled(ds, args.shuffle) for ds in chosen]
        (keep_learning_table if args.keep_learning else owner_curve)(chosen)
        return 0
    raw, shop = scorers()
    shop("warm-up")  # builds the cached analyzer outside the timed loop
    raw("warm-up")
    print(
        "| file | n | acc raw | acc shopkeep | macro-F1 raw | macro-F1 shopkeep "
        "| neg recall raw | neg recall shopkeep | posts/s raw | posts/s shopkeep | speed |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for ds in datasets:
        rounds = 1 if args.smoke else max(args.rounds, -(-MIN_TIMED // len(ds.texts)), 1)
        r, s = compare(ds, raw, shop, rounds)
        acc_note = " (2-class)" if ds.two_class else ""
        print(
            f"| {ds.name}{acc_note} | {len(ds.texts)} | {r.accuracy:.3f} | {s.accuracy:.3f} "
            f"| {r.macro_f1:.3f} | {s.macro_f1:.3f} | {r.neg_recall:.3f} | {s.neg_recall:.3f} "
            f"| {r.posts_per_s:,.0f} | {s.posts_per_s:,.0f} "
            f"| {s.posts_per_s / r.posts_per_s:.2f}x |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
