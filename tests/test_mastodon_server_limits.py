"""The test server's rate limit is Mastodon's (issue 27): the bench's 429 counts rely on it.

Per token, a fixed window: X-RateLimit-Limit / -Remaining / -Reset (ISO 8601) on every
API answer, then 429 with {"error": "Too many requests"} until the window starts afresh.
"""

from __future__ import annotations

from datetime import UTC, datetime

from tests.mastodon_server import MASTODON_RATE_LIMIT, MastodonServer, browser


def get(server: MastodonServer, token: str):
    return browser().get(
        f"{server.url}/api/v1/notifications",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )


def test_each_token_gets_its_own_budget_then_429s(mastodon_server: MastodonServer) -> None:
    assert MASTODON_RATE_LIMIT == 300
    mastodon_server.rate_limit = 3
    answers = [get(mastodon_server, mastodon_server.token) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a.headers["X-RateLimit-Remaining"] for a in answers] == ["2", "1", "0", "0"]
    assert all(a.headers["X-RateLimit-Limit"] == "3" for a in answers)
    assert answers[3].json() == {"error": "Too many requests"}
    reset = datetime.fromisoformat(answers[3].headers["X-RateLimit-Reset"])
    assert reset > datetime.now(UTC)
    assert mastodon_server.throttled == 1

    other = mastodon_server.issue_token(mastodon_server.owner)
    assert get(mastodon_server, other).status_code == 200  # a fresh window of its own


def test_the_window_starts_afresh(mastodon_server: MastodonServer) -> None:
    mastodon_server.rate_limit, mastodon_server.rate_window = 1, 0.0  # every request: new
    answers = [get(mastodon_server, mastodon_server.token) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert mastodon_server.throttled == 0
