"""Paints one thread row like a mail client: stripe, mark, author, age, snippet, chips.

One delegate for every row and a fixed size hint, so 100k rows scroll as fast
as 100. The sentiment colour is always paired with its word.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPaintEvent,
    QPalette,
    QTextLayout,
)
from PySide6.QtWidgets import (
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from app.core.models import SentimentLabel, ThreadRow, ThreadStatus
from app.ui import theme
from app.ui.thread_model import Roles

PAD_X = 12
PAD_Y = 9
STRIPE = 4
LEFT_COL = 30  # unread dot and network mark
LINE_GAP = 3

# Darker text shades of the Okabe–Ito colours, readable on the light chip fill.
CHIP_TEXT = {
    SentimentLabel.NEGATIVE: "#A94A00",
    SentimentLabel.NEUTRAL: "#5F6368",
    SentimentLabel.POSITIVE: "#00755A",
    SentimentLabel.UNSCORED: "#5F6368",
}


class ThreadDelegate(QStyledItemDelegate):
    """Draws `ThreadListModel` rows; all sizes come from the view's font."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)

    def _fonts(self, base: QFont) -> tuple[QFont, QFont, QFont]:
        name = QFont(base)
        name.setWeight(QFont.Weight.DemiBold)
        small = QFont(base)
        small.setPointSizeF(max(7.0, base.pointSizeF() * 0.86))
        return name, base, small

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
                 ) -> QSize:
        name, body, small = self._fonts(option.font)
        h = (PAD_Y * 2 + QFontMetrics(name).height() + LINE_GAP
             + QFontMetrics(body).lineSpacing() * 2 + LINE_GAP + QFontMetrics(small).height() + 4)
        return QSize(320, h)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        row: ThreadRow | None = index.data(Roles.ThreadRole)
        if row is None:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        r = option.rect
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        focused = bool(option.state & QStyle.StateFlag.State_Active)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)

        if selected:
            bg = QColor(theme.SELECTION) if focused else QColor("#E3EAF4")
        elif hovered:
            bg = QColor("#F5F7FA")
        else:
            bg = option.palette.color(QPalette.ColorRole.Base)
        painter.fillRect(r, bg)
        painter.fillRect(QRect(r.left(), r.bottom(), r.width(), 1), QColor(theme.BORDER))
        painter.fillRect(QRect(r.left(), r.top(), STRIPE, r.height() - 1),
                         theme.sentiment_colour(row.worst_label))

        name_font, body_font, small_font = self._fonts(option.font)
        name_fm, body_fm, small_fm = (QFontMetrics(f) for f in (name_font, body_font,
                                                                  small_font))
        left = r.left() + STRIPE + PAD_X - 4
        text_left = left + LEFT_COL
        right = r.right() - PAD_X
        y = r.top() + PAD_Y

        # Left column: unread dot over the network mark.
        line1_mid = y + name_fm.height() / 2
        if row.unread:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(theme.ACCENT))
            painter.drawEllipse(QPointF(left + 9, line1_mid), 4.0, 4.0)
        mark = 16
        ratio = painter.device().devicePixelRatioF() if painter.device() else 1.0
        pm = theme.network_pixmap(row.network, mark, ratio)
        painter.drawPixmap(QRect(left + 1, int(line1_mid + name_fm.height() / 2 + 6), mark, mark),
                           pm)

        # Line 1: author, handle, age.
        muted = QColor(theme.TEXT_MUTED)
        text = QColor(theme.TEXT)
        age = theme.format_age(row.last_activity)
        painter.setFont(small_font)
        age_w = small_fm.horizontalAdvance(age)
        painter.setPen(QColor(theme.ACCENT) if row.unread else muted)
        painter.drawText(QRect(right - age_w, y, age_w, name_fm.height()),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, age)
        avail = right - age_w - 10 - text_left
        author = row.author_name or row.author_handle
        name_font.setWeight(QFont.Weight.Bold if row.unread else QFont.Weight.DemiBold)
        name_fm = QFontMetrics(name_font)
        author = name_fm.elidedText(author, Qt.TextElideMode.ElideRight, avail)
        painter.setFont(name_font)
        painter.setPen(text)
        painter.drawText(QRect(text_left, y, avail, name_fm.height()),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, author)
        used = name_fm.horizontalAdvance(author) + 6
        if row.author_name and used < avail - 30:
            handle = small_fm.elidedText(row.author_handle, Qt.TextElideMode.ElideRight,
                                         avail - used)
            painter.setFont(small_font)
            painter.setPen(muted)
            painter.drawText(QRect(text_left + used, y, avail - used, name_fm.height()),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, handle)
        y += name_fm.height() + LINE_GAP

        # Lines 2–3: the snippet, wrapped to two lines and elided.
        painter.setFont(body_font)
        painter.setPen(text if row.unread else QColor("#3D444D"))
        width = right - text_left
        for i, line in enumerate(_wrap(row.snippet, body_font, width, 2)):
            painter.drawText(QRect(text_left, y + i * body_fm.lineSpacing(), width,
                                   body_fm.height()),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, line)
        y += body_fm.lineSpacing() * 2 + LINE_GAP

        # Line 4: sentiment chip (colour + word), status, post count.
        x = self._chip(painter, text_left, y, theme.sentiment_word(row.worst_label),
                       theme.sentiment_colour(row.worst_label), QColor(CHIP_TEXT[row.worst_label]),
                       small_font)
        extras = [theme.STATUS_WORDS[row.status]]
        if row.post_count > 1:
            extras.append(f"{row.post_count} posts")
        painter.setFont(small_font)
        status_colour = (QColor(theme.ACCENT) if row.status == ThreadStatus.NEEDS_REPLY
                         else muted)
        for i, word in enumerate(extras):
            painter.setPen(status_colour if i == 0 else muted)
            w = small_fm.horizontalAdvance(word)
            if x + w > right:
                break
            painter.drawText(QRect(x + 8, y, w + 2, small_fm.height() + 4),
                             Qt.AlignmentFlag.AlignVCenter, word)
            x += w + 8
            if i < len(extras) - 1:
                painter.setPen(muted)
                painter.drawText(QRect(x + 3, y, 8, small_fm.height() + 4),
                                 Qt.AlignmentFlag.AlignVCenter, "·")
                x += 5
        painter.restore()

    def _chip(self, painter: QPainter, x: int, y: int, word: str, fill: QColor, fg: QColor,
              font: QFont) -> int:
        fm = QFontMetrics(font)
        w = fm.horizontalAdvance(word) + 12
        h = fm.height() + 4
        tint = QColor(fill)
        tint.setAlpha(38)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(tint)
        painter.drawRoundedRect(QRectF(x, y, w, h), h / 2, h / 2)
        chip_font = QFont(font)
        chip_font.setWeight(QFont.Weight.DemiBold)
        painter.setFont(chip_font)
        painter.setPen(fg)
        painter.drawText(QRect(x, y, w, h), Qt.AlignmentFlag.AlignCenter, word)
        return x + w


def _wrap(text: str, font: QFont, width: int, max_lines: int) -> list[str]:
    """Word-wrap plain text into at most `max_lines`, eliding the last one."""
    text = " ".join(text.split())
    layout = QTextLayout(text, font)
    layout.beginLayout()
    lines: list[str] = []
    while len(lines) < max_lines:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        start, length = line.textStart(), line.textLength()
        if len(lines) == max_lines - 1:
            rest = text[start:]
            lines.append(QFontMetrics(font).elidedText(rest, Qt.TextElideMode.ElideRight, width))
        else:  # font fallback (emoji) can draw wider than the layout measured
            lines.append(QFontMetrics(font).elidedText(text[start:start + length].rstrip(),
                                                       Qt.TextElideMode.ElideRight, width))
    layout.endLayout()
    return lines


class ThreadListView(QListView):
    """The thread list: uniform rows, plus a quiet message when a folder is empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.empty_text = "No conversations here."
        self.setUniformItemSizes(True)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if model is not None and model.rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(QColor(theme.TEXT_MUTED))
            rect = self.viewport().rect().adjusted(24, 60, -24, 0)
            painter.drawText(rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
                             | Qt.TextFlag.TextWordWrap, self.empty_text)
            painter.end()
