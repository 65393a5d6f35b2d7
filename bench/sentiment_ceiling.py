"""How far could any learner go from what the simulated owner gives it?

Run `python -m bench.sentiment_ceiling [--data DIR] [--files NAME ...] [--steps N ...]`.
The same files, order and owner as `python -m bench.sentiment --owner`: posts are
read in file order, the owner corrects each misread one until N corrections, every
post read and not corrected is a confirmation of the rules' colour; macro-F1 is
measured on the posts not yet seen, as that bench does. For each file and N it prints,
as gains over the rules alone on the unseen posts:

- oracle bounds: every grey post the rules leave coloured rightly; the best neutral
  band (one threshold pair on the rules' compound, per business) chosen on the unseen
  posts themselves (cheating), and the same chosen on the seen posts (honest);
- learners trained on the seen posts only, with the owner's labels, stacked on the
  rules (their compound, colour, strength and reasons as features): logistic
  regression and naive Bayes over words and word pairs, and k nearest neighbours;
  hyper-parameters by cross-validation on the seen posts only; and whichever of
  these (or the rules alone) cross-validates best there, the one an app could pick;
- a generous bound: the same learners, and one over character n-grams too, with
  every label of the file but those of the post's own tenth (10-fold cross-validation
  over the whole file), as if the owner had corrected and confirmed everything else;
  each with the setting whose 10-fold macro-F1 over the whole file is best, so chosen
  on the test labels too (an upper bound, not an estimate); scored on the same unseen
  posts, and over the whole file.

The learners (bench/ceiling_learners.py) need scikit-learn (the `bench` extra); the
rules and the oracle bounds do not. Everything is seeded; two runs print the same tables.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app.core.models import Sentiment
from app.core.sentiment import THRESHOLD, score
from bench.ceiling_learners import (
    GENEROUS_LEARNERS,
    LEARNERS,
    OUTER_FOLDS,
    generous,
    macro_f1,
    trained_on_seen,
)
from bench.sentiment import (
    CLASSES,
    DEFAULT_DATA,
    NEG,
    NEU,
    OWNER_FILES,
    POS,
    Dataset,
    _label,
    _three_class,
    load,
)

STEPS = (25, 50, 100, 200)
GRID_STEP = 0.005  # the neutral band's thresholds are searched on this grid over [-1, 1]


@dataclass(frozen=True, slots=True)
class Rules:
    """The rules' reading of one post, as a learner on top of them would see it."""

    label: str
    compound: float
    banded: bool  # the colour follows the compound (False: a rule greyed it, e.g. "one weak word")
    reasons: tuple[str, ...]


def read_rules(text: str) -> Rules:
    s: Sentiment = _three_class(score(text))
    kinds = tuple(r.split(":", 1)[0] for r in s.reasons)
    return Rules(s.label.value, s.compound, _label(s.compound) == s.label.value, kinds)


@dataclass(frozen=True, slots=True)
class Walk:
    """Where the simulated owner stopped: posts [0, seen) were read, the rest are unseen."""

    corrections: int
    seen: int


def owner_walk(gold: Sequence[str], rules: Sequence[Rules], n: int) -> Walk:
    """The owner of bench.sentiment: read in order, correct each misread post, stop at n."""
    made = i = 0
    while made < n and i < len(gold):
        if rules[i].label != gold[i]:
            made += 1
        i += 1
    return Walk(made, i)


def owner_labels(gold: Sequence[str], rules: Sequence[Rules], seen: int) -> list[str]:
    """What the owner told the learner about each seen post: the corrected colour, or
    (read and left alone) the rules' colour. Both are the gold label by construction."""
    return [g if r.label != g else r.label for g, r in zip(gold[:seen], rules[:seen], strict=True)]


def grey_oracle(gold: Sequence[str], rules: Sequence[Rules]) -> list[str]:
    """Every post the rules leave grey coloured rightly; every other post as the rules say."""
    return [g if r.label == NEU else r.label for g, r in zip(gold, rules, strict=True)]


# --- one neutral band per business ------------------------------------------------------


def banded(rules: Sequence[Rules], lo: float, hi: float) -> list[str]:
    """The rules' colours with the neutral band moved to (lo, hi): complaint at or below
    lo, praise at or above hi. A post a rule greyed despite its compound stays grey, so
    the rules' own band (-THRESHOLD, THRESHOLD) gives exactly the rules' colours."""
    out = []
    for r in rules:
        if not r.banded:
            out.append(r.label)
        elif r.compound <= lo:
            out.append(NEG)
        elif r.compound >= hi:
            out.append(POS)
        else:
            out.append(NEU)
    return out


def _grid() -> list[float]:
    steps = round(2 / GRID_STEP)
    points = {round(-1 + k * GRID_STEP, 6) for k in range(steps + 1)}
    points |= {-THRESHOLD, THRESHOLD}
    # just below -1 and above 1: "no post is a complaint" / "no post is praise"
    return sorted(points | {-1.0 - GRID_STEP, 1.0 + GRID_STEP})


def _f1_from_counts(
    pred_counts: dict[str, list[int]], gold_totals: list[int], two_class: bool
) -> float:
    """Macro-F1 as bench.sentiment.metrics computes it, from per-region gold counts."""
    f1s = []
    for k, c in enumerate(CLASSES):
        if two_class and c == NEU:
            continue
        region = pred_counts[c]
        tp, n_pred, n_gold = region[k], sum(region), gold_totals[k]
        prec = tp / n_pred if n_pred else 0.0
        rec = tp / n_gold if n_gold else 0.0
        f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return sum(f1s) / len(f1s)


def best_band(
    gold: Sequence[str], rules: Sequence[Rules], two_class: bool
) -> tuple[float, float, float]:
    """The (lo, hi) band that maximises macro-F1 on these posts, on a fine grid; ties go
    to the band nearest the rules' own. Returns (lo, hi, macro-F1)."""
    grid = _grid()
    index = {c: k for k, c in enumerate(CLASSES)}
    gold_totals = [0, 0, 0]
    fixed = [0, 0, 0]  # gold counts of the posts a rule greyed: always predicted neutral
    movable: list[tuple[float, int]] = []
    for g, r in zip(gold, rules, strict=True):
        gold_totals[index[g]] += 1
        if r.banded:
            movable.append((r.compound, index[g]))
        else:
            fixed[index[g]] += 1
    movable.sort()
    # at_most[j]: gold counts of movable posts with compound <= grid[j]; below[j]: < grid[j]
    at_most, below = [], []
    cum, p = [0, 0, 0], 0
    below_cum, q = [0, 0, 0], 0
    for t in grid:
        while q < len(movable) and movable[q][0] < t:
            below_cum[movable[q][1]] += 1
            q += 1
        while p < len(movable) and movable[p][0] <= t:
            cum[movable[p][1]] += 1
            p += 1
        at_most.append(list(cum))
        below.append(list(below_cum))
    total = [sum(1 for _c, k in movable if k == j) for j in range(3)]
    best = (-1.0, 0.0, 0.0, 0.0)  # (f1, -distance, lo, hi)
    for a, lo in enumerate(grid):
        neg = at_most[a]
        for b in range(a + 1, len(grid)):
            hi = grid[b]
            pos = [total[j] - below[b][j] for j in range(3)]
            neu = [total[j] - neg[j] - pos[j] + fixed[j] for j in range(3)]
            f1 = _f1_from_counts({NEG: neg, NEU: neu, POS: pos}, gold_totals, two_class)
            near = -(abs(lo + THRESHOLD) + abs(hi - THRESHOLD))
            if (f1, near) > best[:2]:
                best = (f1, near, lo, hi)
    return best[2], best[3], best[0]


# --- the tables -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Row:
    n: int
    walk: Walk
    unseen: int
    rules_f1: float
    gains: dict[str, float]  # column name -> macro-F1 gain over the rules on the unseen posts
    chosen: str  # which learner the seen posts' cross-validation picked


ORACLE_COLUMNS = ("grey oracle", "band on unseen (cheat)", "band on seen")
GENEROUS_COLUMNS = tuple(f"generous {n}" for n in GENEROUS_LEARNERS)


def oracle_row(ds: Dataset, rules: Sequence[Rules], n: int) -> Row:
    """The rules alone and the three oracle bounds (no scikit-learn needed)."""
    walk = owner_walk(ds.gold, rules, n)
    gold, unseen = ds.gold[walk.seen :], rules[walk.seen :]
    base = macro_f1(gold, [r.label for r in unseen], ds.two_class) if gold else float("nan")
    gains: dict[str, float] = {}
    if gold:
        gains["grey oracle"] = macro_f1(gold, grey_oracle(gold, unseen), ds.two_class) - base
        lo, hi, _ = best_band(gold, unseen, ds.two_class)
        gains["band on unseen (cheat)"] = (
            macro_f1(gold, banded(unseen, lo, hi), ds.two_class) - base
        )
        seen_labels = owner_labels(ds.gold, rules, walk.seen)
        lo, hi, _ = best_band(seen_labels, rules[: walk.seen], ds.two_class)
        gains["band on seen"] = macro_f1(gold, banded(unseen, lo, hi), ds.two_class) - base
    return Row(n, walk, len(gold), base, gains, "")


def full_row(
    ds: Dataset, rules: Sequence[Rules], n: int, cross_fitted: dict[str, list[str]]
) -> Row:
    """The oracle row, plus the learners trained on the seen posts and the generous ones."""
    row = oracle_row(ds, rules, n)
    if not row.unseen:
        return row
    seen = row.walk.seen
    y = owner_labels(ds.gold, rules, seen)
    gold = ds.gold[seen:]
    args = (ds.texts[:seen], rules[:seen], y, ds.texts[seen:], rules[seen:], ds.two_class)
    cv = {"rules": macro_f1(y, [r.label for r in rules[:seen]], ds.two_class)}
    preds = {"rules": [r.label for r in rules[seen:]]}
    learned, learned_cv = trained_on_seen(*args)
    preds |= learned
    cv |= learned_cv
    for name in LEARNERS:
        row.gains[name] = macro_f1(gold, preds[name], ds.two_class) - row.rules_f1
    chosen = max(cv, key=lambda k: (cv[k], k == "rules"))  # a tie keeps the rules
    row.gains["chosen by CV"] = macro_f1(gold, preds[chosen], ds.two_class) - row.rules_f1
    for name in GENEROUS_LEARNERS:
        got = cross_fitted[name][seen:]
        row.gains[f"generous {name}"] = macro_f1(gold, got, ds.two_class) - row.rules_f1
    return Row(row.n, row.walk, row.unseen, row.rules_f1, row.gains, chosen)


def print_table(ds: Dataset, rows: Sequence[Row], columns: Sequence[str]) -> None:
    print(f"\n{ds.name} ({len(ds.texts)} posts): macro-F1 gain over the rules on the unseen posts")
    print("| N | corrections | seen | unseen | rules | " + " | ".join(columns) + " |")
    print("|---:|---:|---:|---:|---:|" + "---:|" * len(columns))
    for r in rows:
        cells = []
        for c in columns:
            if c not in r.gains:
                cells.append("-")
            elif c == "chosen by CV":
                cells.append(f"{r.gains[c]:+.3f} ({r.chosen})")
            else:
                cells.append(f"{r.gains[c]:+.3f}")
        rules = f"{r.rules_f1:.3f}" if r.unseen else "-"
        print(
            f"| {r.n} | {r.walk.corrections} | {r.walk.seen} | {r.unseen} | {rules} | "
            + " | ".join(cells)
            + " |"
        )


def study(ds: Dataset, steps: Sequence[int], with_learners: bool) -> None:
    rules = [read_rules(t) for t in ds.texts]
    if not with_learners:
        print_table(ds, [oracle_row(ds, rules, n) for n in steps], ORACLE_COLUMNS)
        return
    cross_fitted = generous(ds, rules)
    rows = [full_row(ds, rules, n, cross_fitted) for n in steps]
    columns = (*ORACLE_COLUMNS, *LEARNERS, "chosen by CV", *GENEROUS_COLUMNS)
    print_table(ds, rows, columns)
    base = macro_f1(ds.gold, [r.label for r in rules], ds.two_class)
    whole = ", ".join(
        f"{name} {macro_f1(ds.gold, cross_fitted[name], ds.two_class) - base:+.3f}"
        for name in GENEROUS_LEARNERS
    )
    print(f"\nwhole file, {OUTER_FOLDS}-fold (generous): rules {base:.3f}; gains {whole}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sentiment_ceiling", description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="labelled data folder")
    parser.add_argument(
        "--files", nargs="+", default=list(OWNER_FILES), help="file names, as bench.sentiment"
    )
    parser.add_argument("--steps", type=int, nargs="+", default=list(STEPS), help="values of N")
    parser.add_argument(
        "--limit", type=int, help="only the first LIMIT posts of each file (a quick look)"
    )
    parser.add_argument(
        "--oracles-only", action="store_true", help="no learners (no scikit-learn needed)"
    )
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"no data folder at {args.data}", file=sys.stderr)
        return 2
    datasets = [ds for ds in load(args.data, args.limit) if ds.name in args.files]
    if not datasets:
        print(f"none of {args.files} in {args.data}", file=sys.stderr)
        return 2
    if not args.oracles_only:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)  # one core, and the same sums on every run
    start = time.perf_counter()
    for ds in datasets:
        study(ds, args.steps, not args.oracles_only)
    print(f"\n({time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
