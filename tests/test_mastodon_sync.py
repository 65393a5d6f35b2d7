"""Fetching mentions and threads: every mention exactly once, pages and bounds honoured."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.core.errors import RateLimited
from app.net.mastodon import RETRY_PAUSE, MastodonClient
from tests.mastodon_server import MastodonServer


@pytest.fixture
def mastodon_server(personality_server: MastodonServer) -> MastodonServer:
    """Every test here runs once per server personality (tests/mastodon_server.py)."""
    return personality_server


def people(server: MastodonServer, n: int = 3) -> list[dict]:
    return [
        server.add_account(f"cust{i}", "remote.example", display_name=f"Customer {i}")
        for i in range(n)
    ]


def test_first_sync_gets_120_mentions_exactly_once(
    mastodon_server: MastodonServer, mastodon_client: MastodonClient
) -> None:
    folks = people(mastodon_server)
    expected = []
    for i in range(120):
        author = folks[i % 3]
        expected.append(mastodon_server.add_mention(author, f"question {i}")["id"])
        if i % 10 == 0:  # noise that must not show up, nor break paging
            mastodon_server.add_notification("favourite", author)
    dm = mastodon_server.add_mention(
        folks[0], "private question", visibility="direct", filtered=True
    )  # hidden unless include_filtered=true
    expected.append(dm["id"])

    batch = mastodon_client.mentions(None)

    assert [p.remote_id for p in batch.posts] == expected  # oldest first, none twice
    assert all(p.is_mention for p in batch.posts)
    assert batch.complete
    assert batch.cursor == mastodon_server.notifications[-1]["id"]
    calls = mastodon_server.requests_to("/api/v1/notifications")
    assert len(calls) >= 4  # 121 over pages of 40, then an empty page
    for call in calls:
        assert call.query["types[]"] == ["mention", "quote", "quoted_update"]
        assert call.query["include_filtered"] == ["true"]
        assert "access_token" not in call.query
        assert call.headers["Authorization"] == f"Bearer {mastodon_server.token}"


def test_second_sync_returns_only_new_mentions(
    mastodon_server: MastodonServer, mastodon_client: MastodonClient
) -> None:
    (alice,) = people(mastodon_server, 1)
    for i in range(5):
        mastodon_server.add_mention(alice, f"old {i}")
    first = mastodon_client.mentions(None)
    assert len(first.posts) == 5

    new = [mastodon_server.add_mention(alice, f"new {i}")["id"] for i in range(95)]
    mastodon_server.add_notification("follow", alice)
    before = len(mastodon_server.requests_to("/api/v1/notifications"))
    second = mastodon_client.mentions(first.cursor)
    assert [p.remote_id for p in second.posts] == new
    assert second.complete or mastodon_server.endless_pages  # endless: stopped on the noise
    forward = mastodon_server.requests_to("/api/v1/notifications")[before:]
    assert forward[0].query["min_id"] == [first.cursor]
    assert all("max_id" not in c.query for c in forward)

    third = mastodon_client.mentions(second.cursor)
    assert third.posts == []
    assert third.cursor == second.cursor or mastodon_server.endless_pages


def test_forward_sync_stops_at_max_items_and_resumes(
    mastodon_server: MastodonServer, mastodon_client: MastodonClient
) -> None:
    (alice,) = people(mastodon_server, 1)
    mastodon_server.add_mention(alice, "seed")
    cursor = mastodon_client.mentions(None).cursor
    ids = [mastodon_server.add_mention(alice, f"m{i}")["id"] for i in range(100)]
    part = mastodon_client.mentions(cursor, max_items=40)
    assert not part.complete and [p.remote_id for p in part.posts] == ids[:40]
    rest = mastodon_client.mentions(part.cursor)
    assert [p.remote_id for p in rest.posts] == ids[40:]
    assert rest.complete or mastodon_server.endless_pages


def test_first_sync_bounded_by_count_and_days(
    mastodon_server: MastodonServer, mastodon_client: MastodonClient
) -> None:
    (alice,) = people(mastodon_server, 1)
    now = datetime.now(UTC)
    old = [
        mastodon_server.add_mention(alice, f"old {i}", created_at=now - timedelta(days=40))
        for i in range(3)
    ]
    recent = [mastodon_server.add_mention(alice, f"new {i}")["id"] for i in range(50)]
    by_days = mastodon_client.mentions(None, days=30)
    assert [p.remote_id for p in by_days.posts] == recent and not by_days.complete
    by_count = mastodon_client.mentions(None, max_items=45)
    assert [p.remote_id for p in by_count.posts] == recent[-45:] and not by_count.complete
    assert by_count.cursor == mastodon_server.notifications[-1]["id"]
    assert old  # still on the server, never fetched


def test_no_mentions_yet(mastodon_client: MastodonClient) -> None:
    batch = mastodon_client.mentions(None)
    assert batch.posts == [] and batch.cursor is None and batch.complete


def test_pages_are_paced(mastodon_server: MastodonServer) -> None:
    (alice,) = people(mastodon_server, 1)
    for i in range(90):
        mastodon_server.add_mention(alice, f"m{i}")
    waits: list[float] = []
    client = MastodonClient(
        mastodon_server.url, mastodon_server.token, page_pause=0.3, sleep=waits.append
    )
    client.mentions(None)
    pauses = [w for w in waits if w != RETRY_PAUSE]  # not the one before asking again after a 503
    assert pauses == [0.3, 0.3, 0.3]  # 4 requests (40+40+10, then empty), 3 pauses

    mastodon_server.rate_budget = 5  # few requests left: spread them until the reset
    waits.clear()
    client.mentions(None)
    assert waits and all(1.0 < w <= 5.0 for w in waits)


def test_rate_limit_remaining_zero(
    mastodon_server: MastodonServer, mastodon_client: MastodonClient
) -> None:
    (alice,) = people(mastodon_server, 1)
    mastodon_server.add_mention(alice, "hi")
    mastodon_server.rate_reset_seconds = 120
    mastodon_server.rate_budget = 1  # the first page is served with Remaining: 0
    with pytest.raises(RateLimited) as exc:  # a first sync is all or nothing: no gap left
        mastodon_client.mentions(None)
    assert 100 < exc.value.retry_after <= 120


def test_forward_sync_keeps_pages_fetched_before_the_limit(
    mastodon_server: MastodonServer, mastodon_client: MastodonClient
) -> None:
    (alice,) = people(mastodon_server, 1)
    mastodon_server.add_mention(alice, "seed")
    cursor = mastodon_client.mentions(None).cursor
    ids = [mastodon_server.add_mention(alice, f"m{i}")["id"] for i in range(50)]
    mastodon_server.rate_budget = 1
    part = mastodon_client.mentions(cursor)
    assert [p.remote_id for p in part.posts] == ids[:40] and not part.complete
    with pytest.raises(RateLimited):
        mastodon_client.mentions(part.cursor)
    mastodon_server.rate_budget = None
    fresh = MastodonClient(mastodon_server.url, mastodon_server.token, page_pause=0)
    assert [p.remote_id for p in fresh.mentions(part.cursor).posts] == ids[40:]


def test_429_reports_the_wait(mastodon_server: MastodonServer) -> None:
    reset = (datetime.now(UTC) + timedelta(seconds=90)).isoformat()
    mastodon_server.respond_next(
        "/api/v1/notifications",
        429,
        {"error": "Too many requests"},
        headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset},
    )
    client = MastodonClient(mastodon_server.url, mastodon_server.token, page_pause=0)
    with pytest.raises(RateLimited) as exc:
        client.mentions(None)
    assert 80 < exc.value.retry_after <= 90
    mastodon_server.respond_next(
        "/api/v1/notifications",
        429,
        b"slow down",
        content_type="text/plain",
        headers={"Retry-After": "7"},
    )
    client = MastodonClient(mastodon_server.url, mastodon_server.token, page_pause=0)
    with pytest.raises(RateLimited) as exc:
        client.mentions("5")
    assert exc.value.retry_after == 7


def test_thread_links_parents_and_root(
    mastodon_server: MastodonServer, mastodon_client: MastodonClient
) -> None:
    alice, bob, _ = people(mastodon_server)
    root = mastodon_server.add_status(alice, "My teapot arrived")
    middle = mastodon_server.add_status(bob, "@alice same here", in_reply_to=root)
    mention = mastodon_server.add_mention(alice, "why is the lid cracked?", in_reply_to=middle)
    below = mastodon_server.add_status(bob, "@alice mine too", in_reply_to=mention)
    post = mastodon_client.mentions(None).posts[0]
    thread = mastodon_client.thread(post)
    assert [p.remote_id for p in thread] == [root["id"], middle["id"], mention["id"], below["id"]]
    assert [p.parent_remote_id for p in thread] == [None, root["id"], middle["id"], mention["id"]]
    assert {p.root_remote_id for p in thread} == {root["id"]}
    assert [p.is_mention for p in thread] == [False, False, True, False]


def test_deleted_post_comes_back_deleted(
    mastodon_server: MastodonServer, mastodon_client: MastodonClient
) -> None:
    (alice,) = people(mastodon_server, 1)
    status = mastodon_server.add_mention(alice, "oops, wrong shop")
    post = mastodon_client.mentions(None).posts[0]
    mastodon_server.delete_status(status["id"])
    (gone,) = mastodon_client.thread(post)
    assert gone.deleted and gone.remote_id == status["id"] and gone.text == post.text


def test_a_quote_of_the_shop_joins_the_inbox_with_the_quoted_post(
    mastodon_server: MastodonServer, mastodon_client: MastodonClient
) -> None:
    (alice,) = people(mastodon_server, 1)
    ours = mastodon_server.add_status(mastodon_server.owner, "New: rye sourdough on Fridays")
    quote = mastodon_server.add_status(
        alice, "Finally! Best bread in town", quote={"state": "accepted", "quoted_status": ours}
    )
    mastodon_server.add_notification("quote", alice, quote)
    (post,) = mastodon_client.mentions(None).posts
    assert post.remote_id == quote["id"] and post.is_mention
    assert any("Quoted post by @shop" in m.label and "rye sourdough" in m.label for m in post.media)


def test_a_server_that_does_not_know_quotes_still_gives_the_mentions(
    mastodon_server: MastodonServer, mastodon_client: MastodonClient
) -> None:
    (alice,) = people(mastodon_server, 1)
    wanted = mastodon_server.add_mention(alice, "are you open today?")
    mastodon_server.respond_next(
        "/api/v1/notifications", 422, {"error": "Validation failed: types is invalid"}
    )
    assert [p.remote_id for p in mastodon_client.mentions(None).posts] == [wanted["id"]]
    last = mastodon_server.requests_to("/api/v1/notifications")[-1]
    assert last.query["types[]"] == ["mention"]


def test_one_unreadable_post_in_a_conversation_leaves_the_rest(
    mastodon_server: MastodonServer, mastodon_client: MastodonClient
) -> None:
    alice, bob, _ = people(mastodon_server)
    mention = mastodon_server.add_mention(alice, "is the cafe dog friendly?")
    good = mastodon_server.add_status(bob, "@alice it is!", in_reply_to=mention)
    odd = mastodon_server.add_status(bob, "@alice and cats?", in_reply_to=mention)
    post = mastodon_client.mentions(None).posts[-1]
    context = mastodon_server.context(mention["id"])
    context["descendants"] = [good, {**odd, "account": None}]
    mastodon_server.respond_next(f"/api/v1/statuses/{mention['id']}/context", 200, context)
    assert [p.remote_id for p in mastodon_client.thread(post)] == [mention["id"], good["id"]]
