"""Start-up of the frozen app next to `python -m app`: process start to first painted window.

    .venv/bin/python -m bench.build_frozen      # first, to make dist/
    .venv/bin/python -m bench.frozen_start [--runs 9]

Each run starts a fresh process offscreen over the same (warm) data folder and
stops the clock when the app prints "first-paint" (SHOPKEEP_EXIT_AFTER_PAINT=1,
see app.ui.window_check.exit_after_first_paint). If app.main does not honour that
variable yet, the whole `--self-test` run is timed instead, and the output says so.
Target: frozen within 1.5x of source.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 1.5
PAINT_ENV = "SHOPKEEP_EXIT_AFTER_PAINT"


def paint_hook_present() -> bool:
    """Whether app.main quits after the first paint when asked (else we time --self-test)."""
    return PAINT_ENV in (ROOT / "app" / "main.py").read_text(encoding="utf-8")


def time_once(command: list[str], env: dict[str, str], marker: str) -> float:
    """Milliseconds from spawning the process to `marker` on its stdout (or its exit)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert proc.stdout is not None
    elapsed = None
    for line in proc.stdout:
        if marker and line.startswith(marker):
            elapsed = (time.perf_counter() - start) * 1000
            break
    if elapsed is None:
        proc.wait(timeout=60)
        elapsed = (time.perf_counter() - start) * 1000
        if proc.returncode != 0:
            raise RuntimeError(f"{command[0]} exited {proc.returncode} before {marker!r}")
    proc.stdout.close()
    proc.wait(timeout=60)
    return elapsed


def median_ms(command: list[str], env: dict[str, str], marker: str, runs: int) -> float:
    time_once(command, env, marker)  # warm-up: demo data, font cache, page cache
    return statistics.median(time_once(command, env, marker) for _ in range(runs))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    args = parser.parse_args(argv)

    folder_app = args.dist / "shopkeep" / "shopkeep"
    if not folder_app.exists():
        print(f"{folder_app} is missing: run `python -m bench.build_frozen` first", file=sys.stderr)
        return 2
    hooked = paint_hook_present()
    flags, marker = ([], "first-paint") if hooked else (["--self-test"], "self-test")
    what = "process start -> first paint" if hooked else "whole --self-test run (no paint hook)"
    print(f"measuring: {what}, median of {args.runs} runs, offscreen")

    targets = [("source", [sys.executable, "-m", "app"]), ("one-folder", [str(folder_app)])]
    onefile = args.dist / "onefile" / "shopkeep"
    if onefile.exists():
        targets.append(("one-file", [str(onefile)]))
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="shopkeep-bench-") as data:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SHOPKEEP_DATA_DIR=data)
        env[PAINT_ENV] = "1"
        for label, command in targets:
            results[label] = median_ms([*command, *flags], env, marker, args.runs)
            print(f"{label:<10} {results[label]:7.0f} ms")
    ratio = results["one-folder"] / results["source"]
    verdict = "ok" if ratio <= TARGET_RATIO else "OVER"
    print(f"ratio one-folder/source {ratio:.2f} (target <= {TARGET_RATIO})  {verdict}")
    if "one-file" in results:
        print(f"ratio one-file/source   {results['one-file'] / results['source']:.2f} (unpacks)")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
