"""Replying: the right people, never wider than the parent, and exactly once."""

from __future__ import annotations

import json

import pytest

from app.core.errors import (
    BadResponse,
    NetworkError,
    NotFound,
    ServerError,
    ServerUnreachable,
    TooLong,
)
from app.net.mastodon import MastodonClient
from tests.mastodon_server import MastodonServer


@pytest.fixture
def mastodon_server(personality_server: MastodonServer) -> MastodonServer:
    """Every test here runs once per server personality (tests/mastodon_server.py)."""
    return personality_server


def posted_body(server: MastodonServer) -> dict:
    return json.loads(server.requests_to("/api/v1/statuses", "POST")[-1].body)


def a_mention(server: MastodonServer, client: MastodonClient, **kw: object):
    alice = server.add_account("alice", "remote.example", display_name="Alice")
    server.add_account("bob", "else.example")
    server.add_account("carol")  # local to the shop's server
    server.add_mention(alice, "@bob@else.example @carol where is my order?", **kw)
    return client.mentions(None).posts[-1]


def test_direct_mention_reply_stays_direct_and_mentions_the_right_people(
    mastodon_server: MastodonServer, mastodon_client: MastodonClient
) -> None:
    parent = a_mention(mastodon_server, mastodon_client, visibility="direct")
    reply = mastodon_client.reply(parent, "Sorry, it ships today!", "key-1")

    body = posted_body(mastodon_server)
    assert body["visibility"] == "direct"
    assert body["in_reply_to_id"] == parent.remote_id
    carol = "@" + mastodon_server.mention_acct(mastodon_server.accounts_named("carol"))
    assert body["status"] == (
        f"@alice@remote.example @bob@else.example {carol} Sorry, it ships today!"
    )
    assert "@shop" not in body["status"]
    call = mastodon_server.requests_to("/api/v1/statuses", "POST")[-1]
    assert call.headers["Idempotency-Key"] == "key-1"
    assert (reply.parent_remote_id, reply.root_remote_id) == (parent.remote_id, parent.remote_id)
    assert reply.visibility == "direct" and reply.author.remote_id == mastodon_server.owner["id"]
    assert len(mastodon_server.posted) == 1


def test_mentions_already_in_the_text_are_not_repeated(
    mastodon_server: MastodonServer, mastodon_client: MastodonClient
) -> None:
    parent = a_mention(mastodon_server, mastodon_client)
    carol = "@" + mastodon_server.mention_acct(mastodon_server.accounts_named("carol"))
    mastodon_client.reply(parent, f"@Alice@remote.example thanks! cc {carol}", "k")
    assert posted_body(mastodon_server)["status"] == (
        f"@bob@else.example @Alice@remote.example thanks! cc {carol}"
    )


def test_visibility_and_content_warning(
    mastodon_server: MastodonServer, mastodon_client: MastodonClient
) -> None:
    mastodon_server.owner["_privacy"] = "private"  # the shop posts followers-only by default
    parent = a_mention(mastodon_server, mastodon_client, spoiler_text="food complaint")
    mastodon_client.reply(parent, "We will refund you.", "k")
    body = posted_body(mastodon_server)
    assert (body["visibility"], body["spoiler_text"]) == ("private", "food complaint")


def test_too_long_is_refused_before_sending(
    mastodon_server: MastodonServer, mastodon_client: MastodonClient
) -> None:
    mastodon_server.max_characters = 60
    parent = a_mention(mastodon_server, mastodon_client)
    with pytest.raises(TooLong):
        mastodon_client.reply(parent, "x" * 42, "k")  # "@alice @bob @carol " counts 19
    assert mastodon_server.requests_to("/api/v1/statuses", "POST") == []


def test_limits_and_counting(
    mastodon_server: MastodonServer, mastodon_client: MastodonClient
) -> None:
    mastodon_server.max_characters = 1000
    assert mastodon_client.verify().max_chars == 1000
    assert mastodon_client.max_chars() == 1000
    assert mastodon_client.count_chars("hi https://example.com/" + "a" * 80) == 3 + 23
    assert mastodon_client.count_chars("@alice@remote.example 👍🏽") == len("@alice") + 2
    assert MastodonClient(mastodon_server.url, "t", max_chars=777).max_chars() == 777


@pytest.mark.parametrize("idempotency", [True, False])
def test_timeout_after_the_server_stored_the_reply(
    mastodon_server: MastodonServer, idempotency: bool
) -> None:
    mastodon_server.honour_idempotency = idempotency
    client = MastodonClient(
        mastodon_server.url, mastodon_server.token, page_pause=0, timeout=(2.0, 0.4)
    )
    parent = a_mention(mastodon_server, client)
    mastodon_server.delay_after_store = 1.0
    with pytest.raises(ServerUnreachable):
        client.reply(parent, "On its way!", "key-7")
    mastodon_server.delay_after_store = 0.0

    # What the outbox does after an unclear failure: look before re-sending.
    found = client.find_reply(parent, "On its way!", "key-7")
    assert found is not None and found.remote_id == mastodon_server.posted[0]["id"]
    assert len(mastodon_server.posted) == 1

    if idempotency:  # a blind retry would also be safe within the hour
        again = client.reply(parent, "On its way!", "key-7")
        assert again.remote_id == found.remote_id and len(mastodon_server.posted) == 1


def test_connection_dropped_after_store_without_idempotency_support(
    mastodon_server: MastodonServer, mastodon_client: MastodonClient
) -> None:
    mastodon_server.honour_idempotency = False
    parent = a_mention(mastodon_server, mastodon_client)
    mastodon_server.drop_after_store = 1
    with pytest.raises(ServerUnreachable):
        mastodon_client.reply(parent, "Thanks https://shop.example/returns/policy-2024 ok", "k9")
    found = mastodon_client.find_reply(
        parent, "Thanks https://shop.example/returns/policy-2024 ok", "k9"
    )
    assert found is not None and len(mastodon_server.posted) == 1
    assert mastodon_client.find_reply(parent, "A different text", "k10") is None


def test_nothing_stored_means_nothing_found(
    mastodon_server: MastodonServer, mastodon_client: MastodonClient
) -> None:
    parent = a_mention(mastodon_server, mastodon_client)
    mastodon_server.respond_next(
        "/api/v1/statuses",
        503,
        b"<html>Bad gateway</html>",
        content_type="text/html",
        method="POST",
    )
    with pytest.raises(ServerError):
        mastodon_client.reply(parent, "Hello", "k")
    assert mastodon_client.find_reply(parent, "Hello", "k") is None
    mastodon_client.reply(parent, "Hello", "k")
    assert len(mastodon_server.posted) == 1


def test_a_response_that_is_not_our_reply_is_bad(
    mastodon_server: MastodonServer, mastodon_client: MastodonClient
) -> None:
    parent = a_mention(mastodon_server, mastodon_client)
    other = mastodon_server.add_status(mastodon_server.owner, "unrelated")
    mastodon_server.respond_next("/api/v1/statuses", 200, other, method="POST")
    with pytest.raises(BadResponse, match="replies to None"):
        mastodon_client.reply(parent, "Hello", "k")


def test_a_reply_to_a_deleted_post_posts_nothing_and_says_so(
    mastodon_server: MastodonServer, mastodon_client: MastodonClient
) -> None:
    parent = a_mention(mastodon_server, mastodon_client)
    mastodon_server.delete_status(parent.remote_id)
    with pytest.raises(NotFound) as exc:
        mastodon_client.reply(parent, "Sorry to hear that!", "k-gone")
    assert "deleted" in exc.value.user_message and "Nothing was posted" in exc.value.user_message
    assert mastodon_server.posted == []


def test_a_reply_the_server_posts_top_level_is_deleted_at_once() -> None:
    server = MastodonServer(unknown_parent_top_level=True).start()
    try:
        client = MastodonClient(server.url, server.token, page_pause=0)
        parent = a_mention(server, client)
        stale = dict(server.statuses[parent.remote_id])  # a cache still shows the parent
        server.delete_status(parent.remote_id)
        server.respond_next(f"/api/v1/statuses/{parent.remote_id}", 200, stale, method="GET")
        with pytest.raises(NetworkError) as exc:
            client.reply(parent, "Thanks for waiting!", "k-top")
        stray = server.posted[0]
        assert stray["in_reply_to_id"] is None  # the server did post it, top-level
        assert stray["id"] not in server.statuses  # and it is gone again
        assert "deleted it again" in exc.value.user_message
        assert "Nothing was lost" not in exc.value.user_message
    finally:
        server.stop()


def test_the_shop_never_mentions_itself_when_its_domain_is_not_the_host() -> None:
    server = MastodonServer(account_domain="example.com").start()
    try:  # built as the sync builds it: the length limit known, verify() never called
        client = MastodonClient(server.url, server.token, page_pause=0, max_chars=500)
        alice = server.add_account("alice", "remote.example")
        server.add_mention(alice, "@shop@example.com do you open on Sunday?")
        parent = client.mentions(None).posts[-1]
        assert "@shop@example.com" in parent.mentions
        client.reply(parent, "Yes, 9 to 1!", "k-self")
        assert posted_body(server)["status"] == "@alice@remote.example Yes, 9 to 1!"
    finally:
        server.stop()


def test_a_private_reply_is_direct_and_names_the_customer_alone(
    mastodon_server: MastodonServer, mastodon_client: MastodonClient
) -> None:
    parent = a_mention(mastodon_server, mastodon_client)  # public, Bob and Carol mentioned
    reply = mastodon_client.reply(
        parent, "Could you send me your order number?", "key-p", private=True
    )
    body = posted_body(mastodon_server)
    assert body["visibility"] == "direct"
    assert body["status"] == "@alice@remote.example Could you send me your order number?"
    assert reply.visibility == "direct"
    found = mastodon_client.find_reply(
        parent, "Could you send me your order number?", "key-p", private=True
    )  # after a lost answer: still ours
    assert found is not None and found.remote_id == reply.remote_id


def test_a_sent_reply_is_deleted_from_the_server_and_gone_counts_as_done(
    mastodon_server: MastodonServer, mastodon_client: MastodonClient
) -> None:
    parent = a_mention(mastodon_server, mastodon_client)
    reply = mastodon_client.reply(parent, "Sorry, it ships today!", "key-d")
    mastodon_client.delete_post(reply.remote_id)
    assert reply.remote_id not in mastodon_server.statuses
    assert mastodon_server.requests_to(f"/api/v1/statuses/{reply.remote_id}", "DELETE")
    mastodon_client.delete_post(reply.remote_id)  # a second try (already gone) is no error
