"""One thing, one name: Complaint, Neutral, Praise in the window, the CSV and the CLI.

Issue 21: rows said Complaint/Praise, the folder "Negative", the sort "Angriest
first", the CSV and `--label` negative/positive, and the shop's own apology was
exported as negative.
"""

from __future__ import annotations

import csv

import pytest

from app.core.export import export_inbox
from app.core.models import Folder, SentimentLabel
from app.ui import theme
from app.ui.shortcuts_dialog import SHORTCUT_GROUPS
from tests.fixtures.ui import OFFSCREEN_NOISE

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"), pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]

WORDS = {"Complaint", "Neutral", "Praise"}


def test_the_window_names_feelings_with_the_rows_words(main_window):
    shown = {
        theme.sentiment_word(label)
        for label in (SentimentLabel.NEGATIVE, SentimentLabel.NEUTRAL, SentimentLabel.POSITIVE)
    }
    assert shown == WORDS
    folders = main_window.folder_model
    name = folders.index(folders.row_of_folder(Folder.NEGATIVE)).data()
    assert name == "Complaints"
    assert main_window.sort_angriest.text() == "Complaints first"
    keys = [what for _title, rows in SHORTCUT_GROUPS for _key, what in rows]
    assert "Complaints first" in keys and not any("ngriest" in k for k in keys)


def test_filter_words_are_the_rows_words(qtbot, ui_paths):
    from app.main import build_window
    from app.storage.inbox_store import SqliteInboxStore

    store = SqliteInboxStore.open(ui_paths.database)
    window = build_window(ui_paths, store=store, demo=True, synchronous=True)
    qtbot.addWidget(window)
    combo = window.filter_bar.sentiment
    assert {combo.itemText(i) for i in range(1, combo.count())} == WORDS
    window.runner.shutdown()
    store.close()


def test_the_csv_uses_the_same_words_and_leaves_the_shops_replies_unlabelled(ui_store, tmp_path):
    export_inbox(ui_store, tmp_path / "all.csv")
    with (tmp_path / "all.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    customers = {r["sentiment"] for r in rows if r["is_own"] == "no"}
    assert customers <= {"complaint", "neutral", "praise", "not scored"}
    assert {"complaint", "praise"} <= customers
    assert {r["sentiment"] for r in rows if r["is_own"] == "yes"} == {""}
