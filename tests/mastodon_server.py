"""A small Mastodon-API server on 127.0.0.1 for tests, in a thread.

It answers with the documented JSON shapes (apps, OAuth + PKCE, instance,
verify_credentials, notifications with real min_id/max_id/since_id paging,
statuses, context, posting with Idempotency-Key) and has switches for the ways
real servers fail: canned error bodies, 429s and rate-limit headers, slow
answers, and storing a reply then dropping the connection. Every request is
recorded so tests can check what the client sent.

`PERSONALITIES` names the ways real Mastodon-API servers (forks, other
software, proxies) differ from upstream Mastodon, each one flag or two; the
sync and reply suites run once per personality.
"""

from __future__ import annotations

import html
import json
import re
import secrets
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests

from tests.mastodon_routes import route

_URL = re.compile(r"https?://[^\s<>\"]+")
_MENTION = re.compile(r"(?<![\w@/])@(\w[\w.-]*)(?:@([\w.-]*\w))?")


# name -> the switches that make the test server behave like that kind of server
PERSONALITIES: dict[str, dict[str, Any]] = {
    "mastodon": {},
    "account_domain": {"account_domain": "example.com"},
    "classic_scopes": {"classic_scopes_only": True},
    "no_loopback": {"refuse_loopback": True},
    "bad_token_400_text": {"bad_token_400_text": True},
    "link_without_types": {"link_without_types": True},
    "no_idempotency": {"honour_idempotency": False},
    "unknown_parent_top_level": {"unknown_parent_top_level": True},
    "late_notifications": {"late_notifications": True},
    "endless_pages": {"endless_pages": True},
    "one_bad_status": {"one_bad_status": True},
    "503_after_n": {"fail_503_after": 3},
}

REAL_LATENCY = 0.12  # seconds: a server 120 ms away (what `latency=REAL_LATENCY` asks for)
MASTODON_RATE_LIMIT = 300  # requests per token per MASTODON_RATE_WINDOW (rack_attack default)
MASTODON_RATE_WINDOW = 300.0


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes


@dataclass
class Canned:
    path: str
    status: int
    body: bytes
    content_type: str
    headers: dict[str, str]
    method: str | None
    times: int


@dataclass
class MastodonServer:
    """State plus switches. Add data with add_account / add_status / add_mention."""

    domain: str = "shop.test"
    oauth_discovery: bool = True  # False: behave like a server older than 4.3
    instance_v2: bool = True  # False: /api/v2/instance is a 404 (3.x)
    instance_v1: bool = True
    max_characters: int = 500
    honour_idempotency: bool = True  # False: a server/proxy that ignores Idempotency-Key
    drop_after_store: int = 0  # next N POST /statuses: store, then close without answering
    delay_after_store: float = 0.0  # store, then sleep before answering (client times out)
    delay: dict[str, float] = field(default_factory=dict)  # "[METHOD ]path prefix" -> seconds
    rate_budget: int | None = None  # requests left before 429; None = no rate-limit headers
    rate_reset_seconds: float = 300.0
    # ---- real distance and Mastodon's own rate limit (bench/measure_latency.py)
    latency: float = 0.0  # every request waits this long before it is answered
    rate_limit: int | None = None  # per token per rate_window (MASTODON_RATE_LIMIT is upstream's)
    rate_window: float = MASTODON_RATE_WINDOW  # seconds; a window starts at a token's 1st request
    throttled: int = 0  # 429s answered under rate_limit
    in_flight: int = 0  # requests being answered right now (latency makes them overlap)
    max_in_flight: int = 0  # the most ever answered at once
    on_request: Any = None  # called with (method, path) on the request's thread, first thing
    _windows: dict[str, tuple[float, int]] = field(default_factory=dict)  # key -> (start, used)
    # "503 after N requests": N more requests to paths under fail_path, then only 503s.
    fail_after: int | None = None
    fail_path: str = "/api/"
    # Called with the number of each /api/ request (1, 2, ...) before it is answered.
    on_api_request: Any = None
    api_count: int = 0
    limit_cap: int = 80
    authorize_as: dict[str, Any] | None = None  # who "clicks Authorize" (default: owner)
    user_denies: bool = False
    # ---- personalities (see PERSONALITIES)
    account_domain: str = ""  # accounts live at this domain (not the host); mentioned as u@d
    classic_scopes_only: bool = False  # granular scopes refused; every GET needs `read`
    refuse_loopback: bool = False  # only the out-of-band redirect is allowed
    bad_token_400_text: bool = False  # a bad token gets 400 text/plain instead of 401 JSON
    link_without_types: bool = False  # Link header URLs drop types[] and include_filtered
    unknown_parent_top_level: bool = False  # unknown in_reply_to_id: posted top-level
    late_notifications: bool = False  # a mention's notification comes 1-60 s after its post
    endless_pages: bool = False  # every notifications call brings a page of status-less ones
    one_bad_status: bool = False  # one mention in the first page has an unreadable status
    fail_503_after: int | None = None  # the GET after this many API GETs answers 503 (once)
    token_scopes: dict[str, set[str]] = field(default_factory=dict)
    _gets: int = 0
    accounts: dict[str, dict[str, Any]] = field(default_factory=dict)
    statuses: dict[str, dict[str, Any]] = field(default_factory=dict)
    notifications: list[dict[str, Any]] = field(default_factory=list)
    tokens: dict[str, str] = field(default_factory=dict)  # token -> account id ("" for app)
    apps: dict[str, dict[str, Any]] = field(default_factory=dict)
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    idempotency: dict[tuple[str, str], str] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)
    posted: list[dict[str, Any]] = field(default_factory=list)
    canned: list[Canned] = field(default_factory=list)
    lock: threading.RLock = field(default_factory=threading.RLock)
    _next: int = 1  # ids cross 9 -> 10 -> 100: a client comparing them as text breaks

    def __post_init__(self) -> None:
        if self.account_domain:
            self.domain = self.account_domain
        self.owner = self.add_account("shop", display_name="The Shop")
        self.token = self.issue_token(self.owner)
        self._listen(0)

    def _listen(self, port: int) -> None:
        self._httpd = _Server(("127.0.0.1", port), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.app = self  # type: ignore[attr-defined]
        self.url = f"http://127.0.0.1:{self._httpd.server_port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    def start(self) -> MastodonServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread.is_alive():
            self._httpd.shutdown()
            self._httpd.server_close()

    def go_offline(self) -> None:
        """Close the listening socket: connections are refused, as with no network."""
        self.stop()

    def come_back(self) -> None:
        """Listen again on the same port with the same data."""
        if not self._thread.is_alive():
            self._listen(int(self.url.rsplit(":", 1)[1]))
            self.start()

    # ------------------------------------------------------------ data helpers

    def new_id(self) -> str:
        with self.lock:
            self._next += 1
            return str(self._next - 1)

    def add_account(
        self,
        username: str,
        domain: str | None = None,
        *,
        display_name: str = "",
        privacy: str = "public",
    ) -> dict[str, Any]:
        acct = f"{username}@{domain}" if domain else username
        account = {
            "id": self.new_id(),
            "username": username,
            "acct": acct,
            "display_name": display_name,
            "locked": False,
            "bot": False,
            "created_at": "2023-01-01T00:00:00.000Z",
            "note": "",
            "url": f"https://{domain or self.domain}/@{username}",
            "avatar": f"https://{domain or self.domain}/avatars/{username}.png",
            "followers_count": 0,
            "following_count": 0,
            "statuses_count": 0,
            "emojis": [],
            "fields": [],
            "_privacy": privacy,
        }
        self.accounts[account["id"]] = account
        return account

    def issue_token(
        self, account: dict[str, Any], scopes: str = "read write follow push profile"
    ) -> str:
        token = secrets.token_urlsafe(24)
        self.tokens[token] = account["id"]
        self.token_scopes[token] = set(scopes.split())
        return token

    def render(self, text: str, mentions: list[dict[str, Any]]) -> str:
        """Plain text -> Mastodon-style HTML (split link spans, h-card mentions)."""
        by_acct = {m["acct"].lower(): m for m in mentions}

        def link(url: str) -> str:
            scheme, rest = url.split("://", 1)
            shown, hidden = rest[:30], rest[30:]
            return (
                f'<a href="{html.escape(url)}" rel="nofollow noopener" target="_blank">'
                f'<span class="invisible">{scheme}://</span><span class="ellipsis">'
                f'{html.escape(shown)}</span><span class="invisible">{html.escape(hidden)}'
                "</span></a>"
            )

        def token(word: str) -> str:
            if _URL.fullmatch(word):
                return link(word)
            m = _MENTION.fullmatch(word)
            who = by_acct.get(
                (m.group(1) + (f"@{m.group(2)}" if m.group(2) else "")).lower() if m else ""
            )
            if who is None and m and m.group(2) and m.group(2).lower() == self.domain:
                who = by_acct.get(m.group(1).lower())
            if who:
                return (
                    f'<span class="h-card"><a href="{who["url"]}" class="u-url mention">'
                    f"@<span>{html.escape(who['username'])}</span></a></span>"
                )
            return html.escape(word)

        paras = []
        for para in re.split(r"\n{2,}", text.strip()):
            lines = [" ".join(token(w) for w in line.split(" ")) for line in para.split("\n")]
            paras.append("<p>" + "<br />".join(lines) + "</p>")
        return "".join(paras)

    def add_status(
        self,
        account: dict[str, Any],
        text: str = "",
        *,
        html_content: str | None = None,
        in_reply_to: dict[str, Any] | str | None = None,
        visibility: str = "public",
        mentions: list[dict[str, Any]] | None = None,
        spoiler_text: str = "",
        media: list[dict[str, Any]] | None = None,
        language: str | None = "en",
        created_at: datetime | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """Store a status by `account`. @acct words in text mention known accounts."""
        if mentions is None:
            mentions = [
                a
                for a in self.accounts.values()
                if any(
                    re.search(rf"(?<![\w@])@{re.escape(name)}(?![\w@])", text, re.I)
                    for name in {a["acct"], self.mention_acct(a)}
                )
            ]
        parent_id = in_reply_to["id"] if isinstance(in_reply_to, dict) else in_reply_to
        parent = self.statuses.get(parent_id) if parent_id else None
        moment = created_at or datetime.now(UTC)
        status = {
            "id": self.new_id(),
            "uri": "",
            "url": "",
            "created_at": moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "account": {k: v for k, v in account.items() if not k.startswith("_")},
            "content": html_content if html_content is not None else self.render(text, mentions),
            "visibility": visibility,
            "sensitive": bool(spoiler_text),
            "spoiler_text": spoiler_text,
            "media_attachments": media or [],
            "mentions": [
                {
                    "id": m["id"],
                    "username": m["username"],
                    "acct": self.mention_acct(m),
                    "url": m["url"],
                }
                for m in mentions
            ],
            "tags": [],
            "emojis": [],
            "reblogs_count": 0,
            "favourites_count": 0,
            "replies_count": 0,
            "in_reply_to_id": parent_id,
            "in_reply_to_account_id": parent["account"]["id"] if parent else None,
            "reblog": None,
            "poll": None,
            "card": None,
            "language": language,
            "edited_at": None,
            "quote": None,
            **extra,
        }
        host = account["url"].split("/")[2]
        status["uri"] = f"https://{host}/users/{account['username']}/statuses/{status['id']}"
        status["url"] = f"https://{host}/@{account['username']}/{status['id']}"
        with self.lock:
            self.statuses[status["id"]] = status
            if parent is not None:  # what lets a client skip the context of a lone post
                parent["replies_count"] = int(parent.get("replies_count") or 0) + 1
        return status

    def accounts_named(self, username: str) -> dict[str, Any]:
        return next(a for a in self.accounts.values() if a["username"] == username)

    def mention_acct(self, account: dict[str, Any]) -> str:
        """How statuses name a mentioned account: with its domain even when local, on
        servers whose accounts live at another domain than the server's host."""
        if self.account_domain and "@" not in account["acct"]:
            return f"{account['acct']}@{self.account_domain}"
        return str(account["acct"])

    def add_notification(
        self,
        kind: str,
        account: dict[str, Any],
        status: dict[str, Any] | None = None,
        *,
        filtered: bool = False,
    ) -> dict[str, Any]:
        note = {
            "id": self.new_id(),
            "type": kind,
            "created_at": datetime.now(UTC).isoformat(),
            "account_id": account["id"],
            "status_id": status["id"] if status else None,
            "filtered": filtered,
        }
        with self.lock:
            self.notifications.append(note)
        return note

    def add_mention(
        self, author: dict[str, Any], text: str, *, filtered: bool = False, **kw: Any
    ) -> dict[str, Any]:
        """A status by `author` that mentions the shop (prefixed if the text doesn't), notified."""
        if not re.search(r"(?<![\w@])@shop(?![\w])", text):
            text = "@shop " + text
        if self.one_bad_status and not any(n.get("_bad") for n in self.notifications):
            self._add_unreadable_mention(author)
        if self.late_notifications:  # the post was written a while before it was notified
            late = timedelta(seconds=1 + (len(self.notifications) * 17) % 60)
            kw["created_at"] = (kw.get("created_at") or datetime.now(UTC)) - late
        status = self.add_status(author, text, **kw)
        self.add_notification("mention", author, status, filtered=filtered)
        return status

    def _add_unreadable_mention(self, author: dict[str, Any]) -> None:
        """A mention whose status a broken fork renders without content or time."""
        status = self.add_status(author, "@shop unreadable")
        status["content"] = None
        status["created_at"] = 1700000000
        note = self.add_notification("mention", author, status)
        note["_bad"] = True

    def add_status_less_page(self, count: int) -> None:
        """Fresh mention notifications whose status is gone (null): what endless_pages adds."""
        with self.lock:
            for _ in range(count):
                self.notifications.append(
                    {
                        "id": self.new_id(),
                        "type": "mention",
                        "created_at": datetime.now(UTC).isoformat(),
                        "account_id": self.owner["id"],
                        "status_id": None,
                        "filtered": False,
                    }
                )

    def delete_status(self, status_id: str) -> None:
        with self.lock:
            gone = self.statuses.pop(status_id, None)
            parent = self.statuses.get((gone or {}).get("in_reply_to_id") or "")
            if parent is not None and parent.get("replies_count"):
                parent["replies_count"] -= 1
            self.notifications = [n for n in self.notifications if n["status_id"] != status_id]

    def respond_next(
        self,
        path: str,
        status: int = 200,
        body: str | bytes | Any = b"",
        *,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
        method: str | None = None,
        times: int = 1,
    ) -> None:
        """The next `times` requests whose path starts with `path` get this answer instead."""
        if not isinstance(body, (str, bytes)):
            body = json.dumps(body)
        data = body.encode() if isinstance(body, str) else body
        self.canned.append(Canned(path, status, data, content_type, headers or {}, method, times))

    def requests_to(self, path: str, method: str | None = None) -> list[Recorded]:
        return [
            r
            for r in self.requests
            if r.path.startswith(path) and (method is None or r.method == method)
        ]

    # ------------------------------------------------------------ views

    def context(self, status_id: str) -> dict[str, list[dict[str, Any]]]:
        ancestors, cur = [], self.statuses[status_id]
        while cur.get("in_reply_to_id") in self.statuses:
            cur = self.statuses[cur["in_reply_to_id"]]
            ancestors.insert(0, cur)
        descendants: list[dict[str, Any]] = []

        def walk(pid: str) -> None:
            kids = sorted(
                (s for s in self.statuses.values() if s["in_reply_to_id"] == pid),
                key=lambda s: int(s["id"]),
            )
            for kid in kids:
                descendants.append(kid)
                walk(kid["id"])

        walk(status_id)
        return {"ancestors": ancestors, "descendants": descendants}

    def page_notifications(self, q: dict[str, list[str]]) -> tuple[list[dict[str, Any]], int]:
        types = set(q.get("types[]", []))
        exclude = set(q.get("exclude_types[]", []))
        include_filtered = q.get("include_filtered", ["false"])[0] == "true"
        limit = min(int(q.get("limit", ["40"])[0]), self.limit_cap)
        items = [
            n
            for n in self.notifications
            if (not types or n["type"] in types)
            and n["type"] not in exclude
            and (include_filtered or not n["filtered"])
        ]
        items.sort(key=lambda n: int(n["id"]), reverse=True)  # newest first
        if "max_id" in q:
            items = [n for n in items if int(n["id"]) < int(q["max_id"][0])]
        if "since_id" in q:
            items = [n for n in items if int(n["id"]) > int(q["since_id"][0])]
        if "min_id" in q:  # the `limit` items immediately after min_id, still newest first
            after = [n for n in items if int(n["id"]) > int(q["min_id"][0])]
            return after[-limit:], limit
        return items[:limit], limit

    def notification_json(self, n: dict[str, Any]) -> dict[str, Any]:
        account = {k: v for k, v in self.accounts[n["account_id"]].items() if not k.startswith("_")}
        return {
            "id": n["id"],
            "type": n["type"],
            "created_at": n["created_at"],
            "account": account,
            "status": self.statuses.get(n["status_id"] or ""),
            "group_key": f"ungrouped-{n['id']}",
        }


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that timed out and hung up is part of the tests, not an error."""
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # one request per connection: a dropped socket is unambiguous

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def send(
        self,
        status: int,
        body: Any = None,
        *,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for k, v in {**self.extra_headers, **(headers or {})}.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _faulty(self, app: MastodonServer, path: str) -> bool:
        """The fault switches: the request hook, then 503 after N requests."""
        if path.startswith("/api/"):
            with app.lock:
                app.api_count += 1
                number, hook = app.api_count, app.on_api_request
            if hook is not None:
                hook(number)
        if app.fail_after is None or not path.startswith(app.fail_path):
            return False
        with app.lock:
            app.fail_after -= 1
            failing = app.fail_after < 0
        if failing:
            self.send(503, {"error": "Service Unavailable"})
        return failing

    def _throttled(self, app: MastodonServer) -> bool:
        """Mastodon's limit: `rate_limit` API requests per token (per client address without
        one) in a fixed window; X-RateLimit-* on every answer, 429 once it is spent."""
        auth = self.headers.get("Authorization", "")
        key = auth if auth.startswith("Bearer ") else f"ip {self.client_address[0]}"
        now = time.monotonic()
        with app.lock:
            start, used = app._windows.get(key, (now, 0))
            if now - start >= app.rate_window:
                start, used = now, 0
            used += 1
            app._windows[key] = (start, used)
            limit = app.rate_limit or 0
            over = used > limit
            if over:
                app.throttled += 1
        reset = datetime.now(UTC) + timedelta(seconds=start + app.rate_window - now)
        self.extra_headers = {
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(max(limit - used, 0)),
            "X-RateLimit-Reset": reset.isoformat(timespec="microseconds"),
        }
        if over:
            self.send(429, {"error": "Too many requests"})
        return over

    def drop(self) -> None:
        self.connection.shutdown(socket.SHUT_RDWR)
        self.close_connection = True

    def _dispatch(self, method: str) -> None:
        app: MastodonServer = self.server.app  # type: ignore[attr-defined]
        with app.lock:
            app.in_flight += 1
            app.max_in_flight = max(app.max_in_flight, app.in_flight)
        try:
            if app.on_request is not None:
                app.on_request(method, urlsplit(self.path).path)
            self._answer(app, method)
        finally:
            with app.lock:
                app.in_flight -= 1

    def _answer(self, app: MastodonServer, method: str) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        rec = Recorded(method, parts.path, parse_qs(parts.query), dict(self.headers.items()), body)
        self.extra_headers: dict[str, str] = {}
        with app.lock:
            app.requests.append(rec)
            canned = next(
                (
                    c
                    for c in app.canned
                    if parts.path.startswith(c.path) and c.method in (None, method) and c.times > 0
                ),
                None,
            )
            if canned:
                canned.times -= 1
        if app.latency > 0:
            time.sleep(app.latency)
        for key, seconds in list(app.delay.items()):  # a test may change it meanwhile
            verb, _, prefix = key.rpartition(" ")  # "POST /api/v1/statuses": that method only
            if parts.path.startswith(prefix) and verb in ("", method):
                time.sleep(seconds)
        if canned:
            self.send(
                canned.status, canned.body, content_type=canned.content_type, headers=canned.headers
            )
            return
        if self._faulty(app, parts.path):
            return
        if app.fail_503_after is not None and method == "GET" and parts.path.startswith("/api/"):
            with app.lock:
                app._gets += 1
                fail = app._gets == app.fail_503_after + 1
            if fail:
                self.send(
                    503,
                    b"<html><body>503 Service Unavailable</body></html>",
                    content_type="text/html",
                )
                return
        if app.rate_limit is not None and parts.path.startswith("/api/") and self._throttled(app):
            return
        if app.rate_budget is not None and parts.path.startswith("/api/"):
            with app.lock:
                app.rate_budget -= 1
                left = app.rate_budget
            reset = datetime.now(UTC) + timedelta(seconds=app.rate_reset_seconds)
            self.extra_headers = {
                "X-RateLimit-Limit": "300",
                "X-RateLimit-Remaining": str(max(left, 0)),
                "X-RateLimit-Reset": reset.isoformat(timespec="microseconds"),
            }
            if left < 0:
                self.send(429, {"error": "Too many requests"})
                return
        route(app, self, method, rec)


# -- the user's side of the consent page ------------------------------------------


def browser() -> requests.Session:
    """The user's browser: no proxies for loopback."""
    session = requests.Session()
    session.trust_env = False
    return session


def user_copies_code(url: str) -> str:
    """The user opens the URL, clicks Authorize and copies the code the page shows."""
    page = browser().get(url, timeout=5)
    assert page.status_code == 200, page.text
    match = re.search(r'class="oauth-code"[^>]*value="([^"]+)"', page.text)
    assert match, page.text
    return match.group(1)
