"""The HTTP layer both clients share: timeouts, size cap, https-only, typed errors.

Network-specific error shapes (Mastodon's 401 text, Bluesky's 400 ExpiredToken)
are mapped by each client; this module maps what every server has in common.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import ipaddress
import json
import logging
import os
import re
import socket
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import requests
import requests.adapters
import urllib3.connection
import urllib3.connectionpool
import urllib3.exceptions

from app import __version__
from app.core import known_secrets
from app.core.errors import BadResponse, InsecureServer, RateLimited, ServerError, ServerUnreachable
from app.core.log_redaction import redact  # installed by app.main.configure_logging
from app.net import deadline_watch

log = logging.getLogger(__name__)

USER_AGENT = f"Shopkeep/{__version__} (desktop inbox for small businesses)"
TIMEOUT = (5.0, 20.0)  # connect, read (per socket read)
MAX_SECONDS = 60.0  # a whole request (connect, headers, body), however slow, takes at most this
MAX_BODY_BYTES = 10 * 1024 * 1024  # a page of mentions is far smaller; refuse anything bigger
MAX_JSON_DEPTH = 200  # real answers nest < 20 deep; deeper is hostile (and overflows the stack)

# Fields of a request body that carry a credential (OAuth, Bluesky sign-in and refresh).
SECRET_FIELDS = frozenset(
    {
        "password",
        "app_password",
        "access_token",
        "refresh_token",
        "token",
        "code",
        "code_verifier",
        "client_secret",
        "accessJwt",
        "refreshJwt",
    }
)


def is_loopback(host: str) -> bool:
    if host in ("localhost",):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


NOT_A_SERVER = (
    "That does not look like a server address. Type your server's address, "
    "for example mastodon.social."
)


def normalise_server(address: str) -> str:
    """'example.social' -> 'https://example.social'; refuses plain http except loopback.

    A full handle typed where the server goes ('@shop@mastodon.social') means its
    server: the part after the last '@'. An address with a user part, or a name that
    cannot be a host, is refused as not a server address (not reported as unreachable).
    """
    address = address.strip().rstrip("/")
    if "://" not in address and "@" in address:
        address = address.rsplit("@", 1)[1]  # @shop@mastodon.social -> mastodon.social
    if "://" not in address:
        address = "https://" + address
    try:
        parts = urlsplit(address)
        hostname, port = parts.hostname, parts.port
    except ValueError:
        hostname = port = None
    if not hostname or "@" in parts.netloc or not _host_shaped(hostname):
        raise InsecureServer(f"not a server address: {address[:80]!r}", user_message=NOT_A_SERVER)
    del port  # read only to refuse a port that is not a number
    if parts.scheme != "https" and not (parts.scheme == "http" and is_loopback(hostname)):
        raise InsecureServer(f"refusing {parts.scheme}:// to {parts.hostname}")
    return f"{parts.scheme}://{parts.netloc}"


_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def _host_shaped(hostname: str) -> bool:
    """A dotted DNS name (IDNA allowed), an IP address or localhost: something that can be
    a server, before asking the network."""
    if is_loopback(hostname):
        return True
    try:
        ipaddress.ip_address(hostname.strip("[]"))
        return True
    except ValueError:
        pass
    try:
        ascii_name = hostname.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    labels = ascii_name.lower().split(".")
    return len(labels) >= 2 and all(_HOST_LABEL.match(label) for label in labels)


@dataclass(frozen=True, slots=True)
class Response:
    """A fully read, size-checked response."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    url: str

    def json(self) -> Any:
        try:
            text = self.body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadResponse(f"{self.url}: not UTF-8 ({exc.reason})") from exc
        return decode_json(text, self.url)


def decode_json(text: str, where: str) -> Any:
    """json.loads that only ever fails with BadResponse, and never returns unstorable text.

    Too-deep nesting (RecursionError in json) is refused; lone surrogates from
    `\\ud800` escapes (which SQLite and Qt cannot store or show) become U+FFFD.
    """
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise BadResponse(f"{where}: malformed JSON ({type(exc).__name__})") from exc
    return scrub(data, where)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean(text: str) -> str:
    """Lone surrogates (only reachable through JSON escapes) become U+FFFD."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def scrub(data: Any, where: str = "response", depth: int = 0) -> Any:
    """Decoded JSON with lone surrogates replaced; deeper than MAX_JSON_DEPTH is refused."""
    if depth > MAX_JSON_DEPTH:
        raise BadResponse(f"{where}: JSON nested deeper than {MAX_JSON_DEPTH} levels")
    if isinstance(data, str):
        return _clean(data)
    if isinstance(data, list):
        return [scrub(v, where, depth + 1) for v in data]
    if isinstance(data, dict):
        return {_clean(k): scrub(v, where, depth + 1) for k, v in data.items()}
    return data


def reset_in_seconds(value: str | None) -> float | None:
    """Seconds until an X-RateLimit-Reset moment: ISO 8601 (Mastodon) or Unix epoch seconds."""
    if not value:
        return None
    value = value.strip()
    try:
        number = float(value)
    except ValueError:
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return max(0.0, moment.timestamp() - time.time())
    # A big number is an epoch timestamp, a small one a delay in seconds.
    return max(0.0, number - time.time()) if number > 1e9 else max(0.0, number)


def retry_after_seconds(headers: Mapping[str, str], default: float = 60.0) -> float:
    """Seconds to wait from Retry-After (seconds or HTTP date), else X-RateLimit-Reset."""
    value = headers.get("Retry-After")
    if not value:
        reset = reset_in_seconds(headers.get("X-RateLimit-Reset"))
        return default if reset is None else reset
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return default


# ---------------------------------------------------------------- the whole-request deadline


class _Deadline:
    """Hangs up a request that outlives its time, whatever stage it is stuck in.

    A per-read timeout never fires when a server sends a byte every second (of
    the TLS handshake, the status line, the headers or the body). While a request
    runs, every socket it opens or reuses is registered here; at the deadline the
    one watcher thread (deadline_watch) shuts them down, which wakes the blocked
    read at once. A duplicate of each descriptor is kept, because TLS takes the
    original socket object over (and shutting a duplicate shuts the one
    connection both name).
    """

    _current = threading.local()

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self.finished = False  # the request is over: the watcher leaves it alone
        self._hanging_up = False  # the watcher is shutting our duplicates down right now
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def __enter__(self) -> _Deadline:
        _Deadline._current.value = self
        deadline_watch.WATCH.watch(time.monotonic() + max(0.0, self.seconds), self)
        return self

    def __exit__(self, *exc: object) -> None:
        _Deadline._current.value = None
        with self._lock:
            self.finished = True
            if self._hanging_up:
                return  # the watcher closes the duplicates once it is done with them
            kept, self._sockets = self._sockets, []
        _close_all(kept)

    @classmethod
    def watch(cls, sock: socket.socket | None) -> None:
        """Put `sock` under the running request's deadline (no request: nothing to do)."""
        current: _Deadline | None = getattr(cls._current, "value", None)
        if current is None or sock is None:
            return
        try:
            dup = socket.socket(fileno=os.dup(sock.fileno()))
        except OSError:  # already closed
            return
        with current._lock:
            current._sockets.append(dup)
            expired = current.expired
        if expired:
            _hang_up(dup)

    def expire(self) -> None:
        """The watcher's call at the deadline. The sockets are shut outside the lock, so
        the request's own thread never waits behind a hang-up; closing the duplicates
        is left to whoever comes last, so no descriptor is closed while being shut."""
        with self._lock:
            if self.finished:
                return
            self.expired = True
            self._hanging_up = True
            sockets = list(self._sockets)
        for sock in sockets:
            _hang_up(sock)
        with self._lock:
            self._hanging_up = False
            kept: list[socket.socket] = []
            if self.finished:
                kept, self._sockets = self._sockets, []
        _close_all(kept)


def _close_all(duplicates: list[socket.socket]) -> None:
    for dup in duplicates:
        dup.close()  # only our duplicate: the connection itself stays as it is


def _hang_up(sock: socket.socket) -> None:
    """Shut the connection down in both directions: a blocked read returns at once."""
    with contextlib.suppress(OSError):  # already closed
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


class _WatchedHTTPConnection(urllib3.connection.HTTPConnection):
    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        _Deadline.watch(sock)
        return sock

    def request(self, *args: Any, **kwargs: Any) -> None:
        _Deadline.watch(self.sock)  # a kept-alive connection brings its socket along
        super().request(*args, **kwargs)


class _WatchedHTTPSConnection(urllib3.connection.HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        _Deadline.watch(sock)  # before the TLS handshake, which can trickle too
        return sock

    def request(self, *args: Any, **kwargs: Any) -> None:
        _Deadline.watch(self.sock)
        super().request(*args, **kwargs)


class _WatchedHTTPPool(urllib3.connectionpool.HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(urllib3.connectionpool.HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class _DeadlineAdapter(requests.adapters.HTTPAdapter):
    """requests' adapter, with connections whose sockets the deadline can hang up."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _WatchedHTTPPool,
            "https": _WatchedHTTPSPool,
        }


# ---------------------------------------------------------------- the session


class HttpSession:
    """One requests.Session per account; credentials never leave for another host."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: tuple[float, float] = TIMEOUT,
        max_seconds: float = MAX_SECONDS,
        connections: int = 1,
    ) -> None:
        """`connections`: requests this session may have in flight at once (from as many
        threads); that many kept-alive connections per host are pooled for re-use."""
        self.base_url = normalise_server(base_url)
        self.timeout = timeout
        self.max_seconds = max_seconds
        self._session = requests.Session()
        self._session.headers["User-Agent"] = USER_AGENT
        self._session.trust_env = False  # never route loopback test traffic through a proxy
        self._session.verify = True  # certificate checks are never turned off
        # The APIs sign in with a header; a cookie a server or proxy sets is never kept or
        # sent back (and the jar is the one part of a session its threads would race on).
        self._session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
        pooled = max(connections, 1) + 1  # the fetching threads, and one for the caller's own
        adapter = _DeadlineAdapter(pool_maxsize=max(pooled, requests.adapters.DEFAULT_POOLSIZE))
        self._session.mount("https://", adapter)
        self._session.mount("http://", adapter)

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> HttpSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def request(
        self,
        method: str,
        path_or_url: str,
        *,
        params: Any = None,
        json_body: Any = None,
        data: Any = None,
        headers: Mapping[str, str] | None = None,
        check: bool = True,
    ) -> Response:
        """`check=False` hands 429/5xx back unraised, for clients that read their bodies/headers."""
        url = self._checked_url(path_or_url, headers)
        _remember_credentials(headers, json_body, data)
        deadline = time.monotonic() + self.max_seconds
        with _Deadline(self.max_seconds) as watch:
            try:
                resp = self._session.request(
                    method,
                    url,
                    params=params,
                    json=json_body,
                    data=data,
                    headers=dict(headers or {}),
                    timeout=self.timeout,
                    stream=True,
                    allow_redirects=False,
                )
            except requests.RequestException as exc:
                if watch.expired:  # the deadline hung up (a handshake may read as a timeout)
                    raise _too_long(method, url) from exc
                if isinstance(exc, requests.Timeout):
                    raise ServerUnreachable(f"{method} {_safe(url)}: timed out") from exc
                raise ServerUnreachable(f"{method} {_safe(url)}: {type(exc).__name__}") from exc
            try:
                body = self._read_capped(resp, _safe(url), deadline)
            except ServerUnreachable as exc:
                if watch.expired:
                    raise _too_long(method, url) from exc
                raise
            finally:
                resp.close()
            if watch.expired:  # hung up mid-body: what was read is not the whole answer
                raise _too_long(method, url)
        result = Response(resp.status_code, resp.headers, body, url)
        if check:
            self._raise_common(result)
        return result

    def _checked_url(self, path_or_url: str, headers: Mapping[str, str] | None) -> str:
        """A path joins base_url; a full URL must be https (or loopback http), and a
        request carrying credentials may only go to the session's own server."""
        if "://" not in path_or_url:
            return self.base_url + path_or_url
        origin = normalise_server(path_or_url)  # raises InsecureServer for http://elsewhere
        carries_secret = any(
            k.lower() in ("authorization", "proxy-authorization") for k in (headers or {})
        )
        if carries_secret and origin.lower() != self.base_url.lower():
            raise InsecureServer(
                f"refusing to send credentials to {urlsplit(origin).hostname}",
                user_message="The server tried to send Shopkeep's sign-in to another "
                "server. Shopkeep refused.",
            )
        return path_or_url

    @staticmethod
    def _read_capped(resp: requests.Response, url: str, deadline: float) -> bytes:
        """The body, refusing more than MAX_BODY_BYTES or a trickle that outlasts `deadline`.

        `read1` returns what one socket read brings, so the clock is checked even
        when a server sends one byte at a time (a per-read timeout never fires then).
        """
        declared = resp.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            raise BadResponse(f"{url}: response of {declared} bytes refused")
        chunks: list[bytes] = []
        size = 0
        try:
            while True:
                if time.monotonic() > deadline:
                    raise ServerUnreachable(f"{url}: the answer took too long; stopped reading")
                chunk = resp.raw.read1(64 * 1024, decode_content=True)
                if not chunk:
                    break
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    raise BadResponse(f"{url}: response over {MAX_BODY_BYTES} bytes refused")
                chunks.append(chunk)
        except urllib3.exceptions.DecodeError as exc:
            raise BadResponse(f"{url}: a compressed answer that does not unpack") from exc
        except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
            raise ServerUnreachable(
                f"{url}: connection broke while reading ({type(exc).__name__})"
            ) from exc
        return b"".join(chunks)

    @staticmethod
    def _raise_common(resp: Response) -> None:
        if resp.status == 429:
            raise RateLimited(f"{resp.url}: 429", retry_after=retry_after_seconds(resp.headers))
        if 500 <= resp.status < 600:
            raise ServerError(f"{resp.url}: HTTP {resp.status}")
        if 300 <= resp.status < 400:
            location = _safe(resp.headers.get("Location") or "")
            raise BadResponse(f"{_safe(resp.url)}: redirect to {location!r} not followed")


def _remember_credentials(headers: Mapping[str, str] | None, *bodies: Any) -> None:
    """Every credential a request carries is remembered, so an echo of it is never kept."""
    for key, value in (headers or {}).items():
        if key.lower() in ("authorization", "proxy-authorization") and isinstance(value, str):
            known_secrets.remember(value.split(None, 1)[-1].strip())
    for body in bodies:
        if isinstance(body, Mapping):
            for key, value in body.items():
                if key in SECRET_FIELDS and isinstance(value, str):
                    known_secrets.remember(value)


def _too_long(method: str, url: str) -> ServerUnreachable:
    return ServerUnreachable(f"{method} {_safe(url)}: the whole request took too long; hung up")


def _safe(url: str) -> str:
    """A URL fit for logs and error details: secret-looking query values hidden."""
    return redact(url) if "?" in url else url
