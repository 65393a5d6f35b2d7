"""Filters above the thread list: account, network, sentiment, status and date.

Each combo sets one `ThreadQuery` field through `MainWindow.narrow`, so the
store does the filtering in SQL (and search via FTS5) and the list shows the
first page at once. When the folder list changes the query (an account in the
side pane sets `account_id`), the combos follow the query, never the reverse.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtWidgets import QComboBox, QGridLayout, QToolButton, QVBoxLayout, QWidget

from app.core.models import Account, Network, SentimentLabel, ThreadStatus
from app.core.ports import ThreadQuery
from app.ui import theme

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

E = TypeVar("E", bound=StrEnum)

SENTIMENTS = (
    ("Any feeling", None),
    ("Complaint", SentimentLabel.NEGATIVE),
    ("Neutral", SentimentLabel.NEUTRAL),
    ("Praise", SentimentLabel.POSITIVE),
)
STATUSES = (
    ("Any status", None),
    ("Needs reply", ThreadStatus.NEEDS_REPLY),
    ("Replied", ThreadStatus.REPLIED),
    ("Done", ThreadStatus.DONE),
    ("Snoozed", ThreadStatus.SNOOZED),
)
DATES: tuple[tuple[str, timedelta | None], ...] = (
    ("Any time", None),
    ("Today", timedelta(days=1)),
    ("Last 7 days", timedelta(days=7)),
    ("Last 30 days", timedelta(days=30)),
)


def utc_now() -> datetime:
    return datetime.now(UTC)


def _enum(kind: type[E], value: object) -> E | None:
    """Combo data comes back from Qt as plain str: turn it into the enum again."""
    return kind(str(value)) if value is not None else None


class FilterBar(QWidget):
    """Five small combos in two rows and a "Clear" button; each change narrows the query."""

    def __init__(
        self,
        window: MainWindow,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("filterBar")
        self.window_ = window
        self.clock = clock
        self._following = False
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 6, 8, 6)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(4)
        self.account = self._combo("Filter by account", [("All accounts", None)])
        self._name_combo()
        self.network = self._combo(
            "Filter by network",
            [("Any network", None)] + [(theme.NETWORK_NAMES[n], n) for n in Network],
        )
        self.sentiment = self._combo("Filter by feeling", list(SENTIMENTS))
        self.status = self._combo("Filter by status", list(STATUSES))
        self.date = self._combo("Filter by date", list(DATES))
        grid.addWidget(self.account, 0, 0)
        grid.addWidget(self.network, 0, 1)
        for column, combo in enumerate((self.sentiment, self.status, self.date)):
            grid.addWidget(combo, 1, column)
            grid.setColumnStretch(column, 1)
        self.clear = QToolButton(self)
        self.clear.setText("Clear")
        self.clear.setToolTip("Show every conversation of this folder again")
        self.clear.setAutoRaise(True)
        self.clear.clicked.connect(self.reset)
        grid.addWidget(self.clear, 0, 2)
        window.accounts_loaded.connect(self.set_accounts)
        window.thread_model.modelReset.connect(self.follow_query)
        self.follow_query()

    def _combo(self, name: str, items: list[tuple[str, Any]]) -> QComboBox:
        combo = QComboBox(self)
        combo.setAccessibleName(name)
        combo.setToolTip(name)
        # As wide as its longest choice: a filter never reads "Any fee" (see the README).
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for text, value in items:
            combo.addItem(text, value)
        combo.currentIndexChanged.connect(lambda _i: self.apply())
        return combo

    def _name_combo(self) -> None:
        """Account names can be long: that combo alone elides, at a fixed minimum."""
        self.account.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.account.setMinimumContentsLength(8)

    def set_accounts(self, accounts: list[Account]) -> None:
        """Keep the account combo in step with the side pane's accounts."""
        current = self.account.currentData()
        self._following = True
        try:
            self.account.clear()
            self.account.addItem("All accounts", None)
            for a in accounts:
                self.account.addItem(f"{theme.NETWORK_NAMES[a.network]} {a.handle}", a.id)
            index = self.account.findData(current)
            self.account.setCurrentIndex(max(0, index))
        finally:
            self._following = False

    def apply(self) -> None:
        """Push the combos into the window's query (one reset, then the first page)."""
        if self._following:
            return
        span = self.date.currentData()
        self.window_.narrow(
            account_id=self.account.currentData(),
            network=_enum(Network, self.network.currentData()),
            label=_enum(SentimentLabel, self.sentiment.currentData()),
            status=_enum(ThreadStatus, self.status.currentData()),
            since=self.clock() - span if span is not None else None,
        )

    def follow_query(self) -> None:
        """Show what the query holds (the side pane may have changed the account)."""
        query: ThreadQuery = self.window_.query
        self._following = True
        try:
            for combo, value in (
                (self.account, query.account_id),
                (self.network, query.network),
                (self.sentiment, query.label),
                (self.status, query.status),
            ):
                index = combo.findData(value)
                if index >= 0:
                    combo.setCurrentIndex(index)
            if query.since is None:
                self.date.setCurrentIndex(0)
        finally:
            self._following = False
        narrowed = any(
            v is not None for v in (query.network, query.label, query.status, query.since)
        )
        self.clear.setEnabled(narrowed or self.account.currentIndex() > 0)

    def reset(self) -> None:
        self._following = True
        try:
            for combo in (self.account, self.network, self.sentiment, self.status, self.date):
                combo.setCurrentIndex(0)
        finally:
            self._following = False
        self.apply()


def install_filter_bar(window: MainWindow) -> FilterBar:
    """Put the filter bar above the thread list (the list keeps its place in the splitter)."""
    view = window.thread_view
    splitter = window.splitter
    index = splitter.indexOf(view)
    column = QWidget()  # no parent yet: a child of the splitter would be appended to it
    column.setObjectName("threadColumn")  # as narrow as the filters allow, never less
    box = QVBoxLayout(column)
    box.setContentsMargins(0, 0, 0, 0)
    box.setSpacing(0)
    bar = FilterBar(window, column)
    box.addWidget(bar)
    box.addWidget(view, 1)  # moves the view out of the splitter (replaceWidget would free it)
    splitter.insertWidget(index, column)
    splitter.setStretchFactor(index, 0)
    window.apply_default_split()  # the window's own split (inserting resets it)
    return bar
