"""Quitting while a background job still runs (a request to a slow server) ends the
process at once with the window's exit code: no hang until the request times out, no
crash when the job finishes on a half-deleted window (the bench's start-up child
crashed with SIGSEGV that way)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEADLINE_S = 60  # the hang this guards against lasts until the job ends: here, never


def quit_window(data_dir: Path, mode: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "tests.leave_child", str(data_dir), mode],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=DEADLINE_S,
        check=False,
    )


def test_quitting_with_a_request_in_flight_leaves_at_once_with_the_exit_code(
    tmp_path: Path,
) -> None:
    done = quit_window(tmp_path, "busy")
    assert done.returncode == 3, done.stderr[-2000:]
    assert "left the event loop" not in done.stdout  # left without tearing the window down
    log = (tmp_path / "logs" / "shopkeep.log").read_text(encoding="utf-8")
    assert "background work still running at exit; leaving without it" in log


def test_quitting_with_nothing_running_returns_and_ends_normally(tmp_path: Path) -> None:
    done = quit_window(tmp_path, "idle")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "left the event loop with 0" in done.stdout
