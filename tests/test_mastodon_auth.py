"""Signing in like a user would: register, open the URL, approve, hand the code to the app."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

import pytest

from app.core.errors import AuthError
from app.net.mastodon import MastodonClient
from app.net.mastodon_auth import (
    LEGACY_SCOPES,
    OOB,
    SCOPES,
    LoopbackReceiver,
    code_from_callback,
    exchange_code,
    register_app,
    revoke,
    start_authorization,
)
from tests.mastodon_server import MastodonServer, browser, user_copies_code


def test_oob_code_flow_with_pkce(mastodon_server: MastodonServer) -> None:
    app = register_app(mastodon_server.url)
    assert app.auth.pkce and app.scopes == SCOPES
    registered = mastodon_server.apps[app.client_id]
    assert registered["redirect_uris"] == [OOB, "http://127.0.0.1/callback"]

    request = start_authorization(app)
    query = parse_qs(urlsplit(request.url).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["scope"] == [SCOPES] and query["redirect_uri"] == [OOB]
    assert app.client_secret not in request.url

    code = user_copies_code(request.url)
    token = exchange_code(app, request, f"  {code}\n")  # pasted with stray whitespace
    token_call = mastodon_server.requests_to("/oauth/token")[-1]
    assert parse_qs(token_call.body.decode())["code_verifier"] == [request.code_verifier]

    info = MastodonClient(mastodon_server.url, token, page_pause=0).verify()
    assert (info.handle, info.remote_id) == ("@shop", mastodon_server.owner["id"])
    assert not any(token in r.path or token in str(r.query) for r in mastodon_server.requests)


def test_wrong_verifier_or_reused_code_is_refused(mastodon_server: MastodonServer) -> None:
    app = register_app(mastodon_server.url)
    request = start_authorization(app)
    code = user_copies_code(request.url)
    with pytest.raises(AuthError, match="invalid_grant"):
        exchange_code(app, replace(request, code_verifier="x" * 86), code)
    with pytest.raises(AuthError):  # the code was used up by the failed attempt
        exchange_code(app, request, code)


def test_loopback_redirect_flow(mastodon_server: MastodonServer) -> None:
    app = register_app(mastodon_server.url)
    with LoopbackReceiver() as receiver:
        request = start_authorization(app, receiver.redirect_uri)
        page = browser().get(request.url, timeout=5)  # follows the 302 to our listener
        assert page.status_code == 200 and "signed in" in page.text
        callback = receiver.wait(5)
    assert callback is not None
    token = exchange_code(app, request, code_from_callback(request, callback))
    assert MastodonClient(mastodon_server.url, token).verify().handle == "@shop"


def test_forged_or_denied_callback_is_refused(mastodon_server: MastodonServer) -> None:
    app = register_app(mastodon_server.url)
    request = start_authorization(app, "http://127.0.0.1:9/callback")
    with pytest.raises(AuthError, match="state"):
        code_from_callback(request, "/callback?code=abc&state=forged")
    with pytest.raises(AuthError, match="access_denied"):
        code_from_callback(request, f"/callback?error=access_denied&state={request.state}")


def test_server_older_than_4_3(mastodon_server: MastodonServer) -> None:
    mastodon_server.oauth_discovery = False
    app = register_app(mastodon_server.url)
    assert not app.auth.pkce and app.scopes == LEGACY_SCOPES
    request = start_authorization(app)
    assert "code_challenge" not in request.url and request.code_verifier == ""
    token = exchange_code(app, request, user_copies_code(request.url))
    assert MastodonClient(mastodon_server.url, token).verify().handle == "@shop"


def test_revoke_signs_out(mastodon_server: MastodonServer) -> None:
    app = register_app(mastodon_server.url)
    request = start_authorization(app)
    token = exchange_code(app, request, user_copies_code(request.url))
    revoke(app, token)
    revoke(app, token)  # idempotent
    with pytest.raises(AuthError):
        MastodonClient(mastodon_server.url, token).verify()
