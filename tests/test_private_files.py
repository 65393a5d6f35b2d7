"""The shop's files are the user's alone, and an export touches only what it was told to.

Customers' words, drafts, logs and backups live on a laptop other people may
log in to: files 0600, folders 0700. An export with `--data-dir` after the
file name reads that folder and never creates (or logs into) the default one.
An export never replaces an existing file without asking, and never writes
into a FIFO or a device.
"""

from __future__ import annotations

import io
import logging
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app.core.paths import AppPaths
from tests.fixtures.ui import demo_data_dir

ROOT = Path(__file__).resolve().parent.parent


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def inbox_dir(tmp_path: Path) -> Path:
    """A data folder with the demo inbox in it, as the app left it."""
    return demo_data_dir(tmp_path / "shop-data")


def env_for(tmp_path: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "HOME": str(tmp_path / "home"),
        "XDG_DATA_HOME": str(tmp_path / "home" / "share"),
    }
    env.pop("SHOPKEEP_DATA_DIR", None)
    return env


def export(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", "export", *args],
        cwd=ROOT,
        env=env_for(tmp_path),
        capture_output=True,
        text=True,
        timeout=90,
        stdin=subprocess.DEVNULL,
    )


def test_database_backups_logs_and_settings_are_private(qtbot: Any, tmp_path: Path) -> None:
    from app.main import build_window, configure_logging, quit_quickly, update_settings

    data = tmp_path / "data"
    data.mkdir(mode=0o755)  # an older install: world-readable folder and database
    (data / "shopkeep.sqlite3").touch(mode=0o644)
    paths = AppPaths(data).ensure()
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        configure_logging(paths)
        logging.getLogger("shopkeep").info("a line for the log")
        update_settings(paths, business="Sunny Bakes")
        window = build_window(paths, demo=True, synchronous=True)  # makes the daily backup
        qtbot.addWidget(window, before_close_func=lambda w: quit_quickly(w, 2000))
    finally:
        for handler in [h for h in root.handlers if h not in before]:
            root.removeHandler(handler)
            handler.close()
    backups = list(paths.backup_dir.iterdir())
    assert backups, "the daily backup should exist"
    for folder in (paths.data_dir, paths.log_dir, paths.backup_dir):
        assert mode(folder) == 0o700, folder
    files = [paths.database, paths.settings_file, paths.log_dir / "shopkeep.log", *backups]
    files += [p for p in data.glob("shopkeep.sqlite3-*")]  # WAL and shared memory
    for file in files:
        assert mode(file) == 0o600, file


def test_export_with_data_dir_after_the_file_leaves_the_default_folder_alone(
    inbox_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "cakes.csv"
    result = export(tmp_path, str(out), "--data-dir", str(inbox_dir))
    assert result.returncode == 0, result.stderr
    assert out.is_file() and mode(out) == 0o600
    assert not (tmp_path / "home").exists()  # no default data folder, no log in it
    assert (inbox_dir / "logs" / "shopkeep.log").is_file()


def test_export_onto_an_existing_file_refuses_without_asking_or_force(
    inbox_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "report.csv"
    out.write_text("the accountant's numbers\n", encoding="utf-8")

    refused = export(tmp_path, str(out), "--data-dir", str(inbox_dir))
    assert refused.returncode == 1
    assert "already exists" in refused.stderr and "--force" in refused.stderr
    assert out.read_text(encoding="utf-8") == "the accountant's numbers\n"

    forced = export(tmp_path, str(out), "--data-dir", str(inbox_dir), "--force")
    assert forced.returncode == 0, forced.stderr
    assert "Exported" in forced.stdout
    assert out.read_text(encoding="utf-8") != "the accountant's numbers\n"


@pytest.mark.parametrize(("answer", "replaced"), [(False, False), (True, True)])
def test_export_on_a_terminal_asks_before_replacing(
    inbox_dir: Path, tmp_path: Path, answer: bool, replaced: bool
) -> None:
    from app.cli.export import main as export_main

    out = tmp_path / "report.json"
    out.write_text("{}", encoding="utf-8")
    asked: list[str] = []

    def confirm(question: str) -> bool:
        asked.append(question)
        return answer

    code = export_main(
        [str(out), "--data-dir", str(inbox_dir)],
        AppPaths(inbox_dir),
        out=io.StringIO(),
        err=io.StringIO(),
        confirm=confirm,
    )
    assert asked and "Replace it?" in asked[0]
    assert code == (0 if replaced else 1)
    assert (out.read_text(encoding="utf-8") != "{}") is replaced


def test_export_never_writes_into_a_fifo(inbox_dir: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    result = export(tmp_path, str(fifo), "--data-dir", str(inbox_dir), "--force")
    assert result.returncode == 1
    assert "not an ordinary file" in result.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # still the pipe, not replaced
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".pipe")] == []
