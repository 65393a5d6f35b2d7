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

Two things keep a scroll through 39k rows smooth (issue 27). Rows are kept packed
(`pack`): plain tuples of ints, strings, floats and datetimes, which Python's cycle
collector stops tracking, so its full passes no longer walk every loaded row (39k
tracked `ThreadRow`s made each pass 15-40 ms on the GUI thread); a `ThreadRow` is
built again when asked for. And with a TaskRunner the page after the last one is
read ahead on a pool thread, so the view's `fetchMore` only appends it.
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

from app.core.models import Folder, Network, SentimentLabel, ThreadRow, ThreadStatus
from app.core.ports import InboxStore, ThreadQuery
from app.ui.plain_tip import plain_tip
from app.ui.snooze_text import snoozed_words
from app.ui.task_runner import TaskRunner
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


_NETWORKS = tuple(Network)
_STATUSES = tuple(ThreadStatus)
_LABELS = tuple(SentimentLabel)
_NETWORK_AT = {n: i for i, n in enumerate(_NETWORKS)}
_STATUS_AT = {s: i for i, s in enumerate(_STATUSES)}
_LABEL_AT = {label: i for i, label in enumerate(_LABELS)}
_RANK_OF_LABEL = tuple(ANGRY_RANK.get(label, 2) for label in _LABELS)

Packed = tuple[Any, ...]
# Field positions in a packed row; enums are stored as their index in the enum.
P_ID, P_NETWORK, P_HANDLE, P_NAME, P_SNIPPET, P_WHEN, P_STATUS, P_LABEL, P_SCORE = range(9)
P_UNREAD, P_POSTS, P_ACCOUNT, P_MORE = range(9, 13)


def pack(row: ThreadRow) -> Packed:
    """A row as the list keeps it: a tuple of untracked values (see the module's doc).

    The scorer's reasons are left out (read on demand through `ReasonsRole`), handles
    and names are shared strings (39k rows, ~8k people), and the rarely set fields go
    in one trailing tuple, or None."""
    more = None
    if (
        row.is_demo
        or row.snoozed_until is not None
        or row.reply_state
        or row.draft
        or row.reply_reason
        or row.assignee_id is not None
        or row.assignee
    ):
        more = (
            row.is_demo,
            row.snoozed_until,
            row.reply_state,
            row.draft,
            row.reply_reason,
            row.assignee_id,
            sys.intern(row.assignee),
        )
    return (
        row.id,
        _NETWORK_AT[row.network],
        sys.intern(row.author_handle),
        sys.intern(row.author_name),
        row.snippet,
        row.last_activity,
        _STATUS_AT[row.status],
        _LABEL_AT[row.worst_label],
        row.worst_compound,
        row.unread,
        row.post_count,
        row.account_id,
        more,
    )


# what a packed row's rarely set fields are when it has none of them (`more` is None)
_PLAIN_MORE = (False, None, "", "", "", None, "")


def unpack(p: Packed) -> ThreadRow:
    """The `ThreadRow` of a packed row (without its reasons, as the list keeps it)."""
    more = p[P_MORE] or _PLAIN_MORE
    is_demo, snoozed_until, reply_state, draft, reply_reason, assignee_id, assignee = more
    return ThreadRow(
        id=p[P_ID],
        account_id=p[P_ACCOUNT],
        network=_NETWORKS[p[P_NETWORK]],
        author_handle=p[P_HANDLE],
        author_name=p[P_NAME],
        snippet=p[P_SNIPPET],
        last_activity=p[P_WHEN],
        status=_STATUSES[p[P_STATUS]],
        worst_label=_LABELS[p[P_LABEL]],
        worst_compound=p[P_SCORE],
        unread=p[P_UNREAD],
        post_count=p[P_POSTS],
        is_demo=is_demo,
        snoozed_until=snoozed_until,
        reply_state=reply_state,
        draft=draft,
        reply_reason=reply_reason,
        assignee_id=assignee_id,
        assignee=assignee,
    )


def packed_key(p: Packed, sort: str) -> tuple[Any, ...]:
    """`sort_key` of a packed row, without building the row."""
    ts = -p[P_WHEN].timestamp()
    if sort == "sentiment":
        return (_RANK_OF_LABEL[p[P_LABEL]], p[P_SCORE], ts, -p[P_ID])
    return (ts, -p[P_ID])


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

    def __init__(
        self, store: InboxStore, parent: QObject | None = None, runner: TaskRunner | None = None
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._runner = runner  # reads the next page ahead; None: every page read inline
        self._query = ThreadQuery()
        self._rows: list[Packed] = []
        # id -> the packed row in _rows, kept in step: no scan of 40k rows per page or per
        # synced thread (its sort key finds its place by bisection)
        self._by_id: dict[int, Packed] = {}
        self._exhausted = False
        self._version = 0  # moves on with every change to the rows: a page read before is stale
        self._ahead: tuple[int, list[Packed]] | None = None  # (version, the next page)
        self._reading_ahead = False
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
        self._version += 1
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
            self._by_id = {}
            self._exhausted = False

        self._change(apply, lambda: self._count.setStringList([]))
        if self.canFetchMore(QModelIndex()):
            self.fetchMore(QModelIndex())

    def reload(self) -> None:
        self.set_query(self._query)

    def row_for_id(self, thread_id: int) -> int:
        """The row of a thread, or -1 if it is not loaded."""
        packed = self._by_id.get(thread_id)
        if packed is None:
            return -1
        rows = self._rows
        pos = self._position(packed_key(packed, self._query.sort))
        if pos < len(rows) and rows[pos][P_ID] == thread_id:
            return pos
        for i, other in enumerate(rows):  # not in key order (never seen): look at each
            if other[P_ID] == thread_id:
                return i
        return -1

    def thread_at(self, row: int) -> ThreadRow | None:
        return unpack(self._rows[row]) if 0 <= row < len(self._rows) else None

    def loaded_rows(self) -> list[ThreadRow]:
        return [unpack(p) for p in self._rows]

    # -- lazy loading ----------------------------------------------------------

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._exhausted:
            return
        ahead, self._ahead = self._ahead, None
        if ahead is not None and ahead[0] == self._version:
            page = ahead[1]  # read on a pool thread while the owner looked at the last one
        else:
            page = self._read_page(self._query, self.thread_at(len(self._rows) - 1))
        if len(page) < PAGE_SIZE:
            self._exhausted = True
        known = self._by_id
        page = [p for p in page if p[P_ID] not in known]  # live rows may come again
        if page:

            def apply() -> None:
                self._rows.extend(page)
                known.update((p[P_ID], p) for p in page)

            self._change(apply, lambda: self._count.insertRows(len(self._rows), len(page)))
        self._read_ahead()

    def _read_page(self, query: ThreadQuery, last: ThreadRow | None) -> list[Packed]:
        """The page after `last` (keyset paging: no OFFSET walk), packed."""
        return [pack(r) for r in self._store.list_threads(query, 0, PAGE_SIZE, after=last)]

    def _read_ahead(self) -> None:
        """Read the next page on a pool thread, so the view's next `fetchMore` only appends.

        A page read before any change to the rows is dropped (`_version`): a row synced
        meanwhile may belong in it."""
        if self._runner is None or self._exhausted or self._reading_ahead or not self._rows:
            return
        version, query, last = self._version, self._query, self.thread_at(len(self._rows) - 1)
        self._reading_ahead = True

        def done(page: list[Packed]) -> None:
            self._reading_ahead = False
            if version == self._version:
                self._ahead = (version, page)

        def failed(_exc: BaseException) -> None:
            self._reading_ahead = False  # the view's next fetchMore reads (and reports) it

        self._runner.run(
            lambda: self._read_page(query, last), done, failed, name="read the next page"
        )

    # -- live changes from sync and user actions --------------------------------

    def insert_threads(self, rows: Iterable[ThreadRow]) -> int:
        """Insert rows (already known to match the query) at their sorted place.

        Rows that sort after the last loaded row are left for `fetchMore`.
        Rows already present are updated instead. New rows that land in the same
        gap go in as one block, so a sync of many threads costs the view one
        insertion per gap, not one per thread. Returns how many were inserted.
        """
        sort = self._query.sort
        self._version += 1  # a row read ahead may have changed
        fresh: list[tuple[tuple[Any, ...], ThreadRow]] = []
        taken: set[int] = set()
        for row in rows:
            if row.id in self._by_id:
                self.update_thread(row)
            elif row.id not in taken:
                taken.add(row.id)
                fresh.append((sort_key(row, sort), row))
        fresh.sort(key=lambda pair: pair[0])
        blocks: list[tuple[int, list[Packed]]] = []
        for key, row in fresh:
            pos = self._position(key)
            if pos == len(self._rows) and not self._exhausted:
                continue
            if blocks and blocks[-1][0] == pos:
                blocks[-1][1].append(pack(row))
            else:
                blocks.append((pos, [pack(row)]))
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
            if packed_key(rows[at], sort) < key:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def _insert_block(self, pos: int, block: list[Packed]) -> None:
        def apply() -> None:
            self._rows[pos:pos] = block
            self._by_id.update((p[P_ID], p) for p in block)

        self._change(apply, lambda: self._count.insertRows(pos, len(block)))

    def update_thread(self, row: ThreadRow) -> None:
        """Replace a loaded row; moves it when its sort position changed."""
        old = self.row_for_id(row.id)
        if old < 0:
            return
        self._version += 1
        key = sort_key(row, self._query.sort)
        target = self._position(key, skip=old)
        if target == len(self._rows) - 1 and target != old and not self._exhausted:
            self.remove_thread(row.id)  # now sorts past the loaded pages; fetchMore brings it
            return
        self._rows[old] = self._by_id[row.id] = pack(row)
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
            self.update_thread(dataclasses.replace(unpack(self._rows[pos]), **changes))

    def remove_thread(self, thread_id: int) -> None:
        pos = self.row_for_id(thread_id)
        if pos < 0:
            return

        def apply() -> None:
            del self._rows[pos]
            self._by_id.pop(thread_id, None)

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
        packed = self._rows[index.row()]
        match role:  # the row is built only for the roles that need more than one field
            case Roles.ThreadRole:
                return unpack(packed)
            case Roles.ThreadIdRole:
                return packed[P_ID]
            case Roles.UnreadRole:
                return packed[P_UNREAD]
            case Roles.SnippetRole:
                return packed[P_SNIPPET]
            case Roles.HandleRole:
                return packed[P_HANDLE]
            case Roles.LastActivityRole:
                return packed[P_WHEN]
        row = unpack(packed)
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
