"""Ingest throughput: posts parsed, scored, stored and threaded per second.

The baseline is the practical limit on this machine, timed in the same run:
raw VADER over the same texts plus one raw `sqlite3.executemany` of the same
rows into a plain table (no indexes, no FTS, one transaction).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from app.core.models import Post
from app.core.sentiment import score
from app.storage.inbox_store import SqliteInboxStore
from bench.generate import BLUESKY_SHOP, MASTODON_SHOP, Dataset

BATCH = 2000  # what one sync hands to ingest at most (SyncService.max_mentions)
TARGET = 0.6

_COLUMNS = (
    "account_id",
    "thread_id",
    "network",
    "remote_id",
    "author_remote_id",
    "author_handle",
    "author_name",
    "text",
    "created_at",
    "url",
    "parent_remote_id",
    "root_remote_id",
    "is_mention",
    "language",
    "compound",
    "label",
    "reasons",
)


def _batches(posts: Sequence[Post]) -> Iterator[Sequence[Post]]:
    for i in range(0, len(posts), BATCH):
        yield posts[i : i + BATCH]


def ingest_all(data: Dataset, db_path: Path, scorer: Callable[[str], object] = score) -> float:
    """Store the whole dataset through SqliteInboxStore.ingest; returns seconds."""
    store = SqliteInboxStore.open(db_path)
    try:
        start = time.perf_counter()
        for info, posts in ((MASTODON_SHOP, data.mastodon), (BLUESKY_SHOP, data.bluesky)):
            account = store.add_account(info)
            for batch in _batches(posts):
                store.ingest(account.id, batch, scorer)  # type: ignore[arg-type]
        return time.perf_counter() - start
    finally:
        store.close()


def vader_seconds(texts: Sequence[str]) -> float:
    analyzer = SentimentIntensityAnalyzer()
    start = time.perf_counter()
    for text in texts:
        analyzer.polarity_scores(text)
    return time.perf_counter() - start


def executemany_seconds(data: Dataset, db_path: Path) -> float:
    """The same rows (already scored: constant sentiment) in one raw executemany."""
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA journal_mode=wal")
    conn.execute("PRAGMA synchronous=normal")
    cols = ", ".join(_COLUMNS)
    conn.execute(f"CREATE TABLE post (id INTEGER PRIMARY KEY, {cols})")
    rows = []
    for account, posts in ((1, data.mastodon), (2, data.bluesky)):
        for i, p in enumerate(posts):
            rows.append(
                (
                    account,
                    i // 3,
                    p.network.value,
                    p.remote_id,
                    p.author.remote_id,
                    p.author.handle,
                    p.author.display_name,
                    p.text,
                    p.created_at.isoformat(),
                    p.url,
                    p.parent_remote_id,
                    p.root_remote_id,
                    p.is_mention,
                    p.language,
                    0.0,
                    "neutral",
                    json.dumps([]),
                )
            )
    marks = ", ".join("?" for _ in _COLUMNS)
    start = time.perf_counter()
    with conn:
        conn.executemany(f"INSERT INTO post ({cols}) VALUES ({marks})", rows)
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def measure(data: Dataset, runs: int, keep: Path) -> tuple[list[float], list[float]]:
    """(ingest posts/s per run, limit posts/s per run); the last ingest DB is copied to `keep`."""
    texts = data.texts()
    rates, limits = [], []
    for run in range(runs):
        with tempfile.TemporaryDirectory(prefix="shopkeep-bench-") as tmp:
            limit_s = vader_seconds(texts) + executemany_seconds(data, Path(tmp) / "raw.sqlite3")
            limits.append(data.posts / limit_s)
            db = Path(tmp) / "shopkeep.sqlite3"
            rates.append(data.posts / ingest_all(data, db))
            if run == runs - 1:
                keep.parent.mkdir(parents=True, exist_ok=True)
                for suffix in ("", "-wal", "-shm"):
                    src = db.with_name(db.name + suffix)
                    if src.exists():
                        shutil.copy2(src, keep.with_name(keep.name + suffix))
    return rates, limits
