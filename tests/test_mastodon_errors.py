"""Every way a server can answer badly becomes a typed error, never a crash."""

from __future__ import annotations

import json

import pytest

from app.core.errors import (
    AuthError,
    BadResponse,
    NotFound,
    ServerError,
    ServerUnreachable,
)
from app.net.mastodon import MastodonClient
from tests.mastodon_server import MastodonServer

CREDS = "/api/v1/accounts/verify_credentials"


def test_invalid_token_json_401(mastodon_server: MastodonServer) -> None:
    client = MastodonClient(mastodon_server.url, "revoked-token")
    with pytest.raises(AuthError, match="The access token is invalid"):
        client.verify()
    call = mastodon_server.requests_to(CREDS)[-1]
    assert call.headers["Authorization"] == "Bearer revoked-token" and call.query == {}
    assert "revoked-token" not in repr(client)


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (400, b"Bad Request: invalid access token"),
        (401, b"Unauthorized"),
        (400, b'{"error": "invalid_token"}'),
    ],
)
def test_plain_text_bad_token_answers(
    mastodon_server: MastodonServer, mastodon_client: MastodonClient, status: int, body: bytes
) -> None:
    mastodon_server.respond_next(CREDS, status, body, content_type="text/plain")
    with pytest.raises(AuthError):
        mastodon_client.verify()


def test_suspended_account_403(
    mastodon_server: MastodonServer, mastodon_client: MastodonClient
) -> None:
    mastodon_server.respond_next(CREDS, 403, {"error": "Your login is currently disabled"})
    with pytest.raises(AuthError) as exc:
        mastodon_client.verify()
    assert "disabled" in exc.value.user_message


def test_missing_status_404(mastodon_client: MastodonClient) -> None:
    with pytest.raises(NotFound):
        mastodon_client.status("12345")


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        (b"<!DOCTYPE html><html><body>Maintenance</body></html>", "text/html", "HTML page"),
        (b'[{"id": "1", "type": "mention"', "application/json", "malformed JSON"),
        (b'{"error": "not a list"}', "application/json", "expected a list"),
        (b"", "application/json", "empty body"),
    ],
)
def test_unreadable_answers_are_bad_responses(
    mastodon_server: MastodonServer,
    mastodon_client: MastodonClient,
    body: bytes,
    content_type: str,
    message: str,
) -> None:
    mastodon_server.respond_next("/api/v1/notifications", 200, body, content_type=content_type)
    with pytest.raises(BadResponse, match=message):
        mastodon_client.mentions(None)


@pytest.mark.parametrize(
    "body",
    [
        b'[{"id": 42, "type": "mention"}]',
        b'[{"id": "3", "type": "mention", "status": {"id": null}}]',
        b'[{"id": "3", "type": "mention", "status": {"id": "9", "content": "<p>x</p>", '
        b'"created_at": "2024-01-01T00:00:00Z"}}]',
    ],
)
def test_an_unreadable_mention_is_skipped_and_counted_never_blocking_the_rest(
    mastodon_server: MastodonServer, mastodon_client: MastodonClient, body: bytes
) -> None:
    alice = mastodon_server.add_account("alice", "remote.example")
    good = mastodon_server.add_mention(alice, "hello")
    mastodon_server.respond_next(
        "/api/v1/notifications",
        200,
        body[:-1]
        + b", "
        + json.dumps(mastodon_server.notification_json(mastodon_server.notifications[-1])).encode()
        + b"]",
    )
    batch = mastodon_client.mentions(None)
    assert [p.remote_id for p in batch.posts] == [good["id"]]
    assert batch.skipped == 1


def test_a_server_error_on_a_read_is_asked_once_more(
    mastodon_server: MastodonServer, mastodon_client: MastodonClient
) -> None:
    mastodon_server.respond_next(CREDS, 503, b"<html>Unavailable</html>", content_type="text/html")
    assert mastodon_client.verify().handle == "@shop"  # one blip: asked again, fine


def test_server_errors_redirects_and_validation(
    mastodon_server: MastodonServer, mastodon_client: MastodonClient
) -> None:
    mastodon_server.respond_next(
        CREDS, 502, b"<html>Bad Gateway</html>", content_type="text/html", times=2
    )
    with pytest.raises(ServerError):
        mastodon_client.verify()
    mastodon_server.respond_next(CREDS, 302, b"", headers={"Location": "https://evil.example/"})
    with pytest.raises(BadResponse, match="redirect"):
        mastodon_client.verify()
    mastodon_server.respond_next(CREDS, 422, {"error": "Validation failed: something odd"})
    with pytest.raises(BadResponse) as exc:
        mastodon_client.verify()
    assert "something odd" in exc.value.user_message


def test_slow_server_times_out(mastodon_server: MastodonServer) -> None:
    mastodon_server.delay["/api/v1/notifications"] = 1.0
    client = MastodonClient(mastodon_server.url, mastodon_server.token, timeout=(2.0, 0.3))
    with pytest.raises(ServerUnreachable, match="timed out"):
        client.mentions(None)


def test_nobody_listening() -> None:
    client = MastodonClient("http://127.0.0.1:9", "t", timeout=(0.5, 0.5))
    with pytest.raises(ServerUnreachable):
        client.verify()


@pytest.mark.parametrize(
    ("v2", "v1", "expected"), [(True, True, 700), (False, True, 700), (False, False, 500)]
)
def test_length_limit_fallbacks(
    mastodon_server: MastodonServer, v2: bool, v1: bool, expected: int
) -> None:
    mastodon_server.max_characters = 700
    mastodon_server.instance_v2, mastodon_server.instance_v1 = v2, v1
    client = MastodonClient(mastodon_server.url, mastodon_server.token)
    assert client.verify().max_chars == expected


def test_html_instance_page_falls_back(
    mastodon_server: MastodonServer, mastodon_client: MastodonClient
) -> None:
    mastodon_server.max_characters = 900
    mastodon_server.respond_next(
        "/api/v2/instance", 200, b"<html>hi</html>", content_type="text/html"
    )
    assert mastodon_client.verify().max_chars == 900


def test_default_visibility_from_source(
    mastodon_server: MastodonServer, mastodon_client: MastodonClient
) -> None:
    mastodon_server.owner["_privacy"] = "unlisted"
    assert mastodon_client.verify().default_visibility == "unlisted"


def test_offline_then_back(
    mastodon_server: MastodonServer, mastodon_client: MastodonClient
) -> None:
    mastodon_server.go_offline()
    with pytest.raises(ServerUnreachable):
        mastodon_client.verify()
    mastodon_server.come_back()
    assert mastodon_client.verify().handle == "@shop"


def test_a_server_that_ignores_paging_does_not_loop(
    mastodon_server: MastodonServer, mastodon_client: MastodonClient
) -> None:
    alice = mastodon_server.add_account("alice", "remote.example")
    mastodon_server.add_mention(alice, "hi")
    page = mastodon_server.notification_json(mastodon_server.notifications[-1])
    mastodon_server.respond_next("/api/v1/notifications", 200, [page], times=5)
    with pytest.raises(BadResponse, match="same notifications page twice"):
        mastodon_client.mentions(None)
