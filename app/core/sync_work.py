"""Sync work written down before it runs: the job rows and when a failing one is retried.

A sync stores each mentions page together with the list of conversations still
to fetch (one transaction), and deletes a job in the transaction that stores its
conversation. Whatever stops a sync (kill -9, a dropped network, a 503), the
next one starts with what is left, so nothing is skipped for good.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

CONVERSATION = "conversation"  # fetch the conversation around one post

FREE_RETRIES = 2  # a job that failed this often is still tried on the very next sync
FIRST_WAIT = timedelta(minutes=5)
LONGEST_WAIT = timedelta(hours=6)


@dataclass(frozen=True, slots=True)
class SyncJob:
    """One piece of sync work still to do for an account."""

    id: int
    account_id: int
    kind: str
    remote_id: str
    attempts: int = 0
    last_error: str = ""


def retry_at(attempts: int, now: datetime) -> datetime | None:
    """When a job that has failed `attempts` times may run again (None: next sync).

    A server hiccup costs nothing; a conversation the server keeps failing on waits
    5 min, 10, 20... up to 6 hours, so it never holds up the rest.
    """
    if attempts <= FREE_RETRIES:
        return None
    doubled: int = 2 ** min(attempts - FREE_RETRIES - 1, 16)  # typeshed: int ** int is Any
    wait = FIRST_WAIT * doubled
    return now + min(wait, LONGEST_WAIT)
