"""`python -m bench.scorer_speed [--base COMMIT] [--rounds N] [--posts N]`: the sentiment
scorer's CPU time per post, this checkout against an older commit, alternated.

Each round runs one child process per side and corpus (the bench's generated posts,
and the labelled texts of the data folder when it is present); a child scores every
text once to warm its caches, then times one more pass with `time.process_time`.
Rounds alternate the sides, so a busy moment on a shared machine hits both; the
figures are the medians over the rounds. The base commit's code is read from git
into a temporary folder, nothing in the checkout is touched.
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
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ("bench", "data")


def _texts(corpus: str, posts: int) -> list[str]:
    if corpus == "bench":
        from bench.generate import generate

        return generate(posts).texts()
    from bench import sentiment
    from tests.sentiment_support import data_folder

    return [t for ds in sentiment.load(data_folder(), None) for t in ds.texts]


def _child(corpus: str, posts: int) -> None:
    """Score the corpus twice, print the CPU µs per post of the second pass."""
    from app.core.sentiment import score

    texts = _texts(corpus, posts)
    for text in texts:
        score(text)
    start = time.process_time()
    for text in texts:
        score(text)
    print((time.process_time() - start) / len(texts) * 1e6)


def _export(commit: str, into: Path) -> None:
    """The commit's app/ and bench/ and tests/ trees, unpacked into `into`."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", commit, "app", "bench", "tests"],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")


def _run(root: Path, corpus: str, posts: int) -> float:
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            f"from bench.scorer_speed import _child; _child({corpus!r}, {posts})",
        ],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root), "SHOPKEEP_SENTIMENT_DATA": str(_data())},
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return float(out.strip().splitlines()[-1])


def _data() -> Path:
    from bench.sentiment import DEFAULT_DATA

    return Path(os.environ.get("SHOPKEEP_SENTIMENT_DATA", DEFAULT_DATA))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="3a1aa08", help="the commit to compare against")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--posts", type=int, default=20_000, help="generated bench posts")
    args = parser.parse_args()
    corpora = CORPORA if _data().is_dir() else CORPORA[:1]
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        _export(args.base, base)
        (base / "bench" / "scorer_speed.py").write_text(Path(__file__).read_text())
        sides = {f"base {args.base}": base, "this checkout": ROOT}
        times: dict[tuple[str, str], list[float]] = {}
        for r in range(args.rounds):
            order = list(sides.items()) if r % 2 == 0 else list(sides.items())[::-1]
            for name, root in order:
                for corpus in corpora:
                    times.setdefault((name, corpus), []).append(_run(root, corpus, args.posts))
        for corpus in corpora:
            base_us, new_us = (statistics.median(times[(n, corpus)]) for n in sides)
            print(
                f"{corpus:<6} base {base_us:6.1f} µs/post  now {new_us:6.1f} µs/post  "
                f"({(1 - new_us / base_us) * 100:+.0f}% less CPU; rounds: "
                + ", ".join(f"{t:.1f}" for t in times[(list(sides)[1], corpus)])
                + ")"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
