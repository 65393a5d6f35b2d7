"""One outbox sender per account across processes (the window and `python -m app sync`).

An OS file lock rather than a timestamp in the row: the system drops it the
moment its holder dies, even by kill -9. So a reply a crash left 'sending' is
taken over on the next pass, while one that a live process is still sending
is never touched.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.core.outbox import SendLock

log = logging.getLogger(__name__)

if sys.platform == "win32":
    import msvcrt

    def try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # the first byte; the file is empty
        except OSError:
            return False
        return True

    def unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


@contextmanager
def hold(path: Path) -> Iterator[SendLock]:
    """Take the lock at `path` if nobody holds it, without waiting; yields OURS or OTHERS.

    If the lock file cannot be made (a read-only or full disk), the pass goes on
    UNLOCKED: the idempotency key and the items' lease keep a reply from going out twice.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        log.warning("cannot use the send lock %s (%s); sending without it", path.name, exc)
        yield SendLock.UNLOCKED
        return
    try:
        got = try_lock(fd)
        try:
            yield SendLock.OURS if got else SendLock.OTHERS
        finally:
            if got:
                unlock(fd)
    finally:
        os.close(fd)
