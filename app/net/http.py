"""The HTTP layer both clients share: timeouts, size cap, https-only, typed errors.

Network-specific error shapes (Mastodon's 401 text, Bluesky's 400 ExpiredToken)
are mapped by each client; this module maps what every server has in common.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import requests

from app import __version__
from app.core.errors import BadResponse, InsecureServer, RateLimited, ServerError, ServerUnreachable

log = logging.getLogger(__name__)

USER_AGENT = f"Shopkeep/{__version__} (desktop inbox for small businesses)"
TIMEOUT = (5.0, 20.0)  # connect, read
MAX_BODY_BYTES = 10 * 1024 * 1024  # a page of mentions is far smaller; refuse anything bigger


def is_loopback(host: str) -> bool:
    if host in ("localhost",):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def normalise_server(address: str) -> str:
    """'example.social' -> 'https://example.social'; refuses plain http except loopback."""
    address = address.strip().rstrip("/")
    if "://" not in address:
        address = "https://" + address
    parts = urlsplit(address)
    if not parts.hostname:
        raise InsecureServer(f"not a server address: {address!r}",
                             user_message="That does not look like a server address.")
    if parts.scheme != "https" and not (parts.scheme == "http" and is_loopback(parts.hostname)):
        raise InsecureServer(f"refusing {parts.scheme}:// to {parts.hostname}")
    return f"{parts.scheme}://{parts.netloc}"


@dataclass(frozen=True, slots=True)
class Response:
    """A fully read, size-checked response."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    url: str

    def json(self) -> Any:
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BadResponse(f"{self.url}: not JSON ({exc})") from exc


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


class HttpSession:
    """One requests.Session per account; credentials never leave for another host."""

    def __init__(self, base_url: str, *, timeout: tuple[float, float] = TIMEOUT) -> None:
        self.base_url = normalise_server(base_url)
        self.timeout = timeout
        self._session = requests.Session()
        self._session.headers["User-Agent"] = USER_AGENT
        self._session.trust_env = False  # never route loopback test traffic through a proxy

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
        url = path_or_url if "://" in path_or_url else self.base_url + path_or_url
        try:
            resp = self._session.request(
                method, url, params=params, json=json_body, data=data,
                headers=dict(headers or {}), timeout=self.timeout,
                stream=True, allow_redirects=False,
            )
        except requests.Timeout as exc:
            raise ServerUnreachable(f"{method} {url}: timed out") from exc
        except requests.RequestException as exc:
            raise ServerUnreachable(f"{method} {url}: {type(exc).__name__}") from exc
        try:
            body = self._read_capped(resp, url)
        finally:
            resp.close()
        result = Response(resp.status_code, resp.headers, body, url)
        if check:
            self._raise_common(result)
        return result

    @staticmethod
    def _read_capped(resp: requests.Response, url: str) -> bytes:
        declared = resp.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            raise BadResponse(f"{url}: response of {declared} bytes refused")
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in resp.iter_content(64 * 1024):
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    raise BadResponse(f"{url}: response over {MAX_BODY_BYTES} bytes refused")
                chunks.append(chunk)
        except requests.RequestException as exc:
            raise ServerUnreachable(f"{url}: connection broke while reading") from exc
        return b"".join(chunks)

    @staticmethod
    def _raise_common(resp: Response) -> None:
        if resp.status == 429:
            raise RateLimited(f"{resp.url}: 429", retry_after=retry_after_seconds(resp.headers))
        if 500 <= resp.status < 600:
            raise ServerError(f"{resp.url}: HTTP {resp.status}")
        if 300 <= resp.status < 400:
            location = resp.headers.get("Location")
            raise BadResponse(f"{resp.url}: redirect to {location!r} not followed")
