"""Cold start of two checkouts, alternating run by run, with a bare window between.

`python -m bench.start_ab OTHER_CHECKOUT DATA_DIR [RUNS]` spawns the `start` child
(`measure_gui`) of the other checkout and of this one on the same data folder, in
turns (the order swaps every run), then a bare window: background load hits all
three alike. Prints each run with the load average, then medians and ratios, and
the median of each run's own ratio (steadier when the load drifts in a series). Each
checkout's children run its own code and keep their own bytecode cache.
"""

from __future__ import annotations

import importlib.util
import os
import statistics
import sys
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent.parent


def gui_module(root: Path, name: str) -> ModuleType:
    """`bench/measure_gui.py` of the checkout at `root` (its children run that checkout)."""
    spec = importlib.util.spec_from_file_location(name, root / "bench" / "measure_gui.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def compare(other_root: Path, data_dir: Path, runs: int) -> dict[str, list[float]]:
    trees = {"other": gui_module(other_root, "other_gui"), "this": gui_module(HERE, "this_gui")}
    for gui in trees.values():  # warm-up: page cache, bytecode cache, font cache
        gui.spawn(["bare"], gui.MARKER)
        gui.spawn(["start", str(data_dir)], gui.MARKER)
    found: dict[str, list[float]] = {"other": [], "this": [], "bare": [], "load": []}
    bare = trees["this"]
    for i in range(runs):
        found["load"].append(os.getloadavg()[0])
        for name in ("other", "this") if i % 2 == 0 else ("this", "other"):
            at, _ = trees[name].spawn(["start", str(data_dir)], trees[name].MARKER)
            found[name].append(at or float("nan"))
        at, _ = bare.spawn(["bare"], bare.MARKER)
        found["bare"].append(at or float("nan"))
        print(
            f"run {i}: other {found['other'][-1]:.0f} ms, this {found['this'][-1]:.0f} ms, "
            f"bare {found['bare'][-1]:.0f} ms, load {found['load'][-1]:.2f}",
            flush=True,
        )
    return found


def main(argv: list[str]) -> None:
    other, data = Path(argv[0]).resolve(), Path(argv[1])
    found = compare(other, data, int(argv[2]) if len(argv) > 2 else 9)
    med = {k: statistics.median(v) for k, v in found.items() if k != "load"}
    for name in ("other", "this", "bare"):
        low, high = min(found[name]), max(found[name])
        print(f"{name:5s} median {med[name]:.0f} ms ({low:.0f}-{high:.0f})")
    print(
        f"ratio to the bare window: other {med['other'] / med['bare']:.2f}x, "
        f"this {med['this'] / med['bare']:.2f}x; "
        f"load {min(found['load']):.2f}-{max(found['load']):.2f}"
    )
    # each start against the bare window of its own run: steadier when the load drifts
    paired = {
        name: statistics.median(a / b for a, b in zip(found[name], found["bare"], strict=True))
        for name in ("other", "this")
    }
    print(f"median of the per-run ratios: other {paired['other']:.2f}x, this {paired['this']:.2f}x")


if __name__ == "__main__":
    main(sys.argv[1:])
