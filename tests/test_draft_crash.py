"""Pulling the plug mid-typing loses nothing that was saved: a real `kill -9`.

A subprocess runs the app's own draft-saving code (DraftSaver feeding the
task runner's write lane into the real SqliteInboxStore) while a timer
"types". Each landed save is printed; after a number of them the test sends
SIGKILL, reopens the database and finds at least the last acknowledged text.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from app.storage.inbox_store import SqliteInboxStore

ROOT = Path(__file__).resolve().parent.parent
ALPHABET = "Hi Dana, so sorry about the cake 🎂 — we'll make it right. "

TYPIST = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QCoreApplication, QTimer
    from app.storage.inbox_store import SqliteInboxStore
    from app.ui.draft_saver import DraftSaver
    from app.ui.task_runner import TaskRunner

    db, thread_id, every_ms, delay_ms, max_wait_ms = sys.argv[1:6]
    alphabet = sys.argv[6]
    app = QCoreApplication([])
    store = SqliteInboxStore.open(Path(db))
    runner = TaskRunner()  # real pool threads: saves go through the write lane
    saver = DraftSaver(store, runner, delay_ms=int(delay_ms), max_wait_ms=int(max_wait_ms))
    typed = []

    def landed(tid, draft):
        print("saved", len(draft.text), flush=True)

    def type_one():
        typed.append(alphabet[len(typed) % len(alphabet)])
        saver.text_changed(int(thread_id), "".join(typed))

    saver.saved.connect(landed)
    timer = QTimer()
    timer.timeout.connect(type_one)
    timer.start(int(every_ms))
    print("ready", flush=True)
    app.exec()
    """
)


def expected_text(length: int) -> str:
    return "".join(ALPHABET[i % len(ALPHABET)] for i in range(length))


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs kill -9")
@pytest.mark.parametrize(
    ("every_ms", "delay_ms", "max_wait_ms"),
    [(30, 20, 2000), (4, 400, 60)],  # pauses between keys; a typist who never pauses
    ids=["pauses", "no-pause"],
)
def test_kill_9_mid_typing_keeps_the_draft(
    tmp_path, store, shop_account, make_post, keyword_score, every_ms, delay_ms, max_wait_ms
):
    result = store.ingest(
        shop_account.id, [make_post("1", "the cake says Happy Birthday Dan")], keyword_score
    )
    thread_id = result.new_thread_ids[0]
    db_path = Path(store.db.database)
    store.close()

    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            TYPIST,
            str(db_path),
            str(thread_id),
            str(every_ms),
            str(delay_ms),
            str(max_wait_ms),
            ALPHABET,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    acknowledged = 0
    saves = 0
    deadline = time.monotonic() + 60
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("saved"):
                saves += 1
                acknowledged = max(acknowledged, int(line.split()[1]))
                if saves >= 12:
                    break
            if time.monotonic() > deadline:
                break
        os.kill(proc.pid, signal.SIGKILL)  # mid-typing: the timer is still running
    finally:
        proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read() if proc.stderr else ""
    assert saves >= 12, "the typist never saved"

    reopened = SqliteInboxStore.open(db_path)
    try:
        draft = reopened.get_draft(thread_id)
        assert draft is not None
        assert len(draft.text) >= acknowledged
        assert draft.text == expected_text(len(draft.text))
        assert reopened.db.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert [d.thread_id for d in reopened.list_drafts()] == [thread_id]
    finally:
        reopened.close()
