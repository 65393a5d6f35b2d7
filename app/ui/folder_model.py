"""The left pane: smart folders with live counts, then the accounts with their state.

A flat list model with header rows (not selectable) keeps keyboard navigation
and painting simple; `FolderDelegate` draws headers, icons and count badges.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from app.core.models import Account, AccountState, Folder
from app.ui import theme
from app.ui.palette import colour
from app.ui.plain_tip import plain_tip

Index = QModelIndex | QPersistentModelIndex

FOLDER_NAMES: dict[Folder, str] = {
    Folder.NEEDS_REPLY: "Needs reply",
    Folder.NEGATIVE: "Complaints",
    Folder.ALL: "All mentions",
    Folder.DONE: "Done",
    Folder.SNOOZED: "Snoozed",
    Folder.DRAFTS: "Drafts",
    Folder.OUTBOX: "Outbox",
    Folder.SENT: "Sent",
    Folder.MINE: "Mine",
}
FOLDER_ICONS: dict[Folder, str] = {f: f"folder-{f.value.replace('_', '-')}" for f in Folder}
# Folders whose count is work waiting for the owner: shown as a filled badge.
URGENT = {Folder.NEEDS_REPLY, Folder.NEGATIVE, Folder.OUTBOX}

STATE_WORDS: dict[AccountState, str] = {
    AccountState.CONNECTED: "Connected",
    AccountState.NEEDS_SIGN_IN: "Needs sign-in",
    AccountState.UNREACHABLE: "Offline",
    AccountState.DEMO: "Demo",
}


class FolderRoles(IntEnum):
    """Data roles of `FolderListModel`."""

    KindRole = Qt.ItemDataRole.UserRole + 1  #: "header", "folder" or "account"
    FolderRole = Qt.ItemDataRole.UserRole + 2  #: Folder (folder rows)
    AccountRole = Qt.ItemDataRole.UserRole + 3  #: Account (account rows)
    CountRole = Qt.ItemDataRole.UserRole + 4  #: int count, or None
    StateWordRole = Qt.ItemDataRole.UserRole + 5  #: account state in words


@dataclass(slots=True)
class _Entry:
    kind: str
    title: str
    folder: Folder | None = None
    account: Account | None = None


def _folder_entries() -> list[_Entry]:
    entries = [_Entry("header", "Inbox")]
    entries += [
        _Entry("folder", FOLDER_NAMES[f], folder=f)
        for f in (Folder.NEEDS_REPLY, Folder.NEGATIVE, Folder.ALL, Folder.DONE, Folder.SNOOZED)
    ]
    entries.append(_Entry("header", "Replies"))
    entries += [
        _Entry("folder", FOLDER_NAMES[f], folder=f)
        for f in (Folder.DRAFTS, Folder.OUTBOX, Folder.SENT)
    ]
    entries.append(_Entry("header", "Accounts"))
    return entries


class FolderListModel(QAbstractListModel):
    """Smart folders and accounts. Counts and accounts are pushed in; nothing is read here."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries = _folder_entries()
        self._fixed = len(self._entries)
        self._counts: dict[Folder, int] = {}

    def set_counts(self, counts: dict[Folder, int]) -> None:
        self._counts = dict(counts)
        if self._entries:
            self.dataChanged.emit(
                self.index(0),
                self.index(self._fixed - 1),
                [
                    FolderRoles.CountRole,
                    Qt.ItemDataRole.DisplayRole,
                    Qt.ItemDataRole.AccessibleTextRole,
                ],
            )

    def set_accounts(self, accounts: list[Account]) -> None:
        """Replace the account rows, leaving the folder rows (and their selection) alone."""
        old = len(self._entries) - self._fixed
        if old:
            self.beginRemoveRows(QModelIndex(), self._fixed, len(self._entries) - 1)
            del self._entries[self._fixed :]
            self.endRemoveRows()
        if accounts:
            self.beginInsertRows(QModelIndex(), self._fixed, self._fixed + len(accounts) - 1)
            self._entries += [
                _Entry("account", a.display_name or a.handle, account=a) for a in accounts
            ]
            self.endInsertRows()

    def show_mine(self, shown: bool) -> None:
        """A team inbox has a Mine folder (threads assigned to this window's person), at
        the end of the Inbox section; a one-person inbox has none."""
        row = next((i for i, e in enumerate(self._entries) if e.folder == Folder.MINE), None)
        if shown and row is None:
            at = self.row_of_folder(Folder.SNOOZED) + 1
            self.beginInsertRows(QModelIndex(), at, at)
            self._entries.insert(
                at, _Entry("folder", FOLDER_NAMES[Folder.MINE], folder=Folder.MINE)
            )
            self._fixed += 1
            self.endInsertRows()
        elif not shown and row is not None:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._entries[row]
            self._fixed -= 1
            self.endRemoveRows()

    def row_of_folder(self, folder: Folder) -> int:
        return next(i for i, e in enumerate(self._entries) if e.folder == folder)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self._entries[index.row()].kind == "header":
            return Qt.ItemFlag.ItemNeverHasChildren
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        e = self._entries[index.row()]
        count = self._counts.get(e.folder) if e.folder is not None else None
        match role:
            case Qt.ItemDataRole.DisplayRole:
                return e.title
            case Qt.ItemDataRole.AccessibleTextRole:
                if e.kind == "folder":
                    return f"{e.title}, {count or 0}"
                if e.account is not None:
                    return (
                        f"{e.title} on {theme.NETWORK_NAMES[e.account.network]}, "
                        f"{STATE_WORDS[e.account.state]}"
                    )
                return e.title
            case Qt.ItemDataRole.ToolTipRole:
                if e.account is not None:
                    tip = f"{e.account.handle} on {e.account.server}"
                    return plain_tip(
                        f"{tip}\n{e.account.last_error}" if e.account.last_error else tip
                    )
                return None
            case Qt.ItemDataRole.DecorationRole:
                if e.folder is not None:
                    return theme.icon(FOLDER_ICONS[e.folder])
                if e.account is not None:
                    return theme.network_icon(e.account.network)
                return None
            case FolderRoles.KindRole:
                return e.kind
            case FolderRoles.FolderRole:
                return e.folder
            case FolderRoles.AccountRole:
                return e.account
            case FolderRoles.CountRole:
                return count
            case FolderRoles.StateWordRole:
                return STATE_WORDS[e.account.state] if e.account is not None else None
        return None


class FolderDelegate(QStyledItemDelegate):
    """Headers in small caps, folders with icon and a count badge, accounts with state."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        fm = QFontMetrics(option.font)
        kind = index.data(FolderRoles.KindRole)
        if kind == "header":
            return QSize(160, fm.height() + 18)
        if kind == "account":
            return QSize(160, fm.height() * 2 + 12)
        return QSize(160, fm.height() + 14)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        r: QRect = option.rect
        kind = index.data(FolderRoles.KindRole)
        fm = QFontMetrics(option.font)
        if kind == "header":
            f = QFont(option.font)
            f.setPointSizeF(option.font.pointSizeF() * 0.82)
            f.setWeight(QFont.Weight.Bold)
            f.setCapitalization(QFont.Capitalization.AllUppercase)
            f.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 106)
            painter.setFont(f)
            painter.setPen(colour("folder_heading"))
            painter.drawText(
                r.adjusted(16, 8, -8, 0),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                index.data(),
            )
            painter.restore()
            return
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour("folder_selected"))
            painter.drawRoundedRect(QRectF(r.adjusted(6, 1, -6, -1)), 6, 6)
        elif option.state & QStyle.StateFlag.State_MouseOver:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour("folder_hover"))
            painter.drawRoundedRect(QRectF(r.adjusted(6, 1, -6, -1)), 6, 6)
        icon = index.data(Qt.ItemDataRole.DecorationRole)
        size = 16
        line_h = fm.height() + 14
        if icon is not None and not icon.isNull():
            icon.paint(painter, QRect(r.left() + 16, r.top() + (line_h - size) // 2, size, size))
        text_left = r.left() + 16 + size + 10
        right = r.right() - 14
        painter.setFont(option.font)
        painter.setPen(option.palette.color(QPalette.ColorRole.Text))
        if kind == "account":
            account: Account = index.data(FolderRoles.AccountRole)
            title = fm.elidedText(index.data(), Qt.TextElideMode.ElideRight, right - text_left)
            painter.drawText(
                QRect(text_left, r.top() + 7, right - text_left, fm.height()),
                Qt.AlignmentFlag.AlignVCenter,
                title,
            )
            small = QFont(option.font)
            small.setPointSizeF(option.font.pointSizeF() * 0.86)
            painter.setFont(small)
            ok = account.state in (AccountState.CONNECTED, AccountState.DEMO)
            painter.setPen(colour("text_muted" if ok else "warn_text"))
            sub = f"{index.data(FolderRoles.StateWordRole)} · {account.handle}"
            sub = QFontMetrics(small).elidedText(
                sub, Qt.TextElideMode.ElideRight, right - text_left
            )
            painter.drawText(
                QRect(text_left, r.top() + 7 + fm.height(), right - text_left, fm.height()),
                Qt.AlignmentFlag.AlignVCenter,
                sub,
            )
            painter.restore()
            return
        count = index.data(FolderRoles.CountRole)
        badge_w = 0
        if count:
            text = str(count) if count < 10000 else "9999+"
            small = QFont(option.font)
            small.setPointSizeF(option.font.pointSizeF() * 0.86)
            small.setWeight(QFont.Weight.DemiBold)
            sfm = QFontMetrics(small)
            badge_w = max(sfm.horizontalAdvance(text) + 12, 22)
            bh = sfm.height() + 2
            badge = QRectF(right - badge_w, r.top() + (r.height() - bh) / 2, badge_w, bh)
            urgent = index.data(FolderRoles.FolderRole) in URGENT
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour("accent" if urgent else "count_bg"))
            painter.drawRoundedRect(badge, bh / 2, bh / 2)
            painter.setFont(small)
            painter.setPen(colour("on_accent" if urgent else "count_text"))
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)
        f = QFont(option.font)
        if selected:
            f.setWeight(QFont.Weight.DemiBold)
        painter.setFont(f)
        painter.setPen(colour("text"))
        painter.drawText(
            QRect(text_left, r.top(), right - text_left - badge_w - 6, r.height()),
            Qt.AlignmentFlag.AlignVCenter,
            index.data(),
        )
        painter.restore()
