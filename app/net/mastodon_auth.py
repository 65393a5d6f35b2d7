"""Signing in to a Mastodon server: app registration, OAuth code + PKCE, token, revoke.

A desktop app is a public client, so PKCE (S256) protects the code whenever the
server advertises it (4.3+, via RFC 8414 discovery). The user either pastes the
code shown for the out-of-band redirect, or a loopback listener catches it.
Secrets are returned to the caller for the keychain and never logged.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import logging
import secrets
import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from app.core.errors import AuthError, BadResponse, NotFound
from app.net.http import HttpSession
from app.net.mastodon_parse import error_message, load_json, opt_str, req_dict, req_list, req_str

log = logging.getLogger(__name__)

OOB = "urn:ietf:wg:oauth:2.0:oob"
LOOPBACK = "http://127.0.0.1/callback"  # Doorkeeper ignores the port for loopback IPs (RFC 8252)
# The classic scopes every Mastodon-API server knows. Granular ones (read:statuses...)
# are refused by some servers, or granted and then refused by verify_credentials.
SCOPES = "read write profile"  # where the server lists `profile` (4.3+ discovery)
LEGACY_SCOPES = "read write"
CLIENT_NAME = "Shopkeep"


@dataclass(frozen=True, slots=True)
class ServerAuth:
    """What /.well-known/oauth-authorization-server says (None of it before 4.3)."""

    pkce: bool = False
    scopes_supported: tuple[str, ...] = ()
    authorization_endpoint: str = "/oauth/authorize"
    token_endpoint: str = "/oauth/token"
    revocation_endpoint: str = "/oauth/revoke"


@dataclass(frozen=True, slots=True)
class AppRegistration:
    """One OAuth app per server. client_secret belongs in the keychain."""

    server: str
    client_id: str
    client_secret: str = field(repr=False)
    scopes: str
    redirect_uris: tuple[str, ...]
    auth: ServerAuth = ServerAuth()


@dataclass(frozen=True, slots=True)
class AuthRequest:
    """One sign-in attempt: open `url` in the browser, keep the rest until the code comes."""

    url: str
    redirect_uri: str
    state: str
    code_verifier: str = field(repr=False)


def _session(server: str) -> HttpSession:
    return HttpSession(server)


def _json(resp_status: int, body: bytes, what: str) -> Any:
    if resp_status in (400, 401, 403):
        raise AuthError(f"{what}: HTTP {resp_status}: {error_message(body)}")
    if resp_status == 404:
        raise NotFound(f"{what}: HTTP 404")
    if resp_status >= 400:
        raise BadResponse(f"{what}: HTTP {resp_status}: {error_message(body)}")
    return load_json(body, what)


def discover(server: str) -> ServerAuth | None:
    """RFC 8414 metadata, or None on servers older than 4.3 (404)."""
    with _session(server) as http:
        resp = http.request("GET", "/.well-known/oauth-authorization-server")
        if resp.status == 404:
            return None
        try:
            obj = req_dict(_json(resp.status, resp.body, "oauth metadata"), "oauth metadata")
        except BadResponse as exc:  # some old servers answer unknown paths with a web page
            log.info("no OAuth discovery: %s", exc)
            return None
    where = "oauth metadata"

    def strings(key: str) -> tuple[str, ...]:
        items = req_list(obj.get(key) or [], f"{where}.{key}")
        return tuple(x for x in items if isinstance(x, str))

    def path_of(key: str, default: str) -> str:
        value = opt_str(obj, key, where)
        return urlsplit(value).path or default if value else default

    return ServerAuth(
        pkce="S256" in strings("code_challenge_methods_supported"),
        scopes_supported=strings("scopes_supported"),
        authorization_endpoint=path_of("authorization_endpoint", "/oauth/authorize"),
        token_endpoint=path_of("token_endpoint", "/oauth/token"),
        revocation_endpoint=path_of("revocation_endpoint", "/oauth/revoke"),
    )


def register_app(server: str, *, website: str = "") -> AppRegistration:
    """Register Shopkeep on `server` with both the OOB and the loopback redirect."""
    auth = discover(server)
    listed = auth.scopes_supported if auth is not None else ()
    scopes = SCOPES if "profile" in listed else LEGACY_SCOPES
    redirects = (OOB, LOOPBACK)
    form: dict[str, Any] = {"client_name": CLIENT_NAME, "scopes": scopes}
    if website:
        form["website"] = website
    # An array since 4.3; older servers take one newline-separated string.
    form["redirect_uris"] = list(redirects) if auth is not None else "\n".join(redirects)
    with _session(server) as http:
        resp = http.request("POST", "/api/v1/apps", json_body=form)
        base = http.base_url
    obj = req_dict(_json(resp.status, resp.body, "app registration"), "app")
    return AppRegistration(
        server=base,
        client_id=req_str(obj, "client_id", "app"),
        client_secret=req_str(obj, "client_secret", "app"),
        scopes=scopes,
        redirect_uris=redirects,
        auth=auth or ServerAuth(),
    )


def _challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def start_authorization(app: AppRegistration, redirect_uri: str = OOB) -> AuthRequest:
    """The URL to open in the system browser; PKCE only where the server supports it."""
    verifier = secrets.token_urlsafe(64)
    state = secrets.token_urlsafe(24)
    params = {
        "response_type": "code",
        "client_id": app.client_id,
        "redirect_uri": redirect_uri,
        "scope": app.scopes,
        "state": state,
    }
    if app.auth.pkce:
        params |= {"code_challenge": _challenge(verifier), "code_challenge_method": "S256"}
    url = f"{app.server}{app.auth.authorization_endpoint}?{urlencode(params)}"
    return AuthRequest(url, redirect_uri, state, verifier if app.auth.pkce else "")


def code_from_callback(request: AuthRequest, callback_url: str) -> str:
    """The code from a loopback redirect, after checking `state` (a forged redirect fails)."""
    query = parse_qs(urlsplit(callback_url).query)
    if "error" in query:
        raise AuthError(
            f"authorization refused: {query['error'][0]}",
            user_message="The sign-in was cancelled or refused on the server.",
        )
    if query.get("state", [""])[0] != request.state:
        raise AuthError("state mismatch in OAuth callback")
    code = query.get("code", [""])[0]
    if not code:
        raise AuthError("no code in OAuth callback")
    return code


def exchange_code(app: AppRegistration, request: AuthRequest, code: str) -> str:
    """Trade the code for an access token (Mastodon tokens do not expire; no refresh token)."""
    form = {
        "grant_type": "authorization_code",
        "code": code.strip(),
        "client_id": app.client_id,
        "client_secret": app.client_secret,
        "redirect_uri": request.redirect_uri,
    }
    if request.code_verifier:
        form["code_verifier"] = request.code_verifier
    with _session(app.server) as http:
        resp = http.request("POST", app.auth.token_endpoint, data=form)
    obj = req_dict(_json(resp.status, resp.body, "token exchange"), "token")
    token = req_str(obj, "access_token", "token")
    kind = opt_str(obj, "token_type", "token") or "Bearer"
    if not token or kind.lower() != "bearer":
        raise BadResponse(f"token exchange: unexpected token type {kind!r}")
    return token


def revoke(app: AppRegistration, token: str) -> None:
    """Sign out: the server forgets the token (idempotent; a 403 means not ours, ignored)."""
    form = {"client_id": app.client_id, "client_secret": app.client_secret, "token": token}
    with _session(app.server) as http:
        resp = http.request("POST", app.auth.revocation_endpoint, data=form)
    if resp.status == 403:
        log.warning("token revocation refused (not issued to this app)")
        return
    _json(resp.status, resp.body, "revoke")


class LoopbackReceiver:
    """A one-shot listener on 127.0.0.1 that catches the browser's redirect with the code."""

    def __init__(self) -> None:
        self._url: str | None = None
        self._done = threading.Event()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if urlsplit(self.path).path != "/callback":
                    self.send_error(404)
                    return
                receiver._url = self.path
                body = b"<p>Shopkeep is signed in. You can close this tab.</p>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                receiver._done.set()

            def log_message(self, format: str, *args: Any) -> None:
                pass  # the query holds the code: keep it out of stderr

        self._server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.redirect_uri = f"http://127.0.0.1:{self._server.server_port}/callback"
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()

    def wait(self, timeout: float) -> str | None:
        """The callback URL (path + query), or None if the user never came back."""
        self._done.wait(timeout)
        return self._url

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> LoopbackReceiver:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
