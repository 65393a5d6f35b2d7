"""Request handlers of the test Mastodon server (tests/mastodon_server.py).

Shapes follow docs.joinmastodon.org (methods/apps, oauth, instance, accounts,
notifications, statuses); OAuth checks follow Doorkeeper (PKCE S256, loopback
redirects match on any port).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import secrets
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode, urlsplit

if TYPE_CHECKING:
    from tests.mastodon_server import MastodonServer, Recorded, _Handler

OOB = "urn:ietf:wg:oauth:2.0:oob"
_ALL_SCOPES = {
    "read",
    "write",
    "profile",
    "read:accounts",
    "read:notifications",
    "read:statuses",
    "write:statuses",
    "write:media",
    "follow",
    "push",
}
_CLASSIC_SCOPES = {"read", "write", "follow", "push"}
_URL = re.compile(r"https?://\S+")
_STATUS = re.compile(r"^/api/v1/statuses/([^/]+)(/context)?$")


def form_or_json(rec: Recorded) -> dict[str, Any]:
    """POST bodies arrive as JSON or as a form; both are accepted like Rails does."""
    if rec.headers.get("Content-Type", "").startswith("application/json"):
        data = json.loads(rec.body or b"{}")
        return data if isinstance(data, dict) else {}
    return {k: v[0] if len(v) == 1 else v for k, v in parse_qs(rec.body.decode()).items()}


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def redirect_matches(registered: list[str], given: str) -> bool:
    """Doorkeeper: exact match, except the port is ignored for loopback IP literals."""
    if given in registered:
        return True
    g = urlsplit(given)
    return g.hostname in ("127.0.0.1", "::1") and any(
        (r.scheme, r.hostname, r.path) == (g.scheme, g.hostname, g.path)
        for r in map(urlsplit, registered)
    )


def link_header(
    base: str, q: dict[str, list[str]], page: list[dict[str, Any]], *, drop_filters: bool = False
) -> str:
    dropped = {"max_id", "min_id", "since_id"} | (
        {"types[]", "exclude_types[]", "include_filtered"} if drop_filters else set()
    )
    keep = [(k, v) for k, vs in q.items() if k not in dropped for v in vs]
    nxt = urlencode([*keep, ("max_id", page[-1]["id"])])
    prev = urlencode([*keep, ("min_id", page[0]["id"])])
    return f'<{base}?{nxt}>; rel="next", <{base}?{prev}>; rel="prev"'


def _public(account: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in account.items() if not k.startswith("_")}


def _authed(app: MastodonServer, h: _Handler, rec: Recorded) -> str | None:
    auth = rec.headers.get("Authorization", "")
    token = auth[7:] if auth.startswith("Bearer ") else ""
    account_id = app.tokens.get(token)
    if not account_id:
        if app.bad_token_400_text:
            h.send(400, b"Bad Request: invalid access token", content_type="text/plain")
        else:
            h.send(401, {"error": "The access token is invalid"})
        return None
    needed = _needed_scopes(rec.method, rec.path)
    granted = app.token_scopes.get(token, set())
    if app.classic_scopes_only:
        needed &= _CLASSIC_SCOPES
    if needed and not needed & granted:
        h.send(403, {"error": "This action is outside the authorized scopes"})
        return None
    return account_id


def _needed_scopes(method: str, path: str) -> set[str]:
    """Any one of these lets a token through (Doorkeeper's `doorkeeper_authorize!`)."""
    if path == "/api/v1/accounts/verify_credentials":
        return {"read", "read:accounts", "profile"}
    if path == "/api/v1/notifications":
        return {"read", "read:notifications"}
    if path.startswith("/api/v1/statuses"):
        return {"read", "read:statuses"} if method == "GET" else {"write", "write:statuses"}
    return set()


def route(app: MastodonServer, h: _Handler, method: str, rec: Recorded) -> None:
    path, q = rec.path, rec.query
    if (method, path) == ("GET", "/.well-known/oauth-authorization-server"):
        return _discovery(app, h)
    if (method, path) == ("POST", "/api/v1/apps"):
        return _register(app, h, rec)
    if (method, path) == ("GET", "/oauth/authorize"):
        return _authorize(app, h, q)
    if (method, path) == ("POST", "/oauth/token"):
        return _token(app, h, rec)
    if (method, path) == ("POST", "/oauth/revoke"):
        return _revoke(app, h, rec)
    if method == "GET" and path in ("/api/v2/instance", "/api/v1/instance"):
        return _instance(app, h, v2=path.startswith("/api/v2"))
    account_id = _authed(app, h, rec)
    if account_id is None:
        return None
    if (method, path) == ("GET", "/api/v1/accounts/verify_credentials"):
        me = app.accounts[account_id]
        return h.send(
            200,
            {
                **_public(me),
                "source": {
                    "privacy": me["_privacy"],
                    "sensitive": False,
                    "language": "en",
                    "note": "",
                    "fields": [],
                },
            },
        )
    if (method, path) == ("GET", "/api/v1/notifications"):
        if app.endless_pages and "min_id" in q:  # the sync's forward paging never runs dry
            app.add_status_less_page(min(int(q.get("limit", ["40"])[0]), app.limit_cap))
        page, _ = app.page_notifications(q)
        headers = (
            {"Link": link_header(app.url + path, q, page, drop_filters=app.link_without_types)}
            if page
            else {}
        )
        return h.send(200, [app.notification_json(n) for n in page], headers=headers)
    if (method, path) == ("POST", "/api/v1/statuses"):
        return _post_status(app, h, rec, account_id)
    m = _STATUS.match(path)
    if method == "DELETE" and m and not m.group(2):
        status = app.statuses.get(m.group(1))
        if status is None or status["account"]["id"] != account_id:
            return h.send(404, {"error": "Record not found"})
        app.delete_status(m.group(1))
        return h.send(200, {**status, "text": ""})
    if method == "GET" and m:
        if m.group(1) not in app.statuses:
            return h.send(404, {"error": "Record not found"})
        if m.group(2):
            return h.send(200, app.context(m.group(1)))
        return h.send(200, app.statuses[m.group(1)])
    return h.send(404, {"error": "Record not found"})


def _discovery(app: MastodonServer, h: _Handler) -> None:
    if not app.oauth_discovery:
        return h.send(
            404,
            b"<html><body>The page you are looking for isn't here.</body></html>",
            content_type="text/html",
        )
    base = f"https://{app.domain}"
    return h.send(
        200,
        {
            "issuer": base + "/",
            "service_documentation": "https://docs.joinmastodon.org/",
            "authorization_endpoint": base + "/oauth/authorize",
            "token_endpoint": base + "/oauth/token",
            "revocation_endpoint": base + "/oauth/revoke",
            "userinfo_endpoint": base + "/oauth/userinfo",
            "app_registration_endpoint": base + "/api/v1/apps",
            "scopes_supported": sorted(_CLASSIC_SCOPES if app.classic_scopes_only else _ALL_SCOPES),
            "response_types_supported": ["code"],
            "response_modes_supported": ["query", "fragment", "form_post"],
            "code_challenge_methods_supported": ["S256"],
            "grant_types_supported": ["authorization_code", "client_credentials"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        },
    )


def _register(app: MastodonServer, h: _Handler, rec: Recorded) -> None:
    form = form_or_json(rec)
    uris = form.get("redirect_uris") or ""
    if isinstance(uris, list) and not app.oauth_discovery:
        return h.send(422, {"error": "Validation failed: Redirect URI must be a string"})
    uris = uris if isinstance(uris, list) else uris.split()
    scopes = (form.get("scopes") or "read").split()
    allowed = _ALL_SCOPES if app.oauth_discovery else _ALL_SCOPES - {"profile"}
    if app.classic_scopes_only:
        allowed = _CLASSIC_SCOPES
    if not form.get("client_name") or not uris or not set(scopes) <= allowed:
        return h.send(422, {"error": "Validation failed: invalid client_name, scopes or URIs"})
    client = {
        "id": str(len(app.apps) + 1),
        "name": form["client_name"],
        "website": form.get("website"),
        "scopes": scopes,
        "redirect_uri": "\n".join(uris),
        "redirect_uris": uris,
        "client_id": secrets.token_urlsafe(16),
        "client_secret": secrets.token_urlsafe(24),
        "client_secret_expires_at": 0,
    }
    app.apps[client["client_id"]] = client
    return h.send(200, client)


def _authorize(app: MastodonServer, h: _Handler, q: dict[str, list[str]]) -> None:
    p = {k: v[0] for k, v in q.items()}
    client = app.apps.get(p.get("client_id", ""))
    redirect = p.get("redirect_uri", "")
    scopes = p.get("scope", "read").split()
    pkce = app.oauth_discovery and "code_challenge" in p
    bad = (
        client is None
        or p.get("response_type") != "code"
        or not redirect_matches(client["redirect_uris"], redirect)
        or not set(scopes) <= set(client["scopes"])
        or (pkce and p.get("code_challenge_method") != "S256")
        or (app.refuse_loopback and redirect != OOB)
    )
    if bad:
        return h.send(
            400,
            b"<html><body><h1>An error has occurred</h1></body></html>",
            content_type="text/html",
        )
    if app.user_denies and redirect != OOB:
        query = urlencode({"error": "access_denied", "state": p.get("state", "")})
        return h.send(302, b"", headers={"Location": f"{redirect}?{query}"})
    code = secrets.token_urlsafe(16)
    app.codes[code] = {
        "client_id": p["client_id"],
        "redirect_uri": redirect,
        "scope": " ".join(scopes),
        "challenge": p.get("code_challenge") if pkce else None,
        "account_id": (app.authorize_as or app.owner)["id"],
    }
    if redirect == OOB:
        page = (
            "<html><body><p>Copy this authorization code to the application.</p>"
            f'<input class="oauth-code" readonly type="text" value="{html.escape(code)}">'
            "</body></html>"
        )
        return h.send(200, page.encode(), content_type="text/html")
    query = urlencode({"code": code, "state": p.get("state", "")})
    return h.send(302, b"", headers={"Location": f"{redirect}?{query}"})


def _client(app: MastodonServer, form: dict[str, Any]) -> dict[str, Any] | None:
    client = app.apps.get(form.get("client_id", ""))
    return client if client and client["client_secret"] == form.get("client_secret") else None


def _token(app: MastodonServer, h: _Handler, rec: Recorded) -> None:
    form = form_or_json(rec)
    client = _client(app, form)
    if client is None:
        return h.send(
            401, {"error": "invalid_client", "error_description": "Client authentication failed"}
        )
    if form.get("grant_type") == "client_credentials":
        token = secrets.token_urlsafe(24)
        app.tokens[token] = ""
        return h.send(
            200,
            {
                "access_token": token,
                "token_type": "Bearer",
                "scope": "read",
                "created_at": int(time.time()),
            },
        )
    grant = app.codes.pop(form.get("code", ""), None)
    invalid = (
        form.get("grant_type") != "authorization_code"
        or grant is None
        or grant["client_id"] != client["client_id"]
        or grant["redirect_uri"] != form.get("redirect_uri")
        or (grant["challenge"] and s256(form.get("code_verifier", "")) != grant["challenge"])
    )
    if invalid:
        return h.send(
            400,
            {
                "error": "invalid_grant",
                "error_description": "The provided authorization grant is invalid, "
                "expired, revoked, "
                "does not match the redirection URI used in the authorization "
                "request, or was issued to another client.",
            },
        )
    token = secrets.token_urlsafe(32)
    app.tokens[token] = grant["account_id"]
    app.token_scopes[token] = set(grant["scope"].split())
    return h.send(
        200,
        {
            "access_token": token,
            "token_type": "Bearer",
            "scope": grant["scope"],
            "created_at": int(time.time()),
        },
    )


def _revoke(app: MastodonServer, h: _Handler, rec: Recorded) -> None:
    form = form_or_json(rec)
    if _client(app, form) is None:
        return h.send(
            403,
            {
                "error": "unauthorized_client",
                "error_description": "You are not authorized to revoke this token",
            },
        )
    app.tokens.pop(form.get("token", ""), None)
    return h.send(200, {})


def _instance(app: MastodonServer, h: _Handler, *, v2: bool) -> None:
    if not (app.instance_v2 if v2 else app.instance_v1):
        return h.send(404, {"error": "Record not found"})
    statuses = {
        "max_characters": app.max_characters,
        "max_media_attachments": 4,
        "characters_reserved_per_url": 23,
    }
    if v2:
        return h.send(
            200,
            {
                "domain": app.domain,
                "title": "Shop test",
                "version": "4.3.0",
                "source_url": "https://github.com/mastodon/mastodon",
                "configuration": {"statuses": statuses},
                "api_versions": {"mastodon": 2},
            },
        )
    return h.send(
        200,
        {
            "uri": app.domain,
            "title": "Shop test",
            "version": "4.0.0",
            "configuration": {"statuses": statuses},
        },
    )


def _length(text: str) -> int:
    text = _URL.sub("x" * 23, text)
    return len(re.sub(r"(@\w[\w.-]*)@[\w.-]*\w", r"\1", text))


def _post_status(app: MastodonServer, h: _Handler, rec: Recorded, account_id: str) -> None:
    form = form_or_json(rec)
    key = rec.headers.get("Idempotency-Key")
    if key and app.honour_idempotency and (account_id, key) in app.idempotency:
        return h.send(200, app.statuses[app.idempotency[(account_id, key)]])
    text = form.get("status") or ""
    reply_to = form.get("in_reply_to_id")
    if not text.strip():
        return h.send(422, {"error": "Validation failed: Text can't be blank"})
    if reply_to and reply_to not in app.statuses:
        if not app.unknown_parent_top_level:
            return h.send(404, {"error": "Record not found"})
        reply_to = None  # some servers drop a parent they do not know and post anyway
    if _length(form.get("spoiler_text", "") + text) > app.max_characters:
        return h.send(
            422,
            {"error": f"Validation failed: Text character limit of {app.max_characters} exceeded"},
        )
    me = app.accounts[account_id]
    status = app.add_status(
        me,
        text,
        in_reply_to=reply_to,
        visibility=form.get("visibility") or me["_privacy"],
        spoiler_text=form.get("spoiler_text") or "",
        language=form.get("language") or "en",
    )
    with app.lock:
        app.posted.append(status)
        if key:
            app.idempotency[(account_id, key)] = status["id"]
        drop = app.drop_after_store > 0
        app.drop_after_store -= drop
    if drop:
        return h.drop()
    if app.delay_after_store:
        time.sleep(app.delay_after_store)
    return h.send(200, status)
