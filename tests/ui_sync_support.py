"""Helpers for the sync UI tests: the real window (threaded task runner) over a temp
data folder, with Mastodon accounts on local test servers whose tokens live in
the real keychain, and small waits that keep the Qt event loop running."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QCoreApplication

from app.core.connections import key_for
from app.core.models import Account
from app.core.paths import AppPaths
from app.main import build_window, quit_quickly, update_settings
from app.storage.inbox_store import SqliteInboxStore
from tests.mastodon_server import MastodonServer
from tests.sync_support import mastodon_account

COMPLAINTS = (
    "My order arrived broken and nobody answers, terrible service",
    "Still waiting for my refund, this is awful",
    "The bread was stale and the staff were rude, very disappointed",
)
PRAISE = (
    "Love the new sourdough, thank you!",
    "Great coffee and lovely staff today",
    "Best croissant in town, thanks so much",
)


def connect_account(store: SqliteInboxStore, keychain: Any, server: MastodonServer) -> Account:
    """The shop's account on `server`, its token in the real keychain (as sign-in does)."""
    account = mastodon_account(store, server)
    keychain.save(key_for(account), {"access_token": server.token})
    return account


def add_mentions(
    server: MastodonServer,
    count: int,
    *,
    people: int = 12,
    replies: float = 0.0,
    negative_every: int = 0,
    seed: int = 3,
) -> list[dict[str, Any]]:
    """`count` mentions from `people` customers; `replies` of them answer an earlier one."""
    rng = random.Random(seed)
    folks = [
        server.add_account(f"cust{i}", "town.example", display_name=f"Customer {i}")
        for i in range(people)
    ]
    made: list[dict[str, Any]] = []
    for i in range(count):
        negative = negative_every and i % negative_every == 0
        text = rng.choice(COMPLAINTS if negative else PRAISE) + f" (#{i})"
        parent = rng.choice(made[-50:]) if made and rng.random() < replies else None
        made.append(server.add_mention(rng.choice(folks), text, in_reply_to=parent))
    return made


def open_window(
    qtbot: Any, paths: AppPaths, store: SqliteInboxStore, keychain: Any, **kwargs: Any
) -> Any:
    """The app's own window (build_window) with a threaded runner, shown offscreen.

    Replies leave at once (`undo_send_seconds=0`) unless a test is about the undo window."""
    update_settings(
        paths, demo_dismissed=True, undo_send_seconds=kwargs.pop("undo_send_seconds", 0)
    )
    window = build_window(paths, store=store, credentials=keychain, **kwargs)
    qtbot.addWidget(window, before_close_func=lambda w: quit_quickly(w, 2000))
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    assert window.runner.wait_idle(3000)
    QCoreApplication.processEvents()  # start-up's results (accounts, first page) are shown
    return window


def wait_sync_done(qtbot: Any, window: Any, timeout: int = 60_000) -> None:
    """Until no account is syncing and the streamed rows have been read into the list."""
    qtbot.waitUntil(lambda: not window.scheduler.is_busy(), timeout=timeout)
    qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=timeout)
    QCoreApplication.processEvents()  # the results reach the window, which may ask for more
    qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=timeout)


def all_rows(window: Any) -> list[Any]:
    model = window.thread_model
    while model.canFetchMore():
        model.fetchMore()
    return model.loaded_rows()


def integrity(path: Any) -> str:
    conn = sqlite3.connect(str(path))
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


@contextmanager
def sql_on_this_thread(store: SqliteInboxStore) -> Iterator[list[str]]:
    """The statements this thread's own connection to `store` runs inside the block."""
    ran: list[str] = []
    conn = store.db.connection()
    conn.set_trace_callback(ran.append)
    try:
        yield ran
    finally:
        conn.set_trace_callback(None)
