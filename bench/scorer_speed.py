"""`python -m bench.scorer_speed [--base COMMIT] [--rounds N] [--posts N] [--tree DIR]`: the
sentiment scorer's CPU time per post, this checkout (or the tree DIR) against an older
commit, in one process.

The base commit's `app/core/sentiment` is read from git into a temporary folder and
imported beside this checkout's under the same names (each version's functions keep
their own modules). Both score every text once to warm their caches; then each round
scores the texts in chunks of 500, old and new alternately, timing each chunk with
`time.process_time`, so a busy moment on a shared machine hits both sides alike. The
figures are the medians of the rounds' per-post times. Corpora: the bench's generated
posts, and the labelled texts of the data folder when it is present.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import app.core
from bench.generate import generate

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "app.core.sentiment"
CHUNK = 500
Scorer = Callable[[str], object]


def _export(commit: str, into: Path) -> None:
    """The commit's app/ tree, unpacked into `into`."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", commit, "app"],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")


def _load_score(core_path: str) -> Scorer:
    """`score` of the sentiment package found under `core_path` (app/core of a tree)."""
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
        del sys.modules[name]
    saved = list(app.core.__path__)
    app.core.__path__[:] = [core_path]
    try:
        from app.core.sentiment import score
    finally:
        app.core.__path__[:] = saved
    return score


def _texts(corpus: str, posts: int) -> list[str]:
    if corpus == "bench":
        return generate(posts).texts()
    from bench.sentiment import DEFAULT_DATA, load

    data = Path(os.environ.get("SHOPKEEP_SENTIMENT_DATA", DEFAULT_DATA))
    return [t for ds in load(data, None) for t in ds.texts] if data.is_dir() else []


def _round(scorers: list[Scorer], texts: list[str], flip: bool) -> list[float]:
    """CPU µs per post of each scorer over the texts, chunk by chunk alternately."""
    spent = [0.0] * len(scorers)
    order = list(range(len(scorers)))
    for at in range(0, len(texts), CHUNK):
        chunk = texts[at : at + CHUNK]
        for side in order[::-1] if flip else order:
            score = scorers[side]
            start = time.process_time()
            for text in chunk:
                score(text)
            spent[side] += time.process_time() - start
        flip = not flip
    return [s / len(texts) * 1e6 for s in spent]


def _compare(
    corpus: str, texts: list[str], scorers: list[Scorer], args: argparse.Namespace
) -> None:
    for score in scorers:
        for text in texts:
            score(text)
    rounds = [_round(scorers, texts, r % 2 == 1) for r in range(args.rounds)]
    old, new = (statistics.median(r[side] for r in rounds) for side in (0, 1))
    print(
        f"{corpus:<6} {len(texts):>6} texts  base {args.base} {old:5.1f} µs/post  "
        f"measured tree {new:5.1f} µs/post  ({(1 - new / old) * 100:.0f}% less CPU)",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="3a1aa08", help="the commit to compare against")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--posts", type=int, default=20_000, help="generated bench posts")
    parser.add_argument(
        "--tree", type=Path, default=ROOT, help="the tree to measure (e.g. a mypyc-compiled copy)"
    )
    args = parser.parse_args()
    sys.path.append(str(args.tree))  # where mypyc puts its shared helper module
    with tempfile.TemporaryDirectory() as tmp:
        _export(args.base, Path(tmp))
        base = _load_score(str(Path(tmp) / "app" / "core"))
        now = _load_score(str(args.tree / "app" / "core"))
        for corpus in ("bench", "data"):
            texts = _texts(corpus, args.posts)
            if texts:
                _compare(corpus, texts, [base, now], args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
