"""Photos the owner chose to load, kept on disk so a thread opens without fetching again.

One file per address (named by its SHA-256, so no server text reaches a path),
private to the user, and a cap on the folder's total size: the least recently
used photos go first.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

from app.core.paths import PRIVATE_DIR, PRIVATE_FILE, make_private

DEFAULT_CAP_BYTES = 200 * 1024 * 1024


class PhotoCache:
    """A folder of photo bytes keyed by address, never larger than `cap_bytes` in total."""

    def __init__(self, folder: Path, cap_bytes: int = DEFAULT_CAP_BYTES) -> None:
        self.folder = folder
        self.cap_bytes = cap_bytes

    def _path(self, url: str) -> Path:
        return self.folder / (hashlib.sha256(url.encode()).hexdigest() + ".img")

    def get(self, url: str) -> bytes | None:
        path = self._path(url)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: evicted last
        return data

    def put(self, url: str, data: bytes) -> None:
        """Written whole (temp file + rename) so a crash never leaves half a photo."""
        if len(data) > self.cap_bytes:
            return
        self.folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
        make_private(self.folder, PRIVATE_DIR)
        fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".part")  # mkstemp: mode 0600
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.chmod(tmp, PRIVATE_FILE)
            os.replace(tmp, self._path(url))
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        self.trim()

    def forget(self, url: str) -> None:
        with contextlib.suppress(OSError):
            self._path(url).unlink()

    def size(self) -> int:
        return sum(size for _, size, _ in self._files())

    def trim(self) -> None:
        """Drop the least recently used photos until the folder fits under the cap."""
        files = sorted(self._files(), key=lambda f: f[2])
        total = sum(size for _, size, _ in files)
        for path, size, _ in files:
            if total <= self.cap_bytes:
                break
            with contextlib.suppress(OSError):
                path.unlink()
                total -= size

    def _files(self) -> list[tuple[Path, int, float]]:
        out = []
        with contextlib.suppress(OSError):
            for path in self.folder.glob("*.img"):
                with contextlib.suppress(OSError):
                    st = path.stat()
                    out.append((path, st.st_size, st.st_mtime))
        return out
