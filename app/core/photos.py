"""Where a photo's bytes come from: the disk cache first, else its server, then cached.

Plain Python: the fetcher (app/net) and the cache (app/storage) plug in here,
and main.py hands the result to the window, which only sees `PhotoSource`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol


class PhotoStore(Protocol):
    def get(self, url: str) -> bytes | None: ...

    def put(self, url: str, data: bytes) -> None: ...

    def forget(self, url: str) -> None: ...


class PhotoSource(Protocol):
    """What the UI asks for a photo; called on a pool thread, never on the GUI thread."""

    def photo(self, url: str) -> bytes: ...

    def forget(self, url: str) -> None:
        """The bytes did not decode: drop them so "Try again" asks the server."""


class CachedPhotos:
    """Cache first; a fetched photo is kept for next time. Errors pass through typed."""

    def __init__(self, fetch: Callable[[str], bytes], cache: PhotoStore) -> None:
        self._fetch = fetch
        self._cache = cache

    def photo(self, url: str) -> bytes:
        cached = self._cache.get(url)
        if cached is not None:
            return cached
        data = self._fetch(url)
        self._cache.put(url, data)
        return data

    def forget(self, url: str) -> None:
        self._cache.forget(url)
