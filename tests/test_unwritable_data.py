"""A data folder that cannot be written (read-only, or a full disk) is said in words.

The shop's laptop mounted the data folder read-only after a disk check, or the
disk filled up. `shopkeep sync` from cron, `shopkeep export`, and the window
each say what is wrong in one sentence: no traceback. The daily backup on a
full disk is reported in the window and leaves no empty `.partial` file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures.ui import demo_data_dir
from tests.folder_faults import run_read_only, run_with_full_folder

ROOT = Path(__file__).resolve().parent.parent
CANNOT_WRITE = "cannot write to its data folder"


@pytest.fixture
def inbox_dir(tmp_path: Path) -> Path:
    """A data folder with the demo inbox in it, as the app left it."""
    return demo_data_dir(tmp_path / "data")


def env_for(tmp_path: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "HOME": str(tmp_path / "home"),
        "XDG_DATA_HOME": str(tmp_path / "home" / "share"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    env.pop("SHOPKEEP_DATA_DIR", None)
    return env


@pytest.mark.parametrize(
    ("command", "code"),
    [
        (["sync"], 2),
        (["export", "OUT", "--data-dir", "DATA"], 1),
    ],
)
def test_a_read_only_data_folder_is_one_plain_sentence(
    inbox_dir: Path, tmp_path: Path, command: list[str], code: int
) -> None:
    out = tmp_path / "out.csv"
    argv = [a.replace("OUT", str(out)).replace("DATA", str(inbox_dir)) for a in command]
    if command[0] == "sync":
        argv = ["--data-dir", str(inbox_dir), *argv]
    result = run_read_only(
        inbox_dir,
        [sys.executable, "-m", "app", *argv],
        cwd=ROOT,
        env=env_for(tmp_path),
        timeout=90,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert CANNOT_WRITE in result.stderr and str(inbox_dir) in result.stderr
    assert not out.exists()


WINDOW_START = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from app.ui.application import make_application

app = make_application([])
seen = []

def answer_dialogs():
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox) and widget.isVisible():
            seen.append(widget.text())
            widget.done(0)
    QTimer.singleShot(20, answer_dialogs)

QTimer.singleShot(20, answer_dialogs)
from app.main import main
code = main(["--data-dir", sys.argv[1]])
print("DIALOGS:", " | ".join(seen))
sys.exit(code)
"""


def test_the_window_on_a_read_only_data_folder_says_so_in_a_dialog(
    inbox_dir: Path, tmp_path: Path
) -> None:
    result = run_read_only(
        inbox_dir,
        [sys.executable, "-c", WINDOW_START, str(inbox_dir)],
        cwd=ROOT,
        env=env_for(tmp_path),
        timeout=90,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    dialogs = result.stdout.split("DIALOGS:", 1)[1]
    assert CANNOT_WRITE in dialogs and str(inbox_dir) in dialogs


DAILY_BACKUP = """
import json, sys
from pathlib import Path
from PySide6.QtWidgets import QMessageBox
from app.core.paths import AppPaths
from app.main import build_window
from app.ui.application import make_application

app = make_application([])
paths = AppPaths(Path(sys.argv[1]))
window = build_window(paths, synchronous=True)  # the daily backup runs during start
print(json.dumps({
    "notices": [b.text() for b in window.findChildren(QMessageBox) if b.isVisible()],
    "backups": sorted(p.name for p in paths.backup_dir.iterdir()),
}))
"""


def test_a_daily_backup_on_a_full_disk_is_reported_and_leaves_no_partial_file(
    inbox_dir: Path, tmp_path: Path
) -> None:
    backups = inbox_dir / "backups"
    argv = [sys.executable, "-c", DAILY_BACKUP, str(inbox_dir)]
    result = run_with_full_folder(
        backups, argv, cwd=ROOT, env=env_for(tmp_path), timeout=90, stdin=subprocess.DEVNULL
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert any(
        "backup could not be saved" in n and "the disk is full" in n for n in seen["notices"]
    ), seen
    assert seen["backups"] == []  # no 0-byte .partial left behind
