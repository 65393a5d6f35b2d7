"""Demo mode: a believable inbox on first start, removable in one step.

File format (resources/demo/demo.json)::

    {
      "accounts": [
        {"key": "masto", "network": "mastodon", "server": "https://example.social",
         "handle": "@cornerbakery@example.social", "display_name": "Corner Bakery"}
      ],
      "posts": [
        {"account": "masto", "id": "p1",
         "author": {"id": "u1", "handle": "@ann@example.social", "name": "Ann"},
         "text": "Where is my order?", "created_at": "2024-05-01T09:30:00Z",
         "parent": null, "is_mention": true, "is_own": false,
         "visibility": "public", "language": "en"}
      ]
    }

`account` refers to an account `key`; `parent` to another post `id` (or null).
`is_own: true` marks the shop's own reply (its `author` may be omitted).
Optional per post: "url", "content_warning". Remote ids are stored as
"demo:<id>" so they never collide with real ones. With `shift_to_now`, all times
move together so the newest post is a few minutes old. Loading twice adds nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from app.core import models as m
from app.core.ports import Scorer
from app.core.sentiment import score as default_score
from app.storage.inbox_store import SqliteInboxStore

PREFIX = "demo:"


def _time(value: str) -> datetime:
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def load_demo(
    store: SqliteInboxStore,
    path: Path,
    *,
    score: Scorer = default_score,
    shift_to_now: bool = True,
    now: datetime | None = None,
) -> m.IngestResult:
    """Create the demo accounts and ingest the demo posts (idempotent)."""
    data: Mapping[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    accounts: dict[str, m.Account] = {}
    for spec in data.get("accounts", []):
        info = m.AccountInfo(
            network=m.Network(spec["network"]),
            server=spec.get("server", ""),
            handle=spec["handle"],
            remote_id=PREFIX + spec["key"],
            display_name=spec.get("display_name", ""),
        )
        accounts[spec["key"]] = store.add_account(info, is_demo=True, state=m.AccountState.DEMO)
    raw_posts = list(data.get("posts", []))
    offset = timedelta(0)
    if shift_to_now and raw_posts:
        newest = max(_time(p["created_at"]) for p in raw_posts)
        offset = (now or datetime.now(UTC)) - timedelta(minutes=5) - newest
    by_account: dict[str, list[m.Post]] = {}
    for raw in raw_posts:
        account = accounts[raw["account"]]
        by_account.setdefault(raw["account"], []).append(_post(raw, account, offset))
    total_new = 0
    new_threads: list[int] = []
    updated: list[int] = []
    negative: list[int] = []
    for key, posts in by_account.items():
        result = store.ingest(accounts[key].id, posts, score)
        total_new += result.new_posts
        new_threads += result.new_thread_ids
        updated += result.updated_thread_ids
        negative += result.new_negative_post_ids
    return m.IngestResult(
        new_posts=total_new,
        new_thread_ids=tuple(new_threads),
        updated_thread_ids=tuple(updated),
        new_negative_post_ids=tuple(negative),
    )


def _post(raw: Mapping[str, Any], account: m.Account, offset: timedelta) -> m.Post:
    network = account.network
    if raw.get("is_own"):
        author = m.Author(network, account.remote_id, account.handle, account.display_name)
    else:
        who = raw["author"]
        author = m.Author(network, PREFIX + str(who["id"]), who["handle"], who.get("name", ""))
    parent = raw.get("parent")
    return m.Post(
        network=network,
        remote_id=PREFIX + str(raw["id"]),
        author=author,
        text=raw["text"],
        created_at=_time(raw["created_at"]) + offset,
        url=raw.get("url", ""),
        parent_remote_id=PREFIX + str(parent) if parent else None,
        is_mention=bool(raw.get("is_mention", not raw.get("is_own", False))),
        visibility=raw.get("visibility", "public"),
        content_warning=raw.get("content_warning", ""),
        language=raw.get("language"),
    )
