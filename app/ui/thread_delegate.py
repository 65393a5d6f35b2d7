"""Paints one thread row like a mail client: stripe, mark, author, age, snippet, chips.

One delegate for every row and a fixed size hint, so 100k rows scroll as fast
as 100. The sentiment colour is always paired with its word.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
    QWidget,
)

from app.core.models import Folder, ThreadRow, ThreadStatus
from app.ui import palette, theme
from app.ui.palette import colour, shared_colour
from app.ui.preview_text import WordWidths, wrap_preview
from app.ui.snooze_text import snoozed_words
from app.ui.thread_model import Roles, ThreadListModel

PAD_X = 12
PAD_Y = 9
STRIPE = 4
LEFT_COL = 30  # unread dot and network mark
LINE_GAP = 3
MIN_ELIDED = 40  # narrower than this, a cut word says nothing: left out
REASON_CHARS = 60  # a longer reason is cut on the row; the conversation shows it whole

# Flags combined once: each `|` or `&` of Qt's Python enums costs ~1 µs, ~15 per row.
VCENTER = Qt.AlignmentFlag.AlignVCenter
LEFT_VCENTER = Qt.AlignmentFlag.AlignLeft | VCENTER
RIGHT_VCENTER = Qt.AlignmentFlag.AlignRight | VCENTER
SELECTED = QStyle.StateFlag.State_Selected.value
ACTIVE = QStyle.StateFlag.State_Active.value
HOVERED = QStyle.StateFlag.State_MouseOver.value
HAS_FOCUS = QStyle.StateFlag.State_HasFocus.value


class _Fonts:
    """The fonts and metrics of one base font, built once instead of per paint."""

    def __init__(self, base: QFont) -> None:
        self.body = QFont(base)
        self.name = QFont(base)
        self.name.setWeight(QFont.Weight.DemiBold)
        self.name_bold = QFont(base)
        self.name_bold.setWeight(QFont.Weight.Bold)
        self.small = QFont(base)
        self.small.setPointSizeF(max(7.0, base.pointSizeF() * 0.86))
        self.chip = QFont(self.small)
        self.chip.setWeight(QFont.Weight.DemiBold)
        self.name_fm = QFontMetrics(self.name)
        self.bold_fm = QFontMetrics(self.name_bold)
        self.body_fm = QFontMetrics(self.body)
        self.body_words = WordWidths(self.body)
        self.small_fm = QFontMetrics(self.small)
        self.chip_fm = QFontMetrics(self.chip)
        self.height = (
            PAD_Y * 2
            + self.name_fm.height()
            + LINE_GAP
            + self.body_fm.lineSpacing() * 2
            + LINE_GAP
            + self.small_fm.height()
            + 4
        )


class _Layout:
    """Everything paint() measures for one row at one width: computed once, then reused."""

    __slots__ = ("age", "age_w", "author", "chip_w", "extras", "handle", "lines", "used", "word")

    def __init__(
        self,
        row: ThreadRow,
        f: _Fonts,
        width: int,
        now: datetime,
        drafts: bool = False,
        live: str = "",
    ) -> None:
        text_left = STRIPE + PAD_X - 4 + LEFT_COL
        right = width - 1 - PAD_X
        self.age = theme.format_age(row.last_activity, now)
        self.age_w = f.small_fm.horizontalAdvance(self.age)
        avail = right - self.age_w - 10 - text_left
        name_fm = f.bold_fm if row.unread else f.name_fm
        self.author = name_fm.elidedText(
            row.author_name or row.author_handle, Qt.TextElideMode.ElideRight, avail
        )
        self.used = name_fm.horizontalAdvance(self.author) + 6
        self.handle = ""
        if row.author_name and self.used < avail - 30:
            self.handle = f.small_fm.elidedText(
                row.author_handle, Qt.TextElideMode.ElideRight, avail - self.used
            )
        # In Drafts, the owner's own unsent words say more than the customer's.
        shown = f"Your draft: {row.draft}" if drafts and row.draft else row.snippet
        self.lines = wrap_preview(shown, f.body_words, right - text_left, 2)
        self.word = theme.sentiment_word(row.worst_label)
        self.chip_w = f.small_fm.horizontalAdvance(self.word) + 12
        extras = [
            snoozed_words(row.snoozed_until, now)
            if row.status is ThreadStatus.SNOOZED
            else theme.STATUS_WORDS[row.status]
        ]
        if row.reply_state:
            words = theme.REPLY_STATE_WORDS.get(row.reply_state, row.reply_state)
            if row.reply_reason:  # the Outbox says why, not only that
                reason = row.reply_reason
                words += ": " + (
                    reason if len(reason) <= REASON_CHARS else reason[: REASON_CHARS - 1] + "…"
                )
            extras.append(words)
        if live:  # a team inbox: "Sam is replying…"
            extras.append(live)
        if row.assignee:
            extras.append(f"assigned to {row.assignee}")
        if row.post_count > 1:
            extras.append(f"{row.post_count} posts")
        self.extras = [(w, f.small_fm.horizontalAdvance(w)) for w in extras]


AGE_TICK_MS = 20_000  # ages say minutes: look three times a minute
CACHE_ROWS = 1500  # measured rows kept (a few screens); older ones are measured again
# Rows drawn once into a picture and copied after: a repaint (each synced batch repaints
# the list) is then one Qt call a row instead of ~40, each of which waits for the
# interpreter lock while a sync runs. Kept: the rows of three heights of the list
# (~3 MB for a 1280x800 window), at least MIN_PICTURE_BYTES.
SCREENS_KEPT = 3
MIN_PICTURE_BYTES = 1024 * 1024


class ThreadDelegate(QStyledItemDelegate):
    """Draws `ThreadListModel` rows; all sizes come from the view's font."""

    def __init__(self, parent: QWidget | None = None, *, pictures: bool = True) -> None:
        """`pictures=False`: every paint draws the row straight onto the list."""
        super().__init__(parent)
        self.pictures = pictures
        self.drawn = 0  # rows drawn (not copied from their picture): tests count them
        self._fonts_for: dict[str, _Fonts] = {}
        self._layouts: dict[tuple[Any, ...], _Layout] = {}
        # a row's look (everything paint() reads) -> its picture, least recently painted first
        self._pictures: OrderedDict[tuple[Any, ...], QPixmap] = OrderedDict()
        self._picture_sizes: dict[tuple[Any, ...], int] = {}
        self._picture_bytes = 0
        self.picture_budget = MIN_PICTURE_BYTES  # set from the list's size at each drawing
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        self._now = self.clock()  # ages are measured from here until the next tick
        self.live_words: dict[int, str] = {}  # thread id -> "Sam is replying…" (team inbox)

    @property
    def picture_bytes(self) -> int:
        """What the rows' pictures kept now hold (see `picture_budget`)."""
        return self._picture_bytes

    def forget(self) -> None:
        """Measure and draw every row anew at its next paint."""
        self._layouts.clear()
        self._pictures.clear()
        self._picture_sizes.clear()
        self._picture_bytes = 0

    def tick(self) -> bool:
        """Move the ages on to the clock's minute; True when rows must be repainted."""
        now = self.clock()
        if int(now.timestamp() // 60) == int(self._now.timestamp() // 60):
            return False
        self._now = now
        return True

    def layout_for(self, row: ThreadRow, base: QFont, width: int, drafts: bool = False) -> _Layout:
        """What paint() draws for `row` at `width` (tests read the age and lines here);
        `drafts`: the row is in the Drafts folder."""
        return self._layout(row, self._font_set(base), width, base.key(), drafts)

    @staticmethod
    def row_words(layout: _Layout) -> list[str]:
        """The small words of a row's last line (status, replies, assignment, presence)."""
        return [word for word, _w in layout.extras]

    def _font_set(self, base: QFont) -> _Fonts:
        key = base.key()
        fonts = self._fonts_for.get(key)
        if fonts is None:
            fonts = self._fonts_for[key] = _Fonts(base)
        return fonts

    def _layout(
        self, row: ThreadRow, f: _Fonts, width: int, font_key: str, drafts: bool = False
    ) -> _Layout:
        live = self.live_words.get(row.id, "")
        key = (row, width, font_key, self._now, drafts, live)  # ThreadRow is frozen
        layout = self._layouts.get(key)
        if layout is None:
            if len(self._layouts) >= CACHE_ROWS:
                for old in list(self._layouts)[: CACHE_ROWS // 4]:
                    del self._layouts[old]
            layout = self._layouts[key] = _Layout(row, f, width, self._now, drafts, live)
        return layout

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        # Width 1: a row is as wide as the list (a wider hint added a sideways scroll
        # bar on narrow windows and clipped the ages).
        return QSize(1, self._font_set(option.font).height)

    def chip_rect(self, row: ThreadRow, rect: QRect, base: QFont) -> QRect:
        """Where paint() puts the sentiment chip of `row` drawn in `rect`."""
        f = self._font_set(base)
        lay = self._layout(row, f, rect.width(), base.key())
        name_h = (f.bold_fm if row.unread else f.name_fm).height()
        y = rect.top() + PAD_Y + name_h + LINE_GAP + f.body_fm.lineSpacing() * 2 + LINE_GAP
        return QRect(
            rect.left() + STRIPE + PAD_X - 4 + LEFT_COL, y, lay.chip_w, f.small_fm.height() + 4
        )

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        model = index.model()
        if isinstance(model, ThreadListModel):  # Python to Python: no trip through Qt
            row: ThreadRow | None = model.thread_at(index.row())
            drafts = model.query.folder is Folder.DRAFTS
        else:
            row = index.data(Roles.ThreadRole)
            query = getattr(model, "query", None)
            drafts = query is not None and query.folder is Folder.DRAFTS
        if row is None:
            return
        r = option.rect
        font = option.font
        font_key = font.key()
        device = painter.device()
        ratio = device.devicePixelRatioF() if device is not None else 1.0
        state = option.state.value
        if state & SELECTED:  # only what changes the look is part of the key
            look = (True, bool(state & ACTIVE), bool(state & HAS_FOCUS))
        else:
            look = (False, bool(state & HOVERED), False)
        width, height = r.width(), r.height()
        key = (
            row,
            width,
            height,
            font_key,
            self._now,
            drafts,
            self.live_words.get(row.id, ""),
            look,
            option.palette.cacheKey(),
            palette.current().name,
            ratio,
        )
        pictures = self._pictures
        picture = pictures.get(key)
        if picture is not None:
            pictures.move_to_end(key)
            painter.drawPixmap(r.topLeft(), picture)
            return
        f = self._font_set(font)
        lay = self._layout(row, f, width, font_key, drafts)
        base = option.palette.color(QPalette.ColorRole.Base)
        self.drawn += 1
        if not self.pictures or ratio != int(ratio):  # a fractional scale would resample it
            painter.save()
            self._draw(painter, row, lay, f, r, look, base, ratio)
            painter.restore()
            return
        picture = QPixmap(int(width * ratio), int(height * ratio))
        picture.setDevicePixelRatio(ratio)
        picture.fill(base)  # what the list has under a row drawn on it
        on_picture = QPainter(picture)
        self._draw(on_picture, row, lay, f, QRect(0, 0, width, height), look, base, ratio)
        on_picture.end()
        painter.drawPixmap(r.topLeft(), picture)
        view = option.widget
        shown = view.height() if view is not None else height * 10
        self.picture_budget = max(
            MIN_PICTURE_BYTES, SCREENS_KEPT * int(width * ratio) * int(shown * ratio) * 4
        )
        self._keep(key, picture, int(width * ratio) * int(height * ratio) * 4)

    def _keep(self, key: tuple[Any, ...], picture: QPixmap, size: int) -> None:
        """Keep a row's picture, forgetting the least recently painted beyond the budget."""
        self._pictures[key] = picture
        self._picture_sizes[key] = size
        self._picture_bytes += size
        while self._picture_bytes > self.picture_budget and len(self._pictures) > 1:
            old, _picture = self._pictures.popitem(last=False)
            self._picture_bytes -= self._picture_sizes.pop(old)

    def _draw(
        self,
        painter: QPainter,
        row: ThreadRow,
        lay: _Layout,
        f: _Fonts,
        r: QRect,
        look: tuple[bool, bool, bool],
        base: QColor,
        ratio: float,
    ) -> None:
        """Everything of one row, into `r` (a row's picture, or the list itself)."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        selected, lit, ringed = look  # lit: the window is active (selected) or hovered

        if selected:
            bg = shared_colour("selection") if lit else shared_colour("selection_inactive")
        elif lit:
            bg = shared_colour("hover")
        else:
            bg = base
        painter.fillRect(r, bg)
        painter.fillRect(QRect(r.left(), r.bottom(), r.width(), 1), shared_colour("border"))
        stripe = shared_colour(palette.SENTIMENT_KEYS[row.worst_label])
        painter.fillRect(QRect(r.left(), r.top(), STRIPE, r.height() - 1), stripe)
        if ringed:
            ring = QPen(shared_colour("focus"), 2)  # the keyboard is here: say so plainly
            painter.setPen(ring)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(r).adjusted(STRIPE + 1, 1, -1, -2))

        name_fm, body_fm, small_fm = f.bold_fm if row.unread else f.name_fm, f.body_fm, f.small_fm
        left = r.left() + STRIPE + PAD_X - 4
        text_left = left + LEFT_COL
        right = r.right() - PAD_X
        y = r.top() + PAD_Y
        name_h = name_fm.height()

        # Left column: unread dot over the network mark.
        line1_mid = y + name_h / 2
        if row.unread:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(shared_colour("accent"))
            painter.drawEllipse(QPointF(left + 9, line1_mid), 4.0, 4.0)
        mark = 16
        pm = theme.network_pixmap(row.network, mark, ratio)
        painter.drawPixmap(QRect(left + 1, int(line1_mid + name_h / 2 + 6), mark, mark), pm)

        # Line 1: author, handle, age.
        muted = shared_colour("text_muted_on_selection" if selected else "text_muted")
        accent = shared_colour("accent_text")
        text = shared_colour("text")
        vcenter = VCENTER
        painter.setFont(f.small)
        painter.setPen(accent if row.unread else muted)
        painter.drawText(QRect(right - lay.age_w, y, lay.age_w, name_h), RIGHT_VCENTER, lay.age)
        avail = right - lay.age_w - 10 - text_left
        painter.setFont(f.name_bold if row.unread else f.name)
        painter.setPen(text)
        painter.drawText(QRect(text_left, y, avail, name_h), LEFT_VCENTER, lay.author)
        if lay.handle:
            painter.setFont(f.small)
            painter.setPen(muted)
            painter.drawText(
                QRect(text_left + lay.used, y, avail - lay.used, name_h),
                LEFT_VCENTER,
                lay.handle,
            )
        y += name_h + LINE_GAP

        # Lines 2–3: the snippet, wrapped to two lines and elided.
        painter.setFont(f.body)
        painter.setPen(text if row.unread else shared_colour("text_secondary"))
        width = right - text_left
        spacing, body_h = body_fm.lineSpacing(), body_fm.height()
        for i, line in enumerate(lay.lines):
            painter.drawText(
                QRect(text_left, y + i * spacing, width, body_h),
                LEFT_VCENTER,
                line,
            )
        y += spacing * 2 + LINE_GAP

        # Line 4: sentiment chip (colour + word), status, post count.
        fg = shared_colour(f"{palette.SENTIMENT_KEYS[row.worst_label]}_text")
        x = self._chip(painter, text_left, y, lay, stripe, fg, f)
        painter.setFont(f.small)
        status_colour = accent if row.status == ThreadStatus.NEEDS_REPLY else muted
        small_h = small_fm.height() + 4
        for i, (word, w) in enumerate(lay.extras):
            painter.setPen(status_colour if i == 0 else muted)
            if x + w > right:  # a long one (a failed reply's reason) is cut, not dropped
                word = small_fm.elidedText(word, Qt.TextElideMode.ElideRight, right - x - 10)
                w = small_fm.horizontalAdvance(word)
                if not word or w < MIN_ELIDED:
                    break
            painter.drawText(QRect(x + 8, y, w + 2, small_h), vcenter, word)
            x += w + 8
            if i < len(lay.extras) - 1:
                painter.setPen(muted)
                painter.drawText(QRect(x + 3, y, 8, small_h), vcenter, "·")
                x += 5

    def _chip(
        self, painter: QPainter, x: int, y: int, lay: _Layout, fill: QColor, fg: QColor, f: _Fonts
    ) -> int:
        w = lay.chip_w
        h = f.small_fm.height() + 4
        tint = _TINTS.get(fill.rgb())
        if tint is None:
            tint = _TINTS[fill.rgb()] = QColor(fill)
            tint.setAlpha(palette.CHIP_ALPHA)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(tint)
        painter.drawRoundedRect(QRectF(x, y, w, h), h / 2, h / 2)
        painter.setFont(f.chip)
        painter.setPen(fg)
        painter.drawText(QRect(x, y, w, h), Qt.AlignmentFlag.AlignCenter, lay.word)
        return x + w


_TINTS: dict[int, QColor] = {}


def chip_tooltip(row: ThreadRow, reasons: tuple[str, ...]) -> str:
    """What hovering a row's chip says: whose feeling it is, why, and what a click does."""
    word = theme.sentiment_word(row.worst_label)
    lines = [
        f"{word}: the unhappiest post in this conversation"
        if row.post_count > 1
        else f"{word}: how this post reads"
    ]
    if row.post_count > 1:
        lines.append("(the preview shows the latest post, which may read differently)")
    lines += [f"• {r}" for r in reasons]
    lines.append("Click to correct the label.")
    return "\n".join(lines)


def own_viewport(view: QListView) -> QWidget:
    """A viewport made in Python, set up as Qt sets up its own.

    The first `viewport()` call on the one Qt made costs ~10 ms before the first
    painted inbox: PySide has no wrapper for it yet and, to find its Python type,
    initialises every QWidget subclass and creates their enum classes. One made here
    already has its wrapper.
    """
    viewport = QWidget(view)
    viewport.setObjectName("qt_scrollarea_viewport")
    viewport.setBackgroundRole(QPalette.ColorRole.Base)
    viewport.setAutoFillBackground(True)
    return viewport


class ThreadListView(QListView):
    """The thread list: uniform rows, plus a quiet message when a folder is empty.

    The sentiment chip works as in the conversation: hover says why (and that the
    colour is the conversation's unhappiest post), a click emits `chip_clicked(id)`.
    """

    chip_clicked = Signal(int)  # thread id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setViewport(own_viewport(self))
        self.empty_text = "No conversations here."
        self.setUniformItemSizes(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._ages = QTimer(self, interval=AGE_TICK_MS)  # "5 min" becomes "6 min" by itself
        self._ages.timeout.connect(self.tick_ages)
        self._ages.start()

    def chip_at(self, pos: QPoint) -> ThreadRow | None:
        """The row whose chip is under `pos` (viewport coordinates)."""
        index = self.indexAt(pos)
        delegate = self.itemDelegate()
        row = index.data(Roles.ThreadRole) if index.isValid() else None
        if row is None or not isinstance(delegate, ThreadDelegate):
            return None
        hit = delegate.chip_rect(row, self.visualRect(index), self.font()).adjusted(-2, -2, 2, 2)
        return row if hit.contains(pos) else None

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            row = self.chip_at(event.pos())
            if row is not None:
                QToolTip.showText(
                    event.globalPos(),
                    chip_tooltip(row, self.indexAt(event.pos()).data(Roles.ReasonsRole) or ()),
                    self.viewport(),
                )
                return True
        return super().viewportEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton:
            row = self.chip_at(event.position().toPoint())
            if row is not None:
                self.chip_clicked.emit(row.id)

    def tick_ages(self) -> None:
        delegate = self.itemDelegate()
        if isinstance(delegate, ThreadDelegate) and delegate.tick():
            self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if model is not None and model.rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(colour("text_muted"))
            rect = self.viewport().rect().adjusted(24, 60, -24, 0)
            painter.drawText(
                rect,
                Qt.AlignmentFlag.AlignHCenter
                | Qt.AlignmentFlag.AlignTop
                | Qt.TextFlag.TextWordWrap,
                self.empty_text,
            )
            painter.end()
