"""Indexes only a team database needs: the window's counts, read from small indexes.

Opening the inbox counts threads per folder and the unread ones. SQLite counts a
b-tree's entries quickly; PostgreSQL visits every matching row unless an index
holds exactly those rows, and on 39,000 threads the Complaints and unread counts
were most of what opening the inbox cost (9 and 13 ms; 0.6 and 3 ms with these).
The predicates are the very conditions `thread_queries` writes, so the planner can
use them; each holds only the thread id. Made when missing, at every open.
"""

from __future__ import annotations

import peewee

from app.core import models as m
from app.storage.convert import LABEL_RANK
from app.storage.raw_sql import execute

S = m.ThreadStatus

_NEEDS, _REPLIED, _DONE = (f"'{s.value}'" for s in (S.NEEDS_REPLY, S.REPLIED, S.DONE))
_NEGATIVE = m.SentimentLabel.NEGATIVE
COUNT_INDEXES = {
    # thread_queries.unread_threads
    "thread_open_unread": f"unread_count > 0 AND status IN ({_NEEDS}, {_REPLIED})",
    # thread_queries.folder_condition(Folder.NEGATIVE)
    "thread_open_negative": (
        f"worst_label = '{_NEGATIVE.value}' AND worst_rank = {LABEL_RANK[_NEGATIVE]} "
        f"AND status <> {_DONE}"
    ),
}


def create_count_indexes(db: peewee.Database) -> None:
    """Each index made only when missing: only the owner of the tables may create one
    (even IF NOT EXISTS asks), and a login granted only their use opens the inbox too."""
    for name, where in COUNT_INDEXES.items():
        (missing,) = execute(db, "SELECT to_regclass(%s) IS NULL", (name,)).fetchone()
        if missing:
            execute(db, f"CREATE INDEX {name} ON thread (id) WHERE {where}")
