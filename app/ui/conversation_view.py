"""The right pane: one conversation as an indented tree of posts, built from plain text.

Post text is never parsed as HTML: the document is built with QTextCursor
inserts, links show their real target and open in the system browser only on
click, and no resource is ever loaded by the view itself: a customer's photo shows as
a placeholder with its alt text until the owner clicks "Show photo" (or allowed
it for the account); app/ui/photo_loader.py fetches it off the GUI thread and
hands the picture back with `set_photo`. The pane exposes slots (`side_slot`,
`composer_slot`, `header_actions`) so the customer history and the composer can
be added without touching this file.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QPoint, QSize, Qt, QUrl, Signal
from PySide6.QtGui import (
    QDesktopServices,
    QFont,
    QHelpEvent,
    QImage,
    QMouseEvent,
    QResizeEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextFrameFormat,
    QTextImageFormat,
    QTextLength,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QStackedWidget,
    QTextBrowser,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from app.core.links import label_misleads, link_view
from app.core.models import (
    MediaKind,
    MediaLink,
    OutboxItem,
    OutboxState,
    SentimentLabel,
    StoredPost,
    ThreadRow,
    ThreadStatus,
)
from app.ui import palette, theme
from app.ui.elided_label import ElidedLabel
from app.ui.palette import colour
from app.ui.plain_tip import plain_tip
from app.ui.search_marks import mark_matches
from app.ui.snooze_text import snoozed_words

URL_RE = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]")
MAX_DEPTH = 6
VIEW_MIN_WIDTH = 280  # the conversation itself never gets narrower than this
COMPOSER_SHARE = 45  # percent of the pane's height the composer may take at most
PANE_MIN_WIDTH = 340  # header buttons and the composer's top row, without the side slot
INDENT = 22
# The chip's char format carries its post id here; clicking it emits `label_clicked`.
CHIP_POST_ID = QTextFormat.Property.UserProperty + 1
# Chips were briefly links with this scheme; no anchor uses it now (tests still filter on it).
LABEL_SCHEME = "shopkeep-label"
# Our own photo actions: "shopkeep-photo:show/3", "…:full/3", "…:always/1" (never fetched).
PHOTO_SCHEME = "shopkeep-photo"
THUMB_WIDTH = 320  # a loaded photo shows at most this wide; a click opens it full size
LOADING_PHOTO = "Loading photo…"


BLOCKED_WORDS = "This post is hidden: one of you blocked the other."
DELETED_WORDS = "This post was deleted."
OWN_DELETED_WORDS = "Your reply was deleted from the server."


def gone_words(sp: StoredPost) -> str:
    """What stands in for a post the network no longer shows: a block is not a deletion
    (the words stay stored, and the post returns if the block is lifted)."""
    if sp.post.blocked and not sp.is_own:
        return BLOCKED_WORDS
    return OWN_DELETED_WORDS if sp.is_own else DELETED_WORDS


def thread_order(posts: list[StoredPost]) -> list[tuple[StoredPost, int]]:
    """Posts in reading order with their depth: replies under their parent, oldest first.

    A reply indents only where the conversation branches (or under the root);
    a plain back-and-forth stays at one level, as in a mail client.
    """
    by_remote = {p.post.remote_id for p in posts}
    children: dict[str | None, list[StoredPost]] = defaultdict(list)
    for p in posts:
        parent = p.post.parent_remote_id
        children[parent if parent in by_remote else None].append(p)
    for kids in children.values():
        kids.sort(key=lambda p: (p.post.created_at, p.id))
    out: list[tuple[StoredPost, int]] = []
    stack = [(p, 0) for p in reversed(children[None])]
    seen: set[int] = set()
    while stack:
        post, depth = stack.pop()
        if post.id in seen:
            continue
        seen.add(post.id)
        out.append((post, depth))
        kids = children.get(post.post.remote_id, [])
        child_depth = depth + 1 if depth == 0 or len(kids) > 1 else depth
        stack.extend((c, child_depth) for c in reversed(kids))
    return out


class ConversationView(QTextBrowser):
    """Read-only rendering of a conversation; `link_clicked` fires before the browser opens."""

    link_clicked = Signal(QUrl)
    label_clicked = Signal(int)  # post id: its sentiment chip was clicked (app/ui/label_menu.py)
    photo_wanted = Signal(str)  # a thumbnail's address: "Show photo" (or the account allows it)
    photo_opened = Signal(str, str)  # full-size address and alt text: open the viewer
    photos_always = Signal(bool)  # the owner turned loading photos for this account on / off

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search_text = ""  # the list's search: its matches are marked in each thread
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setObjectName("conversationView")
        self.setAccessibleName("Conversation")
        self.document().setDocumentMargin(18)
        self.anchorClicked.connect(self._open_link)
        self.open_links_externally = True  # tests switch this off
        self._formats = _Formats(self.font().pointSizeF())
        self._shown: tuple[list[StoredPost], Sequence[OutboxItem]] | None = None
        self.auto_photos = False  # the shown thread's account loads photos without a click
        self.photo_images: dict[str, QImage] = {}  # thumbnail address -> loaded picture
        self.photo_notes: dict[str, str] = {}  # thumbnail address -> "Loading…" or why not
        self._photos: list[MediaLink] = []  # the photos shown, by their index in anchors

    def clear(self) -> None:
        self._shown = None
        super().clear()

    def changeEvent(self, event: QEvent) -> None:
        """Light ↔ dark: the posts carry their colours in the document, so paint it again."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._shown is not None:
            scrolled = self.verticalScrollBar().value()
            self.show_posts(*self._shown)
            self.verticalScrollBar().setValue(scrolled)

    def loadResource(self, type: int, name: QUrl | str) -> Any:
        """Never fetch anything: posts may name remote images, we do not load them."""
        return None

    def viewportEvent(self, event: QEvent) -> bool:
        """Show the scorer's reasons (and link targets) kept as tooltips on the text."""
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            tip = self.tooltip_at(event.pos())
            if tip:
                QToolTip.showText(event.globalPos(), plain_tip(tip), self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def tooltip_at(self, pos: QPoint) -> str:
        cursor = self.cursorForPosition(pos)
        tip = hover_tip(cursor.charFormat())
        if not tip and not cursor.atBlockEnd():
            cursor.movePosition(QTextCursor.MoveOperation.NextCharacter)
            tip = hover_tip(cursor.charFormat())
        return tip

    def chip_post_at(self, pos: QPoint) -> int | None:
        """The post whose sentiment chip is at `pos` (viewport coordinates), if any."""
        cursor = self.cursorForPosition(pos)
        for _ in range(2):
            value = cursor.charFormat().property(CHIP_POST_ID)
            if isinstance(value, int):
                return value
            if cursor.atBlockEnd():
                break
            cursor.movePosition(QTextCursor.MoveOperation.NextCharacter)
        return None

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """One click on a chip asks for a correction."""
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton:
            post_id = self.chip_post_at(event.position().toPoint())
            if post_id is not None:
                self.label_clicked.emit(post_id)

    def _open_link(self, url: QUrl) -> None:
        self.link_clicked.emit(url)
        if url.scheme() == PHOTO_SCHEME:
            self._photo_action(url.path())
        if url.scheme() in ("http", "https") and self.open_links_externally:
            QDesktopServices.openUrl(url)

    def _photo_action(self, path: str) -> None:
        action, _, arg = path.partition("/")
        if action == "always":
            self.photos_always.emit(arg == "1")
            return
        try:
            media = self._photos[int(arg)]
        except (ValueError, IndexError):
            return
        if action == "show":
            self._want(media)
        elif action == "retry":
            self.photo_notes.pop(media.preview_url or media.url, None)
            self._want(media)
        elif action == "full":
            self.photo_opened.emit(media.url or media.preview_url, media.alt)

    def _want(self, media: MediaLink) -> None:
        thumb = media.preview_url or media.url
        if not thumb or thumb in self.photo_images or thumb in self.photo_notes:
            return
        self.photo_notes[thumb] = LOADING_PHOTO
        self._repaint_keeping_place()
        self.photo_wanted.emit(thumb)

    def set_photo(self, url: str, image: QImage) -> None:
        """A thumbnail arrived (on the GUI thread): show it in place of its placeholder."""
        self.photo_notes.pop(url, None)
        self.photo_images[url] = image
        self._repaint_keeping_place()

    def set_photo_failed(self, url: str, why: str) -> None:
        self.photo_notes[url] = why
        self._repaint_keeping_place()

    def forget_photos(self) -> None:
        """Another thread opens: drop the pictures kept in memory (the disk cache keeps them)."""
        self.photo_images.clear()
        self.photo_notes.clear()

    def _repaint_keeping_place(self) -> None:
        if self._shown is not None:
            scrolled = self.verticalScrollBar().value()
            self._render(*self._shown)
            self.verticalScrollBar().setValue(scrolled)

    def show_posts(self, posts: list[StoredPost], pending: Sequence[OutboxItem] = ()) -> None:
        self._render(posts, pending)
        mentions = [p for p in posts if p.post.is_mention]
        self.verticalScrollBar().setValue(0)
        if mentions and len(posts) > 3:
            self.scrollToAnchor(f"post-{mentions[-1].id}")
        if self.auto_photos:
            for media in list(self._photos):
                self._want(media)

    def _render(self, posts: list[StoredPost], pending: Sequence[OutboxItem]) -> None:
        self._shown = (posts, pending)
        self._photos = []
        doc = QTextDocument(self)
        doc.setDocumentMargin(18)
        doc.setDefaultFont(self.font())
        doc.setUndoRedoEnabled(False)  # read-only: no undo steps kept for each insert
        cursor = QTextCursor(doc)
        cursor.beginEditBlock()  # one change at the end, not one per insert (~20% faster)
        root = doc.rootFrame()
        self._formats = _Formats(self.font().pointSizeF())  # shared by every post
        for post, depth in thread_order(posts):
            self._insert_post(cursor, post, min(depth, MAX_DEPTH))
            cursor.setPosition(root.lastPosition())
        for item in pending:
            self._insert_pending(cursor, item)
            cursor.setPosition(root.lastPosition())
        cursor.endEditBlock()
        shown = self.document()
        ours = shown.parent() == self  # not the first, which Qt deletes itself
        self.setDocument(doc)
        if ours:  # Qt keeps a replaced document that has a parent (240 opens: +160 MB)
            shown.deleteLater()
        mark_matches(self, self.search_text)

    def _insert_post(self, cursor: QTextCursor, sp: StoredPost, depth: int) -> None:
        p = sp.post
        f = self._formats
        cursor.insertFrame(
            f.frame("mention" if p.is_mention else "own" if sp.is_own else "", depth)
        )
        base, muted = f.base, f.muted
        name = QTextCharFormat(f.name)
        name.setAnchorNames([f"post-{sp.id}"])

        author = p.author.display_name or p.author.handle
        cursor.insertText(author, name)
        when = theme.format_timestamp(p.created_at).replace(" ", "\u00a0")  # never wraps
        cursor.insertText(f"  {p.author.handle}  ·  {when}", muted)
        label = sp.label
        chip = QTextCharFormat(f.chip(label))
        reasons = sp.sentiment.reasons
        tip = f"Score {sp.sentiment.compound:+.2f}"
        if reasons:
            tip += "\n" + "\n".join(f"• {r}" for r in reasons)
        if sp.corrected_label:
            tip += "\n(label corrected by you)"
        chip.setToolTip(tip + "\nClick to correct the label.")
        chip.setProperty(CHIP_POST_ID, sp.id)  # not a link: only http links are clickable
        word = theme.sentiment_word(
            label, sp.sentiment.language or p.language if label is SentimentLabel.UNSCORED else None
        )
        if not sp.is_own:  # the mood of the customer's words, not of the shop's replies
            cursor.insertText("   ", base)
            cursor.insertText(f"\u2009{word}\u2009", chip)
        tags = []
        if p.is_mention:
            tags.append("Mention")
        if sp.is_own:
            tags.append("You")
        if p.edited_at:
            tags.append("edited")
        if tags:
            cursor.insertText("   " + " · ".join(tags), f.tag)

        body = QTextBlockFormat()
        body.setTopMargin(6)
        if p.content_warning:
            cw = QTextCharFormat(base)
            cw.setFontItalic(True)
            cw.setForeground(colour("content_warning_text"))
            cursor.insertBlock(body)
            cursor.insertText(f"Content warning: {p.content_warning}", cw)
        if p.deleted:
            cursor.insertBlock(body)
            gone = QTextCharFormat(muted)
            gone.setFontItalic(True)
            cursor.insertText(gone_words(sp), gone)
        else:
            for line in (p.text or "").split("\n"):
                cursor.insertBlock(body)
                _insert_linked(cursor, line, f)
                body.setTopMargin(2)
        for media in p.media:
            cursor.insertBlock(body)
            if media.kind is MediaKind.IMAGE:
                self._insert_photo(cursor, media, body)
                continue
            cursor.insertText("Attachment: ", muted)
            _insert_link(cursor, media.url, f, media.label)
        if p.url:  # the post's own address: its tooltip is worked out on hover (`hover_tip`)
            cursor.insertBlock(body)
            link = QTextCharFormat(f.muted_link)
            link.setAnchorHref(p.url)
            cursor.insertText("Open on " + theme.NETWORK_NAMES[p.network], link)

    def _insert_photo(self, cursor: QTextCursor, media: MediaLink, body: QTextBlockFormat) -> None:
        """A photo: "Photo:" and its alt text, then the picture once loaded, else a button."""
        f = self._formats
        index = len(self._photos)
        self._photos.append(media)
        thumb = media.preview_url or media.url
        cursor.insertText("Photo: ", f.muted)
        alt = QTextCharFormat(f.base)
        alt.setFontItalic(not media.alt)
        cursor.insertText(media.alt or "no description from the poster", alt)
        image = self.photo_images.get(thumb)
        if image is not None and not image.isNull():
            name = f"{PHOTO_SCHEME}-image:{index}"
            cursor.document().addResource(
                QTextDocument.ResourceType.ImageResource, QUrl(name), image
            )
            cursor.insertBlock(body)
            picture = QTextImageFormat()
            picture.setName(name)
            room = self.viewport().width() - 2 * INDENT * (MAX_DEPTH // 2) - 40
            width = max(1, min(image.width(), THUMB_WIDTH, max(room, 120)))
            picture.setWidth(width)
            picture.setHeight(image.height() * width / max(image.width(), 1))
            picture.setAnchor(True)
            picture.setAnchorHref(f"{PHOTO_SCHEME}:full/{index}")
            picture.setToolTip(media.alt or "Photo")
            cursor.insertImage(picture)
            cursor.insertBlock(body)
            _insert_action(cursor, "Open full size", f"{PHOTO_SCHEME}:full/{index}", f.base)
        elif thumb in self.photo_notes:
            note = self.photo_notes[thumb]
            cursor.insertText(f"   {note}", f.muted)
            if note != LOADING_PHOTO:
                cursor.insertText("  ", f.base)
                _insert_action(cursor, "Try again", f"{PHOTO_SCHEME}:retry/{index}", f.base)
        elif thumb:
            cursor.insertText("   ", f.base)
            _insert_action(cursor, "Show photo", f"{PHOTO_SCHEME}:show/{index}", f.base)
            host = link_view(thumb).host
            if host:  # where one click would fetch it from
                cursor.insertText(f" (from {host})", f.muted)
        if thumb and not any(m.preview_url or m.url for m in self._photos[:index]):
            cursor.insertText("   ", f.base)
            _insert_action(
                cursor,
                "Stop loading photos from this account"
                if self.auto_photos
                else "Always load photos from this account",
                f"{PHOTO_SCHEME}:always/{0 if self.auto_photos else 1}",
                f.muted,
            )

    def _insert_pending(self, cursor: QTextCursor, item: OutboxItem) -> None:
        """A reply of the shop's that is not back from the network yet, with its state."""
        frame = QTextFrameFormat()
        frame.setBottomMargin(10)
        frame.setPadding(12)
        frame.setBorder(1)
        frame.setBorderBrush(colour("border"))
        frame.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Dashed)
        frame.setBackground(colour("own_post_bg"))
        frame.setWidth(QTextLength(QTextLength.Type.PercentageLength, 100))
        cursor.insertFrame(frame)
        f = self._formats
        cursor.insertText("Your reply", f.name)
        words = PENDING_WORDS.get(item.state, "")
        if item.last_error and item.state in (OutboxState.FAILED, OutboxState.QUEUED):
            words = (
                "Not sent: " if item.state is OutboxState.FAILED else "Waiting to send: "
            ) + item.last_error
        cursor.insertText(f"  ·  {words}", f.muted)
        body = QTextBlockFormat()
        body.setTopMargin(6)
        for line in item.text.split("\n"):
            cursor.insertBlock(body)
            cursor.insertText(line, f.base)
            body.setTopMargin(2)


PENDING_WORDS = {
    OutboxState.QUEUED: "Queued: goes out as soon as Shopkeep is online (Undo or Edit below)",
    OutboxState.SENDING: "Sending…",
    OutboxState.SENT: "Sent",
    OutboxState.FAILED: "Not sent (see below)",
}


class _Formats:
    """The character formats every post uses, built once per conversation, not per post."""

    def __init__(self, point_size: float) -> None:
        self.base = QTextCharFormat()
        self.base.setForeground(colour("text"))
        self.name = QTextCharFormat(self.base)
        self.name.setFontWeight(QFont.Weight.Bold)
        self.name.setAnchor(True)
        self.muted = QTextCharFormat(self.base)
        self.muted.setForeground(colour("text_muted"))
        self.muted.setFontPointSize(point_size * 0.9)
        self.tag = QTextCharFormat(self.muted)  # grey, not blue: a tag is not a link
        self.tag.setFontWeight(QFont.Weight.DemiBold)
        self.link = _link_format(self.base)
        self.muted_link = _link_format(self.muted)
        self._point_size = point_size
        self._chips: dict[SentimentLabel, QTextCharFormat] = {}
        self._frames: dict[tuple[str, int], QTextFrameFormat] = {}

    def frame(self, kind: str, depth: int) -> QTextFrameFormat:
        """A post's card: `kind` "mention", "own" (the shop's) or "" (anyone else's)."""
        found = self._frames.get((kind, depth))
        if found is None:
            found = QTextFrameFormat()
            found.setLeftMargin(depth * INDENT)
            found.setBottomMargin(10)
            found.setPadding(12)
            found.setBorder(1)
            found.setBorderBrush(colour("mention_border" if kind == "mention" else "border"))
            found.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
            background = {"mention": "accent_soft_bg", "own": "own_post_bg"}.get(kind, "base")
            found.setBackground(colour(background))
            found.setWidth(QTextLength(QTextLength.Type.PercentageLength, 100))
            self._frames[(kind, depth)] = found
        return found

    def chip(self, label: SentimentLabel) -> QTextCharFormat:
        found = self._chips.get(label)
        if found is None:
            found = QTextCharFormat(self.base)
            tint = palette.sentiment_colour(label)
            tint.setAlpha(palette.CHIP_ALPHA)
            found.setBackground(tint)
            found.setForeground(palette.sentiment_text(label))
            found.setFontWeight(QFont.Weight.DemiBold)
            found.setFontPointSize(self._point_size * 0.9)
            self._chips[label] = found
        return found


def _link_format(base: QTextCharFormat) -> QTextCharFormat:
    fmt = QTextCharFormat(base)
    fmt.setAnchor(True)
    fmt.setForeground(colour("accent_text"))
    fmt.setFontUnderline(True)
    return fmt


def hover_tip(fmt: QTextCharFormat) -> str:
    """The text's own tooltip; a link without one (a post's own address) shows where it
    really goes, worked out when the pointer rests on it rather than for every post."""
    tip = fmt.toolTip()
    if tip or not fmt.isAnchor():
        return tip
    href = fmt.anchorHref()
    return link_view(href).text if href.startswith(("http://", "https://")) else ""


def _insert_link(cursor: QTextCursor, url: str, f: _Formats, label: str | None) -> None:
    """A link that shows where it really goes: its host in ASCII (IDNA "xn--") form, and
    named outright after it when the rest of the address mentions another site."""
    view = link_view(url)
    fmt = QTextCharFormat(f.link)
    fmt.setAnchorHref(url)
    fmt.setToolTip(view.text)
    cursor.insertText(f"{label} ({view.text})" if label else view.text, fmt)
    if view.host and (view.misleading or (label and label_misleads(label, view.host))):
        note = QTextCharFormat(f.base)
        note.setForeground(colour("text_muted"))
        cursor.insertText(f" [goes to {view.host}]", note)


def _insert_action(cursor: QTextCursor, text: str, href: str, base: QTextCharFormat) -> None:
    """One of our own actions written as a link (never leaves the app)."""
    fmt = _link_format(base)
    fmt.setAnchorHref(href)
    cursor.insertText(text, fmt)


def _insert_linked(cursor: QTextCursor, line: str, f: _Formats) -> None:
    pos = 0
    for m in URL_RE.finditer(line):
        if m.start() > pos:
            cursor.insertText(line[pos : m.start()], f.base)
        _insert_link(cursor, m.group(0), f, None)
        pos = m.end()
    if pos < len(line):
        cursor.insertText(line[pos:], f.base)


class ConversationPane(QWidget):
    """Header + conversation, with slots others fill: `header_actions`, `side_slot`,
    `composer_slot` (all QBoxLayouts). Shows a calm empty state when nothing is open."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conversationPane")
        self.setMinimumWidth(PANE_MIN_WIDTH)  # the side slot hides rather than widen the pane
        self.current_thread: ThreadRow | None = None
        # Whether a thread's account loads photos without a click (set by photo_loader.py).
        self.load_photos_for: Callable[[ThreadRow], bool] = lambda _thread: False
        self.posts: list[StoredPost] = []
        self.pending: list[OutboxItem] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.stack = QStackedWidget(self)
        outer.addWidget(self.stack)

        self.empty = QLabel(self)
        self.empty.setObjectName("emptyState")
        self.empty.setWordWrap(True)
        self.empty.setText(
            "No conversation selected\n\nPick a thread on the left, or press J "
            "and K to move through them."
        )
        self.empty.setAlignment(self.empty.alignment().AlignCenter)
        self.stack.addWidget(self.empty)

        page = QWidget(self)
        col = QVBoxLayout(page)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(0)
        header = QFrame(page)
        header.setObjectName("conversationHeader")
        hl = QHBoxLayout(header)
        hl.setContentsMargins(20, 12, 14, 12)
        titles = QVBoxLayout()
        titles.setSpacing(2)
        self.title = ElidedLabel("", header)  # elides: a long name never moves the panes
        self.title.setObjectName("conversationTitle")
        self.subtitle = ElidedLabel("", header)
        self.subtitle.setObjectName("conversationSubtitle")
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        hl.addLayout(titles, 1)
        self.header_actions = QHBoxLayout()
        self.header_actions.setSpacing(6)
        hl.addLayout(self.header_actions)
        col.addWidget(header)

        body = QHBoxLayout()
        body.setSpacing(0)
        self.view = ConversationView(page)
        self.view.setMinimumWidth(VIEW_MIN_WIDTH)
        body.addWidget(self.view, 1)
        self.side_slot = QVBoxLayout()  # customer history goes here
        body.addLayout(self.side_slot)
        col.addLayout(body, 1)
        self.composer_slot = QVBoxLayout()  # the composer goes here
        col.addLayout(self.composer_slot)
        self.stack.addWidget(page)

    def side_fits(self, width: int) -> bool:
        """Whether the side slot (customer history) fits beside the conversation at `width`."""
        side = sum(w.minimumWidth() or w.minimumSizeHint().width() for w in self._side_widgets())
        return width >= self.view.minimumWidth() + side

    def _side_widgets(self) -> list[QWidget]:
        return _widgets_in(self.side_slot)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.fit_slots(event.size())
        super().resizeEvent(event)

    def fit_slots(self, size: QSize | None = None) -> None:
        """A narrow pane hides the side slot rather than squeezing the conversation;
        only the window's size decides this, never the conversation shown. Called on
        every resize, and by whoever fills the slots after the pane got its size."""
        size = size if size is not None else self.size()
        fits = self.side_fits(size.width())
        for widget in self._side_widgets():
            widget.setVisible(fits)
        for widget in _widgets_in(self.composer_slot):
            # the conversation keeps at least half of a short pane
            widget.setMaximumHeight(
                max(
                    widget.minimumSizeHint().height(),
                    size.height() * COMPOSER_SHARE // 100,
                )
            )

    def set_search(self, text: str) -> None:
        """Mark what the owner searched for in this and every conversation opened next."""
        self.view.search_text = text
        mark_matches(self.view, text)

    def clear(self) -> None:
        self.current_thread = None
        self.posts = []
        self.pending = []
        self.view.clear()
        self.stack.setCurrentIndex(0)

    def show_thread(
        self, thread: ThreadRow, posts: list[StoredPost], pending: Sequence[OutboxItem] = ()
    ) -> None:
        """`pending`: the shop's replies in the outbox; those already among `posts`
        (sent and synced back) are left out."""
        if self.current_thread is None or self.current_thread.id != thread.id:
            self.view.forget_photos()
        self.view.auto_photos = self.load_photos_for(thread)
        self.current_thread = thread
        self.posts = posts
        have = {p.post.remote_id for p in posts}
        self.pending = [i for i in pending if not (i.remote_id and i.remote_id in have)]
        who = thread.author_name or thread.author_handle
        self.title.setText(who)
        n = len(posts) + len(self.pending)
        # A reply counts once it is on the server; until then the header says it waits.
        states = {i.state for i in self.pending} - {OutboxState.SENT}
        waiting = (
            [theme.REPLY_STATE_WORDS["failed"]]
            if OutboxState.FAILED in states
            else [theme.REPLY_STATE_WORDS["waiting"]]
            if states
            else []
        )
        self.subtitle.setText(
            " · ".join(
                [
                    thread.author_handle,
                    theme.NETWORK_NAMES[thread.network],
                    f"{n} post{'s' if n != 1 else ''}",
                    snoozed_words(thread.snoozed_until)
                    if thread.status is ThreadStatus.SNOOZED
                    else theme.STATUS_WORDS[thread.status],
                    *waiting,
                    theme.sentiment_word(thread.worst_label),
                ]
            )
        )
        self.view.show_posts(posts, self.pending)
        self.stack.setCurrentIndex(1)


def _widgets_in(layout: QLayout) -> list[QWidget]:
    """The widgets a layout holds (its spacers and nested layouts left out)."""
    items = (layout.itemAt(i) for i in range(layout.count()))
    return [w for w in (item.widget() for item in items if item is not None) if w is not None]
