"""settings.json with a typo, a silly value or a hostile one: nothing of the owner's is lost.

The owner edited settings.json by hand (or a disk hiccup cut it short). Their
business name, signature and word list are in there. Shopkeep must start,
say what it did, and keep the old file where the owner can find it.
"""

from __future__ import annotations

import json
import stat
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from app.core.paths import AppPaths
from app.core.rescore import OwnerScorer, load_words, save_words
from app.core.settings import Settings, SettingsFile
from tests.folder_faults import run_read_only

ROOT = Path(__file__).resolve().parent.parent
OWNERS = {
    "business": "Sunny Bakes",
    "signature": "— Mia at Sunny Bakes",
    "sentiment_words": {"coeliac": -2.0, "sourdough": 1.5},
    "sync_interval_minutes": 15,
}


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_a_typo_keeps_the_file_aside_with_a_message_and_never_overwrites_it(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    broken = json.dumps(OWNERS, indent=2).replace('"signature"', "signature", 1)  # a typo
    write(path, broken)

    found = SettingsFile(path).read()

    assert found.settings == Settings()  # starts, on defaults
    assert found.set_aside is not None and found.set_aside.name.startswith("settings.json.bad-")
    assert found.set_aside.read_text(encoding="utf-8") == broken  # every byte of it kept
    assert str(found.set_aside) in found.problem and "line 3" in found.problem
    # the next save writes a fresh file; the kept one is untouched
    save_words(path, {"late": -1.0})
    assert found.set_aside.read_text(encoding="utf-8") == broken
    assert load_words(path) == {"late": -1.0}


def test_the_window_says_so_at_start(qtbot: Any, ui_paths: AppPaths) -> None:
    from PySide6.QtWidgets import QMessageBox

    from app.main import build_window, quit_quickly

    write(ui_paths.settings_file, '{"business": "Sunny Bakes",}')
    window = build_window(ui_paths, synchronous=True)
    qtbot.addWidget(window, before_close_func=lambda w: quit_quickly(w, 2000))
    boxes = [b for b in window.findChildren(QMessageBox) if "settings.json.bad-" in b.text()]
    assert boxes and boxes[0].isVisible()
    assert list(ui_paths.data_dir.glob("settings.json.bad-*"))


@pytest.mark.parametrize(
    ("text", "interval"),
    [
        ('{"sync_interval_minutes": 1e999}', 5),  # inf: once crashed the window at start
        ('{"sync_interval_minutes": NaN}', 5),
        ('{"sync_interval_minutes": -Infinity}', 5),
        ('{"sync_interval_minutes": "soon"}', 5),
        ('{"sync_interval_minutes": 99999999}', 1440),
        ('{"sync_interval_minutes": 7.9}', 7),
    ],
)
def test_an_impossible_interval_falls_back_and_is_reported(
    tmp_path: Path, text: str, interval: int
) -> None:
    path = tmp_path / "settings.json"
    write(path, text)
    found = SettingsFile(path).read()
    assert found.settings.sync_interval_minutes == interval
    assert "sync_interval_minutes" in found.problem
    assert path.read_text(encoding="utf-8") == text  # a fixed value does not rewrite the file


def test_a_nan_word_value_is_left_out_and_ingest_still_scores(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    write(
        path,
        '{"sentiment_words": {"coeliac": NaN, "stale": -Infinity, "fresh": 1e300,'
        ' "bad": "very", "late": -1.5}}',
    )
    words = load_words(path)
    assert words == {"fresh": 4.0, "late": -1.5}
    found = SettingsFile(path).read()
    assert "'coeliac'" in found.problem and "'stale'" in found.problem
    scorer = OwnerScorer(words)
    assert scorer("The bread came late and stale").label.value == "negative"


def test_every_key_survives_each_writer(tmp_path: Path) -> None:
    """The window, the word list and keys from a newer version all share one file."""
    paths = AppPaths(tmp_path)
    from app.main import read_settings, update_settings

    write(paths.settings_file, json.dumps({**OWNERS, "from_a_newer_version": [1, 2]}))
    update_settings(paths, demo_dismissed=True)
    save_words(paths.settings_file, {"coeliac": -3.0})
    update_settings(paths, sync_interval_minutes=30)
    data = read_settings(paths)
    assert data["business"] == "Sunny Bakes" and data["signature"] == OWNERS["signature"]
    assert data["sentiment_words"] == {"coeliac": -3.0}
    assert data["demo_dismissed"] is True and data["sync_interval_minutes"] == 30
    assert data["from_a_newer_version"] == [1, 2]
    assert json.loads(paths.settings_file.read_text(encoding="utf-8"))["settings_version"] == 1


def test_writes_from_two_threads_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    start = threading.Barrier(2)

    def writer(key: str) -> None:
        start.wait()
        for i in range(30):
            SettingsFile(path).update(**{key: f"{key} {i}"})

    threads = [threading.Thread(target=writer, args=(k,)) for k in ("business", "signature")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    settings = SettingsFile(path).load()
    assert (settings.business, settings.signature) == ("business 29", "signature 29")
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]  # no temp file left


def test_the_file_is_private(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    SettingsFile(path).update(business="Sunny Bakes")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_file_that_cannot_be_moved_aside_is_never_overwritten(tmp_path: Path) -> None:
    """In a read-only folder the bad file stays where it is and no save replaces it."""
    folder = tmp_path / "locked"
    path = folder / "settings.json"
    write(path, "{oops")
    probe = (
        "import sys\n"
        "from app.core.errors import StorageError\n"
        "from app.core.settings import SettingsFile\n"
        f"found = SettingsFile({str(path)!r}).read()\n"
        "print('writable' if found.writable else 'kept', found.problem)\n"
        "try:\n"
        f"    SettingsFile({str(path)!r}).update(business='x')\n"
        "except StorageError as exc:\n"
        "    print('refused', exc.user_message)\n"
    )
    result = run_read_only(folder, [sys.executable, "-c", probe], cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("kept") and "could not be moved aside" in result.stdout
    assert "refused" in result.stdout
    assert path.read_text(encoding="utf-8") == "{oops"
    assert [p.name for p in folder.iterdir()] == ["settings.json"]
