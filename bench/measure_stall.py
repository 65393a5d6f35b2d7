"""GUI stall while syncing: the longest gap of a 10 ms GUI timer while the window syncs.

The parent spawns `python -m bench.measure_stall COUNT` (fresh offscreen process).
The child starts the local Mastodon test server with COUNT mentions in a process of
its own (`python -m bench.measure_stall serve COUNT`: a real server never shares the
app's GIL or heap), builds and shows the real window (`app.main.build_window`,
`show_window`) over an empty data folder with the token in an in-memory credential
store, presses "Sync now" and scrolls while the SyncScheduler runs; a 10 ms QTimer on
the GUI thread records the longest gap between its ticks.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from bench.measure_gui import ROOT, _env


class MemoryCredentials:
    """The keychain's interface, in memory (the bench must not touch the user's keychain)."""

    def __init__(self) -> None:
        self._items: dict[str, dict[str, str]] = {}

    def check(self) -> None:
        return None

    def save(self, account_key: str, secrets: Mapping[str, str]) -> None:
        self._items[account_key] = dict(secrets)

    def load(self, account_key: str) -> dict[str, str] | None:
        found = self._items.get(account_key)
        return dict(found) if found is not None else None

    def delete(self, account_key: str) -> None:
        self._items.pop(account_key, None)


def serve(count: int) -> None:
    """The test server with `count` mentions; prints its address, runs until stdin closes."""
    from tests.mastodon_server import MastodonServer
    from tests.ui_sync_support import add_mentions

    server = MastodonServer().start()
    add_mentions(server, count, replies=0.85, people=40)
    print(json.dumps({"url": server.url, "token": server.token}), flush=True)
    sys.stdin.read()
    server.stop()


def child(count: int) -> None:
    from PySide6.QtCore import QElapsedTimer, QTimer

    from app.core.connections import key_for
    from app.core.paths import resolve_paths
    from app.main import build_window, quit_quickly, show_window, update_settings
    from app.storage.inbox_store import SqliteInboxStore
    from app.ui.application import make_application
    from tests.sync_support import mastodon_account

    app = make_application([])
    serving = subprocess.Popen(
        [sys.executable, "-m", "bench.measure_stall", "serve", str(count)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert serving.stdin is not None and serving.stdout is not None
    server = SimpleNamespace(**json.loads(serving.stdout.readline()))
    with tempfile.TemporaryDirectory(prefix="shopkeep-stall-") as tmp:
        paths = resolve_paths(Path(tmp) / "data").ensure()
        store = SqliteInboxStore.open(paths.database)
        keychain = MemoryCredentials()
        account = mastodon_account(store, server)  # type: ignore[arg-type]
        keychain.save(key_for(account), {"access_token": server.token})
        update_settings(paths, demo_dismissed=True)
        window = build_window(paths, store=store, credentials=keychain)
        window.resize(1280, 800)
        window.runner.wait_idle(5000)
        show_window(window)
        clock = QElapsedTimer()
        stats = {"longest": 0, "ticks": 0}

        def tick() -> None:
            stats["longest"] = max(stats["longest"], clock.restart())
            stats["ticks"] += 1

        timer = QTimer()
        timer.setInterval(10)
        timer.timeout.connect(tick)
        app.processEvents()
        clock.start()
        timer.start()
        start = time.perf_counter()
        window.sync_action.trigger()
        deadline = start + 600
        while not window.scheduler.is_busy() and time.perf_counter() < deadline:
            app.processEvents()
        bar = window.thread_view.verticalScrollBar()
        while (
            window.scheduler.is_busy() or window.runner.is_busy()
        ) and time.perf_counter() < deadline:
            bar.setValue(bar.value() + 3)  # "scroll" while it syncs, as the test does
            end = time.perf_counter() + 0.015
            while time.perf_counter() < end:
                app.processEvents()
                time.sleep(0.001)
        timer.stop()
        seconds = time.perf_counter() - start
        rows = window.thread_model.rowCount()
        print(
            json.dumps(
                {
                    "longest_ms": stats["longest"],
                    "ticks": stats["ticks"],
                    "seconds": seconds,
                    "rows": rows,
                }
            ),
            flush=True,
        )
        quit_quickly(window, 2000)
        store.close()
    serving.stdin.close()
    serving.wait(10)


def measure(count: int, runs: int) -> list[dict[str, Any]]:
    """One fresh child per run; each returns its longest GUI gap (ms)."""
    out = []
    for _ in range(runs):
        proc = subprocess.run(
            [sys.executable, "-m", "bench.measure_stall", str(count)],
            cwd=ROOT,
            env=_env(),
            capture_output=True,
            text=True,
            timeout=900,
        )
        lines = [x for x in proc.stdout.splitlines() if x.startswith("{")]
        if proc.returncode != 0 or not lines:
            raise RuntimeError(f"stall child failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
        out.append(json.loads(lines[-1]))
    return out


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(int(sys.argv[2]))
    else:
        child(int(sys.argv[1]))
