"""One outbox sender, and one sync runner, per account across laptops: advisory locks.

The team's twin of send_lock.py's file lock. The lock lives on a connection of its
own, so the server drops it the moment its holder's connection goes (a crash, kill -9,
a laptop leaving the network), and a second holder in the same process (another
connection) is refused just as a second process is.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager

import peewee

from app.core.errors import StorageError
from app.storage.pg_driver import PostgresDatabase
from app.storage.raw_sql import execute

log = logging.getLogger(__name__)

# The first half of the two-key advisory lock: which kind of lock ("send" in ASCII);
# the second half is the account id.
SEND_LOCKS = 0x73656E64
# One sync runner per account across laptops ("sync" in ASCII).
SYNC_LOCKS = 0x73796E63
# A laptop that leaves the network without closing its connection (lid shut, Wi-Fi
# gone) would keep its locks until the server's TCP stack gives up, which can take
# hours. These per-session settings make the server probe an idle lock connection
# after 30 s and drop it after three unanswered probes 10 s apart: about a minute.
KEEPALIVES = {"tcp_keepalives_idle": 30, "tcp_keepalives_interval": 10, "tcp_keepalives_count": 3}


def lock_connection(db: peewee.PostgresqlDatabase) -> peewee.PostgresqlDatabase:
    """A connection of the lock's own to the same database, probed by the server's keepalives."""
    own = PostgresDatabase(db.database, **db.connect_params)
    try:
        own.connect()
        for name, seconds in KEEPALIVES.items():  # ignored on a Unix socket
            execute(own, f"SET {name} = {int(seconds)}")
    except peewee.OperationalError as exc:
        own.close()
        raise StorageError(
            "cannot reach the team database for a lock",
            user_message=(
                "Shopkeep could not reach the team database. It tries again at the next sync."
            ),
        ) from exc
    return own


@contextmanager
def hold(db: peewee.PostgresqlDatabase, kind: int, key: int) -> Iterator[bool]:
    """Try the lock (kind, key) without waiting; yields whether it is ours.

    Raises StorageError, in words for the owner, when the server cannot be reached."""
    own = lock_connection(db)
    try:
        (ours,) = execute(own, "SELECT pg_try_advisory_lock(%s, %s)", (kind, key)).fetchone()
        if not ours:
            log.info("Lock %x/%d is held by another connection", kind, key)
        try:
            yield bool(ours)
        finally:
            # At once: a closed session's locks go only when its backend has exited. A
            # connection already lost has lost its lock with it.
            if ours:
                with contextlib.suppress(peewee.DatabaseError, peewee.InterfaceError):
                    execute(own, "SELECT pg_advisory_unlock(%s, %s)", (kind, key))
    finally:
        own.close()
