"""Fetching one photo a customer posted, only when the owner asks for it.

Only https (loopback http for tests, as everywhere in the client), no cookies
or credentials, a size cap read as the bytes arrive, and the first bytes must
be a PNG, JPEG or WebP whatever the server's Content-Type says. The bytes
are decoded later, by Qt in the UI; nothing here interprets them.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import requests

from app.core.errors import PhotoRefused, ServerError, ServerUnreachable
from app.net.http import TIMEOUT, USER_AGENT, is_loopback

MAX_PHOTO_BYTES = 16 * 1024 * 1024  # a phone photo is 2-8 MB; servers resize to less
_CHUNK = 64 * 1024


def image_type(data: bytes) -> str | None:
    """The image format the first bytes announce, or None when they announce none we show."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def check_photo_url(url: str) -> None:
    """https only; plain http only to this machine (the test servers)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if not host or not (parts.scheme == "https" or (parts.scheme == "http" and is_loopback(host))):
        raise PhotoRefused(
            f"not an https address: {parts.scheme}://{host}",
            user_message="This photo is not on a secure (https) address, "
            "so Shopkeep does not load it.",
        )


class PhotoFetcher:
    """Downloads photo bytes; one per app, safe to call from pool threads."""

    def __init__(
        self, *, max_bytes: int = MAX_PHOTO_BYTES, timeout: tuple[float, float] = TIMEOUT
    ) -> None:
        self.max_bytes = max_bytes
        self.timeout = timeout

    def fetch(self, url: str) -> bytes:
        check_photo_url(url)
        try:
            with requests.Session() as session:
                session.trust_env = False  # no proxy settings, no .netrc credentials
                session.headers["User-Agent"] = USER_AGENT
                with session.get(
                    url, stream=True, timeout=self.timeout, allow_redirects=False
                ) as reply:
                    return self._read(reply)
        except requests.RequestException as exc:
            raise ServerUnreachable(f"photo: {type(exc).__name__}") from exc

    def _read(self, reply: requests.Response) -> bytes:
        if reply.status_code >= 500:
            raise ServerError(f"photo: HTTP {reply.status_code}")
        if reply.status_code != 200:
            raise PhotoRefused(f"photo: HTTP {reply.status_code}")
        declared = reply.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if declared and not declared.startswith(("image/", "application/octet-stream")):
            raise PhotoRefused(f"photo: content type {declared[:60]}")
        length = reply.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > self.max_bytes:
            raise _too_big(int(length))
        data = bytearray()
        for chunk in reply.iter_content(_CHUNK):
            data += chunk
            if len(data) > self.max_bytes:
                raise _too_big(len(data))
        if image_type(bytes(data[:16])) is None:
            raise PhotoRefused("photo: the bytes are not a PNG, JPEG or WebP image")
        return bytes(data)


def _too_big(size: int) -> PhotoRefused:
    return PhotoRefused(
        f"photo: {size} bytes is over the cap",
        user_message=f"This photo is too large to load ({size // (1024 * 1024)} MB or more).",
    )
