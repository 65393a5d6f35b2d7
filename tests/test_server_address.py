"""What the owner types as their server: a full handle means its server; a word that
cannot be a server is said to be one, not reported as an unreachable server (issue 21,
item 14)."""

from __future__ import annotations

import pytest

from app.core.errors import InsecureServer
from app.net.http import NOT_A_SERVER, normalise_server


@pytest.mark.parametrize(
    ("typed", "server"),
    [
        ("mastodon.social", "https://mastodon.social"),
        ("@shop@mastodon.social", "https://mastodon.social"),
        ("shop@mastodon.social", "https://mastodon.social"),
        ("  https://social.example.com/  ", "https://social.example.com"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
    ],
)
def test_an_address_or_a_full_handle_becomes_the_server(typed, server):
    assert normalise_server(typed) == server


@pytest.mark.parametrize(
    "typed",
    [
        "hello",
        "mastodon social",
        "",
        "-bad-.example",
        "https://user@evil.example",
        "https://example.com:port",
        "@shop",
    ],
)
def test_what_cannot_be_a_server_is_said_to_be_no_server_address(typed):
    with pytest.raises(InsecureServer) as refused:
        normalise_server(typed)
    assert refused.value.user_message == NOT_A_SERVER
