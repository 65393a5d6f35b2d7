"""`shopkeep sync` and `shopkeep export` take their own options (issue 21 item 8).

`--help`, `--quiet` and `--account` failed with "unrecognized arguments", and the
export hint pointed at a command that failed. `--label` speaks the window's
words: complaint, neutral, praise.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

from app.core.paths import resources_dir
from app.storage.demo import load_demo
from app.storage.inbox_store import SqliteInboxStore

ROOT = Path(__file__).resolve().parent.parent


def shopkeep(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "SHOPKEEP_DATA_DIR"}
    env["HOME"] = str(tmp_path / "home")
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
        stdin=subprocess.DEVNULL,
    )


def test_sync_and_export_have_their_own_help(tmp_path):
    for command, words in (("sync", "--quiet"), ("export", "--label")):
        done = shopkeep(tmp_path, command, "--help")
        assert done.returncode == 0, done.stderr
        assert f"usage: shopkeep {command}" in done.stdout and words in done.stdout
    assert not (tmp_path / "home").exists()  # asking for help writes nothing


def test_sync_options_reach_the_sync_command(tmp_path):
    data = tmp_path / "data"
    for args in (
        ("sync", "--quiet"),
        ("sync", "--account", "3", "--quiet"),
        ("--data-dir", str(data), "sync", "--quiet"),
        ("sync", "--quiet", "--data-dir", str(data)),
    ):
        done = shopkeep(tmp_path, *args)
        assert "unrecognized arguments" not in done.stderr, args
        assert "Traceback" not in done.stderr, args
        assert done.stderr.startswith("shopkeep: "), args  # no account / keychain, in words
    assert (data / "logs").is_dir()  # --data-dir after `sync` is the data folder too


def test_export_label_speaks_the_windows_words_and_its_hint_works(tmp_path):
    data = tmp_path / "data"
    store = SqliteInboxStore.open(data / "shopkeep.sqlite3")
    load_demo(store, resources_dir() / "demo" / "demo.json")
    store.close()
    out = tmp_path / "complaints.csv"
    done = shopkeep(
        tmp_path,
        "--data-dir",
        str(data),
        "export",
        str(out),
        "--label",
        "complaint",
        "--folder",
        "complaints",
    )
    assert done.returncode == 0, done.stderr
    with out.open(encoding="utf-8") as fh:
        assert list(csv.DictReader(fh))

    wrong = shopkeep(tmp_path, "--data-dir", str(data), "export", str(out), "--label", "angry")
    assert wrong.returncode == 1
    assert "use complaint, neutral or praise" in wrong.stderr
    hint = wrong.stderr.rsplit("Try: ", 1)[1].strip()
    assert hint == "shopkeep export --help"
    assert shopkeep(tmp_path, *hint.split()[1:]).returncode == 0
