"""A first sync beyond the cap: older mentions really do follow, chunk by chunk.

Issue 19, failure 3: a first sync capped at 2,000 said "older mentions will
follow", but the next sync started from the newest and found 0 new. Now the
first walk back remembers where it stopped and each later sync takes the next
older chunk until the history limit; the report says how far back the inbox
reaches.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.core.sync import SyncService
from tests.mastodon_server import MastodonServer
from tests.sync_support import client_for, mastodon_account, score

CAP = 3  # mentions per sync (the "first sync reaches back" setting)


@pytest.fixture
def server():
    server = MastodonServer(limit_cap=2).start()  # pages of two: chunks end mid-page too
    yield server
    server.stop()


def mention_ids(store) -> set[str]:
    return {
        r[0] for r in store.db.execute_sql("SELECT remote_id FROM post WHERE is_mention").fetchall()
    }


def sync(store, server, shop, **kw):
    service = SyncService(
        store, lambda a: client_for(server), score, max_mentions=CAP, refresh_limit=0, **kw
    )
    report = service.sync_account(shop)
    assert report.ok, report.error
    return report


def test_older_mentions_follow_on_later_syncs_until_the_whole_history_is_in(store, server):
    shop = mastodon_account(store, server)
    ann = server.add_account("ann", "town.example")
    start = (datetime.now(UTC) - timedelta(days=30)).replace(microsecond=0)
    history = [
        server.add_mention(ann, f"order {n}", created_at=start + timedelta(days=n))
        for n in range(8)
    ]

    first = sync(store, server, shop)
    assert not first.complete and first.new_posts == CAP
    assert mention_ids(store) == {m["id"] for m in history[-CAP:]}  # the newest ones first
    assert first.reaches_back == start + timedelta(days=8 - CAP)

    late = server.add_mention(ann, "and a new one meanwhile")
    second = sync(store, server, shop)
    assert not second.complete
    assert late["id"] in mention_ids(store)  # new mentions keep coming too
    assert second.reaches_back == start + timedelta(days=8 - 2 * CAP)

    third = sync(store, server, shop)
    assert third.complete  # nothing older left
    assert mention_ids(store) == {m["id"] for m in [*history, late]}
    assert third.reaches_back == start
    fourth = sync(store, server, shop)
    assert fourth.complete and fourth.new_posts == 0


def test_the_history_stops_at_the_limit(store, server):
    shop = mastodon_account(store, server)
    ann = server.add_account("ann", "town.example")
    now = datetime.now(UTC)
    old = server.add_mention(ann, "last year", created_at=now - timedelta(days=400))
    recent = [
        server.add_mention(ann, f"week {n}", created_at=now - timedelta(days=7 * n))
        for n in range(5, 0, -1)
    ]
    for _ in range(4):
        report = sync(store, server, shop, history_days=100)
    assert report.complete
    assert mention_ids(store) == {m["id"] for m in recent}
    assert old["id"] not in mention_ids(store)


def test_on_bluesky_too_older_mentions_follow_from_where_the_first_sync_stopped(
    store, bluesky_error_server
):
    from app.net.bluesky import resume_at
    from app.net.bluesky_parse import parse_datetime
    from tests.test_bluesky_sync_durable import LIST, notification, service, shop_account, view

    server = bluesky_error_server
    shop = shop_account(store, server)
    notes = [
        notification(
            view(
                f"did:plc:c{n}",
                f"3kaaaaaaaab{n:02d}",
                f"@shop.test hi {n}",
                f"2026-11-0{n + 1}T10:00:00.000Z",
            ),
            "mention",
        )
        for n in range(5)
    ]
    newest_first = {"notifications": notes[::-1], "cursor": "2026-11-01T10:00:00.000Z"}
    server.route(LIST, 200, newest_first)
    mentions_only = {"max_mentions": 3, "refresh_limit": 0, "thread_budget": 0}
    first = service(store, server, **mentions_only).sync_account(shop)
    assert first.ok and not first.complete
    assert mention_ids(store) == {n["uri"] for n in notes[2:]}

    server.forget(LIST)
    server.route(LIST, 200, newest_first)  # the forward walk: nothing new
    server.route(LIST, 200, {"notifications": notes[1::-1]})  # below the cursor: the end
    second = service(store, server, **mentions_only).sync_account(shop)
    assert second.ok and second.complete
    assert mention_ids(store) == {n["uri"] for n in notes}
    asked = server.calls(LIST)[-1].params["cursor"]
    assert asked == [resume_at(parse_datetime(notes[1]["indexedAt"]))]
    assert second.reaches_back == parse_datetime(notes[0]["indexedAt"])
