"""The team inbox on PostgreSQL against the same inbox on SQLite (issue 24).

The same generated posts go into a SQLite file and a PostgreSQL database, through
the same store (`SqliteInboxStore.ingest` in batches, as a sync hands them over).
Then, on each, what the window asks the store for: opening the inbox (folder
counts, unread count and the first page of threads), opening a 40-post thread
(its posts: what the conversation pane waits for before it shows), and a search
for a rare and a common word (first page).
Each is the median of `runs`, the two engines taking turns sample by sample; the
ratio PostgreSQL / SQLite has a target of 1.5x.

Presence: a second process listens as another person; this one announces
"replying" and the other prints when it heard it (CLOCK_MONOTONIC is the same
clock for every process of one machine), 20 times; the median should stay under
a second.

The PostgreSQL comes from $SHOPKEEP_BENCH_PG_DSN or $SHOPKEEP_TEST_PG_DSN (a login
that may create databases); without either, a throwaway cluster is started the way
tests/run.sh does (initdb in a temporary folder, 127.0.0.1, a free port, no fsync)
and removed afterwards. Run alone: `python -m bench.measure_team [--posts N]`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from app.core.models import Folder, Sentiment, SentimentLabel
from app.core.people import PresenceKind
from app.core.ports import ThreadQuery
from bench.generate import BLUESKY_SHOP, COMMON_WORD, MASTODON_SHOP, RARE_WORD, Dataset

ROOT = Path(__file__).resolve().parent.parent
BATCH = 2000
PAGE = 100
PRESENCE_RUNS = 20
TARGET_RATIO = 1.5
PG_DSN_ENVS = ("SHOPKEEP_BENCH_PG_DSN", "SHOPKEEP_TEST_PG_DSN")
INITDB = ("--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")


def quick_score(text: str) -> Sentiment:
    """Stored sentiment does not change what is measured here; VADER would only add time."""
    if "refund" in text or "late" in text:
        return Sentiment(-0.4, SentimentLabel.NEGATIVE)
    return Sentiment(0.0, SentimentLabel.NEUTRAL)


# ---------------------------------------------------------------- the PostgreSQL server


@contextmanager
def postgres_server() -> Iterator[str]:
    """The address of a PostgreSQL the bench may create databases on."""
    for name in PG_DSN_ENVS:
        if os.environ.get(name):
            yield os.environ[name]
            return
    with _throwaway_cluster() as dsn:
        yield dsn


@contextmanager
def _throwaway_cluster() -> Iterator[str]:
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: p.parent.name)
    if not bins:
        raise RuntimeError(
            "no PostgreSQL here: apt install postgresql, or set SHOPKEEP_BENCH_PG_DSN"
        )
    bin_dir = bins[-1]
    folder = Path(tempfile.mkdtemp(prefix="shopkeep-bench-pg-"))
    as_owner: list[str] = []
    if os.geteuid() == 0:  # initdb and postgres refuse to run as root
        shutil.chown(folder, "postgres")
        as_owner = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = folder / "data"
    try:
        subprocess.run(
            [*as_owner, str(bin_dir / "initdb"), "-D", str(data), "-U", "shopkeep", *INITDB],
            check=True,
            capture_output=True,
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        subprocess.run(
            [
                *as_owner,
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(folder / "log"),
                "-w",
                "-t",
                "60",
                "start",
                "-o",
                options,
            ],
            check=True,
            capture_output=True,
        )
        yield f"postgresql://shopkeep@127.0.0.1:{port}/postgres"
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(
                [*as_owner, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                capture_output=True,
            )
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def team_database(server_dsn: str) -> Iterator[str]:
    """A new database of the bench's own on the server, dropped afterwards."""
    import peewee

    admin = peewee.PostgresqlDatabase(server_dsn, connect_timeout=10)
    name = f"shopkeep_bench_{uuid.uuid4().hex[:10]}"
    admin.execute_sql(f'CREATE DATABASE "{name}"')
    try:
        yield urlsplit(server_dsn)._replace(path=f"/{name}").geturl()
    finally:
        admin.execute_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


# ---------------------------------------------------------------- the inbox figures


def fill(store: Any, data: Dataset) -> float:
    start = time.perf_counter()
    for info, posts in ((MASTODON_SHOP, data.mastodon), (BLUESKY_SHOP, data.bluesky)):
        account = store.add_account(info)
        for i in range(0, len(posts), BATCH):
            store.ingest(account.id, posts[i : i + BATCH], quick_score)
    return time.perf_counter() - start


def _actions(store: Any) -> dict[str, Callable[[], object]]:
    """The window's reads on one store, by figure name."""

    def open_inbox() -> None:
        store.folder_counts()
        store.unread_threads()
        store.list_threads(ThreadQuery(folder=Folder.ALL), 0, PAGE)

    first = store.list_threads(ThreadQuery(folder=Folder.ALL), 0, PAGE)
    long_ids = [r.id for r in first if r.post_count >= 40][:1] or [first[0].id]

    def open_thread() -> None:  # what the conversation pane waits for before it shows
        store.thread_posts(long_ids[0])

    def search(word: str) -> Callable[[], object]:
        return lambda: store.list_threads(ThreadQuery(folder=Folder.ALL, search=word), 0, PAGE)

    return {
        "open_inbox": open_inbox,
        "open_thread": open_thread,
        "rare": search(RARE_WORD),
        "common": search(COMMON_WORD),
    }


def inbox_figures(stores: dict[str, Any], runs: int) -> dict[str, dict[str, list[float]]]:
    """Milliseconds of each read on each engine, `runs` times, the engines taking turns
    sample by sample (on a busy machine a burst of load then slows both, not one)."""
    from app.storage.database import database_proxy

    def on(engine: str) -> Any:
        database_proxy.initialize(stores[engine].db)  # the models' binding is global
        return stores[engine]

    actions = {engine: _actions(on(engine)) for engine in stores}
    result: dict[str, dict[str, list[float]]] = {engine: {} for engine in stores}
    for name in actions[next(iter(stores))]:
        for engine in stores:  # warm: the first call reads pages from disk
            on(engine)
            actions[engine][name]()
        for n in range(runs):
            turn = list(stores) if n % 2 == 0 else list(reversed(stores))
            for engine in turn:
                on(engine)
                start = time.perf_counter()
                actions[engine][name]()
                elapsed = (time.perf_counter() - start) * 1000
                result[engine].setdefault(name, []).append(elapsed)
    return result


def settle(db: Any) -> None:
    """What autovacuum does within a minute of a big insert, done now: VACUUM ANALYZE
    (statistics, the visibility map that lets counts read indexes only, and the search
    index's pending list merged in; until then the planner rightly avoids that index)."""
    raw = db.connection()
    raw.autocommit = True  # VACUUM cannot run inside a transaction
    try:
        with raw.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
    finally:
        raw.autocommit = False


def measure_inbox(data: Dataset, runs: int, sqlite_path: Path, pg_dsn: str) -> dict[str, Any]:
    """The same reads on SQLite and PostgreSQL: {"sqlite": {...}, "postgres": {...}}."""
    from app.storage.database import database_proxy
    from app.storage.inbox_store import SqliteInboxStore
    from app.storage.postgres import open_team_store
    from app.storage.raw_sql import execute

    result: dict[str, Any] = {}
    stores = {"sqlite": SqliteInboxStore.open(sqlite_path), "postgres": open_team_store(pg_dsn)}
    try:
        for engine, store in stores.items():
            database_proxy.initialize(store.db)  # the models' binding is global
            result[f"{engine}_ingest_s"] = fill(store, data)
        execute(stores["sqlite"].db, "ANALYZE")
        settle(stores["postgres"].db)
        result.update(inbox_figures(stores, runs))
    finally:
        for store in stores.values():
            store.close()
    return result


# ---------------------------------------------------------------- presence


def presence_delays(dsn: str, runs: int = PRESENCE_RUNS) -> list[float]:
    """Milliseconds from announcing "replying" here to another process hearing it."""
    from app.storage.postgres import open_team_store

    store = open_team_store(dsn)
    me = store.add_person("Bench speaker")
    presence = store.presence(me)
    listener = subprocess.Popen(
        [sys.executable, "-m", "bench.measure_team", "listen", dsn],
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert listener.stdout is not None
    try:
        if listener.stdout.readline().strip() != "ready":
            raise RuntimeError("the listening process did not start")
        delays = []
        for n in range(runs):
            sent = time.monotonic()
            presence.announce(n + 1, PresenceKind.REPLYING)
            heard = json.loads(listener.stdout.readline())
            if heard["thread"] != n + 1:
                raise RuntimeError(f"heard thread {heard['thread']}, expected {n + 1}")
            delays.append((heard["at"] - sent) * 1000)
        return delays
    finally:
        assert listener.stdin is not None
        listener.stdin.close()  # the listener's cue to go
        try:
            listener.wait(timeout=10)
        except subprocess.TimeoutExpired:
            listener.kill()
            listener.wait(timeout=10)
        presence.close()
        store.close()


def listen(dsn: str) -> None:
    """The other window: prints when each "replying" arrived, one JSON line each."""
    from app.storage.pg_presence import PgPresence
    from app.storage.postgres import open_team_store

    store = open_team_store(dsn)
    presence = store.presence(store.add_person("Bench listener"))
    assert isinstance(presence, PgPresence)

    def heard(event: Any) -> None:
        at = time.monotonic()
        print(json.dumps({"thread": event.thread_id, "at": at}), flush=True)

    presence.subscribe(heard)
    presence.wait_listening(30)
    print("ready", flush=True)
    sys.stdin.read()  # until the bench closes our stdin
    presence.close()
    store.close()


# ---------------------------------------------------------------- alone


def measure(data: Dataset, runs: int, workdir: Path) -> dict[str, Any]:
    """Everything above on one server (given or throwaway)."""
    with postgres_server() as server, team_database(server) as dsn:
        result = measure_inbox(data, runs, workdir / "team-bench.sqlite3", dsn)
        result["presence_ms"] = presence_delays(dsn)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.measure_team")
    parser.add_argument("mode", nargs="?", default="measure", choices=("measure", "listen"))
    parser.add_argument("dsn", nargs="?")
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args(argv)
    if args.mode == "listen":
        listen(args.dsn)
        return 0
    from bench.generate import generate

    data = generate(args.posts)
    with tempfile.TemporaryDirectory(prefix="shopkeep-team-bench-") as tmp:
        result = measure(data, args.runs, Path(tmp))
    for key in ("sqlite", "postgres"):
        for name, ms in result[key].items():
            print(f"{key:8} {name:12} median {statistics.median(ms):8.2f} ms")
    print(f"presence median {statistics.median(result['presence_ms']):.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
