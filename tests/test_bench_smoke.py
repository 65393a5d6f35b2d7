"""`python -m bench --smoke` runs and prints every row (no figure is checked: nothing is timed)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ROWS = (
    "sentiment throughput",
    "ingest: parsed, scored, stored, threaded",
    "cold start to first painted inbox",
    "open a thread with 40 posts",
    "scroll the whole thread list",
    "search, rare word",
    "search, common word",
    "memory: RSS after opening and scrolling",
    "Mastodon sync",
    "Bluesky sync",
    "GUI stall while syncing",
    "first sync of 40 mentions",
    "incremental sync, 10 new",
    "team inbox on PostgreSQL: open the inbox",
    "team inbox on PostgreSQL: open a thread with 40 posts",
    "team inbox on PostgreSQL: search, rare word",
    "team inbox on PostgreSQL: search, common word",
    "heard by another process",
)


@pytest.mark.timeout(600)
def test_bench_smoke_prints_every_row(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOPKEEP_")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke", "--keep", str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=580,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "!!" not in done.stderr, done.stderr[-3000:]  # a measurement raised
    out = done.stdout
    assert out.startswith("Machine: ") and "cores" in out and "GB RAM" in out
    table = [line for line in out.splitlines() if line.startswith("| ")]
    for name in ROWS:
        assert any(name in line for line in table), f"no row for {name!r}:\n{out}"
