"""Start-up (issue 27): the first painted inbox waits for nothing that is not on screen.

Its import is half a second of Python; in a worker thread it still holds the
interpreter lock while the window builds. It is loaded once the inbox is on screen.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start_window(data_dir: Path) -> str:
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-m", "tests.first_paint_child", str(data_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_the_inbox_paints_before_the_sentiment_scorer_loads(tmp_path: Path) -> None:
    start_window(tmp_path)  # the first start ever loads (and scores) the demo shop
    out = start_window(tmp_path)
    assert "at first paint: False" in out, out
    assert "later: True" in out, out  # learning from corrections still starts, right after


def test_the_first_paint_loads_nothing_that_is_not_on_screen(tmp_path: Path) -> None:
    """Reports and charts, the export, account, settings and about dialogs, the
    composer and the other answering parts, the network and keychain libraries,
    PostgreSQL's driver: none is on the first painted inbox, each loads when it is
    needed (tests/first_paint_child.py names each one)."""
    start_window(tmp_path)
    out = start_window(tmp_path)
    assert "rows" in out and ", 0 rows" not in out, out  # the real inbox, not an empty list
    assert "loaded before the first paint: []" in out, out


def test_the_first_paint_sets_up_no_qt_class_the_window_does_not_use(tmp_path: Path) -> None:
    """PySide sets up every QWidget subclass (and makes their enum classes) when it first
    meets a widget Qt made on its own, like a list's viewport: ~10 ms before the first
    paint. The thread list's viewport is made in Python, so none of them is set up."""
    start_window(tmp_path)
    out = start_window(tmp_path)
    assert "Qt classes set up before it: []" in out, out
