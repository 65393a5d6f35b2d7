"""Who owns a data folder right now: the window, a `shopkeep sync`, a restore.

OS file locks beside the database file (the same kind as the send lock), so the
system drops them the moment their holder dies, even by kill -9: a crash never
leaves a folder locked. The holder writes its process id into the file, so the
one that has to wait can say who it waits for.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from pathlib import Path

from app.storage.send_lock import try_lock, unlock

log = logging.getLogger(__name__)

WINDOW_LOCK = ".window.lock"  # held by the window for its whole life
SYNC_LOCK = ".sync.lock"  # held by `shopkeep sync` while it runs


class FolderLock:
    """One lock file beside the database; `acquire` never blocks, `wait` is bounded."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._fd: int | None = None
        self.usable = True  # False: the file could not be made (read-only folder)

    @property
    def held(self) -> bool:
        return self._fd is not None or not self.usable

    def acquire(self) -> bool:
        """Take the lock if nobody holds it; True when it is ours.

        A lock file that cannot be made (read-only or full disk) does not stop the
        owner: it counts as ours, with a warning, and the work goes on unguarded.
        """
        if self._fd is not None:
            return True
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            log.warning("cannot use the lock %s (%s); going on without it", self.path.name, exc)
            self.usable = False
            return True
        if not try_lock(fd):
            os.close(fd)
            return False
        self._fd = fd
        try:
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, str(os.getpid()).encode())
        except OSError:
            pass  # the pid is only for messages
        return True

    def wait(
        self, seconds: float, *, poll: float = 0.1, on_wait: Callable[[], None] | None = None
    ) -> bool:
        """Try for up to `seconds` (a bounded wait, never forever); True once it is ours.

        `on_wait` runs once, the first time the lock is found taken (to say so)."""
        deadline = time.monotonic() + seconds
        told = False
        while not self.acquire():
            if not told and on_wait is not None:
                on_wait()
                told = True
            if time.monotonic() >= deadline:
                return False
            time.sleep(poll)
        return True

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            unlock(fd)
        finally:
            os.close(fd)

    def holder_pid(self) -> int | None:
        """The process id the holder wrote, if it can be read."""
        try:
            text = self.path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return None
        return int(text) if text.isdigit() else None

    def __enter__(self) -> FolderLock:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


def window_lock(db_path: Path) -> FolderLock:
    """The window's claim on the database: one window per data folder."""
    return FolderLock(Path(db_path).with_name(Path(db_path).name + WINDOW_LOCK))


def sync_lock(db_path: Path) -> FolderLock:
    """One `shopkeep sync` at a time per data folder (cron overlapping a manual run)."""
    return FolderLock(Path(db_path).with_name(Path(db_path).name + SYNC_LOCK))
