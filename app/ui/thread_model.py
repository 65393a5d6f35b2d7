"""The thread list: a light list model over `InboxStore.list_threads`, paged lazily.

Rows are frozen `ThreadRow`s kept in a Python list. The row *count* lives in
C++: the model is a `QStringListModel` of empty strings, so `rowCount`/`index`
never call into Python. QListView re-lays out every row on each insert and asks
the model for an index per row: ~2 µs per row through a Python `rowCount`
(90 ms at 39k rows, on every page) against ~0.2 µs in C++. Every change goes
through the string list's own insert/remove/move/reset, so Qt sees the usual
signals; `_rows` changes in a slot connected first to the "done" signal, so
"about to" observers see the old rows and everyone after sees the new ones.

The model keeps only the pages the view asked
for (`canFetchMore`/`fetchMore`, 200 at a time). Each page continues after the
last loaded row (keyset paging on an index in the list's own order), so it takes
a few milliseconds at row 30,000 as at row 0, and `fetchMore` stays synchronous;
anything slower goes through the TaskRunner. Sync results come in through `insert_threads` /
`update_thread` / `remove_thread`, which insert, move or change single rows so
the selection and scroll position survive.
"""

from __future__ import annotations

import dataclasses
import logging
import sys
from collections.abc import Callable, Iterable
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QByteArray,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QStringListModel,
    Qt,
)

from app.core.models import Folder, SentimentLabel, ThreadRow, ThreadStatus
from app.core.ports import InboxStore, ThreadQuery
from app.ui.plain_tip import plain_tip
from app.ui.snooze_text import snoozed_words
from app.ui.theme import (
    NETWORK_NAMES,
    REPLY_STATE_WORDS,
    STATUS_WORDS,
    format_age,
    sentiment_word,
)

log = logging.getLogger(__name__)

PAGE_SIZE = 200

Index = QModelIndex | QPersistentModelIndex


# "Angriest first": negative, neutral, unscored, positive; then by score (same as the store).
ANGRY_RANK = {
    SentimentLabel.NEGATIVE: 0,
    SentimentLabel.NEUTRAL: 1,
    SentimentLabel.UNSCORED: 2,
    SentimentLabel.POSITIVE: 3,
}


class Roles(IntEnum):
    """Data roles of `ThreadListModel`; delegates and tests read rows through these."""

    ThreadRole = Qt.ItemDataRole.UserRole + 1  #: the whole ThreadRow
    ThreadIdRole = Qt.ItemDataRole.UserRole + 2  #: int thread id
    SentimentRole = Qt.ItemDataRole.UserRole + 3  #: SentimentLabel (worst post in the thread)
    CompoundRole = Qt.ItemDataRole.UserRole + 4  #: float, −1..+1, for sorting "angriest first"
    NetworkRole = Qt.ItemDataRole.UserRole + 5  #: Network
    AuthorRole = Qt.ItemDataRole.UserRole + 6  #: display name (or handle)
    HandleRole = Qt.ItemDataRole.UserRole + 7  #: handle
    SnippetRole = Qt.ItemDataRole.UserRole + 8  #: plain-text snippet of the latest mention
    LastActivityRole = Qt.ItemDataRole.UserRole + 9  #: aware datetime
    AgeRole = Qt.ItemDataRole.UserRole + 10  #: "5 min", "3 h", "2 d"
    UnreadRole = Qt.ItemDataRole.UserRole + 11  #: bool
    StatusRole = Qt.ItemDataRole.UserRole + 12  #: ThreadStatus
    SentimentWordRole = Qt.ItemDataRole.UserRole + 13  #: "Complaint" / "Praise" / ...
    ReasonsRole = Qt.ItemDataRole.UserRole + 14  #: tuple[str, ...] the scorer's reasons


def sort_key(row: ThreadRow, sort: str) -> tuple[Any, ...]:
    """The order the store returns rows in, so inserted rows land where a reload puts them."""
    ts = -row.last_activity.timestamp()
    if sort == "sentiment":
        return (ANGRY_RANK.get(row.worst_label, 2), row.worst_compound, ts, -row.id)
    return (ts, -row.id)


def slim(row: ThreadRow) -> ThreadRow:
    """What the list keeps of a row: no scorer reasons (read on demand through
    `ReasonsRole`), and one shared string per handle and name (39k rows, ~8k people)."""
    if not row.reasons and row.author_handle is sys.intern(row.author_handle):
        return row
    return ThreadRow(  # not dataclasses.replace: 5x slower, and a page has 200 rows
        id=row.id,
        account_id=row.account_id,
        network=row.network,
        author_handle=sys.intern(row.author_handle),
        author_name=sys.intern(row.author_name),
        snippet=row.snippet,
        last_activity=row.last_activity,
        status=row.status,
        worst_label=row.worst_label,
        worst_compound=row.worst_compound,
        unread=row.unread,
        post_count=row.post_count,
        is_demo=row.is_demo,
        snoozed_until=row.snoozed_until,
        reply_state=row.reply_state,
        draft=row.draft,
        reply_reason=row.reply_reason,
        assignee_id=row.assignee_id,
        assignee=sys.intern(row.assignee),
    )


def accessible_text(row: ThreadRow) -> str:
    """One sentence a screen reader can say for the row."""
    parts = [
        "Unread" if row.unread else "",
        sentiment_word(row.worst_label),
        f"from {row.author_name or row.author_handle} ({row.author_handle})",
        f"on {NETWORK_NAMES[row.network]}",
        f"{format_age(row.last_activity)} ago"
        if format_age(row.last_activity) != "now"
        else "just now",
        snoozed_words(row.snoozed_until)
        if row.status == ThreadStatus.SNOOZED
        else STATUS_WORDS[row.status],
        REPLY_STATE_WORDS.get(row.reply_state, ""),
        row.reply_reason,
        f"assigned to {row.assignee}" if row.assignee else "",
        f"{row.post_count} posts" if row.post_count != 1 else "1 post",
        row.snippet,
    ]
    return ", ".join(p for p in parts if p)


class ThreadListModel(QStringListModel):
    """Threads matching one `ThreadQuery`, newest activity (or angriest) first."""

    def __init__(self, store: InboxStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._query = ThreadQuery()
        self._rows: list[ThreadRow] = []
        self._ids: set[int] = set()  # of _rows, kept in step: no scan of 40k rows per page
        self._exhausted = False
        self._pending: list[Callable[[], None]] = []
        self._count = self  # the C++ string list (of empty strings) holds only the count
        for signal in (
            self.rowsInserted,
            self.rowsRemoved,
            self.rowsMoved,
            self.modelReset,
        ):  # connected first: runs before any view's slots
            signal.connect(self._apply_pending)

    def _apply_pending(self, *_args: object) -> None:
        while self._pending:
            self._pending.pop(0)()

    def _change(self, apply: Callable[[], None], qt_change: Callable[[], object]) -> None:
        """Run `qt_change` on the count model; `apply` changes `_rows` when Qt is told."""
        self._pending.append(apply)
        qt_change()
        self._apply_pending()  # in case Qt sent no signal

    # -- queries -------------------------------------------------------------

    @property
    def query(self) -> ThreadQuery:
        return self._query

    def set_query(self, query: ThreadQuery) -> None:
        """Show another folder/search/filter: a reset, then the first page."""

        def apply() -> None:
            self._query = query
            self._rows = []
            self._ids = set()
            self._exhausted = False

        self._change(apply, lambda: self._count.setStringList([]))
        if self.canFetchMore(QModelIndex()):
            self.fetchMore(QModelIndex())

    def reload(self) -> None:
        self.set_query(self._query)

    def row_for_id(self, thread_id: int) -> int:
        """The row of a thread, or -1 if it is not loaded."""
        if thread_id not in self._ids:
            return -1
        for i, row in enumerate(self._rows):
            if row.id == thread_id:
                return i
        return -1

    def thread_at(self, row: int) -> ThreadRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def loaded_rows(self) -> list[ThreadRow]:
        return list(self._rows)

    # -- lazy loading ----------------------------------------------------------

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._exhausted:
            return
        last = self._rows[-1] if self._rows else None  # keyset paging: no OFFSET walk
        page = self._store.list_threads(self._query, 0, PAGE_SIZE, after=last)
        if len(page) < PAGE_SIZE:
            self._exhausted = True
        known = self._ids
        page = [slim(r) for r in page if r.id not in known]  # live rows may come again
        if not page:
            return

        def apply() -> None:
            self._rows.extend(page)
            known.update(r.id for r in page)

        self._change(apply, lambda: self._count.insertRows(len(self._rows), len(page)))

    # -- live changes from sync and user actions --------------------------------

    def insert_threads(self, rows: Iterable[ThreadRow]) -> int:
        """Insert rows (already known to match the query) at their sorted place.

        Rows that sort after the last loaded row are left for `fetchMore`.
        Rows already present are updated instead. New rows that land in the same
        gap go in as one block, so a sync of many threads costs the view one
        insertion per gap, not one per thread. Returns how many were inserted.
        """
        sort = self._query.sort
        fresh: list[tuple[tuple[Any, ...], ThreadRow]] = []
        taken: set[int] = set()
        for row in map(slim, rows):
            if row.id in self._ids:
                self.update_thread(row)
            elif row.id not in taken:
                taken.add(row.id)
                fresh.append((sort_key(row, sort), row))
        fresh.sort(key=lambda pair: pair[0])
        blocks: list[tuple[int, list[ThreadRow]]] = []
        for key, row in fresh:
            pos = self._position(key)
            if pos == len(self._rows) and not self._exhausted:
                continue
            if blocks and blocks[-1][0] == pos:
                blocks[-1][1].append(row)
            else:
                blocks.append((pos, [row]))
        for pos, block in reversed(blocks):  # back to front: earlier positions stay valid
            self._insert_block(pos, block)
        return sum(len(block) for _pos, block in blocks)

    def _position(self, key: tuple[Any, ...], skip: int = -1) -> int:
        """Where `key` sorts among the loaded rows (leaving out row `skip`); no key list is
        kept (memory): the keys of the ~16 rows the bisection visits are computed."""
        sort, rows = self._query.sort, self._rows
        lo, hi = 0, len(rows) - (1 if skip >= 0 else 0)
        while lo < hi:
            mid = (lo + hi) // 2
            at = mid + 1 if 0 <= skip <= mid else mid
            if sort_key(rows[at], sort) < key:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def _insert_block(self, pos: int, block: list[ThreadRow]) -> None:
        def apply() -> None:
            self._rows[pos:pos] = block
            self._ids.update(r.id for r in block)

        self._change(apply, lambda: self._count.insertRows(pos, len(block)))

    def update_thread(self, row: ThreadRow) -> None:
        """Replace a loaded row; moves it when its sort position changed."""
        old = self.row_for_id(row.id)
        if old < 0:
            return
        row = slim(row)
        key = sort_key(row, self._query.sort)
        target = self._position(key, skip=old)
        if target == len(self._rows) - 1 and target != old and not self._exhausted:
            self.remove_thread(row.id)  # now sorts past the loaded pages; fetchMore brings it
            return
        self._rows[old] = row
        if target != old:
            dest = target + 1 if target > old else target  # Qt counts before the move
            self._change(
                lambda: self._rows.insert(target, self._rows.pop(old)),
                lambda: self._count.moveRows(QModelIndex(), old, 1, QModelIndex(), dest),
            )
        idx = self.index(target, 0)
        self.dataChanged.emit(idx, idx)

    def patch_thread(self, thread_id: int, **changes: Any) -> None:
        """Change a few fields of a loaded row (e.g. unread=False after opening it)."""
        pos = self.row_for_id(thread_id)
        if pos >= 0:
            self.update_thread(dataclasses.replace(self._rows[pos], **changes))

    def remove_thread(self, thread_id: int) -> None:
        pos = self.row_for_id(thread_id)
        if pos < 0:
            return

        def apply() -> None:
            del self._rows[pos]
            self._ids.discard(thread_id)

        self._change(apply, lambda: self._count.removeRows(pos, 1))

    def matches(self, row: ThreadRow) -> bool | None:
        """Whether a row belongs in the current query, or None if only the store can tell."""
        q = self._query
        if q.search or q.since or q.until:
            return None
        if q.account_id is not None and row.account_id != q.account_id:
            return False
        if q.network is not None and row.network != q.network:
            return False
        if q.label is not None and row.worst_label != q.label:
            return False
        if q.status is not None and row.status != q.status:
            return False
        folder_checks = {
            "all": True,
            "needs_reply": None
            if row.status == ThreadStatus.SNOOZED
            else row.status == ThreadStatus.NEEDS_REPLY,
            "negative": row.worst_label == SentimentLabel.NEGATIVE
            and row.status != ThreadStatus.DONE,
            "done": row.status == ThreadStatus.DONE,
            "snoozed": row.status == ThreadStatus.SNOOZED,
        }
        return folder_checks.get(Folder(q.folder).value)

    # -- Qt model API --------------------------------------------------------

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        match role:
            case Qt.ItemDataRole.DisplayRole:
                return f"{row.author_name or row.author_handle}: {row.snippet}"
            case Qt.ItemDataRole.AccessibleTextRole:
                return accessible_text(row)
            case Qt.ItemDataRole.ToolTipRole:  # a customer's words: shown, never rendered
                return plain_tip(accessible_text(row))
            case Roles.ThreadRole:
                return row
            case Roles.ThreadIdRole:
                return row.id
            case Roles.SentimentRole:
                return row.worst_label
            case Roles.CompoundRole:
                return row.worst_compound
            case Roles.NetworkRole:
                return row.network
            case Roles.AuthorRole:
                return row.author_name or row.author_handle
            case Roles.HandleRole:
                return row.author_handle
            case Roles.SnippetRole:
                return row.snippet
            case Roles.LastActivityRole:
                return row.last_activity
            case Roles.AgeRole:
                return format_age(row.last_activity)
            case Roles.UnreadRole:
                return row.unread
            case Roles.StatusRole:
                return row.status
            case Roles.SentimentWordRole:
                return sentiment_word(row.worst_label)
            case Roles.ReasonsRole:
                return self._reasons(row.id)
        return None

    def _reasons(self, thread_id: int) -> tuple[str, ...]:
        """The scorer's reasons are not kept per row (memory); read them when asked."""
        full = self._store.thread(thread_id)
        return full.reasons if full is not None else ()

    def roleNames(self) -> dict[int, QByteArray]:
        names = super().roleNames()
        for role in Roles:
            names[int(role)] = QByteArray((role.name[0].lower() + role.name[1:]).encode())
        return names
