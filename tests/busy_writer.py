"""A stand-in for the open window in the one-owner tests: it keeps writing drafts.

`python -m tests.busy_writer DB THREAD_ID HOLD_SECONDS` saves a new draft of the
thread again and again through the store's own write transaction, each one held
open for HOLD_SECONDS (a slow disk, a big draft), and prints "saved N" after each
commit, flushed at once, so the test knows it is writing.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from app.storage import drafts
from app.storage.database import write_transaction
from app.storage.inbox_store import SqliteInboxStore


def main(db: str, thread_id: str, hold: str) -> None:
    store = SqliteInboxStore.open(Path(db))
    print("ready", flush=True)
    version = 0
    while True:
        version += 1
        with write_transaction(store.db):
            drafts.save_draft(int(thread_id), f"draft {version}: the parcel left today")
            time.sleep(float(hold))  # the write lane's transaction, still open
        print(f"saved {version}", flush=True)
        time.sleep(0.05)  # the owner types on


if __name__ == "__main__":
    main(*sys.argv[1:4])
